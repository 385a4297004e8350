ba = bytearray(b"abc")
print(ba, len(ba), ba[0])
ba[0] = 65
ba.append(100)
ba.extend(b"ef")
print(ba, bytes(ba))
print(bytearray(3), bytearray([1, 2]), bytearray("hé", "utf-8"))
del ba[1]
print(ba, ba.decode(), ba == b"Acdef")
