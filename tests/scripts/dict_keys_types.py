d = {}
d[1] = "int one"
d[1.0] = "float one"
d[True] = "true"
print(d)
d[0] = "zero"
d[False] = "false"
d[0.0] = "float zero"
print(d, len(d))
d[(1, 2)] = "tuple"
d[frozenset([1, 2])] = "frozenset"
d["1"] = "string one"
d[None] = "none"
d[2 ** 70] = "big"
print(d[(1, 2)], d[frozenset([2, 1])], d["1"], d[None], d[2 ** 70], d[1])
print(list(d.keys()))
