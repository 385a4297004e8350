def total(*nums):
    print(type(nums).__name__, len(nums))
    return sum(nums)


print(total())
print(total(1, 2, 3))
print(total(*range(5)))


def first_rest(first, *rest):
    return first, rest


print(first_rest(1))
print(first_rest(1, 2, 3))


def kw(**options):
    return options


print(kw())
print(kw(a=1, b=2))
print(kw(**{"z": 26, "y": 25}))


def everything(a, b=2, *args, c, d=4, **kwargs):
    return a, b, args, c, d, kwargs


print(everything(1, c=3))
print(everything(1, 2, 3, 4, c=5, e=6))
