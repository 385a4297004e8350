class Range3:
    def __init__(self, n):
        self.n = n
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i


r = Range3(3)
print(list(r), list(r))
for v in Range3(2):
    print("v", v)
it = iter(Range3(2))
print(next(it), next(it), next(it, "done"))


class Tree:
    def __init__(self, *children):
        self.children = children

    def __iter__(self):
        return iter(self.children)


print(list(Tree(1, 2, 3)), sum(Tree(4, 5)))
print(sorted(Tree(3, 1, 2)), dict(zip(Tree("a", "b"), Tree(1, 2))))


class NotIter:
    pass


try:
    iter(NotIter())
except TypeError as e:
    print("TypeError:", e)
