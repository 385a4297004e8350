class Counter:
    def __init__(self):
        self.n = 0

    def inc(self, by=1):
        self.n += by
        return self.n


c = Counter()
m = c.inc
m()
m(5)
print(c.n)
print(m.__self__ is c, m.__func__ is Counter.inc)
print(c.inc == c.inc, c.inc == Counter().inc)
print(Counter.inc(c, 10))
fns = [c.inc, c.inc]
for f in fns:
    f()
print(c.n)
print(type(m).__name__, type(Counter.inc).__name__)


class Holder:
    pass


h = Holder()
h.fn = lambda x: x * 2
print(h.fn(21))
