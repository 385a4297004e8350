def convert():
    try:
        raise KeyError("k")
    except KeyError:
        raise TypeError("converted without context") from None


convert()
