try:
    open("this_file_does_not_exist.txt")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)
    print(e.errno, e.strerror, e.filename)
    print(isinstance(e, OSError))
try:
    open("this_file_does_not_exist.txt")
except OSError as e:
    print("caught as OSError:", type(e).__name__)
try:
    raise ConnectionError("peer went away")
except OSError as e:
    print(type(e).__name__, e)
try:
    raise TimeoutError("too slow")
except OSError as e:
    print(type(e).__name__, e)
e = OSError("plain message")
print(e, e.args)
