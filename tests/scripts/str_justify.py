print("[" + "abc".ljust(6) + "]", "[" + "abc".rjust(6) + "]", "[" + "abc".center(6) + "]")
print("[" + "abc".ljust(6, "*") + "]", "[" + "abc".rjust(6, "-") + "]", "[" + "abc".center(7, "=") + "]")
print("[" + "abc".center(2) + "]", "[" + "ab".center(5) + "]", "[" + "a".center(4) + "]")
print("[" + "toolong".ljust(3) + "]", "[" + "".center(3, ".") + "]")
for w in range(1, 8):
    print(repr("ab".center(w, "_")))
