a = 0x
b = 1e
c = 0b2
d = 1__0
e = 0777
f = 1.e5j
g = 0o8
h = 1_
