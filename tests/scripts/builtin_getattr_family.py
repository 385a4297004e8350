class C:
    a = 1

    def m(self):
        return "m"


c = C()
print(getattr(c, "a"), getattr(c, "b", "dflt"), getattr(c, "m")(), hasattr(c, "m"))
setattr(c, "b", 2)
print(c.b, hasattr(c, "b"))
delattr(c, "b")
print(hasattr(c, "b"), getattr(c, "b", None))
name = "dyn" + "amic"
setattr(C, name, "class level")
print(c.dynamic, getattr(C, name))
try:
    getattr(c, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(c, 5)
except TypeError as e:
    print("TypeError:", e)
print(hasattr([], "append"), hasattr([], "nope"), getattr("abc", "upper")())
