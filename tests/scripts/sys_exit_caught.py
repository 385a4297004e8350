import sys

for arg in (0, 2, "msg", None):
    try:
        sys.exit(arg)
    except SystemExit as e:
        print("caught", repr(e.code))
print("still running")
