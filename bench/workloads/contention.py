# Shared-object contention: N threads hammer one shared object.  Under a
# GIL they take turns; without one, each operation takes the object's own
# lock (append, locked update) or reads it without locking (dict read,
# calls), so throughput shows which operations scale.
#   op=append|dict_lock|dict_read|call  n=threads  ops=operations per thread
#   (0: a per-operation default of about 0.1-0.2 s on one thread)
import threading
import time
import wl

p = wl.params({"op": "append", "n": 1, "ops": 0})

shared_list = []
shared_dict = {"k%d" % i: i for i in range(64)}
shared_dict["count"] = 0
lock = threading.Lock()
KEYS = ["k%d" % i for i in range(64)]


class Shape:
    def __init__(self, side):
        self.side = side

    def area(self, scale):
        return self.side * self.side * scale


shape = Shape(3)


def shared_function(x):
    return x + 1


def do_append(ops):
    append = shared_list.append
    for i in range(ops):
        append(i)
    return ops


def do_dict_lock(ops):
    d = shared_dict
    for _ in range(ops):
        with lock:
            d["count"] += 1
    return ops


def do_dict_read(ops):
    d = shared_dict
    keys = KEYS
    total = 0
    for i in range(ops):
        total += d[keys[i & 63]]
    return total


def do_call(ops):
    total = 0
    for i in range(ops):
        total += shared_function(i) + shape.area(2)
    return total


OPS = {"append": do_append, "dict_lock": do_dict_lock, "dict_read": do_dict_read,
       "call": do_call}


def worker(fn, ops, results, index, barrier):
    barrier.wait()
    results[index] = fn(ops)


DEFAULT_OPS = {"append": 2000000, "dict_lock": 400000, "dict_read": 1500000, "call": 800000}
fn = OPS.get(p["op"])
if fn is None:
    raise SystemExit("op must be one of " + ", ".join(sorted(OPS)))
n, ops = p["n"], p["ops"] or DEFAULT_OPS[p["op"]]
results = [None] * n
barrier = threading.Barrier(n + 1)
threads = [threading.Thread(target=worker, args=(fn, ops, results, i, barrier)) for i in range(n)]
for t in threads:
    t.start()
barrier.wait()
t0 = time.perf_counter()
for t in threads:
    t.join()
seconds = time.perf_counter() - t0
if len(set(results)) != 1:
    raise SystemExit("threads disagree: %r" % (results,))
if p["op"] == "append" and len(shared_list) != n * ops:
    raise SystemExit("lost appends: %d of %d" % (len(shared_list), n * ops))
if p["op"] == "dict_lock" and shared_dict["count"] != n * ops:
    raise SystemExit("lost locked updates: %d of %d" % (shared_dict["count"], n * ops))
wl.report(op=p["op"], n=n, ops=n * ops, seconds=seconds, mops_per_second=n * ops / seconds / 1e6)
