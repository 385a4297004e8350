def risky(kind):
    if kind == 0:
        raise ValueError("v")
    if kind == 1:
        raise TypeError("t")
    if kind == 2:
        raise KeyError("k")
    return "ok"


for k in range(4):
    try:
        print(risky(k))
    except (ValueError, TypeError) as e:
        print("value-or-type:", type(e).__name__, e)
    except LookupError as e:
        print("lookup:", type(e).__name__, e)
errors = (IndexError, KeyError)
try:
    [][1]
except errors as e:
    print("from a tuple variable:", type(e).__name__)
