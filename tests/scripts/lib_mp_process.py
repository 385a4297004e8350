# multiprocessing.Process: exit codes, names, liveness, join with a timeout.
import multiprocessing
import sys
import time


def quiet():
    pass


def exits(code):
    sys.exit(code)


def exits_text():
    sys.exit("leaving with a message")


def raises():
    raise RuntimeError("child failed")


def sleeps():
    time.sleep(30)


def report(conn, *args, **kwargs):
    me = multiprocessing.current_process()
    conn.send([me.name, args, kwargs, me.daemon, multiprocessing.parent_process().name])
    conn.close()


class Counter(multiprocessing.Process):
    def __init__(self, conn, n):
        multiprocessing.Process.__init__(self)
        self.conn = conn
        self.n = n

    def run(self):
        self.conn.send(sum(range(self.n)))


if __name__ == "__main__":
    print(multiprocessing.current_process().name)
    print(multiprocessing.parent_process())
    print(multiprocessing.cpu_count() >= 1)

    p = multiprocessing.Process(target=quiet)
    print(p.name, p.exitcode, p.pid, p.is_alive(), p.daemon)
    p.start()
    p.join()
    print(p.exitcode, p.is_alive(), isinstance(p.pid, int))
    try:
        p.start()
    except AssertionError as e:
        print("AssertionError:", e)

    for target, args in [(exits, (0,)), (exits, (3,)), (exits, (None,)), (exits_text, ()),
                         (raises, ())]:
        p = multiprocessing.Process(target=target, args=args)
        p.start()
        p.join()
        print(target.__name__, args, p.exitcode)

    p = multiprocessing.Process(target=sleeps)
    p.start()
    p.join(0.05)
    print("after join(0.05):", p.exitcode, p.is_alive())
    p.terminate()
    p.join()
    print("terminated:", p.exitcode, p.is_alive())

    p = multiprocessing.Process(target=sleeps, daemon=True)
    p.start()
    p.kill()
    p.join()
    print("killed:", p.exitcode, p.daemon)

    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=report, args=(b, 1, "two"), kwargs={"k": 3.5},
                                name="reporter")
    p.start()
    print(a.recv())
    p.join()
    print(p.name, p.exitcode)

    c = Counter(b, 101)
    c.start()
    print(a.recv())
    c.join()
    print(type(c).__name__, c.exitcode)

    procs = [multiprocessing.Process(target=exits, args=(i,)) for i in range(5)]
    for q in procs:
        q.start()
    for q in procs:
        q.join()
    print([q.exitcode for q in procs])
    print(multiprocessing.active_children())
