try:
    raise ValueError
except ValueError as e:
    print("raised a class:", repr(e), e.args)
try:
    raise ValueError("instance")
except ValueError as e:
    print("raised an instance:", repr(e))
try:
    raise 5
except TypeError as e:
    print("TypeError:", e)
try:
    raise
except RuntimeError as e:
    print("RuntimeError:", e)


class NotAnException:
    pass


try:
    raise NotAnException()
except TypeError as e:
    print("TypeError:", e)
try:
    raise KeyError
except LookupError as e:
    print(repr(e))
