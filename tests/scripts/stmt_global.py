counter = 0


def bump():
    global counter
    counter += 1


def read():
    return counter


bump()
bump()
print(counter, read())


def make():
    global created
    created = "made"


make()
print(created)


def shadow():
    counter = 100
    return counter


print(shadow(), counter)


def multi():
    global a, b
    a, b = 1, 2


multi()
print(a, b)
