class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, name):
        super().__init__("not found: " + name)
        self.name = name


class WithCode(AppError):
    def __init__(self, msg, code):
        super().__init__(msg, code)
        self.code = code

    def __str__(self):
        return "[%d] %s" % (self.code, self.args[0])


for exc in (AppError("generic"), NotFound("file.txt"), WithCode("bad", 42)):
    try:
        raise exc
    except AppError as e:
        print(type(e).__name__, "|", e, "|", repr(e), "|", e.args)
try:
    raise NotFound("x")
except NotFound as e:
    print(e.name, isinstance(e, AppError), isinstance(e, Exception))
print([c.__name__ for c in NotFound.__mro__])


class Plain(Exception):
    pass


print(repr(Plain()), str(Plain()), repr(Plain("a", 1)), str(Plain("a", 1)))
