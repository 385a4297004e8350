t = (1, "two", 3.0, None)
print(t, len(t), t[1], t[-1], t[1:3], t[::-1])
print((1,), (), tuple(), tuple([1, 2]), tuple("ab"), tuple(range(3)))
print((1, 2) + (3,), (0,) * 3, 2 in (1, 2), (1, 2) == (1, 2), (1, 2) != (2, 1))
print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), () < (0,))
print(t.count(1), (1, 1, 2).count(1), (5, 6, 7).index(6))
try:
    t[0] = 5
except TypeError as e:
    print("TypeError:", e)
inner = ([1],)
inner[0].append(2)
print(inner)
x = 1, 2
y = (1, 2)
print(x == y, type(x).__name__)
print(hash((1, 2)) == hash((1, 2)), {(1, 2): "pt"}[(1, 2)])
try:
    hash(([1],))
except TypeError as e:
    print("TypeError:", e)
print(max((3, 9, 2)), sorted((3, 9, 2)), sum((1, 2, 3)))
