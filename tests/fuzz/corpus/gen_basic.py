def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


print(list(count_up(5)))
g = count_up(2)
print(next(g))
print(next(g))
try:
    next(g)
except StopIteration:
    print("StopIteration")
print(list(g))


def gen_with_print():
    print("start")
    yield 1
    print("middle")
    yield 2
    print("end")


for v in gen_with_print():
    print("got", v)
print(type(count_up(1)).__name__)
g = count_up(3)
print(iter(g) is g)
print(sum(count_up(101)))
