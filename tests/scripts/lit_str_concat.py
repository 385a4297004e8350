s = "a" "b" 'c'
print(s)
t = ("one "
     "two "
     "three")
print(t)
print("x" r"\y" "z")
print(b"ab" b"cd")
print("value: " f"{1 + 1}" " done")
