def down(n):
    return down(n + 1)


try:
    down(0)
except RecursionError as e:
    print("RecursionError caught")
    print(str(e).startswith("maximum recursion depth exceeded"))
print(issubclass(RecursionError, RuntimeError))


def mutual_a(n):
    return mutual_b(n + 1)


def mutual_b(n):
    return mutual_a(n + 1)


try:
    mutual_a(0)
except RuntimeError as e:
    print("caught as RuntimeError:", type(e).__name__)


def count(n):
    return n if n == 0 else count(n - 1)


print(count(500))
print("still working after recursion errors")
