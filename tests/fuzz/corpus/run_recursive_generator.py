def g():
    yield from g()
for v in g():
    print(v)
