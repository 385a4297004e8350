import time

t0 = time.perf_counter()
total = 0
for i in range(20000):
    total += i * i
t1 = time.perf_counter()
print(total)
print(t1 >= t0, isinstance(t1, float))
start = time.time()
print(start > 1600000000)
m0 = time.monotonic()
print(time.monotonic() >= m0)
