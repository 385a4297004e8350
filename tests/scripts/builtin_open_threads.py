# One binary file object shared by threads: every write stays whole and reads share the data without loss.
import os
import threading

d = "/tmp/twinpy_open_threads_%d" % os.getpid()
os.mkdir(d)
p = os.path.join(d, "shared.bin")
NTHREADS = 4
NLINES = 300
barrier = threading.Barrier(NTHREADS)


def line_of(tag, i):
    return ("thread %d line %04d %s\n" % (tag, i, "x" * (i % 50))).encode()


def writer(f, tag):
    barrier.wait()
    for i in range(NLINES):
        f.write(line_of(tag, i))


with open(p, "wb") as f:
    threads = [threading.Thread(target=writer, args=(f, t)) for t in range(NTHREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

expected = set(line_of(t, i) for t in range(NTHREADS) for i in range(NLINES))
with open(p, "rb") as f:
    lines = f.readlines()
print(len(lines), set(lines) == expected)

results = [[] for _ in range(NTHREADS)]


def reader(f, k):
    barrier.wait()
    while True:
        chunk = f.read(100)
        if not chunk:
            break
        results[k].append(chunk)


with open(p, "rb") as f:
    threads = [threading.Thread(target=reader, args=(f, k)) for k in range(NTHREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
got = [chunk for r in results for chunk in r]
print(sum(len(c) for c in got) == sum(len(x) for x in expected), sum(1 for c in got if len(c) != 100) <= 1)


def closer(f):
    barrier.wait()
    try:
        f.read(10)
    except ValueError:
        pass
    f.close()


f = open(p, "rb")
threads = [threading.Thread(target=closer, args=(f,)) for k in range(NTHREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f.closed)

os.remove(p)
os.rmdir(d)
