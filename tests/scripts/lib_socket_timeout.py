# Timeouts: settimeout/gettimeout, socket.timeout (TimeoutError) from
# accept, recv and connect paths, setdefaulttimeout and the repr.
import socket

srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
srv.settimeout(0.05)
print("gettimeout", srv.gettimeout(), srv.timeout, srv.getblocking())
try:
    srv.accept()
except socket.timeout as e:
    print("accept", type(e).__name__, e, isinstance(e, OSError))

cli = socket.create_connection(("127.0.0.1", port), 0.05)
conn, _ = srv.accept()
print("accepted timeout", conn.gettimeout())
try:
    cli.recv(10)
except TimeoutError as e:
    print("recv", type(e).__name__, e)
conn.sendall(b"late")
print("after timeout", cli.recv(10))
cli.settimeout(None)
print("none", cli.gettimeout(), cli.getblocking())
cli.settimeout(0)
print("zero", cli.gettimeout(), cli.getblocking())
try:
    cli.recv(10)
except BlockingIOError as e:
    print("nonblocking recv", type(e).__name__, e.errno == 11)
cli.settimeout(2)
print("int", cli.gettimeout())

cli.close()
conn.close()

c2 = socket.socket()
c2.connect(("127.0.0.1", port))
r = repr(c2)
print("repr", r.startswith("<socket.socket fd="), "family=2, type=1, proto=0" in r,
      "laddr=('127.0.0.1', " in r, ("raddr=('127.0.0.1', %d)>" % port) in r)
c2.close()
print("closed repr", repr(c2) == "<socket.socket [closed] fd=-1, family=2, type=1, proto=0>")

print("default", socket.getdefaulttimeout())
socket.setdefaulttimeout(1.5)
s = socket.socket()
print("new gets default", s.gettimeout(), socket.getdefaulttimeout())
s.close()
socket.setdefaulttimeout(None)
s = socket.socket()
print("back to none", s.gettimeout())
s.close()
try:
    socket.setdefaulttimeout(-2)
except ValueError as e:
    print("default neg", e)
srv.close()
