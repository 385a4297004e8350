class Resource:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type)
        return False


with Resource("a") as value:
    print("body sees", value)
with Resource("b"):
    print("no as target")
print("after with")


class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        print("exit args are None:", args == (None, None, None))


with Ctx() as c:
    print(type(c).__name__)
