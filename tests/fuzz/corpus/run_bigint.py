x = 2 ** 100000
print(len(str(x % 10**100)))
print(x.bit_length(), -x >> 99999, x // 3 % 7)
y = int('9' * 5000)
