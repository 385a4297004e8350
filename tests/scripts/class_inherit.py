class Animal:
    kind = "animal"

    def __init__(self, name):
        self.name = name

    def describe(self):
        return self.name + " is an " + self.kind + " that says " + self.sound()

    def sound(self):
        return "..."


class Cat(Animal):
    kind = "cat"

    def sound(self):
        return "meow"


class Kitten(Cat):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age

    def describe(self):
        return super().describe() + " (age %d)" % self.age


for a in (Animal("generic"), Cat("Tom"), Kitten("Kit", 1)):
    print(a.describe())
print(issubclass(Kitten, Animal), issubclass(Animal, Cat))
print(isinstance(Kitten("k", 0), Cat))
print(Kitten.__bases__[0].__name__)
print([c.__name__ for c in Kitten.__mro__])
