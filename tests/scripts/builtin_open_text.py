# Text files: reading sizes, lines, newline translation, encodings, seek/tell.
import os

d = "/tmp/twinpy_open_text_%d" % os.getpid()
os.mkdir(d)
p = os.path.join(d, "t.txt")

with open(p, "w") as f:
    print(repr(f).replace(d, "D"))
    print(f.name == p, f.mode, f.encoding, f.errors, f.closed, f.line_buffering)
    print(f.readable(), f.writable(), f.seekable())
    print(f.write("héllo wörld\n"), f.write("line two\n"))
    f.writelines(["a\n", "b\n", "end"])
    print(f.tell())
print(f.closed)

with open(p) as f:
    print(repr(f.read(3)), f.tell())
    print(repr(f.read(4)))
    print(repr(f.readline()))
    print(repr(f.readline(4)), repr(f.readline()))
    print(f.readlines())
    print(repr(f.read()), repr(f.readline()))
    f.seek(0)
    print(repr(f.readline()), f.tell())
    print(f.seek(0, 2), repr(f.read()))

with open(p, encoding="utf-8") as f:
    print([len(line) for line in f])

# newline translation on read: None (universal), '' (split, keep), '\n', '\r'
with open(p, "wb") as f:
    f.write(b"one\r\ntwo\rthree\nfour\r\n")
for nl in (None, "", "\n", "\r", "\r\n"):
    with open(p, newline=nl) as f:
        lines = list(f)
        print(repr(nl), lines)
with open(p) as f:
    print(repr(f.read()), f.newlines)
with open(p) as f:
    print(repr(f.read(5)), repr(f.read(5)))

# newline translation on write
for nl in (None, "", "\n", "\r", "\r\n"):
    with open(p, "w", newline=nl) as f:
        f.write("x\ny\n")
    with open(p, "rb") as f:
        print(repr(nl), f.read())

# other encodings
with open(p, "w", encoding="latin-1") as f:
    print(repr(f).replace(d, "D"))
    f.write("café\n")
with open(p, "rb") as f:
    print(f.read())
with open(p, encoding="latin-1") as f:
    print(repr(f.read()))
try:
    with open(p) as f:
        f.read()
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
with open(p, errors="replace") as f:
    print(repr(f.read()))
with open(p, "w", encoding="ascii") as f:
    try:
        f.write("naïve")
    except UnicodeEncodeError as e:
        print(type(e).__name__, e)

# append and read/write modes
with open(p, "w") as f:
    f.write("abc\n")
with open(p, "a") as f:
    print(f.tell())
    f.write("def\n")
with open(p, "r+") as f:
    print(repr(f.readline()))
    f.write("XYZ\n")
    f.seek(0)
    print(repr(f.read()))
with open(p, "w+") as f:
    f.write("fresh")
    f.seek(0)
    print(repr(f.read()))
with open(p, "a+") as f:
    f.write("!")
    f.seek(0)
    print(repr(f.read()))

os.remove(p)
os.rmdir(d)
print(os.path.exists(d))
