class Point:
    dims = 2

    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
print(p.x, p.y, p.dims, Point.dims)
p.x = 10
p.z = 3
print(p.x, p.z)
print("abc".upper().lower().title())
q = Point(Point(1, 2), 0)
print(q.x.y)
