o = object()
print(type(o).__name__, isinstance(o, object))
try:
    o.x = 1
except AttributeError as e:
    print("AttributeError:", e)
print(o == o, o != object())


class Sub(object):
    pass


s = Sub()
s.x = 1
print(s.x, Sub.__bases__ == (object,))
print(issubclass(int, object), issubclass(type, object), isinstance(type, object))
print(object.__name__)
print(str(s) == repr(s))
