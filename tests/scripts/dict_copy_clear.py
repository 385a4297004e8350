d = {"a": [1], "b": 2}
c = d.copy()
c["b"] = 20
c["a"].append(99)
print(d, c, c is d)
alias = d
d.clear()
print(d, alias, len(alias))
n = dict(c)
n["new"] = 1
print(c, n)
