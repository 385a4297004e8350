def make_multiplier(k):
    def mul(x):
        return x * k
    return mul


double = make_multiplier(2)
triple = make_multiplier(3)
print(double(5), triple(5))


def make_counter():
    count = 0

    def counter():
        nonlocal count
        count += 1
        return count
    return counter


c1 = make_counter()
c2 = make_counter()
print(c1(), c1(), c1(), c2())


def make_acc():
    items = []

    def add(x):
        items.append(x)
        return list(items)
    return add


acc = make_acc()
acc(1)
print(acc(2))
