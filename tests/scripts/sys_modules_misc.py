import sys
import time

t0 = time.perf_counter()
s = 0
for i in range(1000):
    s += i
t1 = time.perf_counter()
print(s, t1 >= t0, type(t1).__name__)
print("sys" in sys.modules, sys.modules["sys"] is sys)
sys.stdout.write("written with sys.stdout.write\n")
print(type(sys.argv).__name__)
