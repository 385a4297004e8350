x = "outer"
r = [x for x in range(3)]
print(x, r)
n = 10
print([n + i for i in range(3)])


def f():
    k = 5
    return [k * i for i in range(3)]


print(f())
fs = [lambda: i for i in range(3)]
print([g() for g in fs])
gs = [lambda i=i: i for i in range(3)]
print([g() for g in gs])


class C:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]


print(C.doubled)
