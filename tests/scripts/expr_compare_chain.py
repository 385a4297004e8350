x = 5
print(1 < x < 10, 1 < x > 10, 1 < 2 < 3 < 4 < 5)
print(x == 5 == 5.0, 1 == 1 != 2)
print(1 <= 1 < 2 >= 2 > 1)
calls = []


def v(n):
    calls.append(n)
    return n


print(v(1) < v(0) < v(2))
print(calls)
calls.clear()
print(v(1) < v(2) < v(3))
print(calls)
print("a" < "b" < "c", [1] < [1, 0] < [2])
print(3 > 2 == 2, (3 > 2) == 2)
print(1 < x is not None, x is not None is not False)
