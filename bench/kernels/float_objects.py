# Floats inside objects: points created, normalised and folded into a
# maximum, with arithmetic on instance attributes and many short-lived
# float and instance allocations.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


class Point:
    def __init__(self, i):
        f = i * 0.001
        self.x = x = 1.0 - f * f * 0.5 + f * f * f * f / 24.0
        self.y = f - f * f * f / 6.0 + f * f * f * f * f / 120.0
        self.z = x * 3.0 - f

    def normalize(self):
        norm = (self.x * self.x + self.y * self.y + self.z * self.z) ** 0.5
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def benchmark(n):
    points = [Point(i) for i in range(n)]
    for p in points:
        p.normalize()
    best = points[0]
    for p in points[1:]:
        best = best.maximize(p)
    return best


rounds = max(1, int(28 * scale + 0.5))
acc = 0.0
for r in range(rounds):
    best = benchmark(20_000)
    acc += best.x + best.y + best.z
print("float_objects", rounds, "%.9f" % acc)
