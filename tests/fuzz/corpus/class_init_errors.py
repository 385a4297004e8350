class P:
    def __init__(self, x, y=0):
        self.x = x
        self.y = y

    def move(self, dx):
        return self.x + dx


try:
    P()
except TypeError as e:
    print("TypeError:", e)
try:
    P(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    P(1).move()
except TypeError as e:
    print("TypeError:", e)
try:
    P(1).nothing
except AttributeError as e:
    print("AttributeError:", e)


class BadInit:
    def __init__(self):
        return 5


try:
    BadInit()
except TypeError as e:
    print("TypeError:", e)


class NoInit:
    pass


try:
    NoInit(1)
except TypeError as e:
    print("TypeError:", e)
