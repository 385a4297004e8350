def inner():
    yield 1
    yield 2
    return "inner done"


def outer():
    result = yield from inner()
    print("inner returned", result)
    yield 3


print(list(outer()))


def chain(*iterables):
    for it in iterables:
        yield from it


print(list(chain([1, 2], "ab", range(3), (x * 10 for x in range(2)))))


def tree(node):
    value, children = node
    yield value
    for child in children:
        yield from tree(child)


t = (1, [(2, [(4, [])]), (3, [])])
print(list(tree(t)))


def collector():
    items = []
    while True:
        x = yield
        if x is None:
            return items
        items.append(x)


def delegator():
    got = yield from collector()
    yield got


d = delegator()
next(d)
d.send("a")
d.send("b")
print(d.send(None))
