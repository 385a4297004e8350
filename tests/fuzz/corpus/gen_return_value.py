def g():
    yield 1
    return "result"


it = g()
next(it)
try:
    next(it)
except StopIteration as e:
    print("value:", e.value, "args:", e.args)


def empty():
    return 5
    yield


try:
    next(empty())
except StopIteration as e:
    print("value:", e.value)


def none_ret():
    yield 1


it = none_ret()
next(it)
try:
    next(it)
except StopIteration as e:
    print("value:", e.value, "args:", e.args)
