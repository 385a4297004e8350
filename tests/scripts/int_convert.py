print(int("42"), int("-17"), int("  8  "), int("+3"), int("1_000"))
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0), int("0o17", 0), int("0b101", 0))
print(int("777", 8), int("101", 2), int("z", 36), int("10", 36))
print(int(3.9), int(-3.9), int(1e20), int(True), int(-0.5))
print(int(), int("0"), int("-0"))
print(int("123456789012345678901234567890"))
for bad in ("", "1.5", "abc", "1 2", "0x10"):
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    int(float("nan"))
except ValueError as e:
    print("ValueError:", e)
try:
    int([1])
except TypeError as e:
    print("TypeError:", e)
