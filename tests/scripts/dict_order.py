d = {}
for k in ["zeta", "alpha", "mid", "beta"]:
    d[k] = len(k)
print(list(d))
d["alpha"] = 100
print(list(d.items()))
del d["zeta"]
d["zeta"] = 0
print(list(d))
d2 = {3: "c", 1: "a", 2: "b"}
print(d2, list(d2.keys()))
d3 = dict([("b", 1), ("a", 2), ("b", 3)])
print(d3)
big = {i * 7 % 13: i for i in range(13)}
print(list(big)[:6])
for k in range(100):
    big[k] = k
for k in range(5, 100):
    del big[k]
print(big)
