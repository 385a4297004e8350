def numbers():
    yield 1
    raise IndexError("generator ran out")


def consume():
    for n in numbers():
        print("got", n)


consume()
