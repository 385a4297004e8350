l = [1, 2, 3, 2, 1, 2]
print(l.count(2), l.count(9), l.index(2), l.index(2, 2), l.index(1, 1))
l.remove(2)
print(l)
try:
    l.remove(9)
except ValueError as e:
    print("ValueError:", e)
try:
    l.index(9)
except ValueError as e:
    print("ValueError:", e)
print([1, 1.0, True].count(1), ["a", "A"].count("a"))
print([[1], [1], [2]].count([1]), [(1, 2), (1, 2)].index((1, 2)))
