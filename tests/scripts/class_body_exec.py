print("before class")


class Verbose:
    print("class body runs at definition")
    x = 1
    y = x + 1
    for i in range(2):
        print("loop in class body", i)
    if y > 1:
        z = "conditional attr"

    def method(self):
        return self.x + self.y


print("after class")
print(Verbose.x, Verbose.y, Verbose.z, Verbose.i)
print(Verbose().method())
