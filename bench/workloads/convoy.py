# Convoy: the round trips of a loopback echo server thread beside CPU-bound
# threads.  The client (the main thread) sends 64-byte messages one at a
# time and times each round trip.  Under a GIL, a thread that returns from
# a blocking call waits for the CPU-bound holder to drop the lock, so
# latency grows towards the switch interval and the rate falls.
#   cpu=CPU-bound threads  interval=switch interval (s)  duration=seconds
import socket
import sys
import threading
import time
import wl

p = wl.params({"cpu": 0, "interval": 0.005, "duration": 1.0})
MESSAGE = b"y" * 64
sys.setswitchinterval(p["interval"])
stop = False


def recv_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def echo_server(listener):
    conn, _ = listener.accept()
    with conn:
        while True:
            data = recv_exactly(conn, len(MESSAGE))
            if len(data) < len(MESSAGE):
                return
            conn.sendall(data)


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


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(1)
server = threading.Thread(target=echo_server, args=(listener,))
server.start()
counts = [0] * p["cpu"]
spinners = [threading.Thread(target=spin, args=(counts, i)) for i in range(p["cpu"])]
conn = socket.create_connection(("127.0.0.1", listener.getsockname()[1]))
for t in spinners:
    t.start()
latencies = []
perf = time.perf_counter
start = perf()
end = start + p["duration"]
now = start
while now < end:
    t0 = perf()
    conn.sendall(MESSAGE)
    if recv_exactly(conn, len(MESSAGE)) != MESSAGE:
        raise SystemExit("echo returned wrong data")
    now = perf()
    latencies.append(now - t0)
elapsed = now - start
stop = True
for t in spinners:
    t.join()
conn.close()
server.join()
listener.close()
latencies.sort()
wl.report(cpu=p["cpu"], interval=p["interval"], round_trips=len(latencies),
          per_second=len(latencies) / elapsed,
          p50_us=wl.percentile(latencies, 0.50) * 1e6,
          p99_us=wl.percentile(latencies, 0.99) * 1e6,
          max_us=latencies[-1] * 1e6,
          cpu_rounds_per_second=sum(counts) / elapsed)
