# The convoy effect: loopback echo round trips beside CPU-bound threads.
#
#   python3 bench/convoy.py [SECONDS [MAX_CPU_THREADS]]      (defaults 2 and 1)
#   TWINPY_GIL_POLICY=io build/gil/twinpy bench/convoy.py
#
# An echo server thread answers a client (the main thread) on 127.0.0.1;
# the client makes 16-byte round trips for SECONDS with 0, 1, ...
# MAX_CPU_THREADS CPU-bound threads running beside it, and prints the
# round-trip rate of each, with the work rate of the CPU-bound threads.
# Then a thread wakes from short sleeps beside one CPU-bound thread (the
# same return from a blocking call without the echo's second I/O thread,
# which can hand the GIL straight to the first), and the CPU-bound threads
# run alone (1 and 2 of them), which shows what a GIL policy costs pure CPU
# work.
#
# Under a GIL with CPython's policy, a thread coming back from recv() waits
# a whole switch interval (5 ms) before it may ask the CPU-bound holder to
# let go, so the echo falls from tens of thousands of round trips per second
# to a few hundred.  Runs unchanged on CPython.
import socket
import sys
import threading
import time

DURATION = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
MAX_CPU = int(sys.argv[2]) if len(sys.argv) > 2 else 1
MESSAGE = b"0123456789abcdef"

stop = [False]


def cpu_worker(counts, index):
    # One unit: a thousand additions in a loop.  Counts units until stopped.
    units = 0
    while not stop[0]:
        k = 0
        for j in range(1000):
            k += j
        units += 1
    counts[index] = units


def echo_server(srv):
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        data = conn.recv(4096)
        if not data:
            break
        conn.sendall(data)
    conn.close()


def start_cpu_threads(n, counts):
    threads = [threading.Thread(target=cpu_worker, args=(counts, i)) for i in range(n)]
    for t in threads:
        t.start()
    return threads


def stop_cpu_threads(threads):
    stop[0] = True
    for t in threads:
        t.join()
    stop[0] = False


def echo_run(ncpu):
    # (round trips per second, CPU units per second) with ncpu CPU threads.
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    server = threading.Thread(target=echo_server, args=(srv,))
    server.start()
    cli = socket.create_connection(srv.getsockname())
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    counts = [0] * ncpu
    workers = start_cpu_threads(ncpu, counts)
    trips = 0
    t0 = time.perf_counter()
    deadline = t0 + DURATION
    while True:
        cli.sendall(MESSAGE)
        got = cli.recv(4096)
        while len(got) < len(MESSAGE):
            got += cli.recv(4096)
        trips += 1
        now = time.perf_counter()
        if now >= deadline:
            break
    elapsed = now - t0
    stop_cpu_threads(workers)
    cli.close()
    server.join()
    srv.close()
    return trips / elapsed, sum(counts) / elapsed


def wakeup_run():
    # time.sleep(0.0001) wake-ups per second beside one CPU thread: every
    # wake-up is a return from a blocking call that needs the GIL back.
    counts = [0]
    workers = start_cpu_threads(1, counts)
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < DURATION:
        time.sleep(0.0001)
        n += 1
    elapsed = time.perf_counter() - t0
    stop_cpu_threads(workers)
    return n / elapsed


def cpu_run(ncpu):
    counts = [0] * ncpu
    t0 = time.perf_counter()
    workers = start_cpu_threads(ncpu, counts)
    time.sleep(DURATION)
    stop_cpu_threads(workers)
    return sum(counts) / (time.perf_counter() - t0)


def describe():
    policy = getattr(sys, "_getgilpolicy", None)
    gil = getattr(sys, "_is_gil_enabled", None)
    name = sys.implementation.name
    parts = [name, sys.version.split()[0]]
    parts.append("gil" if gil is None or gil() else "no gil")
    if policy is not None:
        parts.append("policy " + policy())
    return ", ".join(parts)


def main():
    print("convoy:", describe(), "- %.1f s per run" % DURATION)
    idle = None
    for ncpu in range(MAX_CPU + 1):
        rate, units = echo_run(ncpu)
        if idle is None:
            idle = rate
        line = "echo beside %d cpu thread%s: %9.0f round trips/s (%5.1f%% of idle)" % (
            ncpu, "" if ncpu == 1 else "s", rate, 100.0 * rate / idle)
        if ncpu:
            line += ", cpu %8.0f units/s" % units
        print(line)
    print("sleep(0.0001) wake-ups beside 1 cpu thread: %7.0f/s" % wakeup_run())
    for ncpu in (1, 2):
        print("cpu alone, %d thread%s: %8.0f units/s" % (ncpu, "" if ncpu == 1 else "s",
                                                         cpu_run(ncpu)))


main()
