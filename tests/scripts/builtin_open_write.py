import os

path = "/tmp/twinpy_script_test_%d.txt" % os.getpid()
with open(path, "w") as f:
    n = f.write("hello\n")
    f.write("wörld\n")
print(n)
with open(path, "a") as f:
    print("appended by print", file=f)
with open(path) as f:
    print(repr(f.read()))
with open(path, "wb") as f:
    f.write(b"\x00\x01binary")
with open(path, "rb") as f:
    print(f.read())
os.remove(path)
print(os.path.exists(path))
