print(sum([1, 2, 3]), sum(()), sum(range(101)), sum([1, 2], 10))
print(sum([0.5, 0.25, 0.125]), sum([1, 2.5]), sum([True, True]))
print(sum([[1], [2, 3]], []), sum(((1,), (2,)), ()))
print(sum(x * x for x in range(4)), sum({1: "a", 2: "b"}))
print(sum([2 ** 64, 2 ** 64]), sum([-1, 1]))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)
try:
    sum([1, "a"])
except TypeError as e:
    print("TypeError:", e)
