print(float("3.5"), float("-2"), float("1e-3"), float("  7.25\n"), float("1_000.5"))
print(float(7), float(2 ** 53), float(-0), float(True))
print(int(7.999), int(-7.999), int(1e15), int(2.0 ** 60))
for bad in ("", "1.2.3", "abc", "1e", "--1"):
    try:
        float(bad)
    except ValueError as e:
        print("ValueError:", e)
print(str(2.0), str(1e100), repr(float("1e-7")))
print(float(".5"), float("5."), float("-.5e1"))
