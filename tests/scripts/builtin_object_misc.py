o = object()
print(type(o).__name__, o == o, o != object(), isinstance(o, object))
print(NotImplemented, repr(NotImplemented))
print(Ellipsis, ..., Ellipsis is ..., type(...).__name__)
print(__name__)
if __name__ == "__main__":
    print("running as main")
print(type(__name__).__name__)
