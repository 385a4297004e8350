# os: files and directories, stat, paths in errors.
import os
import stat

d = "/tmp/twinpy_os_files_%d" % os.getpid()
os.mkdir(d)
print(os.path.isdir(d), os.listdir(d))
a = os.path.join(d, "a.txt")
b = os.path.join(d, "b.txt")
with open(a, "w") as f:
    f.write("12345")
st = os.stat(a)
print(st.st_size, stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode), st[6], len(st))
print(type(st.st_mtime).__name__, type(st[8]).__name__, st.st_mtime_ns // 10**9 == st[8])
print(os.path.getsize(a), os.path.isfile(a), os.path.isdir(a), os.path.exists(a))
print(stat.S_ISDIR(os.stat(d).st_mode), os.stat(d).st_mode & 0o170000 == stat.S_IFDIR)
os.rename(a, b)
print(sorted(os.listdir(d)), os.path.exists(a))
os.replace(b, a)
os.mkdir(os.path.join(d, "sub"))
print(sorted(os.listdir(d)))
os.makedirs(os.path.join(d, "x", "y", "z"))
os.makedirs(os.path.join(d, "x", "y"), exist_ok=True)
print(sorted(p[len(d):] for p, dirs, files in os.walk(d)))


def attempt(label, fn):
    try:
        r = fn()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", str(e).replace(d, "D"))
        if isinstance(e, OSError):
            print("   ", e.errno, e.filename is not None and e.filename.replace(d, "D"),
                  e.filename2 and e.filename2.replace(d, "D"))


attempt("mkdir exists", lambda: os.mkdir(d))
attempt("makedirs exists", lambda: os.makedirs(os.path.join(d, "x")))
attempt("rmdir not empty", lambda: os.rmdir(os.path.join(d, "x")))
attempt("rmdir file", lambda: os.rmdir(a))
attempt("remove missing", lambda: os.remove(os.path.join(d, "nope")))
attempt("unlink dir", lambda: os.unlink(os.path.join(d, "sub")))
attempt("rename missing", lambda: os.rename(os.path.join(d, "nope"), os.path.join(d, "n2")))
attempt("stat missing", lambda: os.stat(os.path.join(d, "nope")))
attempt("listdir file", lambda: os.listdir(a))
attempt("listdir missing", lambda: os.listdir(os.path.join(d, "nope")))
attempt("stat float", lambda: os.stat(1.5))
attempt("remove int", lambda: os.remove(3))
attempt("stat nul", lambda: os.stat("a\0b"))
attempt("chdir missing", lambda: os.chdir(os.path.join(d, "nope")))
attempt("close bad fd", lambda: os.close(987654))
attempt("read bad fd", lambda: os.read(987654, 1))
attempt("fstat bad fd", lambda: os.fstat(987654))

# descriptors
fd = os.open(a, os.O_RDWR)
print(os.read(fd, 2), os.lseek(fd, 0, os.SEEK_CUR), os.lseek(fd, 0, os.SEEK_END))
print(os.write(fd, b"678"), os.fstat(fd).st_size)
fd2 = os.dup(fd)
os.lseek(fd2, 0, os.SEEK_SET)
print(os.read(fd, 100), os.get_inheritable(fd2))
os.close(fd2)
os.close(fd)
fd = os.open(os.path.join(d, "new.bin"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(fd, b"x")
os.close(fd)
attempt("O_EXCL again", lambda: os.open(os.path.join(d, "new.bin"), os.O_WRONLY | os.O_CREAT | os.O_EXCL))
r, w = os.pipe()
print(os.write(w, b"through the pipe"), os.read(r, 7), os.read(r, 100))
os.close(w)
print(os.read(r, 10))
os.close(r)
with os.fdopen(os.open(a, os.O_RDONLY)) as f:
    print(type(f).__name__, f.read())

# cwd
here = os.getcwd()
os.chdir(d)
print(os.getcwd() == os.path.realpath(d), sorted(os.listdir()))
os.chdir(here)
print(os.getcwd() == here)

for p, dirs, files in os.walk(d, topdown=False):
    for name in files:
        os.remove(os.path.join(p, name))
    os.rmdir(p)
print(os.path.exists(d))
