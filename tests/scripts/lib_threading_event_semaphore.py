# threading.Event, Semaphore and BoundedSemaphore.
import threading
import time

e = threading.Event()
print(e.is_set(), e.wait(0), e.wait(0.01))
e.set()
print(e.is_set(), e.wait(), e.wait(0))
e.clear()
print(e.is_set())

# Threads blocked in wait() all wake on set().
start = threading.Event()
woke = []
lock = threading.Lock()


def waiter(i):
    r = start.wait(10)
    with lock:
        woke.append((i, r))


ts = [threading.Thread(target=waiter, args=(i,)) for i in range(5)]
for t in ts:
    t.start()
start.set()
for t in ts:
    t.join()
print(sorted(woke))

# A timed wait that nobody satisfies.
never = threading.Event()
t0 = time.monotonic()
print(never.wait(0.05), time.monotonic() - t0 >= 0.045)

# Semaphore: at most 2 workers inside at once.
sem = threading.Semaphore(2)
inside = [0]
peak = [0]
guard = threading.Lock()


def limited():
    with sem:
        with guard:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        time.sleep(0.005)
        with guard:
            inside[0] -= 1


ts = [threading.Thread(target=limited) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("peak <= 2:", peak[0] <= 2, "inside:", inside[0])

s = threading.Semaphore(0)
print(s.acquire(False), s.acquire(timeout=0.01))
s.release()
print(s.acquire(False), s.acquire(blocking=False))
s.release(3)
print([s.acquire(False) for _ in range(4)])
for bad in (lambda: threading.Semaphore(-1), lambda: s.release(0),
            lambda: s.acquire(False, 1)):
    try:
        bad()
    except ValueError as err:
        print("ValueError:", err)

# A release from another thread wakes a blocked acquire.
s2 = threading.Semaphore(0)
t = threading.Thread(target=lambda: (time.sleep(0.01), s2.release()))
t.start()
print("acquired:", s2.acquire(timeout=10))
t.join()

b = threading.BoundedSemaphore(2)
print(b.acquire(), b.acquire(), b.acquire(False))
b.release()
b.release()
try:
    b.release()
except ValueError as err:
    print("ValueError:", err)
b.acquire()
try:
    b.release(2)
except ValueError as err:
    print("ValueError:", err)
b.release()
with b:
    print("in with")
print(isinstance(b, threading.Semaphore))
