def outer():
    x = 0

    def inc():
        nonlocal x
        x += 1
        return x

    inc()
    inc()
    return x, inc


x, f = outer()
print(x, f(), f())


def a():
    v = "a"

    def b():
        def c():
            nonlocal v
            v = "set by c"

        c()

    b()
    return v


print(a())


def two():
    p = q = 0

    def set_both():
        nonlocal p, q
        p, q = 1, 2

    set_both()
    return p, q


print(two())
