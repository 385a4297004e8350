def run(fail):
    try:
        print("try", fail)
        if fail:
            raise RuntimeError("fail")
    except RuntimeError:
        print("except")
    else:
        print("else")
    finally:
        print("finally")


run(False)
run(True)


def f():
    try:
        return "from try"
    finally:
        print("finally before return")


print(f())


def g():
    try:
        raise ValueError("lost")
    finally:
        return "finally return swallows the exception"


print(g())


def h():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            print("finally in loop", i)
    return i


print(h())


def k():
    x = []
    try:
        x.append(1)
        return x
    finally:
        x.append(2)


print(k())
