# threading.Timer runs its function once after the interval unless
# cancelled; active_count and enumerate list the running threads.
import threading

calls = []
t = threading.Timer(0.01, calls.append, args=["fired"])
print(t.name, t.daemon, t.interval, t.is_alive())
t.start()
t.join()
print(calls, t.finished.is_set(), t.is_alive())

c = threading.Timer(30, calls.append, args=["never"])
c.start()
c.cancel()
c.join()
print(calls)

kw = {}
k = threading.Timer(0, lambda **a: kw.update(a), kwargs={"x": 1})
k.start()
k.join()
print(kw)

gate = threading.Event()
started = threading.Barrier(4)


def parked():
    started.wait()
    gate.wait()


workers = [threading.Thread(target=parked, name="p%d" % i) for i in range(3)]
for w in workers:
    w.start()
started.wait()
print(threading.active_count())
print(sorted(x.name for x in threading.enumerate()))
print(threading.main_thread() in threading.enumerate())
gate.set()
for w in workers:
    w.join()
print(threading.active_count(), [x.name for x in threading.enumerate()])
