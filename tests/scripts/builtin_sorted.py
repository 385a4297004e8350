data = [5, 2, 8, 1]
print(sorted(data), data)
print(sorted(data, reverse=True), sorted("zyx"), sorted((3, 1)), sorted({3: "a", 1: "b"}))
print(sorted(["b", "A", "c"]), sorted(["b", "A", "c"], key=str.lower))
people = [("amy", 30), ("bob", 25), ("cat", 30), ("dan", 25)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(sorted([]), sorted(range(5), key=lambda v: -v))
print(sorted([0.5, -2, 3, 1.5]), sorted([[2], [1, 5], [1]]))
print(sorted(x % 5 for x in range(12)))
