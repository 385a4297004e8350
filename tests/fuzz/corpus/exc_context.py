try:
    try:
        raise ValueError("first")
    except ValueError:
        raise TypeError("second")
except TypeError as e:
    print(repr(e))
    print(repr(e.__context__))
    print(e.__cause__, e.__suppress_context__)
try:
    try:
        raise KeyError("inner")
    finally:
        pass
except KeyError as e:
    print("no context:", e.__context__)
try:
    try:
        raise ValueError(1)
    except ValueError:
        try:
            raise TypeError(2)
        except TypeError:
            raise IndexError(3)
except IndexError as e:
    chain = []
    cur = e
    while cur is not None:
        chain.append(repr(cur))
        cur = cur.__context__
    print(" <- ".join(chain))
e = ValueError("fresh")
print(e.__context__, e.__cause__, e.__suppress_context__)
