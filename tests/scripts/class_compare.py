class V:
    def __init__(self, n):
        self.n = n

    def __lt__(self, o):
        return self.n < o.n

    def __le__(self, o):
        return self.n <= o.n

    def __gt__(self, o):
        return self.n > o.n

    def __ge__(self, o):
        return self.n >= o.n

    def __repr__(self):
        return "V(%d)" % self.n


a, b = V(1), V(2)
print(a < b, a <= b, a > b, a >= b)
print(sorted([V(3), V(1), V(2)]))
print(max([V(3), V(5), V(2)]), min(V(4), V(0)))


class OnlyLt:
    def __init__(self, n):
        self.n = n

    def __lt__(self, o):
        return self.n < o.n


print(OnlyLt(1) > OnlyLt(0))
print(OnlyLt(5) > OnlyLt(9))
try:
    OnlyLt(1) <= OnlyLt(2)
except TypeError as e:
    print("TypeError:", e)
try:
    V(1) < 5
except AttributeError as e:
    print("AttributeError")
