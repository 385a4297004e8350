class Stack(list):
    def push(self, v):
        self.append(v)

    def peek(self):
        return self[-1]


s = Stack()
s.push(1)
s.push(2)
print(s, len(s), s.peek(), s.pop(), s)
print(isinstance(s, list), type(s).__name__)


class DefaultDict(dict):
    def __init__(self, default):
        super().__init__()
        self.default = default

    def get_or(self, k):
        return self[k] if k in self else self.default


d = DefaultDict(0)
d["a"] = 5
print(d.get_or("a"), d.get_or("b"), d)


class Celsius(float):
    def describe(self):
        return "%.1f C" % self


c = Celsius(21.5)
print(c + 1, c.describe(), isinstance(c, float))


class Name(str):
    def shout(self):
        return self.upper() + "!"


n = Name("bob")
print(n, n.shout(), n == "bob", len(n))
