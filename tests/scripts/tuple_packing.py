def minmax(seq):
    return min(seq), max(seq)


lo, hi = minmax([4, 8, 1])
print(lo, hi)
point = 3, 4
x, y = point
print(x * y)
pairs = [(1, "one"), (2, "two")]
for num, name in pairs:
    print(num, name)
swap = (1, 2)
swap = swap[1], swap[0]
print(swap)
nested = ((1, 2), (3, 4))
(a, b), (c, d) = nested
print(a + b + c + d)
print(tuple(i * i for i in range(4)))
single = ("only",)
print(single, len(single), ("not a tuple"))
