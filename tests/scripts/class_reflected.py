class Money:
    def __init__(self, cents):
        self.cents = cents

    def __repr__(self):
        return "Money(%d)" % self.cents

    def __add__(self, o):
        if isinstance(o, Money):
            return Money(self.cents + o.cents)
        if isinstance(o, int):
            return Money(self.cents + o)
        return NotImplemented

    def __radd__(self, o):
        print("radd called with", o)
        return self.__add__(o)

    def __sub__(self, o):
        return Money(self.cents - (o.cents if isinstance(o, Money) else o))

    def __rsub__(self, o):
        return Money(o - self.cents)

    def __mul__(self, k):
        return Money(self.cents * k)

    def __rmul__(self, k):
        return Money(self.cents * k * 1)

    def __rtruediv__(self, o):
        return "rtruediv %r / %r" % (o, self)

    def __rfloordiv__(self, o):
        return "rfloordiv"

    def __rmod__(self, o):
        return "rmod"


m = Money(150)
print(m + 50, 50 + m)
print(sum([Money(1), Money(2), Money(3)]))
print(100 - m, m - 100)
print(3 * m, m * 3)
print(1 / m, 1 // m, 1 % m)
try:
    m + "x"
except TypeError as e:
    print("TypeError:", e)
try:
    "x" + m
except TypeError as e:
    print("TypeError:", e)
