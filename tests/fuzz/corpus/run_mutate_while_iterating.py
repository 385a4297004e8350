d = {i: i for i in range(10)}
for k in d:
    d[k + 100] = 1
l = [1, 2, 3]
for x in l:
    l.append(x)
    if len(l) > 50: break
s = {1, 2}
for x in s:
    s.add(x + 10)
