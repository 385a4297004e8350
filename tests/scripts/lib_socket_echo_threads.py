# A loopback echo server in threads (one per connection) and client threads
# beside a CPU-bound thread; every client gets back exactly what it sent.
# The same rounds run under each GIL policy where sys._setgilpolicy exists
# (the output does not depend on it).
import socket
import sys
import threading

NCLIENTS = 4
NMESSAGES = 30


def message(c, i):
    return ("%d:%d:" % (c, i)).encode() + bytes([65 + (c + i) % 26]) * ((i * 97 + c * 13) % 3000)


def recv_exactly(sock, n):
    chunks = []
    while n > 0:
        b = sock.recv(min(n, 4096))
        if not b:
            break
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def run_round():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(NCLIENTS)
    port = srv.getsockname()[1]
    echoed = []
    echoed_lock = threading.Lock()

    def handle(conn):
        total = 0
        with conn:
            while True:
                data = conn.recv(8192)
                if not data:
                    break
                conn.sendall(data)
                total += len(data)
        with echoed_lock:
            echoed.append(total)

    def serve():
        handlers = []
        for _ in range(NCLIENTS):
            conn, _addr = srv.accept()
            h = threading.Thread(target=handle, args=(conn,))
            h.start()
            handlers.append(h)
        for h in handlers:
            h.join()
        srv.close()

    results = {}

    def client(c):
        ok = 0
        sent = 0
        with socket.create_connection(("127.0.0.1", port)) as s:
            for i in range(NMESSAGES):
                m = message(c, i)
                s.sendall(m)
                if recv_exactly(s, len(m)) == m:
                    ok += 1
                sent += len(m)
        results[c] = (ok, sent)

    stop = threading.Event()
    spinning = threading.Event()
    spins = [0]

    def cpu():
        while not stop.is_set():
            spins[0] += 1
            if spins[0] == 1:
                spinning.set()

    # The clients start once the CPU-bound thread runs: under the io policy
    # the I/O threads are served first, and a thread that has not run yet
    # might otherwise wait out the whole round.
    busy = threading.Thread(target=cpu)
    busy.start()
    spinning.wait()
    server = threading.Thread(target=serve)
    server.start()
    clients = [threading.Thread(target=client, args=(c,)) for c in range(NCLIENTS)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    server.join()
    stop.set()
    busy.join()
    expected = sorted(sum(len(message(c, i)) for i in range(NMESSAGES)) for c in range(NCLIENTS))
    return [results[c] for c in sorted(results)], sorted(echoed) == expected, sum(expected)


for policy in ("default", "io"):
    if hasattr(sys, "_setgilpolicy"):
        sys._setgilpolicy(policy)
    print(run_round())
