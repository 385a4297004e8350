# zlib in several threads (large buffers are compressed with the GIL
# released): every thread's results equal one thread's.
import threading
import zlib

NTHREADS = 4


def make_buffers():
    bufs = []
    for k in range(12):
        n = 100 + k * 9000  # from 100 bytes to about 100 KiB
        text = "".join("line %d of buffer %d %s\n" % (i, k, "ab" * (i % 17)) for i in range(n // 20))
        bufs.append(text.encode()[:n])
    return bufs


def work(bufs):
    out = []
    for level in (1, 6, 9):
        for b in bufs:
            c = zlib.compress(b, level)
            d = zlib.decompress(c)
            out.append((len(c), zlib.crc32(c), zlib.adler32(b), zlib.crc32(b), d == b))
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = b"".join(co.compress(b) for b in bufs) + co.flush()
    do = zlib.decompressobj(-15)
    back = b"".join(do.decompress(stream[i:i + 5000]) for i in range(0, len(stream), 5000)) + do.flush()
    out.append((zlib.crc32(stream), back == b"".join(bufs)))
    return out


bufs = make_buffers()
expected = work(bufs)
results = [None] * NTHREADS
barrier = threading.Barrier(NTHREADS)


def runner(k):
    barrier.wait()
    results[k] = work(bufs)


threads = [threading.Thread(target=runner, args=(k,)) for k in range(NTHREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(expected), [r == expected for r in results])
print(all(e[-1] for e in expected[:-1]), expected[-1][1])
