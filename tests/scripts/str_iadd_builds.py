# s += t on a local str: the result is a new value for s only; other names
# bound to the old string keep it; hashes, lengths and indexing follow the
# new text (ASCII and not).


def build(n):
    s = ""
    for i in range(n):
        s += str(i % 10)
    return s


def aliasing():
    s = "ab"
    t = s
    s += "cd"
    u = s
    s += "ef"
    return s, t, u


def hashed_after_growth():
    s = "k"
    d = {s: 1}
    s += "ey"
    d[s] = 2
    return sorted(d.items()), "key" in d, hash(s) == hash("key")


def non_ascii():
    s = "é"
    for piece in ["ü", "x", "中文", "!"]:
        s += piece
    return s, len(s), s[3], s[-1], s.index("中")


def long_text():
    s = ""
    for i in range(3000):
        s += "é" if i % 7 == 0 else "a"
    return len(s), s[2999], s[2996], s.count("é")


def other_operands():
    s = "x"
    s += s
    t = s
    t += t
    return s, t


built = build(20000)
print(len(built), built[:12], built[-5:])
print(aliasing())
print(hashed_after_growth())
print(non_ascii())
print(long_text())
print(other_operands())
