class C:
    def __init__(self):
        self._v = 0

    def getv(self):
        return self._v

    def setv(self, v):
        self._v = v * 2

    v = property(getv, setv)

    def plain(x):
        return x + 1

    plain = staticmethod(plain)

    def which(cls):
        return cls.__name__

    which = classmethod(which)


c = C()
c.v = 5
print(c.v, C.plain(1), c.plain(2), C.which(), c.which())
print(type(C.__dict__["v"]).__name__, type(C.__dict__["plain"]).__name__, type(C.__dict__["which"]).__name__)


class D(C):
    pass


print(D.which(), D().v)
