def square(x):
    return x * x


def twice(fn, x):
    return fn(fn(x))


print(twice(square, 3))
table = {"sq": square, "neg": lambda v: -v, "abs": abs}
for name in ("sq", "neg", "abs"):
    print(name, table[name](-4))
print(list(map(square, [1, 2, 3])))
print(sorted([-3, 1, -2], key=abs))
pipeline = [square, lambda v: v + 1, str]
v = 3
for step in pipeline:
    v = step(v)
print(repr(v))
