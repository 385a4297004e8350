# Helper module with mutable state shared by everyone who imports it.
items = []


def add(x):
    items.append(x)
    return len(items)
