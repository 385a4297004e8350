def bold(fn):
    def w():
        return "<b>" + fn() + "</b>"
    return w


def italic(fn):
    def w():
        return "<i>" + fn() + "</i>"
    return w


@bold
@italic
def text():
    return "hi"


print(text())
order = []


def mark(label):
    order.append("factory " + label)

    def deco(fn):
        order.append("apply " + label)
        return fn
    return deco


@mark("outer")
@mark("inner")
def f():
    return "f"


print(order, f())


class Counter:
    def __init__(self, fn):
        self.fn = fn
        self.count = 0

    def __call__(self, *args):
        self.count += 1
        return self.fn(*args)


@Counter
def double(x):
    return 2 * x


print(double(4), double(5), double.count)
