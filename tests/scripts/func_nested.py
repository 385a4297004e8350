def outer(x):
    def middle(y):
        def inner(z):
            return x + y + z
        return inner
    return middle


print(outer(1)(2)(3))


def make_ops():
    def add(a, b):
        return a + b

    def mul(a, b):
        return a * b

    return {"add": add, "mul": mul}


ops = make_ops()
print(ops["add"](2, 3), ops["mul"](2, 3))
print(ops["add"].__name__)


def apply(func, *args):
    return func(*args)


print(apply(max, 3, 9, 4), apply(len, "four"))
print(callable(outer), callable(5))
