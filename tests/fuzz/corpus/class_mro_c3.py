class O:
    pass


class A(O):
    pass


class B(O):
    pass


class C(O):
    pass


class D(O):
    pass


class E(O):
    pass


class K1(A, B, C):
    pass


class K2(D, B, E):
    pass


class K3(D, A):
    pass


class Z(K1, K2, K3):
    pass


print([k.__name__ for k in Z.__mro__])
try:
    class Bad(A, K1):
        pass
except TypeError:
    print("TypeError: inconsistent MRO for Bad(A, K1)")


class Mixin:
    def hello(self):
        return "mixin hello via " + type(self).__name__


class Thing:
    pass


class Both(Mixin, Thing):
    pass


print(Both().hello(), [k.__name__ for k in Both.__mro__])
