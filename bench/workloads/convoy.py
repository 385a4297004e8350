# Convoy: the round trips of a loopback echo server thread beside CPU-bound
# threads.  A client sends 64-byte messages one at a time and times each
# round trip.  Under a GIL, the server thread returning from recv() must get
# the GIL back from a CPU-bound thread, which by default lets go only when
# its switch interval runs out: latency grows towards the interval and the
# rate falls.
#   cpu=CPU-bound threads  interval=switch interval (s)  duration=seconds
#   gap=seconds the client waits before each request (0: back to back).  With
#          requests back to back the server thread often gets its reply
#          before a CPU-bound thread has taken the GIL, and keeps it; with a
#          gap, every request finds the server blocked in recv() and a
#          CPU-bound thread holding the GIL, as a server's requests do
#   client=process (default: a forked process with no other threads, so only
#          the server waits) or thread (another thread of this process, so
#          client and server can hand the GIL to each other)
import os
import socket
import sys
import threading
import time
import wl

p = wl.params({"cpu": 0, "interval": 0.005, "duration": 1.0, "gap": 0.0,
               "client": "process"})
SIZE = 64
MESSAGE = b"y" * SIZE
stop = False


def recv_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def client(port, duration, gap, out):
    """Round trips for DURATION seconds once the server says go; the
    summary goes back as the last message."""
    conn = socket.create_connection(("127.0.0.1", port))
    if recv_exactly(conn, 1) != b"g":
        raise SystemExit("no start signal")
    latencies = []
    perf = time.perf_counter
    start = perf()
    end = start + duration
    now = start
    while now < end:
        if gap:
            time.sleep(gap)
        t0 = perf()
        conn.sendall(MESSAGE)
        if recv_exactly(conn, SIZE) != MESSAGE:
            raise SystemExit("echo returned wrong data")
        now = perf()
        latencies.append(now - t0)
    latencies.sort()
    summary = "END %d %.9f %.9f %.9f %.9f %.9f" % (
        len(latencies), now - start, wl.percentile(latencies, 0.50),
        wl.percentile(latencies, 0.99), wl.percentile(latencies, 0.999), latencies[-1])
    conn.sendall(summary.ljust(SIZE).encode())
    conn.close()
    if out is not None:
        out.append(summary)


def echo_server(conn, result):
    """Echo until the client's summary arrives; note the window's length."""
    t0 = time.perf_counter()
    conn.sendall(b"g")
    while True:
        data = recv_exactly(conn, SIZE)
        if len(data) < SIZE or data.startswith(b"END"):
            result.append(data.decode().strip())
            break
        conn.sendall(data)
    result.append(time.perf_counter() - t0)
    conn.close()


def spin(counts, index):
    """CPU-bound: pure-Python arithmetic until told to stop; counts the
    rounds so that the cost to CPU-bound work is visible too."""
    rounds = 0
    x = 0
    while not stop:
        for i in range(1000):
            x = (x * 7 + i) & 0xFFFF
        rounds += 1
    counts[index] = rounds


sys.setswitchinterval(p["interval"])
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(1)
port = listener.getsockname()[1]
child = 0
client_thread = None
if p["client"] == "process":
    # Forked before any thread exists: the client process runs alone.
    child = os.fork()
    if child == 0:
        status = 1
        try:
            client(port, p["duration"], p["gap"], None)
            status = 0
        finally:
            os._exit(status)
elif p["client"] == "thread":
    client_thread = threading.Thread(target=client, args=(port, p["duration"], p["gap"], []))
    client_thread.start()
else:
    raise SystemExit("client must be process or thread")
conn, _ = listener.accept()
counts = [0] * p["cpu"]
spinners = [threading.Thread(target=spin, args=(counts, i)) for i in range(p["cpu"])]
for t in spinners:
    t.start()
result = []
server = threading.Thread(target=echo_server, args=(conn, result))
server.start()
server.join()
stop = True
for t in spinners:
    t.join()
if client_thread is not None:
    client_thread.join()
if child:
    if os.waitpid(child, 0)[1] != 0:
        raise SystemExit("the client process failed")
listener.close()
fields = result[0].split()
if fields[0] != "END":
    raise SystemExit("the client did not finish")
count, elapsed = int(fields[1]), float(fields[2])
window = result[1]
wl.report(cpu=p["cpu"], interval=p["interval"], gap=p["gap"], client=p["client"],
          round_trips=count, per_second=count / elapsed, p50_us=float(fields[3]) * 1e6,
          p99_us=float(fields[4]) * 1e6, p999_us=float(fields[5]) * 1e6,
          max_us=float(fields[6]) * 1e6,
          cpu_rounds_per_second=sum(counts) / window)
