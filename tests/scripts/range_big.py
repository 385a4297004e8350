r = range(10 ** 20)
print(r, r[-1], r[10 ** 19], 10 ** 19 in r, 10 ** 20 in r)
print(range(-(2 ** 70), 0, 2 ** 68), list(range(-(2 ** 70), 0, 2 ** 68)))
print(r[2 ** 65:2 ** 66:2 ** 60])
print(range(2 ** 64, 2 ** 64 + 3)[1], list(range(2 ** 64, 2 ** 64 + 2)))
try:
    len(r)
except OverflowError:
    print("OverflowError: len() of a range longer than sys.maxsize")
