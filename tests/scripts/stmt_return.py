def none_implicit():
    pass


def none_explicit():
    return


def tup():
    return 1, 2


def early(n):
    for i in range(n):
        if i == 3:
            return i
    return -1


print(none_implicit(), none_explicit(), tup(), early(10), early(2))


def in_while():
    while True:
        return "out of while"


print(in_while())
a, b = tup()
print(a + b)
