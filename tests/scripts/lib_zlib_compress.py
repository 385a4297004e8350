# zlib: compressed bytes identical to CPython's for every level and format,
# round trips, checksums and CPython's errors.
import zlib

text = "".join("line %d of some text that repeats a little %d\n" % (i, i % 7) for i in range(2000)).encode()
noise = bytes((i * 7919 + (i >> 3) * 31) % 256 for i in range(30000))
samples = [b"", b"a", b"hello hello hello", text, noise, bytearray(text[:5000])]
for data in samples:
    for level in [-1, 0, 1, 6, 9]:
        c = zlib.compress(data, level)
        print(len(data), level, len(c), zlib.crc32(c), zlib.decompress(c) == bytes(data))
for wbits in [9, 15, -15, -9, 31, 25]:
    c = zlib.compress(text, 6, wbits)
    print(wbits, len(c), zlib.crc32(c), c[:4].hex(), zlib.decompress(c, wbits) == text)
print(zlib.decompress(zlib.compress(text, wbits=31), 47) == text, zlib.decompress(zlib.compress(text), 32 + 15) == text)
print(zlib.decompress(zlib.compress(text), bufsize=1) == text, zlib.decompress(zlib.compress(noise), 15, 100) == noise)
print(zlib.compress(b"abc", level=9) == zlib.compress(b"abc", 9), zlib.decompress(zlib.compress(b"x") + b"trailing"))

print(zlib.crc32(text), zlib.crc32(noise), zlib.crc32(b"abc", 12345), zlib.crc32(b"abc", -1), zlib.crc32(b"abc", 2 ** 40 + 5))
print(zlib.adler32(text), zlib.adler32(noise), zlib.adler32(b"abc", 0), zlib.adler32(b"abc", -1), zlib.adler32(bytearray(b"xyz")))
c = 0
for i in range(0, len(noise), 1000):
    c = zlib.crc32(noise[i:i + 1000], c)
print(c == zlib.crc32(noise))

def attempt(f, *args, **kwargs):
    try:
        r = f(*args, **kwargs)
        print("ok", r if len(repr(r)) < 60 else len(r))
    except Exception as e:
        print(type(e).__name__ + ":", e)

attempt(zlib.decompress, b"not compressed data")
attempt(zlib.decompress, zlib.compress(text)[:-10])
attempt(zlib.decompress, zlib.compress(text)[:50])
attempt(zlib.decompress, b"")
attempt(zlib.decompress, zlib.compress(text), -15)
attempt(zlib.decompress, zlib.compress(text), 3)
attempt(zlib.decompress, zlib.compress(text), 15, -1)
attempt(zlib.compress, text, 10)
attempt(zlib.compress, text, -2)
attempt(zlib.compress, text, 6, 99)
attempt(zlib.compress, "text")
attempt(zlib.compress, None)
attempt(zlib.crc32, "text")
attempt(zlib.adler32, 5)
attempt(zlib.crc32, b"x", 1.5)
print(issubclass(zlib.error, Exception), zlib.error.__name__, zlib.error.__module__)
print(zlib.MAX_WBITS, zlib.DEFLATED, zlib.DEF_MEM_LEVEL, zlib.DEF_BUF_SIZE, zlib.Z_NO_COMPRESSION,
      zlib.Z_BEST_SPEED, zlib.Z_BEST_COMPRESSION, zlib.Z_DEFAULT_COMPRESSION, zlib.Z_FILTERED,
      zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED, zlib.Z_DEFAULT_STRATEGY, zlib.Z_NO_FLUSH,
      zlib.Z_PARTIAL_FLUSH, zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH, zlib.Z_FINISH, zlib.Z_BLOCK, zlib.Z_TREES)
print(zlib.ZLIB_VERSION == zlib.ZLIB_RUNTIME_VERSION, type(zlib.ZLIB_VERSION).__name__)
