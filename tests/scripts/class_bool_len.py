class Empty:
    def __len__(self):
        return 0


class Three:
    def __len__(self):
        return 3


class Falsy:
    def __bool__(self):
        return False


class Both:
    def __bool__(self):
        return True

    def __len__(self):
        return 0


class Neither:
    pass


print(bool(Empty()), bool(Three()), len(Three()))
print(bool(Falsy()), bool(Both()), bool(Neither()))
if not Empty():
    print("Empty() is false")
print("yes" if Three() else "no")
print(Falsy() or "fallback", Three() and "and-result")


class BadLen:
    def __len__(self):
        return -1


try:
    len(BadLen())
except ValueError as e:
    print("ValueError:", e)


class BadBool:
    def __bool__(self):
        return 1


try:
    bool(BadBool())
except TypeError as e:
    print("TypeError:", e)
