s = "héllo wörld"
print(len(s), s[1], s[7], s.upper(), s[::-1])
cjk = "中文字符"
print(len(cjk), cjk[1], cjk[1:3], cjk + "!")
emoji = "a\U0001F600b"
print(len(emoji), emoji[2], ord(emoji[1]), len(emoji.encode("utf-8")))
print(chr(233), chr(0x4E2D), ord("é"), ord("中"), hex(ord("\U0001F600")))
print("é" in s, s.find("ö"), s.index("w"), s.count("l"))
print("ÄÖÜ".lower(), "straße".upper())
print(repr("é中\U0001F600"), repr("\u200b"), repr("\xa0"))
print("naïve café".split(), "é".encode("utf-8"), b"\xc3\xa9".decode("utf-8"))
print(sorted(["é", "e", "z", "a"]))
print("ü".center(5, "*"), "x".join("äöü"))
