def failing():
    yield 1
    raise ValueError("inside generator")


g = failing()
print(next(g))
try:
    next(g)
except ValueError as e:
    print("caught:", e)
try:
    next(g)
except StopIteration:
    print("generator is finished after raising")


def guarded():
    for i in range(3):
        try:
            yield i
        finally:
            print("finally", i)


for v in guarded():
    print("value", v)
    if v == 1:
        break
print("after break")


def with_try():
    try:
        yield "a"
        1 // 0
    except ZeroDivisionError:
        yield "handled"


print(list(with_try()))
