# The _thread module under threading: start_new_thread, locks, RLock,
# get_ident, stack_size, TIMEOUT_MAX and its errors.
import _thread
import time

print(_thread.error is RuntimeError, _thread.TIMEOUT_MAX)
print(type(_thread.allocate_lock()) is _thread.LockType, _thread.LockType.__name__)
print(isinstance(_thread.get_ident(), int), isinstance(_thread.get_native_id(), int))
print(_thread.stack_size())
for size in (4096, -1):
    try:
        _thread.stack_size(size)
    except ValueError as e:
        print("ValueError:", e)
print(_thread.stack_size(1 << 20), _thread.stack_size(0))

done = _thread.allocate_lock()
done.acquire()
box = {}


def worker(a, b, c=0):
    box["sum"] = a + b + c
    box["ident"] = _thread.get_ident()
    done.release()


ident = _thread.start_new_thread(worker, (1, 2), {"c": 3})
done.acquire()
print(box["sum"], box["ident"] == ident, ident != _thread.get_ident())

for args in [(1, ()), (print, []), (print, (), 1), (print,)]:
    try:
        _thread.start_new_thread(*args)
    except TypeError as e:
        print("TypeError:", e)
try:
    _thread.LockType()
except TypeError as e:
    print("TypeError:", e)

# _thread.exit() ends a thread quietly.
def leave():
    box["before"] = True
    try:
        _thread.exit()
    finally:
        done.release()
    box["after"] = True


_thread.start_new_thread(leave, ())
done.acquire()
time.sleep(0.01)
print(box.get("before"), box.get("after"))

# Counting threads started here.
hold = _thread.allocate_lock()
hold.acquire()
started = _thread.allocate_lock()
started.acquire()


def parked():
    started.release()
    hold.acquire()
    hold.release()


base = _thread._count()
_thread.start_new_thread(parked, ())
started.acquire()
print(_thread._count() - base)
hold.release()

r = _thread.RLock()
print(r.acquire(), r.acquire(), r._is_owned())
r.release()
r.release()
print(r._is_owned())
