class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)

    def __floordiv__(self, k):
        return Vec(self.x // k, self.y // k)

    def __mod__(self, k):
        return Vec(self.x % k, self.y % k)

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)


a, b = Vec(1, 2), Vec(10, 20)
print(a + b, b - a, a * 3, b / 4, b // 3, b % 3, -a)
print(a + b == Vec(11, 22))
c = a
c += b
print(c, a)
c *= 2
print(c)
print(-(-a))
