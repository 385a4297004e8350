def gen():
    yield 1
    raise OverflowError("generator overflow")


for v in gen():
    print("got", v)
