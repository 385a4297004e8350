# zlib: compressobj and decompressobj streams, as CPython: flush modes,
# strategies, dictionaries, max_length with unconsumed_tail, unused_data, eof.
import zlib

text = "".join("record %05d: %s\n" % (i, "xy" * (i % 13)) for i in range(3000)).encode()

for args in [(), (9,), (1, zlib.DEFLATED, -15), (6, zlib.DEFLATED, 31, 9, zlib.Z_FILTERED),
             (6, zlib.DEFLATED, 15, 8, zlib.Z_HUFFMAN_ONLY), (6, zlib.DEFLATED, 15, 8, zlib.Z_RLE)]:
    co = zlib.compressobj(*args)
    parts = [co.compress(text[i:i + 7000]) for i in range(0, len(text), 7000)]
    parts.append(co.flush())
    out = b"".join(parts)
    print(args, [len(p) for p in parts], zlib.crc32(out))

co = zlib.compressobj()
a = co.compress(text[:1000]) + co.flush(zlib.Z_SYNC_FLUSH)
b = co.compress(text[1000:2000]) + co.flush(zlib.Z_FULL_FLUSH)
c = co.compress(text[2000:3000]) + co.flush(zlib.Z_NO_FLUSH) + co.flush()
print(len(a), len(b), len(c), a[-4:].hex(), zlib.crc32(a + b + c), zlib.decompress(a + b + c) == text[:3000])
try:
    co.compress(b"more")
except zlib.error as e:
    print("zlib.error:", e)
try:
    co.flush()
except zlib.error as e:
    print("zlib.error:", e)

co = zlib.compressobj()
head = co.compress(text[:5000])
dup = co.copy()
t1 = head + co.compress(b"tail one") + co.flush()
t2 = head + dup.compress(b"tail two") + dup.flush()
print(zlib.decompress(t1)[-8:], zlib.decompress(t2)[-8:])

zd = b"record xyxyxyxyxy"
co = zlib.compressobj(zdict=zd)
cz = co.compress(text[:500]) + co.flush()
print(len(cz), zlib.crc32(cz))
do = zlib.decompressobj(zdict=zd)
print(do.decompress(cz) == text[:500], do.eof)
try:
    zlib.decompress(cz)
except zlib.error as e:
    print("zlib.error:", e)

packed = zlib.compress(text)
do = zlib.decompressobj()
got = []
for i in range(0, len(packed), 999):
    got.append(do.decompress(packed[i:i + 999]))
got.append(do.flush())
print(b"".join(got) == text, do.eof, do.unused_data, do.unconsumed_tail)

do = zlib.decompressobj()
chunk = do.decompress(packed, 100)
print(len(chunk), chunk == text[:100], len(do.unconsumed_tail), do.eof)
total = chunk
while do.unconsumed_tail:
    total += do.decompress(do.unconsumed_tail, 10000)
print(len(total), total == text, do.eof)

do = zlib.decompressobj()
print(len(do.decompress(packed + b"EXTRA" * 3)), do.unused_data, do.eof, do.decompress(b"ignored?"), do.unused_data)

do = zlib.decompressobj()
first = do.decompress(packed[:2000], 50)
print(len(first), len(do.unconsumed_tail), len(do.flush()), do.eof)

do = zlib.decompressobj(-15)
raw = zlib.compress(text, 6, -15)
print(do.decompress(raw) == text, do.eof)
do = zlib.decompressobj(31)
print(do.decompress(zlib.compress(text, 6, 31)) == text)

do = zlib.decompressobj()
try:
    do.decompress(b"garbage!")
except zlib.error as e:
    print("zlib.error:", e)
for bad in [lambda: zlib.decompressobj().decompress(b"x", -1), lambda: zlib.decompressobj().flush(0),
            lambda: zlib.compressobj(10), lambda: zlib.compressobj(6, 9), lambda: zlib.decompressobj(3),
            lambda: zlib.decompressobj(zdict="s"), lambda: zlib.compressobj().compress("s")]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__ + ":", e)
print(type(zlib.compressobj()).__name__, type(zlib.decompressobj()).__name__)
