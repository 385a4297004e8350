# Generators: a pipeline of generator functions, a generator expression, yield from.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def numbers(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(src):
    for v in src:
        if v % 2 == 0:
            yield v


def chunks(n, size):
    for start in range(0, n, size):
        yield from numbers(size)


n = int(6_000_000 * scale)
acc = 0
for v in evens(numbers(n)):
    acc += v
acc += sum(x * 3 for x in numbers(n // 4))
acc += sum(chunks(n // 4, 100))
print("generators", n, acc)
