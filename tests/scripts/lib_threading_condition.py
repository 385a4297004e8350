# threading.Condition: a bounded buffer with producers and consumers,
# wait timeouts, wait_for, notify/notify_all and the misuse errors.
import threading

cond = threading.Condition()
try:
    cond.wait()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cond.notify()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cond.notify_all()
except RuntimeError as e:
    print("RuntimeError:", e)
with cond:
    print("timed out:", cond.wait(0.01) is False)
    print("wait_for true at once:", cond.wait_for(lambda: True))
    print("wait_for timeout:", cond.wait_for(lambda: False, 0.01))
    print("wait(0):", cond.wait(0))
    cond.notify()  # nobody waits: no effect
print(repr(threading.Condition(threading.Lock())).endswith(", 0)>"))

# A bounded buffer: 3 producers, 3 consumers, capacity 4.
CAPACITY = 4
buf = []
lock = threading.Lock()
not_full = threading.Condition(lock)
not_empty = threading.Condition(lock)
consumed = []
PER_PRODUCER = 300


def producer(base):
    for i in range(PER_PRODUCER):
        with not_full:
            while len(buf) >= CAPACITY:
                not_full.wait()
            buf.append(base + i)
            not_empty.notify()


def consumer():
    got = []
    while True:
        with not_empty:
            while not buf:
                not_empty.wait()
            item = buf.pop(0)
            not_full.notify()
        if item is None:
            break
        got.append(item)
    with lock:
        consumed.extend(got)


producers = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(3)]
consumers = [threading.Thread(target=consumer) for _ in range(3)]
for t in consumers + producers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    with not_full:
        while len(buf) >= CAPACITY:
            not_full.wait()
        buf.append(None)
        not_empty.notify()
for t in consumers:
    t.join()
print(len(consumed), sum(consumed), sorted(consumed) == sorted(
    k * 1000 + i for k in range(3) for i in range(PER_PRODUCER)))

# notify(n) wakes at most n waiters; notify_all wakes the rest.
c = threading.Condition()
state = {"go": 0, "woken": 0}
ready = threading.Semaphore(0)


def sleeper():
    with c:
        ready.release()
        c.wait_for(lambda: state["go"] > state["woken"])
        state["woken"] += 1


sleepers = [threading.Thread(target=sleeper) for _ in range(5)]
for t in sleepers:
    t.start()
for _ in sleepers:
    ready.acquire()
with c:
    state["go"] = 2
    c.notify(2)
while True:
    with c:
        if state["woken"] == 2:
            break
    threading.Event().wait(0.001)
print("after notify(2):", state["woken"])
with c:
    state["go"] = 5
    c.notify_all()
for t in sleepers:
    t.join()
print("after notify_all:", state["woken"])

# A Condition over an RLock may be waited on while held recursively.
rc = threading.Condition(threading.RLock())
flag = []


def setter():
    with rc:
        flag.append(1)
        rc.notify()


with rc:
    with rc:
        th = threading.Thread(target=setter)
        th.start()
        print("recursive wait:", rc.wait_for(lambda: flag, 10))
th.join()
