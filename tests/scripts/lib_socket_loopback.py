# A TCP server and client in one thread on 127.0.0.1: listen, connect,
# accept, send/recv in both directions, sendall of a large buffer,
# recv_into, shutdown, addresses and the context manager.
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
print("reuseaddr", srv.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
srv.bind(("127.0.0.1", 0))
srv.listen()
host, port = srv.getsockname()
print("bound", host, 0 < port < 65536)
print("family", srv.family == socket.AF_INET, srv.type == socket.SOCK_STREAM, srv.proto)

cli = socket.socket()
print("connect", cli.connect(("127.0.0.1", port)))
conn, addr = srv.accept()
print("accepted", type(conn).__name__, addr[0], addr[1] == cli.getsockname()[1])
print("peer", conn.getpeername() == cli.getsockname(), cli.getpeername() == (host, port))
print("timeouts", conn.gettimeout(), cli.gettimeout(), conn.getblocking())

print("send", cli.send(b"hello"))
print("recv", conn.recv(100))
print("sendall", conn.sendall(bytearray(b"world")))
print("recv", cli.recv(5))

cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
print("nodelay", cli.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)

big = bytes(range(256)) * 400
cli.sendall(big)
got = b""
while len(got) < len(big):
    got += conn.recv(65536)
print("big", len(got), got == big)

buf = bytearray(10)
cli.send(b"abc")
print("recv_into", conn.recv_into(buf), buf)
cli.send(b"defgh")
print("recv_into n", conn.recv_into(buf, 2), buf)
print("rest", conn.recv(10))

cli.send(b"peek")
print("peek", conn.recv(4, socket.MSG_PEEK), conn.recv(4))

cli.shutdown(socket.SHUT_WR)
print("eof", conn.recv(10))
conn.sendall(b"bye")
print("after shutdown", cli.recv(10))

with conn, cli:
    print("in with", conn.fileno() >= 0, cli.fileno() >= 0)
print("after with", conn.fileno(), cli.fileno())
srv.close()
print("closed", srv.fileno())

# create_connection and a server made by create_server.
with socket.create_server(("127.0.0.1", 0)) as srv2:
    port2 = srv2.getsockname()[1]
    c = socket.create_connection(("127.0.0.1", port2), timeout=5)
    print("created timeout", c.gettimeout())
    s2, _ = srv2.accept()
    c.sendall(b"ping")
    print("created", s2.recv(4))
    s2.close()
    c.close()
    c = socket.create_connection(("localhost", port2))
    print("localhost timeout", c.gettimeout())
    s2, a2 = srv2.accept()
    print("localhost peer", a2[0])
    s2.close()
    c.close()

# UDP
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2.bind(("127.0.0.1", 0))
print("sendto", u2.sendto(b"datagram", u1.getsockname()))
data, frm = u1.recvfrom(100)
print("recvfrom", data, frm == u2.getsockname())
u1.close()
u2.close()
