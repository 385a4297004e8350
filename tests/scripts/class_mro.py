class A:
    def who(self):
        return "A"


class B(A):
    def who(self):
        return "B>" + super().who()


class C(A):
    def who(self):
        return "C>" + super().who()


class D(B, C):
    def who(self):
        return "D>" + super().who()


print([k.__name__ for k in D.__mro__])
print(D().who())


class E(C, B):
    pass


print([k.__name__ for k in E.__mro__])
print(E().who())
print(D.__mro__[-1] is object)
print([k.__name__ for k in bool.__mro__])
