d = {"a": 1, "b": 2}
print(d, len(d), d["a"])
d["c"] = 3
d["a"] = 10
print(d)
print("a" in d, "z" in d, 1 in d, "z" not in d)
del d["b"]
print(d, list(d), list(d.keys()))
print(dict(), dict(x=1, y=2), dict([("k", "v"), ("k2", "v2")]), dict({"m": 0}, n=1))
print(dict(zip("abc", range(3))))
print({1: "int", 2.5: "float", "s": "str", (1, 2): "tuple", None: "none", True: "bool"})
e = {}
print(e, bool(e), bool(d))
print(d == {"c": 3, "a": 10}, d != {"a": 10})
try:
    d["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    {[1]: 2}
except TypeError:
    print("TypeError: list is not hashable")
