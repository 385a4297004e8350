# Native release: N threads each compress the same large buffer with
# zlib.compress, which runs in C with the GIL released (detached in the
# free-threaded build).  Both builds scale with the cores.
#   n=threads  size=buffer bytes  reps=compressions per thread  level=1..9
import threading
import time
import zlib
import wl

p = wl.params({"n": 1, "size": 2000000, "reps": 4, "level": 6})


def make_buffer(size):
    """Text-like bytes that compress about 3:1, the same on every run."""
    words = [b"alpha", b"beta", b"gamma", b"delta", b"epsilon", b"zeta", b"eta", b"theta",
             b"iota", b"kappa", b"lambda", b"mu", b"nu", b"xi", b"omicron", b"pi"]
    parts = []
    seed = 12345
    length = 0
    while length < size:
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        word = words[(seed >> 16) & 15] + str(seed % 1000).encode() + b" "
        parts.append(word)
        length += len(word)
    return b"".join(parts)[:size]


def compressor(data, reps, level, sizes, index, barrier):
    barrier.wait()
    out = 0
    for _ in range(reps):
        out = len(zlib.compress(data, level))
    sizes[index] = out


data = make_buffer(p["size"])
n = p["n"]
sizes = [0] * n
barrier = threading.Barrier(n + 1)
threads = [threading.Thread(target=compressor, args=(data, p["reps"], p["level"], sizes, i, barrier))
           for i in range(n)]
for t in threads:
    t.start()
barrier.wait()
t0 = time.perf_counter()
for t in threads:
    t.join()
seconds = time.perf_counter() - t0
if len(set(sizes)) != 1:
    raise SystemExit("threads disagree on the compressed size: %r" % (sizes,))
wl.report(n=n, size=len(data), compressed=sizes[0], reps=p["reps"], seconds=seconds,
          mb_per_second=n * p["reps"] * len(data) / seconds / 1e6)
