class C:
    shared = []
    count = 0

    def __init__(self):
        C.count += 1
        self.own = []


a = C()
b = C()
a.shared.append(1)
a.own.append(2)
print(b.shared, b.own, C.count)
a.count = 100
print(a.count, b.count, C.count)
del a.count
print(a.count)
C.new_attr = "added later"
print(a.new_attr, b.new_attr)
print(hasattr(a, "own"), hasattr(C, "own"))
print(sorted(a.__dict__), sorted(vars(b)))
