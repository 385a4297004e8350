a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
(c, d), e = (3, 4), 5
print(c, d, e)
[f, g] = "xy"
print(f, g)
h, = [9]
print(h)
for i, (k, v) in enumerate({"p": 1, "q": 2}.items()):
    print(i, k, v)
x = y = z = 0
print(x, y, z)
m, n = range(2)
print(m, n)
p, q = {"first": 1, "second": 2}
print(p, q)
