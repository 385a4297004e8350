s = "hello, world"
print(len(s), s[0], s[-1], s[7:], s[:5], s[::-1])
print(s + "!", s * 2 if len(s) < 5 else "-" * 5)
print("world" in s, "xyz" not in s)
print(s == "hello, world", s < "help", "a" < "B", "" < "a")
print(str(123), str(1.5), str([1, "a"]), str(None))
print(list("abc"), tuple("ab"))
for ch in "hi!":
    print(ch, ord(ch))
print(min("hello"), max("hello"), sorted("banana"))
print("abc"[1:2], "abc"[5:], type("x"[0]).__name__)
