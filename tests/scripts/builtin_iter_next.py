it = iter([1, 2, 3])
print(next(it), next(it), next(it), next(it, "end"))
s = iter("ab")
print(list(s), list(s))
d = iter({"x": 1, "y": 2})
print(next(d), next(d))
print(iter(it) is it)
try:
    next(iter([]))
except StopIteration:
    print("StopIteration")
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)
r = iter(range(3))
total = 0
while True:
    try:
        total += next(r)
    except StopIteration:
        break
print(total)
t = iter((5, 6))
print(next(t), next(t, None), next(t, None))
