def inner():
    raise ValueError("original")


def middle():
    try:
        inner()
    except ValueError:
        print("middle saw it, re-raising")
        raise


try:
    middle()
except ValueError as e:
    print("outer caught:", e)
try:
    try:
        raise KeyError("a")
    except KeyError as e:
        raise e
except KeyError as e:
    print("re-raised by name:", repr(e))
try:
    try:
        raise TypeError("first")
    except TypeError:
        try:
            raise ValueError("second")
        except ValueError:
            pass
        raise
except TypeError as e:
    print("bare raise restores the outer exception:", e)
