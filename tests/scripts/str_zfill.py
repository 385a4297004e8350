print("42".zfill(5), "-42".zfill(5), "+42".zfill(5), "3.14".zfill(8))
print("abc".zfill(6), "12345".zfill(3), "".zfill(3), "-".zfill(3))
print(str(7).zfill(3), str(-7).zfill(4))
