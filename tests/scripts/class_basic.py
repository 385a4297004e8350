class Dog:
    species = "canis"

    def __init__(self, name, age=1):
        self.name = name
        self.age = age

    def speak(self):
        return self.name + " says woof"

    def birthday(self):
        self.age += 1
        return self


d = Dog("Rex")
print(d.name, d.age, d.species)
print(d.speak())
print(d.birthday().birthday().age)
e = Dog("Fido", 5)
print(e.age, Dog.species, e.species is d.species)
print(type(d).__name__, Dog.__name__, isinstance(d, Dog))
print(Dog)
print(type(d) is Dog)
m = d.speak
print(m())
print(Dog.speak(e))
