items = [3, 1, 2]
d = {"key": "value"}


def double(v):
    return v * 2


print(f"{sorted(items)}")
print(f"{d['key']}")
print(f"{double(21)}")
print(f"{len(items) if items else 0}")
print(f"{'yes' if 1 > 0 else 'no'}")
print(f"{[i * i for i in range(4)]}")
print(f"{items[0] + items[-1]}")
print(f"{'abc'.upper()}")
print(f"{(lambda v: v + 1)(1)}")
print(f"{1, 2}")
x = 5
print(f"{x!r:>4}{x:<4}|")
