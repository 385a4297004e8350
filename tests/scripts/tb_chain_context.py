def cleanup():
    raise OSError("cleanup failed")


def work():
    try:
        raise KeyError("missing")
    except KeyError:
        cleanup()


work()
