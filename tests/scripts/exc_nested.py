def level3():
    raise KeyError("deep")


def level2():
    try:
        level3()
    except ValueError:
        print("not reached")


def level1():
    try:
        level2()
    finally:
        print("level1 finally")


try:
    level1()
except KeyError as e:
    print("top caught", e)
try:
    try:
        try:
            raise IndexError("i")
        except KeyError:
            print("wrong handler")
        finally:
            print("inner finally")
    except IndexError as e:
        print("middle caught", e)
        raise RuntimeError("converted")
    finally:
        print("middle finally")
except RuntimeError as e:
    print("outer caught", e, "context", repr(e.__context__))
