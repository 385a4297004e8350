class P:
    cls_attr = "c"

    def __init__(self):
        self.x = 1
        self.y = [2]


p = P()
print(vars(p))
vars(p)["z"] = 3
print(p.z, vars(p))
p.x = 10
print(vars(p), vars(p) is p.__dict__)
try:
    vars(5)
except TypeError as e:
    print("TypeError:", e)

print(sorted(vars(P)["cls_attr"]))
