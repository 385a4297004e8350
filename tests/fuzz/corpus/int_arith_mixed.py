print(1 + 2.5, 3 - 0.5, 2 * 1.5, 7 / 2, 7.0 // 2, 7 % 2.5)
print(type(1 + 1).__name__, type(1 + 1.0).__name__, type(4 / 2).__name__)
print(True + 0.5, 10 * False)
print(2 ** 70 + 0.5, 2 ** 70 * 1.0)
print(abs(-3), abs(3), abs(-2 ** 70), abs(-0))
x = 7
x = x * 3 + 1
print(x, -x // 4, -x % 4)
print(sum(range(1, 101)), sum(i * i for i in range(1, 11)))
print(100 // 7 * 7 + 100 % 7)
