def f():
    def g():
        return v
    try:
        g()
    except NameError as e:
        print(type(e).__name__, e)
    v = 1
    return g()


print(f())
x = "global"


def h():
    print(x)
    x = "local"


try:
    h()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
print(issubclass(UnboundLocalError, NameError))
