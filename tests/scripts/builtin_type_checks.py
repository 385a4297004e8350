values = [1, 1.5, "s", b"b", [1], (1,), {1: 2}, {1}, frozenset([1]), None, True, range(2)]
for v in values:
    print(type(v).__name__, type(v) is type(v), isinstance(v, object))
print(type(int), type(type(1)) is type)
print(isinstance(1, int), isinstance(True, (str, int)), isinstance("x", (list, tuple)))
print(issubclass(bool, int), issubclass(int, (str, object)), issubclass(float, int))
