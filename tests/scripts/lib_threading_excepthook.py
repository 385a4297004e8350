# threading.excepthook: a custom hook sees the exception and the thread;
# the other threads go on; SystemExit in a thread is silent.
import threading

print(threading.excepthook is threading.__excepthook__)
caught = []
lock = threading.Lock()


def hook(args):
    with lock:
        caught.append((args.exc_type.__name__, str(args.exc_value), args.thread.name,
                       args.exc_traceback is not None))


threading.excepthook = hook

done = []


def fail(msg):
    raise ValueError(msg)


def ok(n):
    total = 0
    for i in range(n):
        total += i
    with lock:
        done.append(total)


threads = [threading.Thread(target=fail, args=("bad %d" % i,), name="f%d" % i) for i in range(3)]
threads += [threading.Thread(target=ok, args=(1000,)) for _ in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(caught))
print(done)
print([t.is_alive() for t in threads])


def leave():
    raise SystemExit(3)


caught.clear()
t = threading.Thread(target=leave, name="quits")
t.start()
t.join()
print(caught)


class Broken(threading.Thread):
    def run(self):
        {}["key"]


b = Broken(name="broken")
b.start()
b.join()
print(caught)
threading.excepthook = threading.__excepthook__
print("main goes on")
