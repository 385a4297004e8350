def f():
    raise NotImplementedError


f()
