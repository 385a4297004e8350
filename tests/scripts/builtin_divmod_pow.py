print(divmod(17, 5), divmod(-17, 5), divmod(17.5, 5), divmod(-1, 3), divmod(2 ** 70, 10 ** 10))
print(pow(2, 8), pow(2, -1), pow(2.0, 3), pow(-2, 3), pow(4, 0.5))
print(pow(3, 200, 1000), pow(7, -1, 11), pow(-5, 2, 7), pow(10, 20, 1))
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    divmod("a", 1)
except TypeError as e:
    print("TypeError:", e)
try:
    pow(2, -1, 4)
except ValueError as e:
    print("ValueError:", e)
