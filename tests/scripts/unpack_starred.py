first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
a, *mid, b = range(5)
print(a, mid, b)
a, *mid, b = [1, 2]
print(a, mid, b)
*all_, = (7, 8)
print(all_)
(p, *q), r = [1, 2, 3], 4
print(p, q, r)
for head, *tail in [(1, 2, 3), (4,)]:
    print(head, tail)
[x, *y] = (10, 20, 30)
print(x, y, type(y).__name__)
