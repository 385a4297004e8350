print({x: x * x for x in range(5)})
print({k: v for k, v in [("a", 1), ("b", 2)] if v > 1})
words = ["one", "two", "three", "four"]
print({w: len(w) for w in words})
print({len(w): w for w in words})
d = {"x": 1, "y": 2}
print({v: k for k, v in d.items()})
print({i: {j: i * j for j in range(3)} for i in range(2)})
