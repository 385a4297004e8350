# A SIGINT that arrives while the main thread is blocked in a system call
# interrupts the call (EINTR): the signal is served and KeyboardInterrupt
# is raised, never InterruptedError; other threads go on.
import _thread
import multiprocessing
import os
import socket
import sys
import threading
import time

SIGINT = 2
SIGKILL = 9


def interrupt_soon():
    def kill():
        time.sleep(0.2)
        os.kill(os.getpid(), SIGINT)

    t = threading.Thread(target=kill)
    t.start()
    return t


def check(name, blocking_call):
    t = interrupt_soon()
    try:
        blocking_call()
        print(name, "returned")
    except KeyboardInterrupt:
        print(name, "KeyboardInterrupt")
    except OSError as e:
        print(name, type(e).__name__, e.errno)
    t.join()


check("time.sleep", lambda: time.sleep(30))

lock = _thread.allocate_lock()
lock.acquire()
check("lock.acquire", lambda: lock.acquire())
check("lock.acquire(timeout)", lambda: lock.acquire(timeout=30))

r, w = os.pipe()
check("os.read", lambda: os.read(r, 10))
with open(r, "rb", closefd=False) as f:
    check("file.read", lambda: f.read(10))
with open(r, "rb", buffering=0, closefd=False) as f:
    check("raw file.read", lambda: f.read(10))

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
check("socket.accept", lambda: srv.accept())
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
check("socket.recv", lambda: conn.recv(10))
conn.settimeout(30)
check("socket.recv(timeout)", lambda: conn.recv(10))

a, b = multiprocessing.Pipe()
check("Connection.recv", lambda: a.recv())

sys.stdout.flush()
pid = os.fork()
if pid == 0:
    time.sleep(30)
    os._exit(0)
check("os.waitpid", lambda: os.waitpid(pid, 0))
os.kill(pid, SIGKILL)
print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))

# The standard input, in a child whose descriptor 0 is a pipe.
sys.stdout.flush()
sr, sw = os.pipe()
pid = os.fork()
if pid == 0:
    os.dup2(sr, 0)
    check("sys.stdin.read", lambda: sys.stdin.read())
    check("sys.stdin.readline", lambda: sys.stdin.readline())
    check("input", lambda: input())
    sys.stdout.flush()
    os._exit(0)
print("stdin child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
os.close(sr)
os.close(sw)

# The data written after the interruption is still read whole.
os.write(w, b"after")
print(os.read(r, 10))
cli.sendall(b"still here")
print(conn.recv(100))
b.send([1, 2, 3])
print(a.recv())
for x in (cli, conn, srv):
    x.close()
os.close(r)
os.close(w)
