# Binary files: buffered and unbuffered classes, reads, seeks, read/write mixes.
import os

d = "/tmp/twinpy_open_binary_%d" % os.getpid()
os.mkdir(d)
p = os.path.join(d, "b.bin")

with open(p, "wb") as f:
    print(type(f).__name__, repr(f).replace(d, "D"), f.mode)
    print(f.write(b"0123456789\n"), f.write(bytearray(b"abc\n")), f.tell())
    f.writelines([b"x\n", b"yz"])
with open(p, "rb") as f:
    print(type(f).__name__, repr(f).replace(d, "D"), f.mode)
    print(f.read(4), f.tell())
    print(f.readline(), f.readline(2), f.readline())
    print(f.readlines())
    print(f.read(), f.read(3))
    print(f.seek(-3, 2), f.read())
    print(f.seek(2), f.seek(3, 1), f.read(2))
with open(p, "rb") as f:
    print(list(f))
with open(p, "rb", buffering=0) as f:
    print(type(f).__name__, repr(f).replace(d, "D"), f.closefd)
    print(f.read(3), f.readline(), f.read())
print(repr(f))
with open(p, "r+b") as f:
    print(type(f).__name__, f.mode)
    print(f.read(2))
    f.write(b"__")
    f.seek(0)
    print(f.read(6))
    print(f.truncate(4), f.tell())
    f.seek(0)
    print(f.read())
with open(p, "w+b") as f:
    print(f.mode)
    f.write(b"hello")
    f.seek(1)
    print(f.read(3))
with open(p, "ab") as f:
    print(f.mode, f.tell())
    f.write(b"++")
with open(p, "a+b") as f:
    print(f.mode)
    f.seek(0)
    print(f.read())
with open(p, "rb", buffering=16) as f:
    print(f.read(40))

big = bytes(range(256)) * 100
with open(p, "wb") as f:
    f.write(big)
with open(p, "rb") as f:
    data = f.read()
    print(len(data), data == big)
with open(p, "rb") as f:
    parts = []
    while True:
        chunk = f.read(1000)
        if not chunk:
            break
        parts.append(chunk)
    print(len(parts), b"".join(parts) == big)
print(os.path.getsize(p), os.stat(p).st_size)

fd = os.open(p, os.O_RDONLY)
with open(fd, "rb") as f:
    print(f.name == fd, f.read(3))
try:
    os.fstat(fd)
except OSError as e:
    print(type(e).__name__, e.errno)
fd = os.open(p, os.O_RDONLY)
f = open(fd, "rb", closefd=False)
f.close()
print(os.read(fd, 2))
os.close(fd)

os.remove(p)
os.rmdir(d)
