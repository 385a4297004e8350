class P:
    def __init__(self, x):
        self.x = x

    def __eq__(self, other):
        if not isinstance(other, P):
            return NotImplemented
        return self.x == other.x


a, b, c = P(1), P(1), P(2)
print(a == b, a == c, a != b, a != c)
print(a == 1, 1 == a, a != "x")
print(a in [P(0), P(1)], [a] == [b])
print(a is b)


class Plain:
    pass


p = Plain()
q = Plain()
print(p == p, p == q, p != q)


class AlwaysEq:
    def __eq__(self, other):
        return True


print(AlwaysEq() == 5, 5 == AlwaysEq(), AlwaysEq() != 5)
