import zlib

data = b"twinpy " * 100 + bytes(range(256))
print(zlib.crc32(b""), zlib.crc32(b"hello"), zlib.crc32(data))
print(zlib.adler32(b""), zlib.adler32(b"hello"), zlib.adler32(data))
packed = zlib.compress(data)
print(len(packed) < len(data), zlib.decompress(packed) == data)
print(zlib.decompress(zlib.compress(b"")) == b"")
print(zlib.crc32(b"world", zlib.crc32(b"hello ")) == zlib.crc32(b"hello world"))
try:
    zlib.decompress(b"not compressed data")
except zlib.error:
    print("zlib.error for bad input")
