print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "val" or "default")
print(None and 1, [] or {}, [] and 1)
print(not 1 or 2, not (1 or 2))
print(1 and 2 or 3, 0 and 2 or 3)
calls = []


def t(v):
    calls.append(v)
    return v


r = t(0) and t(1)
print(r, calls)
calls.clear()
r = t(1) or t(2)
print(r, calls)
calls.clear()
r = t(0) or t(0) or t(3) or t(4)
print(r, calls)
print(True and "yes", False or "no")
