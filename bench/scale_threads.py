# Weak scaling with threading: one CPU-bound function run by 1 thread and by
# 2 threads at once, each doing the full work.  The same kernel as
# bench/scale.c; runs unchanged on CPython (3.11 with a GIL, 3.13t/3.14t
# free-threaded) and on twinpy.
#
#   python3 bench/scale_threads.py [scale] [rounds]
#
# stdout: one line that depends only on the scale (the kernel's checksum),
# to check a runtime against CPython.  stderr: per round the wall time of
# each configuration and the mean per-thread CPU time (time.thread_time),
# then the medians and the ratios.  Rounds alternate the order of the two
# configurations so that drifts of a shared machine hit both alike.
# Without contention the 2-thread time equals the 1-thread time (ratio
# 1.0, speedup 2.0); with a GIL the ratio is about 2.
import sys
import threading
import time


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    def norm1(self):
        return abs(self.x) + abs(self.y)


SCALE = 7
MASK = 63
TABLE = [i * 3 % 17 for i in range(64)]


def mix(a, b):
    return (a * SCALE + b) & 0xFFFF


def kernel(n):
    v = Vec(1, 2)
    acc = 0
    for i in range(n):
        w = Vec(i & 7, 3)
        acc = mix(acc, TABLE[i & MASK])
        acc += v.dot(w) + w.norm1()
        if len(TABLE) != 64:
            acc = -1
    return acc


def run(nthreads, n):
    """Wall seconds until every thread finished, and mean thread CPU seconds."""
    results = [None] * nthreads
    cpu = [0.0] * nthreads
    barrier = threading.Barrier(nthreads + 1)

    def work(k):
        barrier.wait()
        c0 = time.thread_time()
        results[k] = kernel(n)
        cpu[k] = time.thread_time() - c0

    threads = [threading.Thread(target=work, args=(k,)) for k in range(nthreads)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return wall, sum(cpu) / nthreads, results


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    n = int(300_000 * scale)
    expect = kernel(n)
    print("scale_threads", n, expect)
    sys.stdout.flush()
    run(1, n // 10)  # warm-up: start the threads machinery
    w1, w2, c1, c2 = [], [], [], []
    for r in range(rounds):
        order = (1, 2) if r % 2 == 0 else (2, 1)
        for nthreads in order:
            wall, cpu, results = run(nthreads, n)
            if results != [expect] * nthreads:
                sys.exit("a thread computed a different result: %r" % results)
            (w1 if nthreads == 1 else w2).append(wall)
            (c1 if nthreads == 1 else c2).append(cpu)
        print("round %d: wall %.1f / %.1f ms, cpu %.1f / %.1f ms"
              % (r, w1[-1] * 1e3, w2[-1] * 1e3, c1[-1] * 1e3, c2[-1] * 1e3),
              file=sys.stderr)
    mw1, mw2 = median(w1), median(w2)
    print("wall_1 %.1f ms  wall_2 %.1f ms  cpu_1 %.1f ms  cpu_2 %.1f ms"
          % (mw1 * 1e3, mw2 * 1e3, median(c1) * 1e3, median(c2) * 1e3), file=sys.stderr)
    print("wall_ratio %.3f  cpu_ratio %.3f  speedup %.3f"
          % (median([b / a for a, b in zip(w1, w2)]),
             median([b / a for a, b in zip(c1, c2)]), 2 * mw1 / mw2), file=sys.stderr)


main()
