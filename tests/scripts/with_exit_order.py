log = []


class C:
    def __init__(self, n):
        self.n = n

    def __enter__(self):
        log.append("enter%d" % self.n)
        return self

    def __exit__(self, t, v, tb):
        log.append("exit%d:%s" % (self.n, t.__name__ if t else "-"))
        return self.n == 1


with C(1), C(2):
    raise ValueError("x")
print(log)
log.clear()
try:
    with C(3), C(4):
        raise TypeError("y")
except TypeError:
    log.append("caught")
print(log)
