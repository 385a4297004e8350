class Tag:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("<%s>" % self.name)
        return self.name

    def __exit__(self, *exc):
        print("</%s>" % self.name)


with Tag("html") as a, Tag("body") as b:
    print("content", a, b)
with Tag("outer"):
    with Tag("inner"):
        print("nested")
with Tag("x"), Tag("y"), Tag("z"):
    print("three")
