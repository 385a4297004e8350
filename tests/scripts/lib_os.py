import os

print(os.path.join("a", "b", "c.txt"), os.sep)
print(os.path.exists("lib_os.py"), os.path.exists("no_such_file.xyz"))
print(os.path.basename("/x/y/z.py"), os.path.dirname("/x/y/z.py"))
print(isinstance(os.getpid(), int), os.getpid() > 0)
print(os.path.isfile("lib_os.py"), os.path.isdir("."))
print(os.environ.get("TWINPY_SURELY_UNSET_VARIABLE", "unset"))
print("lib_os.py" in os.listdir("."))
