class Query:
    def __init__(self):
        self.parts = []

    def select(self, *cols):
        self.parts.append("SELECT " + ", ".join(cols))
        return self

    def where(self, cond):
        self.parts.append("WHERE " + cond)
        return self

    def build(self):
        return " ".join(self.parts)

    def __repr__(self):
        return "Query(%d parts)" % len(self.parts)


q = Query().select("a", "b").where("a > 1")
print(q.build())
print(q)


class Node:
    def __init__(self, value, nxt=None):
        self.value = value
        self.next = nxt

    def __iter__(self):
        node = self
        while node is not None:
            yield node.value
            node = node.next

    def __len__(self):
        return sum(1 for _ in self)


lst = Node(1, Node(2, Node(3)))
print(list(lst), len(lst))
