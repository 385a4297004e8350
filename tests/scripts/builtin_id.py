a = [1, 2]
b = a
c = [1, 2]
print(id(a) == id(b), id(a) == id(c), id(a) == id(a))
print(type(id(a)).__name__)


class T:
    pass


t = T()
print(id(t) == id(t), id(T()) is not None)
x = None
print(id(x) == id(None))
