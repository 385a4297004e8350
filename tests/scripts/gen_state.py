def g():
    yield 1


it = g()
print(list(it), list(it))
it2 = g()
for v in it2:
    print("first pass", v)
for v in it2:
    print("never")
print("exhausted generators stay exhausted")


def reentrant():
    yield me_next()


def me_next():
    return next(gen)


gen = reentrant()
try:
    next(gen)
except ValueError as e:
    print("ValueError:", e)


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


f = fib()
print([next(f) for _ in range(12)])
