def repeat(times):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return deco


@repeat(3)
def ping(x):
    return "ping" + str(x)


print(ping(1))


def tag(name, sep=":"):
    def deco(fn):
        def wrapper(*a, **k):
            return name + sep + str(fn(*a, **k))
        return wrapper
    return deco


@tag("result")
def compute(a, b):
    return a * b


@tag("other", sep="=")
def other():
    return None


print(compute(6, 7), other())
