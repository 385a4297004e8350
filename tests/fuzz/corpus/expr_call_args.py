def f(a, b, c=3, *args, d, e=5, **kw):
    return (a, b, c, args, d, e, sorted(kw.items()))


print(f(1, 2, d=4))
print(f(1, 2, 30, 40, 50, d=4, e=6, x=7, y=8))
print(f(*[1, 2], d=0))
print(f(*(1, 2, 3, 4), **{"d": 9, "z": 0}))
print(f(1, *[2, 3], 4, *[5], d=6, **{"e": 7}, **{"q": 8}))
print(f(b=2, a=1, d=3))
args = (10, 20)
kwargs = {"d": 30}
print(f(*args, **kwargs))


def g(*, only):
    return only


print(g(only="kw"))
print(max(3, 7, 1), max([3, 7, 1]), max(*[3, 7, 1]))
