# threading.Barrier: parties meet, the action runs once per round, wait()
# indexes, reuse, abort/reset/timeouts and BrokenBarrierError.
import threading

N = 4
rounds = []
lock = threading.Lock()


def action():
    rounds.append("round")


bar = threading.Barrier(N, action=action)
print(bar.parties, bar.n_waiting, bar.broken)
indexes = []


def party():
    for _ in range(3):
        i = bar.wait()
        with lock:
            indexes.append(i)


ts = [threading.Thread(target=party) for _ in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(len(rounds), sorted(indexes))
print(bar.n_waiting, bar.broken)

# A timeout breaks the barrier for everyone.
b2 = threading.Barrier(3)
outcomes = []


def short_wait():
    try:
        b2.wait(0.05)
        outcomes.append("passed")
    except threading.BrokenBarrierError:
        outcomes.append("broken")


t = threading.Thread(target=short_wait)
t.start()
t.join()
print(outcomes, b2.broken)
try:
    b2.wait()
except threading.BrokenBarrierError as e:
    print("BrokenBarrierError", repr(str(e)))
b2.reset()
print(b2.broken, b2.n_waiting)

# abort() releases waiting threads with BrokenBarrierError.
b3 = threading.Barrier(3)
out3 = []


def wait3():
    try:
        b3.wait()
        out3.append("passed")
    except threading.BrokenBarrierError:
        out3.append("broken")


ws = [threading.Thread(target=wait3) for _ in range(2)]
for t in ws:
    t.start()
while b3.n_waiting < 2:
    threading.Event().wait(0.001)
b3.abort()
for t in ws:
    t.join()
print(out3, b3.broken)

# reset() while threads wait: they get BrokenBarrierError, the barrier
# stays usable.
b4 = threading.Barrier(2)
out4 = []


def wait4():
    try:
        b4.wait()
        out4.append("passed")
    except threading.BrokenBarrierError:
        out4.append("broken")


t = threading.Thread(target=wait4)
t.start()
while b4.n_waiting < 1:
    threading.Event().wait(0.001)
b4.reset()
t.join()
print(out4, b4.broken)
t = threading.Thread(target=wait4)
t.start()
b4.wait()
t.join()
print(out4)

# An action that raises breaks the barrier.
def bad_action():
    raise ValueError("action failed")


b5 = threading.Barrier(2, action=bad_action)
out5 = []


def wait5():
    try:
        b5.wait()
        out5.append("passed")
    except threading.BrokenBarrierError:
        out5.append("broken")
    except ValueError as e:
        out5.append("ValueError: %s" % e)


ws = [threading.Thread(target=wait5) for _ in range(2)]
for t in ws:
    t.start()
for t in ws:
    t.join()
print(sorted(out5), b5.broken)
print(issubclass(threading.BrokenBarrierError, RuntimeError))

# The default timeout given to the constructor.
b6 = threading.Barrier(2, timeout=0.02)
try:
    b6.wait()
except threading.BrokenBarrierError:
    print("default timeout broke it:", b6.broken)
