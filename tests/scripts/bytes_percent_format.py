# bytes % args (PEP 461): numbers as str % formats them, %s/%b take
# bytes-like objects or __bytes__, %r/%a give ascii(), %c a byte.


def check(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


class B:
    def __bytes__(self):
        return b"<B>"


class Bad:
    def __bytes__(self):
        return "str"


print(b"%d %s %x %5.2f %r %%" % (42, b"hi", 255, 3.14159, "q"))
print(b"%s" % b"x", b"%b" % bytearray(b"ba"), b"%s|%b" % (B(), B()))
print(b"%(k)s=%(n)05d" % {b"k": b"key", b"n": 7}, b"%(a)s%(a)s" % {b"a": b"!"})
print(b"%r %a" % ("\xe9", b"x"), b"%a" % [1, "\u20ac"], b"%r" % 1.5)
print(b"%5s|%-5s|%.1s|%*s|%-*s|" % (b"ab", b"cd", b"xyz", 3, b"e", 3, b"f"))
print(b"%c%c%c" % (65, b"B", bytearray(b"C")), b"%3c|%-3c|" % (120, 121))
print(b"%i %u %o %X %#x %#o %+d % d" % (1, 2, 8, 255, 255, 8, 5, 5))
print(b"%e %E %g %G %f %.0f %10.3e %-8.2f|" % (1e10, 1e-10, 0.5, 1e20, 2.5, 2.5, 12345.678, 1.5))
print(b"%08.3f %+.2f %-6d| %06d %.3d" % (-3.14159, 2.0, 42, -42, 5))
print(b"\xff%s\x00" % b"\x80", b"%s" % b"", b"" % (), b"abc" % {})
print(bytearray(b"%d-%s") % (5, b"x"), type(bytearray(b"%s") % b"y").__name__)
print(b"%s" % bytearray(b"mapping-like"), b"%d%%" % 50)
check(lambda: b"%y" % 1)
check(lambda: b"%s" % 1)
check(lambda: b"%s" % "x")
check(lambda: b"%b" % None)
check(lambda: b"%s" % Bad())
check(lambda: b"%c" % 256)
check(lambda: b"%c" % -1)
check(lambda: b"%c" % b"ab")
check(lambda: b"%c" % "a")
check(lambda: b"%c" % 1.0)
check(lambda: b"%d" % "x")
check(lambda: b"%x" % 1.0)
check(lambda: b"%f" % "x")
check(lambda: b"%s %s" % (b"a",))
check(lambda: b"%s" % (b"a", b"b"))
check(lambda: b"%(k)s" % (1,))
check(lambda: b"%(k)s" % {"k": b"v"})
check(lambda: b"%(k" % {b"k": 1})
check(lambda: b"%*d" % ("a", 1))
check(lambda: b"%" % ())
check(lambda: b"%s" % [])
check(lambda: b"%d" % ())
check(lambda: bytearray(b"%q") % 1)
