def f():
    raise KeyError("quoted key")


f()
