def pair():
    value = 0

    def get():
        return value

    def put(v):
        nonlocal value
        value = v
    return get, put


get, put = pair()
print(get())
put(42)
print(get())
get2, put2 = pair()
put2(7)
print(get(), get2())


def deep():
    a = 1

    def l1():
        b = 2

        def l2():
            c = 3

            def l3():
                return a + b + c
            return l3
        return l2
    return l1


print(deep()()()())


def shadowing():
    x = "outer"

    def inner():
        x = "inner"
        return x
    return inner(), x


print(shadowing())
