def a():
    raise ValueError("one")


def b():
    try:
        a()
    except ValueError as e:
        raise KeyError("two") from e


def c():
    try:
        b()
    except KeyError:
        raise RuntimeError("three")


c()
