# Helper module: an exception class and a function that raises it.
class AppError(Exception):
    pass


def fail(msg):
    raise AppError(msg)


def divide(a, b):
    return a // b
