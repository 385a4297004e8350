d = {"x": 1, "y": 2, "z": 3}
k, v, i = d.keys(), d.values(), d.items()
print(k, v, i)
print(list(k), list(v), list(i))
print(len(k), "x" in k, 2 in v, ("y", 2) in i, ("y", 3) in i)
d["w"] = 0
print(k, len(v))
del d["x"]
print(list(i))
for key, val in d.items():
    print(key, "->", val)
print(sorted(d.values()), sum(d.values()))
print(type(k).__name__, type(v).__name__, type(i).__name__)
print(k == {"y", "z", "w"}, list(reversed(list(k))))
