def apply(fn):
    fn()


def failing():
    raise ArithmeticError("inside failing")


apply(failing)
