sq = lambda x: x * x
print(sq(7))
add = lambda a, b=10: a + b
print(add(1), add(1, 2), add(b=5, a=1))
va = lambda *args, **kw: (args, sorted(kw.items()))
print(va(1, 2, z=3, a=4))
print((lambda: "no args")())
print(sorted(["bb", "a", "ccc"], key=lambda s: len(s)))
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
compose = lambda f, g: lambda x: f(g(x))
print(compose(sq, add)(2))
print((lambda x: (lambda y: x * y))(3)(4))
print(sq.__name__)
