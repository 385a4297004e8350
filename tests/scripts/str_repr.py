for s in ["plain", "it's", 'say "hi"', "both ' and \"", "tab\t", "nl\n", "back\\slash",
          "\x00\x1f\x7f", "é", "\u4e2d", "\U0001F600", "\r", ""]:
    print(repr(s))
print(repr(["a", 'b"c', "d'e"]))
print(str("x"), repr(repr("x")))
