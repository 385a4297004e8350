print(hash(1) == hash(1.0) == hash(True))
print(hash("text") == hash("te" + "xt"))
print(hash((1, 2, 3)) == hash((1, 2) + (3,)))
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
print(hash(None) == hash(None), hash(b"x") == hash(b"x"))
print(hash(7), hash(-7), hash(0.5), hash(10 ** 20))
for bad in ([1], {1: 2}, {1}):
    try:
        hash(bad)
    except TypeError as e:
        print("TypeError:", e)
print(type(hash("s")).__name__)
