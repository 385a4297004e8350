# Blocking calls let other threads run.  The switch interval is set so
# long that a thread holding a GIL is never asked to drop it: every hand
# over below comes from the blocking call itself (time.sleep, including
# sleep(0), Lock.acquire, Event.wait, Thread.join, Queue.get).  A call
# that kept the GIL would hang the script.
import queue
import sys
import threading
import time

print(sys.getswitchinterval())
sys.setswitchinterval(1000.0)
print(sys.getswitchinterval())

done = threading.Event()
steps = []


def worker():
    for i in range(1000):
        steps.append(i)
    done.set()


t = threading.Thread(target=worker)
t.start()
spins = 0
while not done.is_set():
    time.sleep(0)
    spins += 1
t.join()
print("sleep(0):", len(steps))

steps.clear()
done.clear()
t = threading.Thread(target=worker)
t.start()
while not done.is_set():
    time.sleep(0.001)
t.join()
print("sleep(0.001):", len(steps))

lock = threading.Lock()
lock.acquire()
t = threading.Thread(target=lambda: (steps.append("released"), lock.release()))
t.start()
lock.acquire()
print("lock:", steps[-1])
t.join()

q = queue.Queue()
t = threading.Thread(target=lambda: [q.put(i * i) for i in range(5)])
t.start()
print("queue:", [q.get() for _ in range(5)])
t.join()

ev = threading.Event()
t = threading.Thread(target=ev.set)
t.start()
print("event:", ev.wait())
t.join()

for bad in (0, -1, 0.0):
    try:
        sys.setswitchinterval(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    sys.setswitchinterval("x")
except TypeError as e:
    print("TypeError:", e)
sys.setswitchinterval(0.005)
print(sys.getswitchinterval())
