print(sum(x * x for x in range(10)))
print(max(len(w) for w in ["a", "abc", "ab"]))
g = (x * 2 for x in range(3))
print(next(g), next(g), next(g))
print(list(g))
print(list(x for x in "hey"))
print(any(x > 3 for x in [1, 2, 5]), all(x > 0 for x in [1, 2, -1]))
print(tuple(i for i in range(4) if i != 2))
print(",".join(str(i) for i in range(5)))
log = []


def src():
    for i in range(3):
        log.append(i)
        yield i


lazy = (v * 10 for v in src())
print(log)
print(next(lazy), log)
print(sorted((i for i in range(5)), reverse=True))
