# bytes and bytearray compare with each other by content, in both orders,
# and `in` accepts either as the needle.


def check(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__, e)


a, ba = b"abc", bytearray(b"abc")
print(b"a" == bytearray(b"a"), bytearray(b"a") == b"a", b"a" != bytearray(b"a"))
print(a == ba, ba == a, a != ba, b"abd" == ba, ba != b"ab")
print(b"a" < bytearray(b"b"), b"b" <= bytearray(b"b"), b"c" > bytearray(b"b"))
print(b"a" >= bytearray(b"ab"), bytearray(b"a") < b"b", bytearray(b"ab") > b"a")
print(b"\xff" > bytearray(b"\x01"), bytearray(b"") < b"\x00")
print(bytearray(b"b") in [b"a", b"b"], b"b" in [bytearray(b"b")])
print(bytearray(b"bc") in a, b"bc" in ba, 98 in a, bytearray(b"x") in a, bytearray() in a)
print(b"a" == "a", b"a" == 97, bytearray(b"a") == "a")
print(sorted([b"b", bytearray(b"a"), b"c", bytearray(b"bb")]))
print({b"k": 1}.get(b"k"), b"x" in {b"x"}, a.__eq__(ba), ba.__eq__(a))
check(lambda: b"a" < "a")
check(lambda: b"a" < 1)
check(lambda: bytearray(b"a") < "a")
check(lambda: "x" in a)
check(lambda: 300 in a)
