class Box:
    pass


b = Box()
b.v = 1
b.items = [0, 0, 0]
b.items[1] = 5
print(b.v, b.items)
d = {}
d["k"] = "v"
d[1, 2] = "pair"
print(d)
l = [0, 1, 2, 3, 4, 5]
l[1:3] = ["a", "b", "c"]
print(l)
l[::2] = [9, 9, 9, 9]
print(l)
l[:] = []
print(l)
a = b.w = d["z"] = 7
print(a, b.w, d["z"])
i = 0
lst = [10, 20]
i, lst[i] = 1, 99
print(i, lst)
x, y = y, x = 1, 2
print(x, y)
