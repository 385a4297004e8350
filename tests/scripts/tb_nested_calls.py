def level3(n):
    raise KeyError(n)


def level2(n):
    level3(n * 2)


def level1():
    level2(21)


print("calling")
level1()
