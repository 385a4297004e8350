print(round(0.5), round(1.5), round(2.5), round(-1.5), round(3.49))
print(round(3.14159, 2), round(2.5, 0), round(1234.5678, -2), round(-0.5))
print(round(17), round(17, -1), round(15, -1), round(25, -1), round(-25, -1))
print(round(2 ** 70 + 1, -5), round(1e300, 2), round(0.1 + 0.2, 10))
print(type(round(1.5)).__name__, type(round(1.5, 0)).__name__, type(round(7, 2)).__name__)
try:
    round("1.5")
except TypeError as e:
    print("TypeError:", e)
