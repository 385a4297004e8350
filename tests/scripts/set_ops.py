a = {1, 2, 3, 4}
b = {3, 4, 5, 6}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b) == a ^ b)
print(a.union([7], (0,)), a.intersection(range(3)), a.difference([1], [2]))
c = set(a)
c |= {9}
c &= {1, 9, 2}
print(c)
c -= {1}
print(c)
print(a, b)
print({1, 2} | set(), set() & {1}, {1} - {1})
