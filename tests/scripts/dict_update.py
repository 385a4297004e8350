d = {"a": 1, "b": 2}
d.update({"b": 20, "c": 30})
print(d)
d.update([("d", 4), ("a", 100)])
print(d)
d.update(e=5, f=6)
print(d)
d.update({"g": 7}, h=8)
print(d)
d.update()
print(len(d))
merged = dict({"x": 1}, **{"y": 2})
print(merged)
try:
    d.update([1, 2])
except TypeError as e:
    print("TypeError")
