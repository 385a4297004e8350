# A thread whose function raises: the default excepthook prints
# "Exception in thread NAME:" and the traceback on stderr, and the other
# threads go on.  The script then exits with status 1 so that the
# harness compares the last line of stderr (the exception).
import sys
import threading

results = []
lock = threading.Lock()
gate = threading.Event()


def steady(k):
    gate.wait(10)
    s = 0
    for i in range(2000):
        s += i * k
    with lock:
        results.append(s)


def boom():
    raise ValueError("thread failed")


workers = [threading.Thread(target=steady, args=(k,)) for k in range(1, 4)]
for t in workers:
    t.start()
bad = threading.Thread(target=boom, name="bad-thread")
bad.start()
bad.join()
gate.set()
for t in workers:
    t.join()
print(sorted(results))
print(bad.is_alive(), [t.is_alive() for t in workers])
sys.stdout.flush()
sys.exit(1)
