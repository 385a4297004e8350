log = []


class Base:
    def __init__(self, **kw):
        log.append("Base")


class Left(Base):
    def __init__(self, left=None, **kw):
        log.append("Left %s" % left)
        super().__init__(**kw)


class Right(Base):
    def __init__(self, right=None, **kw):
        log.append("Right %s" % right)
        super().__init__(**kw)


class Join(Left, Right):
    def __init__(self, **kw):
        log.append("Join")
        super().__init__(**kw)


Join(left=1, right=2)
print(log)


class Speaker:
    def speak(self):
        return ["Speaker"]


class Loud(Speaker):
    def speak(self):
        return ["Loud"] + super().speak()


class Polite(Speaker):
    def speak(self):
        return ["Polite"] + super().speak()


class LoudPolite(Loud, Polite):
    def speak(self):
        return ["LoudPolite"] + super().speak()


print(LoudPolite().speak())
