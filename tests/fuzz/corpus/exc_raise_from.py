class ConfigError(Exception):
    pass


def load(key):
    try:
        return {"a": 1}[key]
    except KeyError as e:
        raise ConfigError("missing key " + key) from e


try:
    load("b")
except ConfigError as e:
    print("error:", e)
    print("cause:", repr(e.__cause__))
    print("context:", repr(e.__context__))
    print("suppress:", e.__suppress_context__)
    print(e.__cause__ is e.__context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("replaced") from None
except ValueError as e:
    print("cause:", e.__cause__, "suppress:", e.__suppress_context__)
    print("context:", type(e.__context__).__name__)
try:
    raise RuntimeError("top") from KeyError("explicit cause")
except RuntimeError as e:
    print(repr(e.__cause__), e.__context__)
try:
    raise RuntimeError("from a class") from IndexError
except RuntimeError as e:
    print(repr(e.__cause__))
