print("a" < "b", "a" < "aa", "B" < "a", "abc" == "abc", "abc" != "abd")
print("apple" < "banana" < "cherry", "Z" < "a" < "z")
print(sorted(["banana", "Apple", "cherry", "apple", "Banana"]))
print(sorted(["b", "a", "C"], key=str.lower))
print(max("apple", "pear"), min(["xyz", "abc", "mno"]))
print("é" > "z", "" == "", "a" * 0 == "")
try:
    "a" < 1
except TypeError as e:
    print("TypeError:", e)
print("1" == 1, "a" != 1)
