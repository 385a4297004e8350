# queue.Queue between threads: producers and consumers, task_done/join,
# a bounded queue that blocks producers, timeouts, and SimpleQueue.
import queue
import threading
import time

q = queue.Queue(maxsize=5)
results = []
lock = threading.Lock()
N_PROD, PER = 3, 200


def producer(base):
    for i in range(PER):
        q.put(base + i)


def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        with lock:
            results.append(item)
        q.task_done()


consumers = [threading.Thread(target=consumer) for _ in range(2)]
producers = [threading.Thread(target=producer, args=(k * 1000,)) for k in range(N_PROD)]
for t in consumers + producers:
    t.start()
for t in producers:
    t.join()
q.join()
print("after join:", q.unfinished_tasks, q.empty(), len(results))
for _ in consumers:
    q.put(None)
for t in consumers:
    t.join()
print(sorted(results) == sorted(k * 1000 + i for k in range(N_PROD) for i in range(PER)))

# A full bounded queue makes put wait until a get makes room.
b = queue.Queue(1)
b.put("first")
order = []


def slow_get():
    time.sleep(0.02)
    order.append("getting")
    order.append(b.get())


t = threading.Thread(target=slow_get)
t.start()
b.put("second", timeout=10)
order.append("put second")
t.join()
print(order[0], sorted(order[1:]), b.get_nowait())

# Timeouts on a queue nobody feeds.
e = queue.Queue(1)
t0 = time.monotonic()
try:
    e.get(timeout=0.03)
except queue.Empty:
    print("Empty after timeout", time.monotonic() - t0 >= 0.025)
e.put(1)
try:
    e.put(2, timeout=0.01)
except queue.Full:
    print("Full after timeout")
try:
    e.put(2, block=False)
except queue.Full:
    print("Full without blocking")

# join() waits for task_done from another thread.
j = queue.Queue()
for i in range(3):
    j.put(i)
handled = []


def handle():
    while True:
        try:
            item = j.get_nowait()
        except queue.Empty:
            return
        handled.append(item)
        j.task_done()


t = threading.Thread(target=handle)
t.start()
j.join()
t.join()
print("handled:", handled)

# SimpleQueue: a blocked get wakes on put.
sq = queue.SimpleQueue()
got = []
t = threading.Thread(target=lambda: got.append(sq.get(timeout=10)))
t.start()
time.sleep(0.01)
sq.put("hello")
t.join()
print(got, sq.empty())
outs = []
workers = [threading.Thread(target=lambda: outs.append(sq.get())) for _ in range(4)]
for w in workers:
    w.start()
for i in range(4):
    sq.put(i)
for w in workers:
    w.join()
print(sorted(outs))

# Priority and LIFO order hold with several producers.
pq = queue.PriorityQueue()
ts = [threading.Thread(target=lambda k=k: [pq.put((i * 10 + k, k)) for i in range(5)])
      for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print([pq.get()[0] for _ in range(pq.qsize())])
