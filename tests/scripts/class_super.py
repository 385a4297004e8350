class Base:
    def __init__(self, value):
        self.value = value
        print("Base.__init__", value)

    def show(self):
        return "Base(%s)" % self.value

    @classmethod
    def make(cls):
        return cls(0)


class Child(Base):
    def __init__(self, value, extra="none"):
        super().__init__(value)
        self.extra = extra
        print("Child.__init__", extra)

    def show(self):
        return "Child[" + super().show() + "]"

    @classmethod
    def make(cls):
        obj = super().make()
        obj.extra = "made"
        return obj


c = Child(1, "x")
print(c.show())
m = Child.make()
print(type(m).__name__, m.value, m.extra)


class Explicit(Base):
    def show(self):
        return "Explicit/" + super(Explicit, self).show()


print(Explicit(7).show())


class GrandChild(Child):
    def show(self):
        return "GC{" + super().show() + "}"


print(GrandChild(2, "y").show())
