# Errors of the socket module: CPython's exception types and messages.
import socket


def attempt(label, f):
    try:
        r = f()
    except Exception as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "->", repr(r))


print(socket.error is OSError, socket.timeout is TimeoutError)
print(issubclass(socket.gaierror, OSError), issubclass(socket.herror, OSError))
print(socket.socket.__name__, socket.socket.__module__, socket.SocketType is socket.socket or
      issubclass(socket.socket, socket.SocketType))

# A port nobody listens on: bind one, close it.
tmp = socket.socket()
tmp.bind(("127.0.0.1", 0))
dead_port = tmp.getsockname()[1]
tmp.close()

s = socket.socket()
attempt("bind str", lambda: s.bind("x"))
attempt("bind short", lambda: s.bind(("x",)))
attempt("bind host int", lambda: s.bind((1, 2)))
attempt("bind port big", lambda: s.bind(("127.0.0.1", 70000)))
attempt("bind port neg", lambda: s.bind(("127.0.0.1", -1)))
attempt("bind port str", lambda: s.bind(("127.0.0.1", "a")))
attempt("connect port big", lambda: s.connect(("127.0.0.1", 65536)))
attempt("refused", lambda: s.connect(("127.0.0.1", dead_port)))
s.close()
s = socket.socket()
attempt("refused_ex", lambda: s.connect_ex(("127.0.0.1", dead_port)))
attempt("create refused", lambda: socket.create_connection(("127.0.0.1", dead_port)))
try:
    socket.create_connection(("127.0.0.1", dead_port))
except ConnectionRefusedError as e:
    print("errno", e.errno, e.strerror, isinstance(e, ConnectionError))
attempt("settimeout neg", lambda: s.settimeout(-1))
attempt("settimeout str", lambda: s.settimeout("a"))
attempt("recv neg", lambda: s.recv(-1))
attempt("recv str", lambda: s.recv("a"))
attempt("send str", lambda: s.send("abc"))
attempt("sendall list", lambda: s.sendall([1]))
attempt("setsockopt 2", lambda: s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))
attempt("getsockopt 0", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0))
attempt("getsockopt 4", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 4))
attempt("getsockopt 2000", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 2000))
attempt("shutdown bad", lambda: s.shutdown(5))
attempt("family bad", lambda: socket.socket(99))
attempt("type bad", lambda: socket.socket(socket.AF_INET, 99))
attempt("peer unconnected", lambda: s.getpeername())
attempt("recv unconnected", lambda: s.recv(1))
attempt("send unconnected", lambda: s.send(b"x"))
attempt("listen neg", lambda: s.listen(-5))
s.close()
attempt("fileno closed", lambda: s.fileno())
attempt("close twice", lambda: s.close())
attempt("getsockname closed", lambda: s.getsockname())
attempt("recv closed", lambda: s.recv(1))
attempt("send closed", lambda: s.send(b"x"))
attempt("accept closed", lambda: s.accept())
attempt("settimeout closed", lambda: s.settimeout(1))
attempt("gettimeout closed", lambda: s.gettimeout())
attempt("detach closed", lambda: s.detach())

# Non-blocking sockets say BlockingIOError instead of waiting.
n = socket.socket(type=socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
print("nonblock", n.type == socket.SOCK_STREAM, n.gettimeout(), n.getblocking())
n.bind(("127.0.0.1", 0))
n.listen()
attempt("accept nonblock", lambda: n.accept())
n.setblocking(True)
print("blocking again", n.gettimeout(), n.getblocking())
n.close()

print("htons", socket.htons(1), socket.ntohs(256), socket.htonl(1), socket.ntohl(16777216))
attempt("htons big", lambda: socket.htons(70000))
print("aton", socket.inet_aton("127.0.0.1"), socket.inet_ntoa(b"\x7f\x00\x00\x01"))
attempt("aton bad", lambda: socket.inet_aton("1.2.3.4.5"))
attempt("ntoa bad", lambda: socket.inet_ntoa(b"\x01"))
print("gethostbyname", socket.gethostbyname("127.0.0.1"), socket.gethostbyname("localhost"))
print("hostname", isinstance(socket.gethostname(), str))
print("constants", socket.AF_INET, socket.SOCK_STREAM, socket.SOL_SOCKET, socket.SO_REUSEADDR,
      socket.IPPROTO_TCP, socket.TCP_NODELAY, socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR)
