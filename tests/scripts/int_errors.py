print(len(str(10 ** 4000)))
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
try:
    10 ** 400 / 1
except OverflowError as e:
    print("OverflowError:", e)
print(10 ** 400 // 10 ** 399)
try:
    2 ** 10000 * 1.0
except OverflowError as e:
    print("OverflowError:", e)
print(round(10 ** 30 / 10 ** 29))
