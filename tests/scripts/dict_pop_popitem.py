d = {"a": 1, "b": 2, "c": 3, "d": 4}
print(d.pop("b"), d)
print(d.pop("zz", "default"), d.pop("zz", None))
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError:", e)
print(d.popitem(), d)
d["e"] = 5
print(d.popitem(), d.popitem(), d)
d.popitem()
try:
    d.popitem()
except KeyError as e:
    print("KeyError:", e)
