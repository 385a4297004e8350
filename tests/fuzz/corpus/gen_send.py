def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            break
        received.append(x)
    yield received


g = echo()
print(next(g))
print(g.send("a"))
print(g.send("b"))
print(g.send(None))


def averager():
    total = 0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count


a = averager()
next(a)
print(a.send(10), a.send(20), a.send(60))
g = averager()
try:
    g.send(5)
except TypeError as e:
    print("TypeError:", e)
print(g.send(None))


def running():
    acc = 0
    while True:
        acc += yield acc


r = running()
print(next(r), r.send(1), r.send(2), r.send(3))
