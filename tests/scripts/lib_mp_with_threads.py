# multiprocessing while other threads run: a child process holds only the
# thread that forked it, which is its main thread; a Pool's results equal a
# sequential map; a child waits for the non-daemon threads it started
# before it exits.
import multiprocessing
import threading
import time


def square(x):
    return x * x


def threaded_sum(n):
    # Threads inside a pool worker.
    parts = []
    lock = threading.Lock()

    def add(lo, hi):
        s = sum(range(lo, hi))
        with lock:
            parts.append(s)

    ts = [threading.Thread(target=add, args=(i * n, (i + 1) * n)) for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(parts)


def worker_facts(_):
    me = threading.current_thread()
    return [me is threading.main_thread(), me.name, threading.active_count()]


def child_facts(conn, workers):
    me = threading.current_thread()
    conn.send([me is threading.main_thread(), me.name, threading.active_count(),
               [t.name for t in threading.enumerate()], [t.is_alive() for t in workers]])


def late_sender(conn):
    time.sleep(0.2)
    conn.send("late thread done")


def leaves_a_thread(conn):
    conn.send("run returns")
    threading.Thread(target=late_sender, args=(conn,)).start()


if __name__ == "__main__":
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

    with multiprocessing.Pool(2) as pool:
        print(pool.map(square, range(20)) == [square(x) for x in range(20)])
        print(pool.map(threaded_sum, [10, 100, 1000]) == [threaded_sum(n) for n in [10, 100, 1000]])
        print(sorted(set(map(tuple, pool.map(worker_facts, range(4))))))

    parent_end, child_end = multiprocessing.Pipe()
    p = multiprocessing.Process(target=child_facts, args=(child_end, workers))
    p.start()
    print(parent_end.recv())
    p.join()
    print(p.exitcode)

    p = multiprocessing.Process(target=leaves_a_thread, args=(child_end,))
    p.start()
    p.join()
    print(p.exitcode, parent_end.recv(), parent_end.poll(10) and parent_end.recv())

    box = []

    def starter():
        q = multiprocessing.Process(target=child_facts, args=(child_end, workers))
        q.start()
        box.append(parent_end.recv())
        q.join()
        box.append(q.exitcode)

    t = threading.Thread(target=starter, name="starter")
    t.start()
    t.join()
    print(box)

    stop.set()
    for t in workers:
        t.join()
    print(spins[0] > 0, threading.active_count())
