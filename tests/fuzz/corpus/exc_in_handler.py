def risky():
    try:
        raise ValueError("first")
    except ValueError:
        raise KeyError("second")


try:
    risky()
except KeyError as e:
    print(repr(e), repr(e.__context__))


def handler_error():
    try:
        {}["x"]
    except KeyError as e:
        return e.undefined_attribute


try:
    handler_error()
except AttributeError as e:
    print("AttributeError in handler, context:", repr(e.__context__))
try:
    try:
        raise ValueError("a")
    finally:
        raise TypeError("from finally")
except TypeError as e:
    print(repr(e), "context:", repr(e.__context__))
