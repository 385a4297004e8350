# CPU-bound scaling: N workers each do the full work; the time for all of
# them, from the start signal to the last join.  With threads, a GIL runs
# them one at a time (time grows with N); free threading and processes run
# them on N cores (time stays flat up to the core count).
#   mode=threads|processes  n=workers  work=iterations per worker
import sys
import time
import wl

p = wl.params({"mode": "threads", "n": 1, "work": 2000000})

SHARED = list(range(64))
OFFSET = 7


class Accumulator:
    def __init__(self):
        self.total = 0

    def add(self, x):
        self.total += x


def mix(a, b):
    return (a * 31 + b) & 0xFFFF


def work(iterations):
    """The kernel: function and method calls, global reads, reads of a
    shared list; no writes to shared objects."""
    acc = Accumulator()
    h = 0
    for i in range(iterations):
        h = mix(h, SHARED[i & 63] + OFFSET)
        acc.add(h & 7)
    return acc.total + h


def thread_main(results, index, iterations, barrier):
    barrier.wait()
    results[index] = work(iterations)


def process_main(queue, iterations):
    queue.put(work(iterations))


def run_threads(n, iterations):
    import threading
    results = [None] * n
    barrier = threading.Barrier(n + 1)
    threads = [threading.Thread(target=thread_main, args=(results, i, iterations, barrier))
               for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, results


def run_processes(n, iterations):
    import multiprocessing
    queue = multiprocessing.Queue()
    t0 = time.perf_counter()
    procs = [multiprocessing.Process(target=process_main, args=(queue, iterations))
             for _ in range(n)]
    for pr in procs:
        pr.start()
    results = [queue.get() for _ in range(n)]
    for pr in procs:
        pr.join()
    seconds = time.perf_counter() - t0
    if any(pr.exitcode != 0 for pr in procs):
        raise SystemExit("a worker process failed")
    return seconds, results


if p["mode"] == "threads":
    seconds, results = run_threads(p["n"], p["work"])
elif p["mode"] == "processes":
    seconds, results = run_processes(p["n"], p["work"])
else:
    raise SystemExit("mode must be threads or processes")
if len(set(results)) != 1 or results[0] is None:
    raise SystemExit("workers disagree: %r" % (results,))
wl.report(mode=p["mode"], n=p["n"], work=p["work"], seconds=seconds, checksum=results[0])
