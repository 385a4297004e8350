# os.path: the string functions (no file system access) and abspath.
import os
import os.path
from os.path import join, split, splitext, basename, dirname, normpath, isabs

print(os.path is os.path, os.sep, os.pathsep, os.linesep == "\n", os.name, os.curdir, os.pardir)
for parts in [("a",), ("a", "b"), ("a/", "b"), ("/a", "/b", "c"), ("", "x"), ("a", ""), ("a", "b/", "c")]:
    print(parts, repr(join(*parts)))
print(join(b"x", b"y"))
for p in ["/x/y/z.py", "x", "x/", "/", "//a//b", "", "a/b/", "///c"]:
    print(repr(p), split(p), repr(basename(p)), repr(dirname(p)))
for p in ["a.txt", "a.tar.gz", ".bashrc", "..x", "dir.d/file", "x.", "/a/.b.c", "noext"]:
    print(repr(p), splitext(p))
for p in ["a/./b/../c", "/../x", "../../y", "a//b///c/", ".", "", "//s", "///t", "a/b/..", "/a/b/../.."]:
    print(repr(p), repr(normpath(p)))
print(isabs("/x"), isabs("x"), isabs(b"/y"))
print(os.path.abspath("/a/./b/..") , os.path.abspath("q") == join(os.getcwd(), "q"))
print(os.path.relpath("/a/b/c", "/a"), os.path.relpath("/a", "/a/b/c"), os.path.relpath("/x", "/x"))
print(os.path.commonprefix(["/usr/lib", "/usr/local", "/usr/libexec"]), repr(os.path.commonprefix([])))
print(os.path.commonpath(["/usr/lib", "/usr/local/lib"]))
print(os.path.expanduser("x/~"), os.path.expanduser("~") == os.environ.get("HOME", "~"))
try:
    join("a", b"b")
except TypeError as e:
    print("TypeError", e)
try:
    os.path.commonpath(["/a", "b"])
except ValueError as e:
    print("ValueError", e)


class P:
    def __fspath__(self):
        return "/p/q.x"


print(os.fspath(P()), basename(P()), splitext(P()), os.fspath("s"), os.fspath(b"b"))
try:
    os.fspath(3)
except TypeError as e:
    print("TypeError", e)
