# I/O-bound threads: N threads that spend their time blocked, either in
# time.sleep or waiting for a loopback echo server that answers each
# message after a delay (a stand-in for a remote service).  A blocked
# thread holds no lock, so throughput grows with N on both builds.
#   mode=sleep|socket  n=threads  ops=blocking calls per thread  delay=seconds
import socket
import threading
import time
import wl

p = wl.params({"mode": "sleep", "n": 1, "ops": 100, "delay": 0.002})
MESSAGE = b"x" * 64


def recv_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def serve_connection(conn, delay):
    with conn:
        while True:
            data = recv_exactly(conn, len(MESSAGE))
            if len(data) < len(MESSAGE):
                return
            time.sleep(delay)
            conn.sendall(data)


def accept_loop(listener, count, delay, handlers):
    for _ in range(count):
        conn, _ = listener.accept()
        t = threading.Thread(target=serve_connection, args=(conn, delay))
        t.start()
        handlers.append(t)


def sleeper(ops, delay, done, index, barrier):
    barrier.wait()
    for _ in range(ops):
        time.sleep(delay)
    done[index] = ops


def client(port, ops, done, index, barrier):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        barrier.wait()
        ok = 0
        for _ in range(ops):
            conn.sendall(MESSAGE)
            if recv_exactly(conn, len(MESSAGE)) == MESSAGE:
                ok += 1
    done[index] = ok


n, ops, delay = p["n"], p["ops"], p["delay"]
done = [0] * n
barrier = threading.Barrier(n + 1)
handlers = []
listener = None
if p["mode"] == "sleep":
    threads = [threading.Thread(target=sleeper, args=(ops, delay, done, i, barrier))
               for i in range(n)]
elif p["mode"] == "socket":
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(n)
    port = listener.getsockname()[1]
    acceptor = threading.Thread(target=accept_loop, args=(listener, n, delay, handlers))
    acceptor.start()
    threads = [threading.Thread(target=client, args=(port, ops, done, i, barrier))
               for i in range(n)]
else:
    raise SystemExit("mode must be sleep or socket")
for t in threads:
    t.start()
barrier.wait()
t0 = time.perf_counter()
for t in threads:
    t.join()
seconds = time.perf_counter() - t0
if listener is not None:
    acceptor.join()
    for t in handlers:
        t.join()
    listener.close()
total = sum(done)
if total != n * ops:
    raise SystemExit("only %d of %d operations completed" % (total, n * ops))
wl.report(mode=p["mode"], n=n, ops=total, seconds=seconds, per_second=total / seconds)
