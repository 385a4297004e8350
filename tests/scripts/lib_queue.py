import queue

q = queue.Queue()
print(q.empty(), q.qsize())
for i in range(5):
    q.put(i * i)
print(q.empty(), q.qsize())
print([q.get() for _ in range(3)], q.qsize())
q.put("last")
print(q.get(), q.get(), q.get())
try:
    q.get_nowait()
except queue.Empty:
    print("queue.Empty")
lq = queue.LifoQueue()
for c in "abc":
    lq.put(c)
print(lq.get(), lq.get(), lq.get())
bq = queue.Queue(maxsize=1)
bq.put(1)
try:
    bq.put_nowait(2)
except queue.Full:
    print("queue.Full")
