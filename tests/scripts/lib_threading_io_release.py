# Blocking I/O of every module releases the GIL.  The switch interval is so
# long that a thread holding a GIL is never asked to drop it: each reader
# below blocks until the main thread writes, so a call that kept the GIL
# would hang the script.
import multiprocessing
import os
import socket
import sys
import threading
import time

sys.setswitchinterval(1000.0)


def in_thread(blocking_call, wake):
    box = []
    t = threading.Thread(target=lambda: box.append(blocking_call()))
    t.start()
    time.sleep(0.05)  # the reader is (almost surely) blocked by now
    wake()
    t.join()
    return box[0]


r, w = os.pipe()
print("os.read", in_thread(lambda: os.read(r, 100), lambda: os.write(w, b"pipe data")))

f = open(r, "rb", closefd=False)
print("file.read", in_thread(lambda: f.read(4), lambda: os.write(w, b"file")))
f.close()



def drain(n):
    got = 0
    while got < n:
        got += len(os.read(r, n - got))
    return got


wf = open(w, "wb", buffering=0, closefd=False)
drained = []
print("file.write", in_thread(lambda: wf.write(b"x" * 300000), lambda: drained.append(drain(300000))), drained)
wf.close()

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
addr = srv.getsockname()
clients = []
conn, _ = in_thread(srv.accept, lambda: clients.append(socket.create_connection(addr)))
print("socket.accept", type(conn).__name__)
cli = clients[0]
print("socket.recv", in_thread(lambda: conn.recv(100), lambda: cli.sendall(b"over the socket")))
conn.settimeout(30)
print("socket.recv(timeout)", in_thread(lambda: conn.recv(100), lambda: cli.sendall(b"with a timeout")))
for s in (cli, conn, srv):
    s.close()

a, b = multiprocessing.Pipe()
print("Connection.recv", in_thread(a.recv, lambda: b.send({"k": [1, 2]})))

go_r, go_w = os.pipe()
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.read(go_r, 1)  # exits once the parent says so
    os._exit(7)
waited = in_thread(lambda: os.waitpid(pid, 0), lambda: os.write(go_w, b"!"))
print("os.waitpid", waited[0] == pid, os.waitstatus_to_exitcode(waited[1]))

p = multiprocessing.Process(target=os.read, args=(go_r, 1))
p.start()
print("Process.join", in_thread(lambda: p.join() or p.exitcode, lambda: os.write(go_w, b"!")))
for fd in (r, w, go_r, go_w):
    os.close(fd)
