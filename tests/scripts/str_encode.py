print("abc".encode(), "héllo".encode("utf-8"), "中".encode())
print(type("x".encode()).__name__, len("é".encode()), len("\U0001F600".encode("utf-8")))
b = "naïve".encode("utf-8")
print(b, b.decode("utf-8"), b.decode() == "naïve")
print(b"plain ascii".decode("ascii"), bytes([104, 105]).decode())
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError as e:
    print(type(e).__name__, isinstance(e, ValueError))
