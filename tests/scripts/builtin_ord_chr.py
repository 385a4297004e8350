print(ord("a"), ord("A"), ord("0"), ord(" "), ord("\n"), ord("é"), ord("€"), ord("\U0001F600"))
print(chr(97), chr(65), chr(48), repr(chr(10)), chr(233), chr(8364), chr(0x1F600) == "\U0001F600")
print("".join(chr(c) for c in range(ord("a"), ord("f"))))
print([ord(c) - ord("a") for c in "hello"])
print(chr(0x10FFFF) == "\U0010ffff", ord(chr(1114111)))
try:
    chr(0x110000)
except ValueError as e:
    print("ValueError:", e)
try:
    ord("")
except TypeError as e:
    print("TypeError:", e)
