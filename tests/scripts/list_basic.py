l = [3, 1, 4, 1, 5]
print(l, len(l), l[0], l[-1], l[1:3])
l[0] = 30
print(l)
print(l + [9], l * 2, [0] * 0)
print(1 in l, 7 in l, l == [30, 1, 4, 1, 5], l != l[:])
print([1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 99], [] < [0])
print(list(), list("ab"), list(range(3)), list((1, 2)), list({"a": 1}))
empty = []
print(empty, bool(empty), len(empty))
nested = [[0] * 2 for _ in range(2)]
nested[0][0] = 1
print(nested)
shared = [[0] * 2] * 2
shared[0][0] = 1
print(shared)
print(min(l), max(l), sum(l))
