print(range(5), range(1, 5), range(0, 10, 2), range(5, 0, -1))
print(list(range(5)), list(range(2, 8, 3)), list(range(5, 0, -2)), list(range(0)))
print(list(range(-3, 3)), list(range(3, -3)), list(range(10, 0, -3)))
r = range(0, 20, 3)
print(len(r), r[0], r[-1], r[2], r[1:3], r[::-1], r[::2])
print(9 in r, 10 in r, r.index(9), r.count(9), r.count(10))
print(range(0) == range(2, 2), range(0, 3) == range(3), range(1, 2) == range(1, 3))
print(len(range(0, 10 ** 6, 7)), range(0, 10 ** 6, 7)[-1])
print(sum(range(101)), max(range(7)), list(reversed(range(4))))
print(range(3).start, range(3).stop, range(1, 9, 2).step)
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(5)[10]
except IndexError as e:
    print("IndexError:", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError:", e)
