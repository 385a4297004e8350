# os.fork in a program with running threads: in the child only the forking
# thread is left and it is the main thread; a child that ends normally waits
# for the non-daemon threads it started, one that calls os._exit does not.
import os
import sys
import threading
import time

stop = threading.Event()
spins = [0]


def cpu():
    while not stop.is_set():
        spins[0] += 1


def io():
    while not stop.is_set():
        time.sleep(0.001)


workers = [threading.Thread(target=cpu, name="cpu"), threading.Thread(target=io, name="io")]
for t in workers:
    t.start()
print("parent threads", sorted(t.name for t in threading.enumerate()))


def read_all(fd):
    chunks = []
    while True:
        b = os.read(fd, 1000)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def fork_and_wait(child):
    """Run child() in a forked child; return its exit code and what it wrote
    to the pipe it was given."""
    r, w = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child(w)
        os._exit(99)  # child() does not return
    os.close(w)
    data = read_all(r)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), data.decode()


def child_state(w):
    me = threading.current_thread()
    facts = [
        me is threading.main_thread(),
        me.name,
        threading.active_count(),
        [t.name for t in threading.enumerate()],
        [t.is_alive() for t in workers],
    ]
    # A new thread works in the child and can be joined.
    box = []
    t = threading.Thread(target=lambda: box.append(sum(range(1000))))
    t.start()
    t.join()
    facts.append(box)
    facts.append(threading.active_count())
    os.write(w, repr(facts).encode())
    os._exit(0)


print("state", fork_and_wait(child_state))


def late_writer(w, delay):
    time.sleep(delay)
    os.write(w, b"late thread wrote")


def child_exits_normally(w):
    threading.Thread(target=late_writer, args=(w, 0.2)).start()
    # sys.exit runs threading._shutdown: the non-daemon thread finishes first.
    sys.exit(5)


print("sys.exit", fork_and_wait(child_exits_normally))


def child_os_exit(w):
    threading.Thread(target=late_writer, args=(w, 0.5)).start()
    os._exit(6)


print("os._exit", fork_and_wait(child_os_exit))


def fork_from_thread(out):
    def child(w):
        me = threading.current_thread()
        os.write(w, repr([me is threading.main_thread(), me.name, threading.active_count()]).encode())
        os._exit(0)

    out.append(fork_and_wait(child))


out = []
t = threading.Thread(target=fork_from_thread, args=(out,), name="forker")
t.start()
t.join()
print("from a thread", out)

stop.set()
for t in workers:
    t.join()
print("spun", spins[0] > 0)
print("parent after", threading.current_thread() is threading.main_thread(), threading.active_count())
