def f(a, b):
    return a + b


tests = [
    lambda: f(1),
    lambda: f(1, 2, 3),
    lambda: f(1, 2, c=3),
    lambda: f(1, a=1),
    lambda: f(),
]
for t in tests:
    try:
        t()
    except TypeError as e:
        print("TypeError:", e)


def h(*, k):
    return k


try:
    h()
except TypeError as e:
    print("TypeError:", e)
nothing = None
five = 5
try:
    nothing()
except TypeError as e:
    print("TypeError:", e)
try:
    five(1)
except TypeError as e:
    print("TypeError:", e)
