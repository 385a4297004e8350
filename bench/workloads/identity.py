# What bench/run records about an interpreter: implementation, version,
# whether a GIL is on, and the size of a bare object when the interpreter
# can tell (sys.getsizeof).
import sys
import wl

impl = sys.implementation.name
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
header = sys.getsizeof(object()) if hasattr(sys, "getsizeof") else 0
print(sys.version.replace("\n", " "))
wl.report(impl=impl, version="%d.%d.%d" % tuple(sys.version_info[:3]), gil=int(gil),
          object_bytes=header, switchinterval=sys.getswitchinterval())
