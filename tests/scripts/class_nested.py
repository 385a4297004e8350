class Outer:
    class Inner:
        def __init__(self, v):
            self.v = v

        def get(self):
            return self.v

    def make(self):
        return Outer.Inner(42)


print(Outer().make().get())
print(Outer.Inner.__name__)
i = Outer.Inner(1)
print(type(i).__name__)


def factory(base_value):
    class Local:
        value = base_value

        def show(self):
            return "Local with %d" % self.value
    return Local


L1 = factory(1)
L2 = factory(2)
print(L1().show(), L2().show(), L1 is L2)


class Counter:
    total = 0
    items = [total + i for i in range(3)] if False else [0, 1, 2]
    doubled = total * 2


print(Counter.items, Counter.doubled)
