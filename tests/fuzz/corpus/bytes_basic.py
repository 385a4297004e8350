b = b"hello"
print(b, len(b), b[0], b[-1], b[1:3], b[::-1])
print(list(b), tuple(b"ab"))
print(b + b" world", b * 2, b"ell" in b, 104 in b, b"z" not in b)
print(b == b"hello", b < b"help", b"" < b"a")
print(bytes(3), bytes([65, 66, 67]), bytes(range(5)), bytes("é", "utf-8"))
print(bytes(), bytes(b"copy"), type(b[0]).__name__, type(b[0:1]).__name__)
for x in b"hi":
    print(x)
try:
    b[0] = 1
except TypeError as e:
    print("TypeError:", e)
try:
    bytes([256])
except ValueError as e:
    print("ValueError:", e)
try:
    b"a" + "b"
except TypeError as e:
    print("TypeError:", e)
print(b"abc" == "abc", hash(b"abc") == hash(b"ab" + b"c"))
