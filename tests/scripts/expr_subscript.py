l = [10, 20, 30]
print(l[0], l[-1], l[len(l) - 1])
d = {"a": 1, (1, 2): "tuple key", 3: "int key"}
print(d["a"], d[1, 2], d[(1, 2)], d[3])
m = [[1, 2], [3, 4]]
print(m[1][0], m[-1][-1])
s = "hello"
print(s[1], s[-2])
t = (1, (2, (3, 4)))
print(t[1][1][0])
nested = {"x": {"y": [5, 6]}}
print(nested["x"]["y"][1])
print("abc"[True], [1, 2][False])
