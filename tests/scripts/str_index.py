s = "abcabc"
print(s.index("b"), s.index("b", 2), s.index("abc", 1), s.index(""))
for args in (("z",), ("a", 4), ("c", 0, 2)):
    try:
        s.index(*args)
    except ValueError as e:
        print("ValueError:", e)
print([1, 2, 3].index(3), (4, 5).index(5))
