def f(a, b=1):
    return a


print(f.__name__)
g = f
print(g.__name__, g is f, g(5))


def h():
    pass


h.custom = "attr"
print(h.custom)
print(type(f).__name__)
funcs = [f, h]
print([fn.__name__ for fn in funcs])
