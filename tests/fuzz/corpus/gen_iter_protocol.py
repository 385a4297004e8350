class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        n = self.start
        while n > 0:
            yield n
            n -= 1


c = Countdown(3)
print(list(c), list(c))
print(sorted(c), max(c), 2 in c)
a, b, cc = Countdown(3)
print(a, b, cc)


def pairs(seq):
    it = iter(seq)
    for x in it:
        yield x, next(it, None)


print(list(pairs([1, 2, 3, 4, 5])))
print(dict(pairs("aAbB")))
print(list(enumerate(Countdown(2))))
print(list(zip(Countdown(3), "xyz")))
