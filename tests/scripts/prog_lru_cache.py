# An LRU cache on dict insertion order, with hit/miss statistics.


class LRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}
        self.hits = 0
        self.misses = 0

    def get(self, key, compute):
        if key in self.data:
            self.hits += 1
            value = self.data.pop(key)
            self.data[key] = value
            return value
        self.misses += 1
        value = compute(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            oldest = next(iter(self.data))
            del self.data[oldest]
        return value

    def __repr__(self):
        return "LRU(%s)" % list(self.data)


cache = LRU(3)
for k in [1, 2, 3, 1, 4, 2, 5, 1, 1, 3]:
    cache.get(k, lambda v: v * v)
    print(k, cache)
print("hits", cache.hits, "misses", cache.misses)
memo = LRU(100)


def slow_fib(n):
    if n < 2:
        return n
    return memo.get(n - 1, slow_fib) + memo.get(n - 2, slow_fib)


print(slow_fib(60), memo.hits, memo.misses, len(memo.data))
