class MathUtil:
    @staticmethod
    def add(a, b):
        return a + b

    @staticmethod
    def none():
        return "no args"

    def use(self):
        return self.add(1, 2)


print(MathUtil.add(2, 3), MathUtil().add(4, 5), MathUtil.none())
print(MathUtil().use())


def plain(x):
    return x * 2


class Holder:
    doubler = staticmethod(plain)


print(Holder.doubler(4), Holder().doubler(5))
