# Python-to-Python function calls: recursion, positional, default and keyword arguments.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def add3(a, b, c=1):
    return a + b + c


def kw(x, *, y=2):
    return x * y


n = int(1_800_000 * scale)
acc = fib(22)
for i in range(n):
    acc += add3(i, 1) + add3(i, 2, 3) + kw(i, y=3) - kw(i)
    acc %= 1000000007
print("func_calls", n, acc)
