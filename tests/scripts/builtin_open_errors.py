# open() and file methods: the exceptions CPython raises, with their messages.
import io
import os

d = "/tmp/twinpy_open_errors_%d" % os.getpid()
os.mkdir(d)
p = os.path.join(d, "e.txt")


def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", str(e).replace(d, "D"))


with open(p, "w") as f:
    f.write("data\n")

attempt("missing", lambda: open(os.path.join(d, "missing")))
attempt("exclusive", lambda: open(p, "x"))
attempt("directory", lambda: open(d))
attempt("directory w", lambda: open(d, "w"))
attempt("not a dir", lambda: open(os.path.join(p, "x")))
attempt("mode rr", lambda: open(p, "rr"))
attempt("mode rw", lambda: open(p, "rw"))
attempt("mode q", lambda: open(p, "q"))
attempt("mode tb", lambda: open(p, "rtb"))
attempt("mode none", lambda: open(p, "b"))
attempt("mode int", lambda: open(p, 5))
attempt("unbuffered text", lambda: open(p, "r", buffering=0))
attempt("binary encoding", lambda: open(p, "rb", encoding="utf-8"))
attempt("binary errors", lambda: open(p, "rb", errors="strict"))
attempt("binary newline", lambda: open(p, "rb", newline=""))
attempt("bad newline", lambda: open(p, newline="x"))
attempt("bad encoding", lambda: open(p, encoding="no-such-codec"))
attempt("file list", lambda: open([p]))
attempt("file float", lambda: open(1.5))
attempt("closefd name", lambda: open(p, closefd=False))
attempt("null byte", lambda: open("a\0b"))
attempt("keyword", lambda: open(p, colour="red"))

f = open(p)
attempt("write on r", lambda: f.write("x"))
attempt("write bytes", lambda: open(p, "a").write(b"x"))
attempt("truncate on r", lambda: f.truncate())
attempt("seek cur", lambda: f.seek(2, 1))
attempt("seek end", lambda: f.seek(-1, 2))
attempt("seek whence", lambda: f.seek(0, 7))
attempt("read float", lambda: f.read(1.5))
print(issubclass(io.UnsupportedOperation, OSError), issubclass(io.UnsupportedOperation, ValueError))
f.close()
f.close()
for name in ("read", "readline", "readlines", "tell", "fileno", "flush", "isatty",
             "readable", "__enter__", "__iter__"):
    attempt("closed " + name, getattr(f, name))
attempt("closed seek", lambda: f.seek(0))
attempt("closed write", lambda: f.write(""))
attempt("closed next", lambda: next(f))
print(f.closed, f.name == p, f.mode)

g = open(p, "wb")
attempt("read on w", lambda: g.read())
attempt("write str", lambda: g.write("text"))
attempt("seek whence b", lambda: g.seek(0, 9))
g.close()
h = open(p, "rb", buffering=0)
attempt("raw write", lambda: h.write(b"x"))
h.close()
attempt("raw closed", lambda: h.read())

try:
    open(os.path.join(d, "nope.txt"))
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror, e.filename == os.path.join(d, "nope.txt"), e.args)

os.remove(p)
os.rmdir(d)
