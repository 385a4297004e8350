log = []


def numbers():
    for i in range(5):
        log.append("produce %d" % i)
        yield i


def squares(src):
    for v in src:
        log.append("square %d" % v)
        yield v * v


pipe = squares(numbers())
print(log)
print(next(pipe))
print(log)
print(next(pipe))
print(log)


def naturals():
    n = 0
    while True:
        yield n
        n += 1


first = []
for v in naturals():
    if v >= 5:
        break
    first.append(v)
print(first)
evens = (n for n in naturals() if n % 2 == 0)
print([next(evens) for _ in range(4)])
