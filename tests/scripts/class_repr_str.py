class Both:
    def __repr__(self):
        return "Both()"

    def __str__(self):
        return "a Both"


class ReprOnly:
    def __repr__(self):
        return "ReprOnly<1>"


class StrOnly:
    def __str__(self):
        return "just str"


b = Both()
print(b, repr(b), str(b))
print([b], (b,), {"k": b})
r = ReprOnly()
print(r, str(r), [r])
s = StrOnly()
print(s, str(s))
print(repr(s).startswith("<__main__.StrOnly object at "))
print("%s %r" % (b, b))
print("{} {!r}".format(b, b))
print(f"{b} {b!r}")
