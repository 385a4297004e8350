def describe(exc):
    parts = []
    while exc is not None:
        if exc.__cause__ is not None:
            link = "cause"
            nxt = exc.__cause__
        elif exc.__context__ is not None and not exc.__suppress_context__:
            link = "context"
            nxt = exc.__context__
        else:
            link = "end"
            nxt = None
        parts.append("%r[%s]" % (exc, link))
        exc = nxt
    return " -> ".join(parts)


def step1():
    raise ValueError("step1")


def step2():
    try:
        step1()
    except ValueError as e:
        raise KeyError("step2") from e


def step3():
    try:
        step2()
    except KeyError:
        raise RuntimeError("step3")


def step4():
    try:
        step3()
    except RuntimeError:
        raise TypeError("step4") from None


for fn in (step1, step2, step3, step4):
    try:
        fn()
    except Exception as e:
        print(fn.__name__ + ":", describe(e))
try:
    step4()
except TypeError as e:
    print(repr(e.__context__), repr(e.__context__.__context__), repr(e.__context__.__context__.__cause__))
