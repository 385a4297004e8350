s = "one fish two fish red fish"
print(s.replace("fish", "cat"))
print(s.replace("fish", "cat", 1), s.replace("fish", "cat", 2))
print(s.replace("dog", "cat"), s.replace(" ", ""))
print("aaa".replace("a", "bb"), "aaaa".replace("aa", "a"))
print("abc".replace("", "-"), "".replace("", "x"))
print("banana".replace("an", "AN", -1), "x".replace("x", ""))
print("héllo".replace("é", "e"))
