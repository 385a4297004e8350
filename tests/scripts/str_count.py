s = "mississippi"
print(s.count("s"), s.count("ss"), s.count("issi"), s.count("z"), s.count(""))
print(s.count("i", 5), s.count("i", 0, 4), s.count("s", -4))
print("aaaa".count("aa"), "".count(""), "abc".count("", 1))
