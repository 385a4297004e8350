# UnicodeDecodeError / UnicodeEncodeError carry encoding, object, start,
# end and reason, and str() describes the failure as CPython does.
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print(str(e))
    print(e.encoding, e.object, e.start, e.end, e.reason)
try:
    b"ab\xe2\x82".decode("utf-8")
except UnicodeDecodeError as e:
    print(str(e))
    print(e.encoding, e.object, e.start, e.end, e.reason)
try:
    "a\xe9".encode("ascii")
except UnicodeEncodeError as e:
    print(str(e))
    print(e.encoding, repr(e.object), e.start, e.end, e.reason)
e = UnicodeDecodeError("utf-8", b"ab\xff\xfe", 2, 4, "bad")
print(str(e), e.args, e.start, e.end, e.reason, e.object)
e = UnicodeEncodeError("latin-1", "x\u20ac\u20acy", 1, 3, "nope")
print(str(e), e.encoding, e.object, e.start, e.end)
e = UnicodeEncodeError("ascii", "\u20ac", 0, 1, "r")
print(str(e), isinstance(e, UnicodeError), isinstance(e, ValueError))
try:
    UnicodeDecodeError("utf-8")
except TypeError as e:
    print(e)
