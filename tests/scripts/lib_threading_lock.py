# threading.Lock and threading.RLock: acquire/release, non-blocking and
# timed acquires, context managers, release by another thread, and the
# errors CPython raises.
import threading
import time

lock = threading.Lock()
print(type(lock).__name__, lock.locked())
print(lock.acquire(), lock.locked())
print(lock.acquire(False), lock.acquire(blocking=False), lock.acquire(timeout=0))
t0 = time.monotonic()
print(lock.acquire(True, 0.05))
print("waited at least the timeout:", time.monotonic() - t0 >= 0.045)
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())
print(repr(lock).startswith("<unlocked _thread.lock object at 0x"))
lock.acquire()
print(repr(lock).startswith("<locked _thread.lock object at 0x"))
lock.release()

for args, kwargs in [((False, 1), {}), ((True, -2), {}), ((True, "x"), {}),
                     (("x",), {}), ((1, 2, 3), {}), ((), {"wait": 1}),
                     ((True, float("nan")), {}), ((True, 1e30), {})]:
    try:
        print(lock.acquire(*args, **kwargs))
        lock.release()
    except (ValueError, TypeError, OverflowError) as e:
        print(type(e).__name__)
print(lock.locked())

# A lock may be released by a thread other than the one that took it:
# here it works as a signal.
signal = threading.Lock()
signal.acquire()
order = []


def release_later():
    order.append("releasing")
    signal.release()


threading.Thread(target=release_later).start()
print(signal.acquire(True, 10))
order.append("acquired")
print(order)
signal.release()

# A timed acquire that another thread satisfies before the timeout.
held = threading.Lock()
held.acquire()
got = []


def timed_waiter():
    got.append(held.acquire(timeout=10))


w = threading.Thread(target=timed_waiter)
w.start()
time.sleep(0.02)
held.release()
w.join()
print("timed waiter got it:", got)
# Many threads timing out on a lock nobody releases.
stuck = threading.Lock()
stuck.acquire()
outcomes = []


def give_up():
    outcomes.append(stuck.acquire(timeout=0.02))


ws = [threading.Thread(target=give_up) for _ in range(4)]
for x in ws:
    x.start()
for x in ws:
    x.join()
print("timeouts:", outcomes)

# RLock
r = threading.RLock()
print(r.acquire(), r.acquire(), r.acquire(False))
print(repr(r).startswith("<locked _thread.RLock object owner="), "count=3" in repr(r))
r.release()
r.release()
r.release()
print(repr(r).startswith("<unlocked _thread.RLock object owner=0 count=0 at 0x"))
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)
with r:
    with r:
        print("nested with")
errors = []


def foreign_release():
    try:
        r.release()
    except RuntimeError as e:
        errors.append(str(e))
    took = r.acquire(False)
    errors.append(took)
    if took:
        r.release()


r.acquire()
x = threading.Thread(target=foreign_release)
x.start()
x.join()
print(errors)
r.release()
x = threading.Thread(target=foreign_release)
x.start()
x.join()
print(errors, r.acquire(False))
r.release()
print(r.acquire(timeout=0.01))
r.release()
try:
    r.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)

# Mutual exclusion: every increment happens under the lock.
total = [0]
m = threading.Lock()


def add(n):
    for _ in range(n):
        with m:
            total[0] += 1


threads = [threading.Thread(target=add, args=(2000,)) for _ in range(4)]
for x in threads:
    x.start()
for x in threads:
    x.join()
print(total[0])
rtotal = [0]
rl = threading.RLock()


def radd(n):
    for _ in range(n):
        with rl:
            with rl:
                rtotal[0] += 1


threads = [threading.Thread(target=radd, args=(2000,)) for _ in range(4)]
for x in threads:
    x.start()
for x in threads:
    x.join()
print(rtotal[0])
