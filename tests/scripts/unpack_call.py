a = [1, 2]
b = (3, 4)
print([*a, *b], (*a, *b), {*a, *b})
print([0, *a, 5, *b, 9])
d1 = {"x": 1, "y": 2}
d2 = {"y": 20, "z": 30}
print({**d1, **d2})
print({**d1, "w": 0, **d2, "x": 100})
print(*a, *b, sep="-")


def show(*args, **kwargs):
    print(args, kwargs)


show(*a, *"cd", **d1, **{"k": 0})
show()
print(*[], "only")
print(*range(3))
