# threading.local: each thread sees its own attributes; a subclass's
# __init__ runs again, with the constructor's arguments, in each thread
# that first touches the object.
import threading

data = threading.local()
data.x = "main"
print(data.x, data.__dict__)
seen = {}
lock = threading.Lock()


def look(key):
    before = hasattr(data, "x")
    data.x = key
    data.y = [key]
    after = data.x
    with lock:
        seen[key] = (before, after, sorted(data.__dict__))


ts = [threading.Thread(target=look, args=("t%d" % i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for k in sorted(seen):
    print(k, seen[k])
print(data.x, hasattr(data, "y"))

try:
    data.missing
except AttributeError as e:
    print("AttributeError:", e)
del data.x
print(hasattr(data, "x"))
try:
    del data.x
except AttributeError as e:
    print("AttributeError:", e)
try:
    data.__dict__ = {}
except AttributeError as e:
    print("AttributeError:", e)
try:
    threading.local(1)
except TypeError as e:
    print("TypeError:", e)
print(type(data).__name__, isinstance(data, threading.local))


class Config(threading.local):
    created = 0  # a class attribute: shared

    def __init__(self, level, tag="t"):
        self.level = level
        self.tag = tag
        self.items = []

    def bump(self):
        self.level += 1
        return self.level


cfg = Config(10, tag="k")
cfg.bump()
cfg.items.append("main")
results = {}


def use_config(name):
    first = (cfg.level, cfg.tag, list(cfg.items))
    cfg.bump()
    cfg.bump()
    cfg.items.append(name)
    with lock:
        results[name] = (first, cfg.level, cfg.items)


ts = [threading.Thread(target=use_config, args=("w%d" % i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for k in sorted(results):
    print(k, results[k])
print(cfg.level, cfg.items, Config.created)


class Plain(threading.local):
    pass


try:
    Plain(1)
except TypeError as e:
    print("TypeError:", e)
p = Plain()
p.v = 1
t = threading.Thread(target=lambda: results.update(plain=hasattr(p, "v")))
t.start()
t.join()
print(results["plain"], p.v)


class Slotted(threading.local):
    @property
    def double(self):
        return self.value * 2

    def __init__(self):
        self.value = 21


s = Slotted()
print(s.double)
t = threading.Thread(target=lambda: results.update(slot=s.double))
t.start()
t.join()
print(results["slot"])
