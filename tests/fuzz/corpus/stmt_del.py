x = 1
del x
try:
    print(x)
except NameError as e:
    print("NameError:", e)
l = [0, 1, 2, 3, 4, 5]
del l[0]
print(l)
del l[1:3]
print(l)
del l[::2]
print(l)
d = {"a": 1, "b": 2}
del d["a"]
print(d)


class C:
    pass


c = C()
c.attr = 5
del c.attr
print(hasattr(c, "attr"))
a, b = 1, 2
del a, b
try:
    print(a)
except NameError as e:
    print("NameError:", e)
try:
    del d["missing"]
except KeyError as e:
    print("KeyError:", e)
