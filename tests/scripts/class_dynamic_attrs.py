class Obj:
    pass


o = Obj()
setattr(o, "a", 1)
print(getattr(o, "a"), o.a)
print(getattr(o, "b", "default"))
print(hasattr(o, "a"), hasattr(o, "b"))
delattr(o, "a")
print(hasattr(o, "a"))
try:
    getattr(o, "a")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(o, "zz")
except AttributeError as e:
    print("AttributeError:", e)
for name in ("x", "y", "z"):
    setattr(o, name, name.upper())
print(vars(o))
print(o.__dict__ is vars(o))
o.__dict__["w"] = "via dict"
print(o.w)
setattr(Obj, "cls_attr", 9)
print(Obj.cls_attr, o.cls_attr)
print(getattr([1, 2, 1], "count")(1), getattr("s", "upper")())
