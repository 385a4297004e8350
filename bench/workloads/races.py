# Race visibility: N threads each add 1 to a shared global counter OPS
# times without a lock.  `counter += 1` is a load, an add and a store, so
# a thread switch (GIL) or a parallel thread (free threading) between them
# loses updates.  The same with a call between the load and the store
# (`counter = counter + step()`): under a GIL a switch can only happen at
# certain points (calls, backward jumps), so this variant shows the race on
# GIL builds where the plain one rarely loses anything.  Beside them, list.append and a counter under a Lock, which
# must come out exact on every build.
#   n=threads  ops=increments per thread
import threading
import wl

p = wl.params({"n": 2, "ops": 300000})
counter = 0
called_counter = 0
locked_counter = 0
called_counter = 0
appended = []
lock = threading.Lock()


def bump(ops, barrier):
    global counter
    barrier.wait()
    for _ in range(ops):
        counter += 1


def step():
    return 1


def bump_call(ops, barrier):
    global called_counter
    barrier.wait()
    for _ in range(ops):
        called_counter = called_counter + step()


def bump_locked(ops, barrier):
    global locked_counter
    barrier.wait()
    for _ in range(ops):
        with lock:
            locked_counter += 1


def append(ops, barrier):
    barrier.wait()
    for i in range(ops):
        appended.append(i)


def run(fn, n, ops):
    barrier = threading.Barrier(n)
    threads = [threading.Thread(target=fn, args=(ops, barrier)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


n, ops = p["n"], p["ops"]
run(bump, n, ops)
run(bump_call, n, ops)
run(append, n, ops)
run(bump_locked, n, ops // 4)
expected = n * ops
wl.report(n=n, expected=expected, counter=counter, lost=expected - counter,
          lost_percent=100.0 * (expected - counter) / expected,
          lost_call=expected - called_counter,
          appended=len(appended), locked=locked_counter, locked_expected=n * (ops // 4))
