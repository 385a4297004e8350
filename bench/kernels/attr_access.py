# Attribute reads and writes on instances and a class attribute.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


class Point:
    dims = 3

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


n = int(2_400_000 * scale)
p = Point(1, 2, 3)
q = Point(4, 5, 6)
acc = 0
for i in range(n):
    p.x = (q.y + i) & 0xFFFF
    q.y = p.z + (i & 15)
    p.z = p.x - q.x
    acc += p.x + q.y + p.z + p.dims
acc %= 1000000007
print("attr_access", n, acc, p.x, q.y, p.z)
