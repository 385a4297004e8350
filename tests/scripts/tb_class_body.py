class Broken:
    x = 1
    raise AttributeError("raised in a class body")
