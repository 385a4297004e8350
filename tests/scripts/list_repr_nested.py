l = [1, [2, [3, [4]]], "s", ("t",), {"d": [5]}]
print(l)
r = [1, 2]
r.append(r)
print(r)
d = {"self": None}
d["self"] = d
print(d)
print([None, True, 1.0, "q'uote", 'd"q'])
print([[]], [[], []], [()], [{}])
a = [1]
b = [a, a]
print(b)
