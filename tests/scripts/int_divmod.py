for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5), (0, 5), (2 ** 80, 12345), (-(2 ** 80), 12345)]:
    q, r = divmod(a, b)
    print(a, b, q, r, q * b + r == a)
print(divmod(7.5, 2), divmod(-7.5, 2), divmod(7, 2.5))
print(type(divmod(1, 2)).__name__)
