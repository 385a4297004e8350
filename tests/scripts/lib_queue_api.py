# The queue module's classes one method at a time, without threads.
import queue

print(queue.__all__ if hasattr(queue, "__all__") else None)
print(issubclass(queue.Empty, Exception), issubclass(queue.Full, Exception))

q = queue.Queue(maxsize=3)
print(q.maxsize, q.qsize(), q.empty(), q.full(), q.unfinished_tasks)
for x in "abc":
    q.put(x)
print(q.qsize(), q.empty(), q.full(), q.unfinished_tasks)
try:
    q.put_nowait("d")
except queue.Full as e:
    print("Full", repr(e))
try:
    q.put("d", timeout=0)
except queue.Full:
    print("Full with timeout 0")
print(q.get(), q.get_nowait(), q.get(block=False), q.empty())
try:
    q.get(timeout=0.001)
except queue.Empty as e:
    print("Empty", repr(e))
for bad in (lambda: q.put(1, timeout=-1), lambda: q.get(timeout=-0.5)):
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
print(q.qsize(), q.unfinished_tasks)
for _ in range(q.unfinished_tasks):
    q.task_done()
q.join()
try:
    q.task_done()
except ValueError as e:
    print("ValueError:", e)

u = queue.Queue()
print(u.maxsize, u.full())
for i in range(1000):
    u.put(i)
print(u.qsize(), u.full(), sum(u.get() for _ in range(1000)))
neg = queue.Queue(-1)
neg.put(1)
print(neg.full(), neg.get(False))

lq = queue.LifoQueue()
for i in range(5):
    lq.put(i)
print([lq.get() for _ in range(5)], lq.empty())
lq2 = queue.LifoQueue(2)
lq2.put(1)
lq2.put(2)
print(lq2.full())
try:
    lq2.put_nowait(3)
except queue.Full:
    print("LifoQueue Full")

pq = queue.PriorityQueue()
for x in [5, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]:
    pq.put(x)
print(pq.queue)
print([pq.get() for _ in range(pq.qsize())])
for item in [(2, "two"), (1, "one"), (3, "three"), (1, "uno")]:
    pq.put(item)
print([pq.get_nowait() for _ in range(4)])
try:
    pq.get_nowait()
except queue.Empty:
    print("PriorityQueue Empty")
bad = queue.PriorityQueue()
bad.put(1)
try:
    bad.put("x")
except TypeError as e:
    print("TypeError:", e)


class Job:
    def __init__(self, prio, name):
        self.prio = prio
        self.name = name

    def __lt__(self, other):
        return self.prio < other.prio


jobs = queue.PriorityQueue()
for i, p in enumerate([3, 1, 2, 1, 3, 2, 1]):
    jobs.put(Job(p, "job%d" % i))
print([(j.prio, j.name) for j in (jobs.get() for _ in range(7))])

sq = queue.SimpleQueue()
print(sq.empty(), sq.qsize())
for i in range(3):
    sq.put(i)
sq.put_nowait(3)
print(sq.qsize(), sq.get(), sq.get_nowait(), sq.get(False), sq.get(True, 1), sq.empty())
try:
    sq.get_nowait()
except queue.Empty:
    print("SimpleQueue Empty")
try:
    sq.get(timeout=0.001)
except queue.Empty:
    print("SimpleQueue Empty after timeout")
try:
    sq.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)


class Tagged(queue.Queue):
    def _put(self, item):
        self.queue.append(("tag", item))


tq = Tagged()
tq.put(1)
print(tq.get())
