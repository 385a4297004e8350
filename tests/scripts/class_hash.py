class Key:
    def __init__(self, k):
        self.k = k

    def __eq__(self, other):
        return isinstance(other, Key) and self.k == other.k

    def __hash__(self):
        return hash(self.k)


d = {Key(1): "one", Key(2): "two"}
print(d[Key(1)], Key(2) in d, Key(3) in d)
print(hash(Key(7)) == hash(7))
print(len({Key(1), Key(1), Key(2)}))


class EqNoHash:
    def __eq__(self, other):
        return True


print(EqNoHash.__hash__ is None)
try:
    hash(EqNoHash())
except TypeError as e:
    print("TypeError:", e)


class Plain:
    pass


p = Plain()
print(hash(p) == hash(p), {p: 1}[p])


class FixedHash:
    def __hash__(self):
        return 12345


print(hash(FixedHash()))
