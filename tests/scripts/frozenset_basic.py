f = frozenset([3, 1, 2, 3])
print(f, len(f), 2 in f, type(f).__name__)
print(frozenset(), frozenset("aa") == frozenset(["a"]))
print(f | {7}, f & {1, 2}, f - {1}, type(f | {7}).__name__)
print({4, 5} | frozenset([6]), type({4} | frozenset([6])).__name__)
d = {f: "frozen key"}
print(d[frozenset([1, 2, 3])])
s = {frozenset([1]), frozenset([1]), frozenset([2])}
print(len(s))
print(f == {1, 2, 3}, hash(f) == hash(frozenset([3, 2, 1])))
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError:", e)
print(f.issubset({0, 1, 2, 3, 4}), f.union([5]))
