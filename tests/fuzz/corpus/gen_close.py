def g():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")


it = g()
print(next(it))
it.close()
print("closed")
try:
    next(it)
except StopIteration:
    print("StopIteration after close")
it.close()
fresh = g()
fresh.close()
print("closing an unstarted generator runs nothing")


def catcher():
    try:
        yield 1
    except GeneratorExit:
        print("got GeneratorExit")
        raise


c = catcher()
next(c)
c.close()


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    print("RuntimeError:", e)
print(issubclass(GeneratorExit, Exception), issubclass(GeneratorExit, BaseException))
