# The bytes methods beyond the basics (padding, rsplit, partition, rindex,
# removeprefix, isupper/islower), bytearray arguments to bytes methods, and
# the same methods on bytearray (which return bytearray).


def check(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


print(b"ab".ljust(5), b"ab".rjust(5, b"*"), b"ab".center(5, b"-"), b"ab".center(6, b"-"))
print(b"abc".center(6, b"*"), b"abc".center(7, b"*"), b"abc".ljust(2), b"abc".center(-1))
print(b"42".zfill(5), b"-42".zfill(5), b"+4".zfill(4), b"".zfill(3), b"abc".zfill(1), b"-".zfill(3))
print(b"a b  c ".rsplit(), b"a b  c ".rsplit(None, 1), b"a,b,,c".rsplit(b","), b"a,b,c".rsplit(b",", 1))
print(b"  ".rsplit(), b"".rsplit(b","), b"x".rsplit(maxsplit=0), b" x y ".rsplit(maxsplit=0))
print(b"a=b=c".partition(b"="), b"a=b=c".rpartition(b"="), b"abc".partition(b"x"), b"abc".rpartition(b"x"))
print(b"abcabc".rindex(b"b"), b"abcabc".rindex(b"c", 0, 4), b"abc".removeprefix(b"ab"), b"abc".removesuffix(b"bc"))
print(b"abc".removeprefix(b"x"), b"ABC1".isupper(), b"abc1".islower(), b"1".isupper(), b"aB".islower())
abc = b"abc"
print(abc.startswith(bytearray(b"ab")), abc.endswith((b"x", bytearray(b"c"))), abc.find(bytearray(b"c")))
print(abc.count(bytearray(b"b")), abc.replace(bytearray(b"b"), bytearray(b"B")), abc.index(bytearray(b"c")))
print(b",".join([bytearray(b"x"), b"y"]), abc.split(bytearray(b"b")), abc.strip(bytearray(b"ac")))
print(b"a.b".partition(bytearray(b".")), b"-".center(5, bytearray(b"=")))
ba = bytearray(b" a,b,c ")
print(ba.split(b","), ba.rsplit(None, 1), ba.strip(), ba.lstrip(), ba.rstrip(b" c"))
print(ba.replace(b",", b";"), ba.find(b"b"), ba.rfind(b","), ba.index(b"c"), ba.rindex(b","), ba.count(b","))
print(ba.partition(b","), ba.rpartition(b","), ba.startswith(b" a"), ba.endswith((b"x", b"c ")))
print(ba.ljust(10, b"."), ba.rjust(10), ba.center(11, b"*"), bytearray(b"-5").zfill(4))
print(ba.upper(), ba.lower(), ba.isdigit(), ba.isalpha(), ba.isspace(), ba.isalnum(), ba.isupper(), ba.islower())
print(ba.removeprefix(b" a"), ba.removesuffix(b"c "), bytearray(b"+").join([b"x", bytearray(b"y")]))
print(bytearray.fromhex("41 42"), bytearray(b"z").ljust(3) is not None)
check(lambda: b"a".ljust())
check(lambda: b"a".ljust(1, 2, 3))
check(lambda: b"a".ljust("3"))
check(lambda: b"a".ljust(3, "x"))
check(lambda: b"a".ljust(3, b"xy"))
check(lambda: bytearray(b"a").center(3, b"xy"))
check(lambda: b"a".ljust(2**70))
check(lambda: b"a".zfill())
check(lambda: b"a".zfill(1, 2))
check(lambda: b"a".zfill("3"))
check(lambda: b"a".rsplit(b""))
check(lambda: b"a".rsplit(1, 2, 3))
check(lambda: b"a".rsplit(x=1))
check(lambda: b"a".rsplit("a"))
check(lambda: b"a".partition(b""))
check(lambda: b"a".partition("a"))
check(lambda: b"a".partition())
check(lambda: b"a".rpartition(1))
check(lambda: b"a".rindex(b"b"))
check(lambda: b"abc".removeprefix("a"))
check(lambda: b"abc".removesuffix(None))
check(lambda: b"abc".startswith([b"a"]))
check(lambda: b"abc".endswith((b"c", 1)))
