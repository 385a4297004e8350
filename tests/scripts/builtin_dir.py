class A:
    base_attr = 1

    def method(self):
        pass


class B(A):
    own = 2


b = B()
b.inst = 3
print([n for n in dir(b) if not n.startswith("_")])
print([n for n in dir(B) if not n.startswith("_")])
print("append" in dir([]), "upper" in dir(""), "keys" in dir({}))


def f():
    x = 1
    y = 2
    return dir()


print(f())
