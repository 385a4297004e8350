# multiprocessing.Pipe and Queue: round trips between processes.
import multiprocessing


def echo(conn):
    while True:
        msg = conn.recv()
        if msg == "stop":
            break
        conn.send(msg)
    conn.close()


def produce(q, start, n):
    for i in range(start, start + n):
        q.put((i, str(i), [i] * 3))


def consume(q, out, n):
    total = 0
    for _ in range(n):
        total += q.get()
    out.put(total)


def writer(conn, n):
    for i in range(n):
        conn.send_bytes(str(i).encode())
    conn.close()


VALUES = [None, True, False, 0, -1, 2 ** 100, -(3 ** 70), 1.5, -0.0, float("inf"), "",
          "text with unicode \u00e9\u4e2d", b"", b"\x00\xff", (), (1, (2, (3,))), [],
          [1, [2, [3]]], {}, {"a": 1, 2: [3], (4, 5): {"x": None}}, set(), {1, 2, 3},
          frozenset(), frozenset({"a"}), "x" * 100000, list(range(5000))]

if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    p = multiprocessing.Process(target=echo, args=(b,))
    p.start()
    for v in VALUES:
        a.send(v)
        back = a.recv()
        print(type(back).__name__, back == v, repr(back)[:60])
    a.send("stop")
    p.join()
    print("echo exit", p.exitcode)
    print(a.poll(), a.poll(0.01))

    r, w = multiprocessing.Pipe(duplex=False)
    print(r.readable, r.writable, w.readable, w.writable)
    p = multiprocessing.Process(target=writer, args=(w, 5))
    p.start()
    w.close()
    got = []
    while True:
        try:
            got.append(r.recv_bytes())
        except EOFError:
            break
    p.join()
    print(got)
    try:
        r.send(1)
    except OSError as e:
        print("OSError:", e)
    r.close()
    print(r.closed)
    try:
        r.recv()
    except OSError as e:
        print("OSError:", e)

    q = multiprocessing.Queue()
    producers = [multiprocessing.Process(target=produce, args=(q, k * 100, 50)) for k in range(4)]
    for p in producers:
        p.start()
    items = [q.get() for _ in range(200)]
    for p in producers:
        p.join()
    print(len(items), sorted(i for i, _, _ in items) == [k * 100 + j for k in range(4)
                                                            for j in range(50)])
    print(all(s == str(i) and l == [i] * 3 for i, s, l in items))
    print(q.empty())
    # queue.Empty and queue.Full (the queue module's), caught here by name
    try:
        q.get(timeout=0.05)
    except Exception as e:
        print(type(e).__name__, "after timeout")
    try:
        q.get_nowait()
    except Exception as e:
        print(type(e).__name__, "at once")

    work = multiprocessing.Queue()
    out = multiprocessing.Queue()
    consumers = [multiprocessing.Process(target=consume, args=(work, out, 25)) for _ in range(4)]
    for c in consumers:
        c.start()
    for i in range(100):
        work.put(i)
    totals = [out.get() for _ in range(4)]
    for c in consumers:
        c.join()
    print(sum(totals), sum(range(100)), [c.exitcode for c in consumers])

    small = multiprocessing.Queue(maxsize=2)
    small.put(1)
    small.put_nowait(2)
    print(small.full())
    try:
        small.put(3, timeout=0.05)
    except Exception as e:
        print(type(e).__name__)
    print(small.get(), small.get(), small.empty())
