def f(n):
    out = []
    for i in range(n):
        try:
            out.append("try%d" % i)
            if i == 1:
                continue
            if i == 3:
                return out
        finally:
            out.append("fin%d" % i)
    return out


print(f(2))
print(f(5))


def g():
    try:
        try:
            raise ValueError("inner")
        finally:
            print("inner finally runs during propagation")
    except ValueError as e:
        return "caught " + str(e)


print(g())


def h():
    try:
        raise ValueError("a")
    finally:
        try:
            raise TypeError("b")
        except TypeError:
            print("exception handled inside finally")


try:
    h()
except ValueError as e:
    print("original still propagates:", e)


def m():
    try:
        return 1
    finally:
        print("m finally")


print(m())
