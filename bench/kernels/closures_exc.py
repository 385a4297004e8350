# Closures (reads and nonlocal writes) and raising/catching exceptions.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def make_counter(step):
    count = 0

    def bump():
        nonlocal count
        count += step
        return count
    return bump


def make_adder(k):
    def add(x):
        return x + k
    return add


class Invalid(Exception):
    pass


def check(v):
    if v % 5 == 0:
        raise Invalid(v)
    return v


n = int(2_100_000 * scale)
bump = make_counter(3)
add7 = make_adder(7)
acc = 0
caught = 0
for i in range(n):
    acc += add7(bump()) % 11
    try:
        acc += check(i)
    except Invalid:
        caught += 1
    except KeyError:
        acc -= 1
print("closures_exc", n, acc % 1000000007, caught)
