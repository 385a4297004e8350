class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, o):
        return (self.x, self.y) == (o.x, o.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return "Point(%d, %d)" % (self.x, self.y)


pts = [Point(1, 2), Point(1, 2), Point(3, 4)]
uniq = []
seen = set()
for p in pts:
    if p not in seen:
        seen.add(p)
        uniq.append(p)
print(uniq)
print({Point(0, 0): "origin"}[Point(0, 0)])
print(pts.count(Point(1, 2)), pts.index(Point(3, 4)))
print(Point(1, 2) in pts, Point(9, 9) in pts)
