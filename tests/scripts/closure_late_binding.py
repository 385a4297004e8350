fs = []
for i in range(3):
    def f():
        return i
    fs.append(f)
print([f() for f in fs])
i = 10
print([f() for f in fs])


def make():
    out = []
    for j in range(3):
        out.append(lambda: j)
    j = 99
    return out


print([g() for g in make()])


def make_bound():
    return [(lambda j=j: j) for j in range(3)]


print([g() for g in make_bound()])


def outer():
    x = 1

    def get():
        return x
    x = 2
    return get


print(outer()())
