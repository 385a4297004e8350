print(0b1100 & 0b1010, 0b1100 | 0b1010, 0b1100 ^ 0b1010)
print(-1 & 0xFF, -256 & 0xFF, -1 ^ 0xFF, -6 | 1)
print(~0, ~1, ~-1, ~(2 ** 70))
print((2 ** 70 + 5) & 0xF, (2 ** 70) | 1, (2 ** 70) ^ (2 ** 70))
print(-(2 ** 70) & 0xFFFF, -(2 ** 70) | 3)
print(bin(-5 & 0b111), hex(0xDEADBEEF & 0xFFFF))
x = 0
for b in (1, 4, 6):
    x |= 1 << b
print(x, bin(x), [b for b in range(8) if x >> b & 1])
