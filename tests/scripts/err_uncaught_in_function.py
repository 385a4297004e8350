def parse(s):
    return int(s)


def load(items):
    return [parse(x) for x in items]


print(load(["1", "2"]))
print(load(["3", "x4"]))
