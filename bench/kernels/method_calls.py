# Method calls on class instances, including an inherited method and super().
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


class Counter:
    def __init__(self):
        self.n = 0

    def inc(self, by):
        self.n += by
        return self.n

    def get(self):
        return self.n


class Stepper(Counter):
    def inc(self, by):
        return super().inc(by * 2)

    def reset_if(self, limit):
        if self.n > limit:
            self.n -= limit


n = int(1_450_000 * scale)
c = Counter()
s = Stepper()
acc = 0
for i in range(n):
    c.inc(i & 7)
    s.inc(1)
    s.reset_if(1000)
    acc += c.get() - s.get()
print("method_calls", n, acc % 1000000007, c.get(), s.get())
