# `counter += 1` from several threads without a lock: increments may be
# lost (the read and the write are separate steps), but every thread runs
# to completion and the total never exceeds the number of increments.
# With a lock the total is exact.
import threading

N = 4
PER = 20000
counter = 0


class Box:
    n = 0


box = Box()
cell = [0]
table = {"k": 0}
start = threading.Barrier(N)


def race():
    global counter
    start.wait()
    for _ in range(PER):
        counter += 1
        box.n += 1
        cell[0] += 1
        table["k"] += 1


threads = [threading.Thread(target=race) for _ in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = N * PER
for name, value in (("global", counter), ("attribute", box.n), ("list item", cell[0]),
                    ("dict item", table["k"])):
    print(name, 0 < value <= total, type(value).__name__)

lock = threading.Lock()
exact = 0


def careful():
    global exact
    for _ in range(PER):
        with lock:
            exact += 1


threads = [threading.Thread(target=careful) for _ in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("with a lock:", exact, exact == total)
