print(hash(0), hash(1), hash(-1), hash(-2), hash(42), hash(-42))
print(hash(2 ** 61 - 1), hash(2 ** 61), hash(2 ** 62), hash(-(2 ** 61)))
print(hash(2 ** 100), hash(-(2 ** 100)), hash(10 ** 30))
print(hash(True), hash(False))
print(hash(1.0) == hash(1), hash(2.5), hash(-0.5), hash(0.0))
print(hash(1e100) == hash(int(1e100)))
print(hash(2 ** 64) == hash(float(2 ** 64)))
d = {1: "int"}
d[1.0] = "float"
d[True] = "bool"
print(d)
