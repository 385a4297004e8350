class Shape:
    count = 0

    def __init__(self, sides):
        self.sides = sides

    @classmethod
    def triangle(cls):
        return cls(3)

    @classmethod
    def created(cls):
        cls.count += 1
        return cls.__name__, cls.count


class Square(Shape):
    @classmethod
    def make(cls):
        return cls(4)


t = Shape.triangle()
print(type(t).__name__, t.sides)
s = Square.triangle()
print(type(s).__name__, s.sides)
print(Square.make().sides)
print(Shape.created(), Square.created(), Square.created(), Shape.created())
print(Shape().triangle().sides if False else Shape(0).triangle().sides)


def name_of(cls):
    return "class " + cls.__name__


class Named:
    describe = classmethod(name_of)


print(Named.describe(), Named().describe())
