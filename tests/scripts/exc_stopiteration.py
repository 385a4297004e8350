it = iter([1])
print(next(it))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args, e.value)
print(next(it, "default"))


class Finite:
    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n > 2:
            raise StopIteration("done")
        return self.n


print(list(Finite()))
try:
    raise StopIteration(42)
except StopIteration as e:
    print(e.value)
