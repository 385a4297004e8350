l = [5, 2, 9, 1, 5, 6]
l.sort()
print(l)
l.sort(reverse=True)
print(l)
words = ["banana", "Apple", "cherry", "date", "Fig"]
print(sorted(words))
print(sorted(words, key=len))
print(sorted(words, key=str.lower))
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
print(sorted([3.5, 1, 2.25, -1]), sorted("hello"), sorted((3, 1, 2)))
print(sorted({"b": 1, "a": 2}), sorted({"b": 1, "a": 2}.items(), key=lambda kv: kv[1]))
n = [1, 2, 3]
print(n.sort(), n)
print(sorted([[2, 1], [1, 2], [1, 1]]), sorted([(1, "b"), (1, "a"), (0, "z")]))
try:
    [1, "a"].sort()
except TypeError as e:
    print("TypeError:", e)
