l = list(range(10))
l[2:5] = ["a", "b"]
print(l)
l[:0] = [-1]
print(l)
l[len(l):] = [100, 101]
print(l)
l[1:3] = []
print(l)
l[::3] = ["x"] * len(l[::3])
print(l)
try:
    l[::2] = [1]
except ValueError as e:
    print("ValueError:", e)
m = [1, 2, 3]
m[1:1] = "ab"
print(m)
m[:] = (9, 8)
print(m)
n = [0, 1, 2, 3, 4, 5]
del n[::-2]
print(n)
n[-1:] = range(3)
print(n)
