class Suppress:
    def __init__(self, *types):
        self.types = types

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            print("clean exit")
            return False
        print("exit saw", exc_type.__name__, exc)
        return issubclass(exc_type, self.types)


with Suppress(ValueError):
    raise ValueError("suppressed")
print("continues after suppressed error")
try:
    with Suppress(ValueError):
        raise KeyError("not suppressed")
except KeyError as e:
    print("propagated:", repr(e))
with Suppress(Exception):
    pass


class Logger:
    def __enter__(self):
        print("enter")

    def __exit__(self, t, v, tb):
        print("exit with", t.__name__ if t else None)


def f():
    with Logger():
        return "returned from inside with"


print(f())
for i in range(3):
    with Logger():
        if i == 1:
            break
print("loop broke at", i)


class FailEnter:
    def __enter__(self):
        raise RuntimeError("enter failed")

    def __exit__(self, *a):
        print("never called")


try:
    with FailEnter():
        print("never")
except RuntimeError as e:
    print("RuntimeError:", e)
