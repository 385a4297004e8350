print(list(enumerate("abc")))
print(list(enumerate("abc", 1)), list(enumerate(["x"], start=10)))
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
e = enumerate([7, 8])
print(next(e), next(e), next(e, "done"))
print(dict(enumerate("xy")), list(enumerate([])))
print(list(enumerate(range(3), -1)))
