class Tol:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        print("__eq__")
        return abs(self.v - other.v) < 1

    def __ne__(self, other):
        print("__ne__")
        return abs(self.v - other.v) >= 1


a, b, c = Tol(1.0), Tol(1.5), Tol(3.0)
print(a == b, a != b)
print(a == c, a != c)


class EqOnly:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return self.v == other.v


print(EqOnly(1) != EqOnly(1), EqOnly(1) != EqOnly(2))


class Contrary:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return True


print(Contrary() == 1, Contrary() != 1)
