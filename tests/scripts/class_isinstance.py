class A:
    pass


class B(A):
    pass


class C:
    pass


b = B()
print(isinstance(b, B), isinstance(b, A), isinstance(b, C), isinstance(b, object))
print(isinstance(b, (C, A)), isinstance(b, (C, int)))
print(issubclass(B, A), issubclass(A, B), issubclass(B, (C, A)), issubclass(A, A))
print(isinstance(True, int), isinstance(1, bool), issubclass(bool, int))
print(isinstance(1, (int, float)), isinstance(1.0, int))
print(isinstance("s", str), isinstance(b"s", str), isinstance([], list))
print(isinstance(ValueError(), Exception), issubclass(KeyError, LookupError))
print(isinstance(A, type), isinstance(b, type), issubclass(type, object))
try:
    issubclass(b, A)
except TypeError as e:
    print("TypeError:", e)
