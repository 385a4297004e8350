def classify(exc):
    try:
        raise exc
    except KeyError:
        return "KeyError handler"
    except LookupError:
        return "LookupError handler"
    except Exception:
        return "Exception handler"
    except BaseException:
        return "BaseException handler"


for exc in (KeyError("k"), IndexError("i"), ValueError("v"), KeyboardInterrupt(), SystemExit(0)):
    print(type(exc).__name__, "->", classify(exc))


def bare():
    try:
        raise ValueError("any")
    except:
        return "bare except catches everything"


print(bare())
