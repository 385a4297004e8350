class A:
    def __eq__(self, other):
        print("A.__eq__")
        return NotImplemented

    def __add__(self, other):
        print("A.__add__")
        return NotImplemented


class B:
    def __eq__(self, other):
        print("B.__eq__")
        return True

    def __radd__(self, other):
        print("B.__radd__")
        return "B wins"


print(A() == B())
print(A() + B())
print(A() == A())
try:
    A() + A()
except TypeError as e:
    print("TypeError:", e)
print(NotImplemented)
print(type(NotImplemented).__name__)


class Base:
    def __add__(self, other):
        return "Base.__add__"


class Sub(Base):
    def __radd__(self, other):
        return "Sub.__radd__ is tried first"


print(Base() + Sub())
print(Base() + Base())
