word = "Python"
print([c for c in word])
print([ord(c) for c in word])
print("".join(chr(ord(c) + 1) for c in "HAL"))
print(list(enumerate("ab")), list(reversed("abc")))
print(sum(ord(c) for c in "abc"), chr(97), chr(0x263A) == "\u263a")
codes = {}
for c in "hello":
    codes[c] = codes.get(c, 0) + 1
print(codes)
