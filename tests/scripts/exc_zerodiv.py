try:
    1 / 0
except ZeroDivisionError as e:
    print("int / 0:", e)
ops = [
    lambda: 1 // 0,
    lambda: 1 % 0,
    lambda: 1.0 / 0,
    lambda: 1.5 // 0.0,
    lambda: divmod(1, 0),
    lambda: 0 ** -1,
    lambda: 0.0 ** -1,
]
for op in ops:
    try:
        op()
    except ZeroDivisionError as e:
        print(type(e).__name__, isinstance(e, ArithmeticError))
print(0 ** 0, 0.0 ** 0)
