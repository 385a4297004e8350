s = "abc"
try:
    s[0] = "x"
except TypeError as e:
    print("TypeError:", e)
try:
    del s[0]
except TypeError as e:
    print("TypeError:", e)
t = s.upper()
print(s, t)
u = s.replace("a", "z")
print(s, u)
print(s[0] + "X" + s[2:])
print(hash("abc") == hash("ab" + "c"))
