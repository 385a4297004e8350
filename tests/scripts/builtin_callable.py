class WithCall:
    def __call__(self):
        return 1


class Without:
    pass


def f():
    pass


for obj in (f, lambda: 0, print, len, int, WithCall, WithCall(), Without(), 5, "s", None, [].append):
    print(callable(obj))
