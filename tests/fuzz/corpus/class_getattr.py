class Proxy:
    def __init__(self, target):
        self.target = target
        self.log = []

    def __getattr__(self, name):
        self.log.append(name)
        return getattr(self.target, name)


class Target:
    color = "red"

    def hello(self):
        return "hello from target"


p = Proxy(Target())
print(p.color, p.hello())
print(p.log)
print(p.target.color)
print(p.log)
try:
    p.missing
except AttributeError as e:
    print("AttributeError:", e)


class Default:
    real = 1

    def __getattr__(self, name):
        return "default-" + name


d = Default()
print(d.real, d.anything, getattr(d, "other"), hasattr(d, "whatever"))
