class ParseError(Exception):
    def __init__(self, line, msg):
        super().__init__("line %d: %s" % (line, msg))
        self.line = line


def check():
    raise ParseError(3, "unexpected token")


check()
