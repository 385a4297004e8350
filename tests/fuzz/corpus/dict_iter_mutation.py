d = {"a": 1, "b": 2}
try:
    for k in d:
        d["c" + k] = 0
except RuntimeError as e:
    print("RuntimeError:", e)
d = {"a": 1, "b": 2, "c": 3}
for k in list(d):
    if d[k] % 2:
        del d[k]
print(d)
d = {"a": 1, "b": 2}
for k in d:
    d[k] = d[k] * 10
print(d)
s = {1, 2, 3}
try:
    for v in s:
        s.add(v + 10)
except RuntimeError as e:
    print("RuntimeError:", e)
