s = "hello world, hello python"
print(s.find("hello"), s.find("hello", 1), s.find("xyz"), s.find(""))
print(s.rfind("hello"), s.rfind("o"), s.rfind("xyz"), s.rfind(""))
print(s.find("o", 5, 10), s.find("o", 8, 10), s.rfind("o", 0, 10))
print(s.find("l", -5), s.rfind("l", -20, -10))
print("abc".find("c", 10), "".find(""), "".find("a"))
