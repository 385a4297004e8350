try:
    try:
        raise ValueError(1)
    except ValueError as a:
        raise TypeError(2) from a
except TypeError as b:
    a = b.__cause__
    a.__context__ = b
    a.__cause__ = b
    raise a
