# Helper module for the import tests (not a test itself).
print("mod_util: loading, __name__ =", __name__)

VERSION = "1.2"
calls = 0


def double(x):
    global calls
    calls += 1
    return x * 2


def describe():
    return "mod_util version " + VERSION


class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self):
        return "hello, " + self.name


_private = "underscore names import too when named"
