print(1 << 0, 1 << 1, 1 << 10, 1 << 64, 1 << 100)
print(1024 >> 3, 1024 >> 20, (1 << 100) >> 98)
print(-1 << 3, -16 >> 2, -17 >> 2, -1 >> 1000)
print(5 << 62, (5 << 62) >> 62)
print(0 << 100, 0 >> 5)
try:
    1 << -1
except ValueError as e:
    print("ValueError:", e)
try:
    1 >> -1
except ValueError as e:
    print("ValueError:", e)
print(True << 3)
