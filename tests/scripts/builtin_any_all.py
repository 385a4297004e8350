print(any([]), all([]), any([0, 0]), any([0, 1]), all([1, 1]), all([1, 0]))
print(any(x > 5 for x in range(10)), all(x < 5 for x in range(10)))
print(any("abc"), all(["a", ""]), any({0: 1}), all({1: 0}))
seen = []


def check(v):
    seen.append(v)
    return v > 2


print(any(check(v) for v in [1, 3, 5]), seen)
seen.clear()
print(all(check(v) for v in [3, 1, 5]), seen)
