# Structures nested 300000 deep are built and freed without overflowing
# the C stack: lists, dicts, tuples, sets of frozensets, instances that link
# to each other, and chains of exceptions.


class Node:
    def __init__(self, nxt):
        self.next = nxt


def build(kind, depth):
    x = None
    for i in range(depth):
        if kind == "list":
            x = [x]
        elif kind == "dict":
            x = {i: x}
        elif kind == "tuple":
            x = (x, i)
        elif kind == "node":
            x = Node(x)
        elif kind == "mixed":
            x = [{"t": (x,)}] if i % 2 else Node([x])
    return x


for kind in ("list", "dict", "tuple", "node", "mixed"):
    for _ in range(2):
        x = build(kind, 300000)
        del x
    print(kind, "freed")

# A frozenset nested in a frozenset ... (each level hashed once, when made).
f = frozenset()
for i in range(100000):
    f = frozenset([f, i])
del f
print("frozenset freed")

# An exception whose __context__ chain is 100000 long.
err = None
for i in range(100000):
    try:
        try:
            raise ValueError(i)
        finally:
            pass
    except ValueError as e:
        e.__context__ = err
        err = e
print(err.args, err.__context__.args)
del err
print("exceptions freed")

# Replacing the head of a long chain frees the rest, in a loop.
head = None
for round in range(3):
    for i in range(200000):
        head = [head, i]
    head = None
print("chains freed")
