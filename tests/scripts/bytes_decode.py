data = "héllo wörld €".encode("utf-8")
print(data)
print(len(data), data.decode("utf-8"), data.decode())
print(b"ascii".decode("ascii"), b"abc".decode("utf-8") == "abc")
print(bytes([0xe4, 0xb8, 0xad]).decode("utf-8"))
print("round trip:", "\U0001F600".encode().decode() == "\U0001F600")
try:
    b"\x80abc".decode("utf-8")
except UnicodeDecodeError:
    print("UnicodeDecodeError")
try:
    "é".encode("ascii")
except UnicodeEncodeError:
    print("UnicodeEncodeError")
