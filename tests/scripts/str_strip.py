s = "   padded text \t\n"
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "xxhixx".lstrip("x"), "xxhixx".rstrip("x"))
print("abcHELLOcba".strip("abc"), "www.example.com".strip("cmowz."))
print(repr("".strip()), repr("   ".strip()), "no-strip".strip())
print("\u00a0nbsp\u00a0".strip() == "nbsp")
print("--==x==--".strip("-="), "123abc321".rstrip("0123456789"))
