class A:
    pass


a = A()
print(type(a), type(A), type(type))
print(type(a) is A, type(A) is type)
b = type(a)()
print(type(b).__name__)
Dyn = type("Dyn", (A,), {"x": 5, "get": lambda self: self.x * 2})
d = Dyn()
print(Dyn.__name__, d.x, d.get(), isinstance(d, A))
print([c.__name__ for c in Dyn.__mro__])
print(type(1), type("s"), type(1.5), type([]), type(()), type({}), type(None))
print(type(range(1)).__name__, type(iter([])).__name__ == "list_iterator")
