def bad():
    yield 1
    raise StopIteration("oops")


g = bad()
print(next(g))
try:
    next(g)
except RuntimeError as e:
    print("RuntimeError:", e)
    print("cause:", repr(e.__cause__))


def uses_next():
    it = iter([])
    yield next(it)


try:
    list(uses_next())
except RuntimeError as e:
    print("RuntimeError:", e)
