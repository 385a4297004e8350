def parse(text):
    try:
        raise ValueError("bad digit in " + repr(text))
    except ValueError as e:
        raise RuntimeError("could not parse") from e


parse("12x")
