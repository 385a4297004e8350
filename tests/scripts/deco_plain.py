calls = []


def logged(fn):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


@logged
def add(a, b):
    return a + b


@logged
def hello(name="x"):
    return "hello " + name


print(add(1, 2), hello(), hello(name="y"))
print(calls)
print(add.__name__)


def register(fn):
    registry.append(fn.__name__)
    return fn


registry = []


@register
def one():
    return 1


@register
def two():
    return 2


print(registry, one(), two())
