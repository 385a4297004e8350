# threading.Thread: names, arguments, start/join, liveness, subclassing,
# daemon flags and the errors of misuse.
import threading
import time

main = threading.current_thread()
print(main.name, main is threading.main_thread(), main.daemon, main.is_alive())
print(type(main).__name__, main.ident == threading.get_ident())
print(isinstance(threading.get_native_id(), int), main.native_id == threading.get_native_id())

results = {}


def work(key, n, scale=1):
    me = threading.current_thread()
    results[key] = (me.name, sum(range(n)) * scale, me.ident == threading.get_ident())


t = threading.Thread(target=work, args=("a", 10), kwargs={"scale": 3})
print(t.name, repr(t), t.is_alive(), t.ident, t.native_id, t.daemon)
t.start()
t.join()
print(results["a"], t.is_alive(), isinstance(t.ident, int), isinstance(t.native_id, int))

named = threading.Thread(target=work, args=("b", 5), name="worker")
print(named.name)
named.start()
named.join()
print(results["b"])
numbered = threading.Thread(name=42)
print(numbered.name)
anonymous = [threading.Thread() for _ in range(2)]
print([x.name for x in anonymous])
lam = threading.Thread(target=lambda: None)
print(lam.name)


class Counter:
    def __call__(self):
        results["callable"] = True


print(threading.Thread(target=Counter()).name)


class Squares(threading.Thread):
    def __init__(self, n):
        super().__init__(name="squares")
        self.n = n
        self.out = None

    def run(self):
        self.out = [i * i for i in range(self.n)]


s = Squares(6)
s.start()
s.join()
print(s.out, repr(s).startswith("<Squares(squares, stopped "))

# The default daemon flag is the creating thread's.
inner = {}


def spawn():
    child = threading.Thread(target=lambda: None)
    inner["daemon"] = child.daemon


d = threading.Thread(target=spawn, daemon=True)
print(d.daemon)
d.start()
d.join()
print(inner["daemon"], threading.Thread(target=spawn).daemon)
d2 = threading.Thread(target=spawn)
d2.daemon = True
print(d2.daemon)

# Misuse.
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    t.daemon = False
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.Thread().join()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    main.join()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    threading.Thread(group=1)
except AssertionError as e:
    print("AssertionError:", e)


class NoInit(threading.Thread):
    def __init__(self):
        pass


try:
    NoInit().start()
except RuntimeError as e:
    print("RuntimeError:", e)

# join with a timeout on a thread that waits for an event.
gate = threading.Event()
waiter = threading.Thread(target=gate.wait)
waiter.start()
waiter.join(0.01)
print("alive while blocked:", waiter.is_alive())
gate.set()
waiter.join(5)
print("alive after set:", waiter.is_alive())
waiter.join(-1)
print(repr(waiter).endswith(")>"), "stopped" in repr(waiter))

# A thread sees itself through current_thread(); many threads at once.
seen = []
lock = threading.Lock()


def record(i):
    with lock:
        seen.append((i, threading.current_thread().name))


threads = [threading.Thread(target=record, args=(i,), name="r%d" % i) for i in range(8)]
for x in threads:
    x.start()
for x in threads:
    x.join()
print(sorted(seen))
print(all(not x.is_alive() for x in threads))
print(len(set(x.ident for x in threads)) >= 1)

# The name property converts to str.
t3 = threading.Thread(name="old")
t3.name = "new"
print(t3.name)
t3.name = 7
print(repr(t3.name))
