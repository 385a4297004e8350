/* The socket module: BSD sockets over IPv4 (AF_INET addresses), with
 * CPython's names, defaults and errors.
 *
 * Blocking.  Every system call that can wait (accept, connect, send, recv
 * and friends, name look-ups) runs detached: the GIL is released in the
 * GIL build, and in the free-threaded build the thread's critical sections
 * are suspended.  A call interrupted by a signal (EINTR) re-attaches,
 * serves the eval breaker (where Ctrl-C becomes KeyboardInterrupt) and
 * tries again.
 *
 * Timeouts follow CPython: a socket is blocking (timeout None, the file
 * descriptor in blocking mode), non-blocking (timeout 0.0: calls fail with
 * BlockingIOError instead of waiting) or has a timeout (the descriptor is
 * non-blocking and each call first polls for readiness until the deadline;
 * running out raises TimeoutError("timed out"), which is socket.timeout).
 * A sendall with a timeout has one deadline for the whole buffer.
 *
 * Thread safety.  The object's fields are atomics, so a socket may be used
 * from several threads at once in either build: one thread may recv while
 * another sends.  A thread that closes a socket while another is blocked
 * in it gets CPython's behaviour (the blocked call sees whatever the
 * kernel does with the descriptor); nothing in the runtime is touched
 * while detached, so nothing can crash. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"

#define NS_PER_SEC INT64_C(1000000000)
#define NO_TIMEOUT (-1) /* blocking: timeout None */

typedef struct {
    TwObject ob_base;
    _Atomic int fd;           /* -1 once closed or detached; atomic */
    _Atomic int family;       /* set by __init__; atomic */
    _Atomic int type;         /* SOCK_* without SOCK_NONBLOCK/SOCK_CLOEXEC; atomic */
    _Atomic int proto;        /* atomic */
    _Atomic int64_t timeout;  /* ns; NO_TIMEOUT or >= 0; atomic */
} SockObject;

static TwType sock_type;
static TwType gaierror_type;
static TwType herror_type;

/* socket.setdefaulttimeout: the timeout of new sockets (ns; atomic). */
static _Atomic int64_t default_timeout = NO_TIMEOUT;

#define SOCK(op) ((SockObject *)(op))

static int64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * NS_PER_SEC + t.tv_nsec;
}

static TwObject *set_errno(int err)
{
    errno = err;
    return tw_err_set_from_errno(NULL);
}

static void set_timeout_error(void)
{
    tw_err_set_string(&tw_exc_TimeoutError, "timed out");
}

/* gaierror(code, message) for a failed getaddrinfo. */
static void set_gai_error(int code)
{
    if (code == EAI_SYSTEM) {
        tw_err_set_from_errno(NULL);
        return;
    }
    TwObject *no = tw_int_from_i64(code), *msg = tw_str_from_cstr(gai_strerror(code));
    TwObject *args = no && msg ? tw_tuple_pack(2, no, msg) : NULL;
    tw_xdecref(no);
    tw_xdecref(msg);
    if (args == NULL)
        return;
    TwObject *exc = tw_exception_new(&gaierror_type, args);
    tw_decref(args);
    if (exc != NULL)
        tw_err_restore(exc);
}

/* Put fd in blocking or non-blocking mode.  0, or -1 with errno. */
static int set_fd_blocking(int fd, int blocking)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return -1;
    int want = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK;
    return want == flags ? 0 : fcntl(fd, F_SETFL, want);
}

/* Record a timeout and put the descriptor in the matching mode. */
static int apply_timeout(SockObject *s, int64_t timeout)
{
    tw_atomic_store_relaxed(&s->timeout, timeout);
    int fd = tw_atomic_load_relaxed(&s->fd);
    if (set_fd_blocking(fd, timeout < 0) < 0) { /* EBADF once closed, as in CPython */
        tw_err_set_from_errno(NULL);
        return -1;
    }
    return 0;
}

/* A timeout argument: None -> NO_TIMEOUT, else non-negative seconds as ns
 * (rounded up, as CPython rounds timeouts). */
static int parse_timeout(TwObject *arg, int64_t *out)
{
    if (arg == TW_NONE) {
        *out = NO_TIMEOUT;
        return 0;
    }
    double secs;
    if (tw_float_check(arg)) {
        secs = tw_float_as_double(arg);
        if (isnan(secs)) {
            tw_err_set_string(&tw_exc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
    } else {
        TwObject *i = tw_number_index(arg);
        if (i == NULL)
            return -1;
        secs = tw_int_as_double(i);
        tw_decref(i);
        if (secs == -1.0 && tw_err_occurred())
            return -1;
    }
    if (secs < 0) {
        tw_err_set_string(&tw_exc_ValueError, "Timeout value out of range");
        return -1;
    }
    if (!(secs * 1e9 < 9.2e18)) {
        tw_err_set_string(&tw_exc_OverflowError, "timeout doesn't fit into C timeval");
        return -1;
    }
    *out = (int64_t)ceil(secs * 1e9);
    return 0;
}

static TwObject *timeout_object(int64_t timeout)
{
    if (timeout < 0)
        return tw_newref(TW_NONE);
    return tw_float_from_double((double)timeout / 1e9);
}

/* An int argument as a C int; "message" names nothing: CPython's index
 * errors pass through. */
static int int_arg(TwObject *arg, int *out)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow || v < INT32_MIN || v > INT32_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* ---- addresses -------------------------------------------------------------------- */

/* Resolve an IPv4 host name: "" is INADDR_ANY, "<broadcast>" the broadcast
 * address, a dotted quad itself; anything else goes to getaddrinfo
 * (detached: it may wait on DNS).  0, or -1 with gaierror. */
static int resolve_ipv4(const char *host, struct in_addr *out)
{
    if (host[0] == '\0') {
        out->s_addr = htonl(INADDR_ANY);
        return 0;
    }
    if (strcmp(host, "<broadcast>") == 0) {
        out->s_addr = htonl(INADDR_BROADCAST);
        return 0;
    }
    if (inet_pton(AF_INET, host, out) == 1)
        return 0;
    struct addrinfo hints = {.ai_family = AF_INET}, *res = NULL;
    int rc;
    TW_BEGIN_ALLOW_THREADS
    rc = getaddrinfo(host, NULL, &hints, &res);
    TW_END_ALLOW_THREADS
    if (rc != 0) {
        set_gai_error(rc);
        return -1;
    }
    *out = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return 0;
}

/* A host argument: str, bytes or bytearray, as a NUL-terminated copy in
 * buf.  0 or -1. */
static int host_arg(TwObject *host, char *buf, size_t cap)
{
    const char *s;
    size_t n;
    TwObject *tmp = NULL;
    if (tw_str_check(host)) {
        s = tw_str_utf8(host);
        n = strlen(s);
    } else if (tw_bytes_check(host) || tw_type_is_subtype(TW_TYPE(host), &tw_bytearray_type)) {
        tmp = tw_bytes_check(host) ? tw_newref(host)
                                   : tw_object_call_one((TwObject *)&tw_bytes_type, host);
        if (tmp == NULL)
            return -1;
        s = tw_bytes_data(tmp);
        n = (size_t)tw_bytes_size(tmp);
    } else {
        tw_err_format(&tw_exc_TypeError, "str, bytes or bytearray expected, not %s",
                      TW_TYPE(host)->tp_name);
        return -1;
    }
    if (n >= cap || memchr(s, '\0', n) != NULL) {
        tw_xdecref(tmp);
        tw_err_set_string(&tw_exc_ValueError, n >= cap ? "host name too long"
                                                       : "host name must not contain null character");
        return -1;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    tw_xdecref(tmp);
    return 0;
}

/* An AF_INET address (host, port) for the method `caller`. */
static int parse_address(SockObject *s, const char *caller, TwObject *addr, struct sockaddr_in *out)
{
    int family = s ? tw_atomic_load_relaxed(&s->family) : AF_INET;
    if (family != AF_INET) {
        tw_err_format(&tw_exc_OSError, "%s(): bad family", caller);
        return -1;
    }
    if (!tw_tuple_check(addr)) {
        tw_err_format(&tw_exc_TypeError, "%s(): AF_INET address must be tuple, not %s", caller,
                      TW_TYPE(addr)->tp_name);
        return -1;
    }
    if (tw_tuple_size(addr) != 2) {
        tw_err_set_string(&tw_exc_TypeError, "AF_INET address must be a pair (host, port)");
        return -1;
    }
    char host[256];
    if (host_arg(tw_tuple_get_item_borrowed(addr, 0), host, sizeof(host)) < 0)
        return -1;
    TwObject *port = tw_number_index(tw_tuple_get_item_borrowed(addr, 1));
    if (port == NULL)
        return -1;
    int overflow = 0;
    int64_t p = tw_int_as_i64_overflow(port, &overflow);
    tw_decref(port);
    if (overflow || p < 0 || p > 65535) {
        tw_err_format(&tw_exc_OverflowError, "%s(): port must be 0-65535.", caller);
        return -1;
    }
    memset(out, 0, sizeof(*out));
    out->sin_family = AF_INET;
    out->sin_port = htons((uint16_t)p);
    return resolve_ipv4(host, &out->sin_addr);
}

/* (host, port) of a socket address. */
static TwObject *make_address(const struct sockaddr_storage *ss, socklen_t len)
{
    if (ss->ss_family != AF_INET) {
        /* Only IPv4 addresses are decoded: others come back as the family
         * and the raw bytes, as CPython does for unknown families. */
        TwObject *fam = tw_int_from_i64(ss->ss_family);
        TwObject *raw = tw_bytes_from_data(((const struct sockaddr *)ss)->sa_data,
                                           len > 2 ? (size_t)len - 2 : 0);
        TwObject *res = fam && raw ? tw_tuple_pack(2, fam, raw) : NULL;
        tw_xdecref(fam);
        tw_xdecref(raw);
        return res;
    }
    const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof(buf));
    TwObject *host = tw_str_from_cstr(buf), *port = tw_int_from_i64(ntohs(in->sin_port));
    TwObject *res = host && port ? tw_tuple_pack(2, host, port) : NULL;
    tw_xdecref(host);
    tw_xdecref(port);
    return res;
}

/* ---- the blocking-call loop ------------------------------------------------------- */

/* One system call on the socket's descriptor: returns >= 0 or -1 with
 * errno.  Runs detached: must not touch objects. */
typedef ssize_t (*sock_op)(int fd, void *arg);

/* Run op detached.  With a timeout, wait (poll for `events`) until the
 * descriptor is ready or `deadline` (monotonic ns) passes; a call that
 * would block goes back to waiting.  EINTR serves the eval breaker and
 * retries.  Returns op's result, or -1 with an exception (TimeoutError on
 * the deadline).  With `err_out`, a failure of op itself is reported there
 * instead of as an exception (connect_ex). */
static ssize_t sock_call_until(SockObject *s, short events, sock_op op, void *arg, int64_t timeout,
                               int64_t deadline, int *err_out)
{
    for (;;) {
        int fd = tw_atomic_load_relaxed(&s->fd);
        if (fd < 0) {
            set_errno(EBADF);
            return -1;
        }
        ssize_t r = -1;
        int err = 0, timed_out = 0;
        TW_BEGIN_ALLOW_THREADS
        for (;;) {
            if (timeout > 0) {
                int64_t left = deadline - monotonic_ns();
                if (left <= 0) {
                    timed_out = 1;
                    break;
                }
                struct pollfd p = {.fd = fd, .events = events};
                struct timespec ts = {.tv_sec = (time_t)(left / NS_PER_SEC),
                                      .tv_nsec = (long)(left % NS_PER_SEC)};
                int n = ppoll(&p, 1, &ts, NULL);
                if (n < 0) {
                    err = errno;
                    break;
                }
                if (n == 0) {
                    timed_out = 1;
                    break;
                }
            }
            r = op(fd, arg);
            if (r >= 0)
                break;
            err = errno;
            if (timeout <= 0 || (err != EAGAIN && err != EWOULDBLOCK))
                break;
        }
        TW_END_ALLOW_THREADS
        if (timed_out) {
            if (err_out != NULL) {
                *err_out = EWOULDBLOCK;
                return -1;
            }
            set_timeout_error();
            return -1;
        }
        if (r >= 0)
            return r;
        if (err == EINTR) {
            if (tw_eval_breaker_check() < 0)
                return -1;
            continue;
        }
        if (err_out != NULL) {
            *err_out = err;
            return -1;
        }
        set_errno(err);
        return -1;
    }
}

static ssize_t sock_call(SockObject *s, short events, sock_op op, void *arg)
{
    int64_t timeout = tw_atomic_load_relaxed(&s->timeout);
    int64_t deadline = timeout > 0 ? monotonic_ns() + timeout : 0;
    return sock_call_until(s, events, op, arg, timeout, deadline, NULL);
}

/* ---- construction ------------------------------------------------------------------- */

static TwObject *sock_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    SockObject *s = (SockObject *)tw_type_generic_alloc(type, 0);
    if (s == NULL)
        return NULL;
    atomic_init(&s->fd, -1);
    atomic_init(&s->family, AF_INET);
    atomic_init(&s->type, SOCK_STREAM);
    atomic_init(&s->proto, 0);
    atomic_init(&s->timeout, NO_TIMEOUT);
    return (TwObject *)s;
}

/* Make s own descriptor fd (family, type and proto already known). */
static int sock_adopt(SockObject *s, int fd, int family, int type, int proto)
{
    tw_atomic_store_relaxed(&s->fd, fd);
    tw_atomic_store_relaxed(&s->family, family);
    tw_atomic_store_relaxed(&s->type, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
    tw_atomic_store_relaxed(&s->proto, proto);
    int64_t timeout = (type & SOCK_NONBLOCK) ? 0 : tw_atomic_load_relaxed(&default_timeout);
    return apply_timeout(s, timeout);
}

static int fd_int_option(int fd, int opt, int *out)
{
    socklen_t len = sizeof(*out);
    return getsockopt(fd, SOL_SOCKET, opt, out, &len);
}

/* socket(family=-1, type=-1, proto=-1, fileno=None): a new socket, or one
 * around an existing descriptor (whose family, type and protocol are asked
 * of the kernel unless given). */
static int sock_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"family", "type", "proto", "fileno", NULL};
    static const TwArgSpec spec = {"socket", names, 0, 0, 4};
    TwObject *argv[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return -1;
    int family = -1, type = -1, proto = -1;
    if ((argv[0] && argv[0] != TW_NONE && int_arg(argv[0], &family) < 0) ||
        (argv[1] && argv[1] != TW_NONE && int_arg(argv[1], &type) < 0) ||
        (argv[2] && argv[2] != TW_NONE && int_arg(argv[2], &proto) < 0))
        return -1;
    SockObject *s = SOCK(self);
    if (argv[3] != NULL && argv[3] != TW_NONE) {
        int fd;
        if (int_arg(argv[3], &fd) < 0)
            return -1;
        if (fd < 0) {
            tw_err_set_string(&tw_exc_ValueError, "negative file descriptor");
            return -1;
        }
        if ((family == -1 && fd_int_option(fd, SO_DOMAIN, &family) < 0) ||
            (type == -1 && fd_int_option(fd, SO_TYPE, &type) < 0) ||
            (proto == -1 && fd_int_option(fd, SO_PROTOCOL, &proto) < 0)) {
            tw_err_set_from_errno(NULL);
            return -1;
        }
        return sock_adopt(s, fd, family, type, proto);
    }
    if (family == -1)
        family = AF_INET;
    if (type == -1)
        type = SOCK_STREAM;
    if (proto == -1)
        proto = 0;
    int fd = socket(family, type | SOCK_CLOEXEC, proto);
    if (fd < 0) {
        tw_err_set_from_errno(NULL);
        return -1;
    }
    int old = tw_atomic_exchange_acqrel(&s->fd, -1);
    if (old >= 0)
        close(old);
    return sock_adopt(s, fd, family, type, proto);
}

static void sock_dealloc(TwObject *op)
{
    int fd = tw_atomic_load_relaxed(&SOCK(op)->fd);
    if (fd >= 0)
        close(fd);
    tw_object_free(op);
}

/* A new socket object around an accepted descriptor. */
static TwObject *sock_from_fd(SockObject *parent, int fd)
{
    SockObject *s = (SockObject *)sock_new(&sock_type, NULL, 0, NULL);
    if (s == NULL) {
        close(fd);
        return NULL;
    }
    if (sock_adopt(s, fd, tw_atomic_load_relaxed(&parent->family),
                   tw_atomic_load_relaxed(&parent->type),
                   tw_atomic_load_relaxed(&parent->proto)) < 0) {
        tw_decref((TwObject *)s);
        return NULL;
    }
    return (TwObject *)s;
}

/* ---- methods ------------------------------------------------------------------------ */

static TwObject *sock_bind(TwObject *self, TwObject *addr)
{
    struct sockaddr_in sa;
    if (parse_address(SOCK(self), "bind", addr, &sa) < 0)
        return NULL;
    if (bind(tw_atomic_load_relaxed(&SOCK(self)->fd), (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *sock_listen(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("listen", kw) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "listen expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    int backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
    if (nargs == 1 && int_arg(args[0], &backlog) < 0)
        return NULL;
    if (backlog < 0)
        backlog = 0;
    if (listen(tw_atomic_load_relaxed(&SOCK(self)->fd), backlog) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

typedef struct {
    struct sockaddr_storage addr;
    socklen_t len;
} AcceptArgs;

static ssize_t do_accept(int fd, void *p)
{
    AcceptArgs *a = p;
    a->len = sizeof(a->addr);
    return accept4(fd, (struct sockaddr *)&a->addr, &a->len, SOCK_CLOEXEC);
}

/* accept() -> (socket, address).  The new socket is blocking unless a
 * default timeout is set, as in CPython. */
static TwObject *sock_accept(TwObject *self, TwObject *unused)
{
    AcceptArgs a;
    ssize_t fd = sock_call(SOCK(self), POLLIN, do_accept, &a);
    if (fd < 0)
        return NULL;
    TwObject *conn = sock_from_fd(SOCK(self), (int)fd);
    if (conn == NULL)
        return NULL;
    TwObject *addr = make_address(&a.addr, a.len);
    TwObject *res = addr ? tw_tuple_pack(2, conn, addr) : NULL;
    tw_decref(conn);
    tw_xdecref(addr);
    return res;
}

/* The pending error of a connection in progress (SO_ERROR); -1 with errno
 * if it cannot be read. */
static ssize_t do_connect_result(int fd, void *p)
{
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        return -1;
    if (err != 0) {
        errno = err;
        return -1;
    }
    return 0;
}

/* connect: 0, or -1 with an exception; or, with err_out, the errno of a
 * failed connection in *err_out (connect_ex).  A connection that is in
 * progress (a socket with a timeout, or a blocking one interrupted by a
 * signal) is waited for with poll and its result read from SO_ERROR. */
static int internal_connect(SockObject *s, const struct sockaddr_in *sa, int *err_out)
{
    int fd = tw_atomic_load_relaxed(&s->fd);
    int64_t timeout = tw_atomic_load_relaxed(&s->timeout);
    int rc, err = 0;
    TW_BEGIN_ALLOW_THREADS
    rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    if (rc < 0)
        err = errno;
    TW_END_ALLOW_THREADS
    if (rc == 0)
        return 0;
    int wait = 0;
    if (err == EINTR) {
        if (tw_eval_breaker_check() < 0)
            return -1;
        wait = timeout != 0;
    } else if (err == EINPROGRESS && timeout > 0) {
        wait = 1;
    }
    if (!wait) {
        if (err_out != NULL) {
            *err_out = err;
            return -1;
        }
        set_errno(err);
        return -1;
    }
    /* The connection goes on in the kernel: wait until it is writable. */
    int64_t deadline = timeout > 0 ? monotonic_ns() + timeout : 0;
    int64_t wait_timeout = timeout > 0 ? timeout : NO_TIMEOUT;
    if (timeout < 0) {
        /* Blocking socket: wait without a deadline, then read the result. */
        for (;;) {
            int n;
            TW_BEGIN_ALLOW_THREADS
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            n = poll(&p, 1, -1);
            if (n < 0)
                err = errno;
            TW_END_ALLOW_THREADS
            if (n >= 0)
                break;
            if (err != EINTR) {
                set_errno(err);
                return -1;
            }
            if (tw_eval_breaker_check() < 0)
                return -1;
        }
    }
    ssize_t r = sock_call_until(s, POLLOUT, do_connect_result, NULL, wait_timeout, deadline, err_out);
    return r < 0 ? -1 : 0;
}

static TwObject *sock_connect(TwObject *self, TwObject *addr)
{
    struct sockaddr_in sa;
    if (parse_address(SOCK(self), "connect", addr, &sa) < 0)
        return NULL;
    if (internal_connect(SOCK(self), &sa, NULL) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

/* connect_ex(address): 0 or the errno instead of raising. */
static TwObject *sock_connect_ex(TwObject *self, TwObject *addr)
{
    struct sockaddr_in sa;
    if (parse_address(SOCK(self), "connect_ex", addr, &sa) < 0)
        return NULL;
    int err = 0;
    if (internal_connect(SOCK(self), &sa, &err) < 0 && err == 0)
        return NULL;
    return tw_int_from_i64(err);
}

/* The bytes of a bytes-like argument as a bytes object (a snapshot of a
 * bytearray, so that no other thread can resize it under a detached
 * call).  New reference or NULL with TypeError. */
static TwObject *data_arg(TwObject *data)
{
    if (tw_bytes_check(data))
        return tw_newref(data);
    if (tw_type_is_subtype(TW_TYPE(data), &tw_bytearray_type))
        return tw_object_call_one((TwObject *)&tw_bytes_type, data);
    tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                  TW_TYPE(data)->tp_name);
    return NULL;
}

typedef struct {
    const char *buf;
    size_t len;
    int flags;
    const struct sockaddr_in *to; /* sendto */
} SendArgs;

static ssize_t do_send(int fd, void *p)
{
    SendArgs *a = p;
    if (a->to != NULL)
        return sendto(fd, a->buf, a->len, a->flags | MSG_NOSIGNAL, (const struct sockaddr *)a->to,
                      sizeof(*a->to));
    return send(fd, a->buf, a->len, a->flags | MSG_NOSIGNAL);
}

/* A send that cannot block, made without releasing the GIL: most sends
 * find room in the socket buffer, and a thread that released the GIL for
 * one would have to wait for it again (under the io policy, by making the
 * holder drop it) only to go on.  Returns the bytes sent, or -1 when the
 * call would block or failed; the caller then makes the ordinary detached
 * call, which waits, retries after EINTR and reports errors. */
static ssize_t try_send_now(SockObject *s, const SendArgs *a)
{
    int fd = tw_atomic_load_relaxed(&s->fd);
    if (fd < 0 || a->to != NULL || a->len == 0)
        return -1;
    int saved = errno;
    ssize_t n = send(fd, a->buf, a->len, a->flags | MSG_NOSIGNAL | MSG_DONTWAIT);
    errno = saved;
    return n > 0 ? n : -1;
}

/* (data[, flags]) of send and sendall. */
static int send_args(const char *fname, TwObject *const *args, size_t nargs, TwObject *kw,
                     TwObject **data, int *flags)
{
    if (tw_arg_no_kwargs(fname, kw) < 0)
        return -1;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return -1;
    }
    *flags = 0;
    if (nargs == 2 && int_arg(args[1], flags) < 0)
        return -1;
    *data = data_arg(args[0]);
    return *data == NULL ? -1 : 0;
}

static TwObject *sock_send(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    TwObject *data;
    SendArgs a = {0};
    if (send_args("send", args, nargs, kw, &data, &a.flags) < 0)
        return NULL;
    a.buf = tw_bytes_data(data);
    a.len = (size_t)tw_bytes_size(data);
    ssize_t n = try_send_now(SOCK(self), &a);
    if (n < 0)
        n = sock_call(SOCK(self), POLLOUT, do_send, &a);
    tw_decref(data);
    return n < 0 ? NULL : tw_int_from_i64(n);
}

/* sendall: send until every byte is out; a timeout covers the whole call.
 * The eval breaker is served between chunks. */
static TwObject *sock_sendall(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    TwObject *data;
    SendArgs a = {0};
    if (send_args("sendall", args, nargs, kw, &data, &a.flags) < 0)
        return NULL;
    SockObject *s = SOCK(self);
    int64_t timeout = tw_atomic_load_relaxed(&s->timeout);
    int64_t deadline = timeout > 0 ? monotonic_ns() + timeout : 0;
    const char *p = tw_bytes_data(data);
    size_t left = (size_t)tw_bytes_size(data);
    do {
        a.buf = p;
        a.len = left;
        ssize_t n = try_send_now(s, &a);
        if (n < 0)
            n = sock_call_until(s, POLLOUT, do_send, &a, timeout, deadline, NULL);
        if (n < 0 || (left > (size_t)n && tw_eval_breaker_check() < 0)) {
            tw_decref(data);
            return NULL;
        }
        p += n;
        left -= (size_t)n;
    } while (left > 0);
    tw_decref(data);
    return tw_newref(TW_NONE);
}

typedef struct {
    char *buf;
    size_t len;
    int flags;
    struct sockaddr_storage from; /* recvfrom */
    socklen_t fromlen;
    int want_from;
} RecvArgs;

static ssize_t do_recv(int fd, void *p)
{
    RecvArgs *a = p;
    if (a->want_from) {
        a->fromlen = sizeof(a->from);
        return recvfrom(fd, a->buf, a->len, a->flags, (struct sockaddr *)&a->from, &a->fromlen);
    }
    return recv(fd, a->buf, a->len, a->flags);
}

/* (bufsize[, flags]) of recv and recvfrom, and the read itself into a raw
 * buffer.  Returns the bytes read as a bytes object, or NULL. */
static TwObject *recv_common(TwObject *self, const char *fname, TwObject *const *args, size_t nargs,
                             TwObject *kw, RecvArgs *a)
{
    if (tw_arg_no_kwargs(fname, kw) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    int size;
    a->flags = 0;
    if (int_arg(args[0], &size) < 0 || (nargs == 2 && int_arg(args[1], &a->flags) < 0))
        return NULL;
    if (size < 0) {
        tw_err_format(&tw_exc_ValueError, "negative buffersize in %s", fname);
        return NULL;
    }
    a->buf = tw_mem_malloc(size > 0 ? (size_t)size : 1);
    if (a->buf == NULL)
        return tw_err_no_memory();
    a->len = (size_t)size;
    ssize_t n = sock_call(SOCK(self), POLLIN, do_recv, a);
    TwObject *res = n < 0 ? NULL : tw_bytes_from_data(a->buf, (size_t)n);
    tw_mem_free(a->buf);
    return res;
}

static TwObject *sock_recv(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    RecvArgs a = {0};
    return recv_common(self, "recv", args, nargs, kw, &a);
}

/* recvfrom(bufsize[, flags]) -> (bytes, address) */
static TwObject *sock_recvfrom(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    RecvArgs a = {.want_from = 1};
    TwObject *data = recv_common(self, "recvfrom", args, nargs, kw, &a);
    if (data == NULL)
        return NULL;
    TwObject *addr = a.fromlen > 0 ? make_address(&a.from, a.fromlen) : tw_newref(TW_NONE);
    TwObject *res = addr ? tw_tuple_pack(2, data, addr) : NULL;
    tw_decref(data);
    tw_xdecref(addr);
    return res;
}

/* recv_into(buffer[, nbytes[, flags]]): read into a bytearray; the count.
 * The bytes land in a private buffer first and are then stored with a
 * slice assignment of the same length, so the bytearray is never written
 * while detached. */
static TwObject *sock_recv_into(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    static const char *const names[] = {"buffer", "nbytes", "flags", NULL};
    static const TwArgSpec spec = {"recv_into", names, 0, 1, 3};
    TwObject *argv[3];
    if (tw_arg_parse(&spec, args, nargs, kw, argv) < 0)
        return NULL;
    TwObject *buffer = argv[0];
    if (!tw_type_is_subtype(TW_TYPE(buffer), &tw_bytearray_type)) {
        tw_err_format(&tw_exc_TypeError, "recv_into() argument 'buffer' must be read-write "
                      "bytes-like object, not %s", TW_TYPE(buffer)->tp_name);
        return NULL;
    }
    intptr_t cap = tw_object_len(buffer);
    if (cap < 0)
        return NULL;
    int nbytes = 0;
    if (argv[1] != NULL && int_arg(argv[1], &nbytes) < 0)
        return NULL;
    if (nbytes < 0) {
        tw_err_set_string(&tw_exc_ValueError, "negative buffersize in recv_into");
        return NULL;
    }
    if (nbytes > cap) {
        tw_err_set_string(&tw_exc_ValueError, "buffer too small for requested bytes");
        return NULL;
    }
    if (nbytes == 0)
        nbytes = (int)(cap > INT32_MAX ? INT32_MAX : cap);
    TwObject *size = tw_int_from_i64(nbytes);
    TwObject *rargs[2] = {size, argv[2]};
    RecvArgs a = {0};
    TwObject *data = size ? recv_common(self, "recv_into", rargs, argv[2] ? 2 : 1, NULL, &a) : NULL;
    tw_xdecref(size);
    if (data == NULL)
        return NULL;
    intptr_t n = tw_bytes_size(data);
    TwObject *stop = tw_int_from_i64(n);
    TwObject *slice = stop ? tw_slice_new(TW_NONE, stop, TW_NONE) : NULL;
    int rc = slice ? tw_object_setitem(buffer, slice, data) : -1;
    tw_xdecref(slice);
    tw_xdecref(stop);
    tw_decref(data);
    return rc < 0 ? NULL : tw_int_from_i64(n);
}

/* sendto(data[, flags], address) */
static TwObject *sock_sendto(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("sendto", kw) < 0)
        return NULL;
    if (nargs < 2 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "sendto() takes 2 or 3 arguments (%zu given)", nargs);
        return NULL;
    }
    SendArgs a = {0};
    if (nargs == 3 && int_arg(args[1], &a.flags) < 0)
        return NULL;
    struct sockaddr_in sa;
    TwObject *data = data_arg(args[0]);
    if (data == NULL)
        return NULL;
    if (parse_address(SOCK(self), "sendto", args[nargs - 1], &sa) < 0) {
        tw_decref(data);
        return NULL;
    }
    a.buf = tw_bytes_data(data);
    a.len = (size_t)tw_bytes_size(data);
    a.to = &sa;
    ssize_t n = sock_call(SOCK(self), POLLOUT, do_send, &a);
    tw_decref(data);
    return n < 0 ? NULL : tw_int_from_i64(n);
}

/* close(): release the descriptor once; closing twice is harmless.
 * ECONNRESET from close is ignored, as in CPython, and so is EINTR: the
 * descriptor is released even then, and retrying could close another. */
static TwObject *sock_close(TwObject *self, TwObject *unused)
{
    int fd = tw_atomic_exchange_acqrel(&SOCK(self)->fd, -1);
    if (fd >= 0) {
        int rc, err = 0;
        TW_BEGIN_ALLOW_THREADS
        rc = close(fd);
        if (rc < 0)
            err = errno;
        TW_END_ALLOW_THREADS
        if (rc < 0 && err != ECONNRESET && err != EINTR)
            return set_errno(err);
    }
    return tw_newref(TW_NONE);
}

/* detach(): give up the descriptor without closing it; returns it. */
static TwObject *sock_detach(TwObject *self, TwObject *unused)
{
    return tw_int_from_i64(tw_atomic_exchange_acqrel(&SOCK(self)->fd, -1));
}

static TwObject *sock_fileno(TwObject *self, TwObject *unused)
{
    return tw_int_from_i64(tw_atomic_load_relaxed(&SOCK(self)->fd));
}

static TwObject *sock_shutdown(TwObject *self, TwObject *arg)
{
    int how;
    if (int_arg(arg, &how) < 0)
        return NULL;
    if (shutdown(tw_atomic_load_relaxed(&SOCK(self)->fd), how) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

/* setsockopt(level, option, value: int | bytes) or
 * setsockopt(level, option, None, optlen). */
static TwObject *sock_setsockopt(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("setsockopt", kw) < 0)
        return NULL;
    if (nargs != 3 && nargs != 4) {
        tw_err_format(&tw_exc_TypeError, "setsockopt() takes exactly %d arguments (%zu given)",
                      nargs < 3 ? 3 : 4, nargs);
        return NULL;
    }
    int level, opt, rc, fd = tw_atomic_load_relaxed(&SOCK(self)->fd);
    if (int_arg(args[0], &level) < 0 || int_arg(args[1], &opt) < 0)
        return NULL;
    if (nargs == 4) {
        int optlen;
        if (args[2] != TW_NONE) {
            tw_err_set_string(&tw_exc_TypeError,
                              "setsockopt() argument 3 must be NoneType, not a value");
            return NULL;
        }
        if (int_arg(args[3], &optlen) < 0)
            return NULL;
        rc = setsockopt(fd, level, opt, NULL, (socklen_t)optlen);
    } else if (tw_bytes_check(args[2]) ||
               tw_type_is_subtype(TW_TYPE(args[2]), &tw_bytearray_type)) {
        TwObject *b = data_arg(args[2]);
        if (b == NULL)
            return NULL;
        rc = setsockopt(fd, level, opt, tw_bytes_data(b), (socklen_t)tw_bytes_size(b));
        tw_decref(b);
    } else {
        int v;
        if (int_arg(args[2], &v) < 0)
            return NULL;
        rc = setsockopt(fd, level, opt, &v, sizeof(v));
    }
    if (rc < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

/* getsockopt(level, option[, buflen]): an int, or buflen raw bytes. */
static TwObject *sock_getsockopt(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("getsockopt", kw) < 0)
        return NULL;
    if (nargs < 2 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "getsockopt expected %s, got %zu",
                      nargs < 2 ? "at least 2 arguments" : "at most 3 arguments", nargs);
        return NULL;
    }
    int level, opt, buflen = 0, fd = tw_atomic_load_relaxed(&SOCK(self)->fd);
    if (int_arg(args[0], &level) < 0 || int_arg(args[1], &opt) < 0 ||
        (nargs == 3 && int_arg(args[2], &buflen) < 0))
        return NULL;
    if (nargs == 2 || buflen == 0) {
        int v = 0;
        socklen_t len = sizeof(v);
        if (getsockopt(fd, level, opt, &v, &len) < 0)
            return tw_err_set_from_errno(NULL);
        return tw_int_from_i64(v);
    }
    if (buflen < 0 || buflen > 1024) {
        tw_err_set_string(&tw_exc_OSError, "getsockopt buflen out of range");
        return NULL;
    }
    char buf[1024];
    socklen_t len = (socklen_t)buflen;
    memset(buf, 0, sizeof(buf));
    if (getsockopt(fd, level, opt, buf, &len) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_bytes_from_data(buf, len);
}

static TwObject *name_of(TwObject *self, int peer)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    memset(&ss, 0, sizeof(ss));
    int fd = tw_atomic_load_relaxed(&SOCK(self)->fd);
    if ((peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
              : getsockname(fd, (struct sockaddr *)&ss, &len)) < 0)
        return tw_err_set_from_errno(NULL);
    return make_address(&ss, len);
}

static TwObject *sock_getsockname(TwObject *self, TwObject *unused) { return name_of(self, 0); }
static TwObject *sock_getpeername(TwObject *self, TwObject *unused) { return name_of(self, 1); }

static TwObject *sock_settimeout(TwObject *self, TwObject *arg)
{
    int64_t timeout;
    if (parse_timeout(arg, &timeout) < 0 || apply_timeout(SOCK(self), timeout) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *sock_gettimeout(TwObject *self, TwObject *unused)
{
    return timeout_object(tw_atomic_load_relaxed(&SOCK(self)->timeout));
}

static TwObject *sock_setblocking(TwObject *self, TwObject *arg)
{
    int flag = tw_object_is_true(arg);
    if (flag < 0 || apply_timeout(SOCK(self), flag ? NO_TIMEOUT : 0) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *sock_getblocking(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_atomic_load_relaxed(&SOCK(self)->timeout) != 0 ? TW_TRUE : TW_FALSE);
}

static TwObject *sock_enter(TwObject *self, TwObject *unused) { return tw_newref(self); }

static TwObject *sock_exit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return sock_close(self, NULL);
}

/* "<socket.socket fd=3, family=2, type=1, proto=0, laddr=(...), raddr=(...)>" */
static TwObject *sock_repr(TwObject *self)
{
    SockObject *s = SOCK(self);
    int fd = tw_atomic_load_relaxed(&s->fd);
    TwObject *head = tw_str_from_format(
        "<%s%s fd=%d, family=%d, type=%d, proto=%d", TW_TYPE(self)->tp_name,
        fd < 0 ? " [closed]" : "", fd, tw_atomic_load_relaxed(&s->family),
        tw_atomic_load_relaxed(&s->type), tw_atomic_load_relaxed(&s->proto));
    if (head == NULL)
        return NULL;
    TwObject *parts[2] = {NULL, NULL};
    for (int peer = 0; peer < 2 && fd >= 0; peer++) {
        TwObject *addr = name_of(self, peer);
        if (addr == NULL) {
            tw_err_clear();
            continue;
        }
        TwObject *r = tw_object_repr(addr);
        tw_decref(addr);
        if (r == NULL) {
            tw_decref(head);
            tw_xdecref(parts[0]);
            return NULL;
        }
        parts[peer] = r;
    }
    TwObject *res = tw_str_from_format(
        "%s%s%s%s%s>", tw_str_utf8(head), parts[0] ? ", laddr=" : "",
        parts[0] ? tw_str_utf8(parts[0]) : "", parts[1] ? ", raddr=" : "",
        parts[1] ? tw_str_utf8(parts[1]) : "");
    tw_decref(head);
    tw_xdecref(parts[0]);
    tw_xdecref(parts[1]);
    return res;
}

static TwObject *get_family(TwObject *self, void *c)
{
    return tw_int_from_i64(tw_atomic_load_relaxed(&SOCK(self)->family));
}
static TwObject *get_type(TwObject *self, void *c)
{
    return tw_int_from_i64(tw_atomic_load_relaxed(&SOCK(self)->type));
}
static TwObject *get_proto(TwObject *self, void *c)
{
    return tw_int_from_i64(tw_atomic_load_relaxed(&SOCK(self)->proto));
}
static TwObject *get_timeout(TwObject *self, void *c) { return sock_gettimeout(self, NULL); }

static const TwGetSetDef sock_getset[] = {
    {"family", get_family, NULL, NULL},
    {"type", get_type, NULL, NULL},
    {"proto", get_proto, NULL, NULL},
    {"timeout", get_timeout, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

#define FN(f) ((void (*)(void))(f))

static const TwMethodDef sock_methods[] = {
    {"bind", FN(sock_bind), TW_METH_O, "Bind the socket to a local address."},
    {"listen", FN(sock_listen), TW_METH_FASTCALL, "Accept connections (backlog)."},
    {"accept", FN(sock_accept), TW_METH_NOARGS, "Wait for a connection: (socket, address)."},
    {"connect", FN(sock_connect), TW_METH_O, "Connect to a remote address."},
    {"connect_ex", FN(sock_connect_ex), TW_METH_O, "connect, returning an errno."},
    {"send", FN(sock_send), TW_METH_FASTCALL, "Send data; the number of bytes sent."},
    {"sendall", FN(sock_sendall), TW_METH_FASTCALL, "Send every byte of data."},
    {"sendto", FN(sock_sendto), TW_METH_FASTCALL, "Send data to an address."},
    {"recv", FN(sock_recv), TW_METH_FASTCALL, "Receive up to bufsize bytes."},
    {"recvfrom", FN(sock_recvfrom), TW_METH_FASTCALL, "Receive: (data, address)."},
    {"recv_into", FN(sock_recv_into), TW_METH_FASTCALL, "Receive into a bytearray."},
    {"close", FN(sock_close), TW_METH_NOARGS, "Close the socket."},
    {"detach", FN(sock_detach), TW_METH_NOARGS, "Give up the descriptor without closing it."},
    {"fileno", FN(sock_fileno), TW_METH_NOARGS, "The file descriptor, or -1."},
    {"shutdown", FN(sock_shutdown), TW_METH_O, "Shut down reading, writing or both."},
    {"setsockopt", FN(sock_setsockopt), TW_METH_FASTCALL, "Set a socket option."},
    {"getsockopt", FN(sock_getsockopt), TW_METH_FASTCALL, "Get a socket option."},
    {"getsockname", FN(sock_getsockname), TW_METH_NOARGS, "The local address."},
    {"getpeername", FN(sock_getpeername), TW_METH_NOARGS, "The remote address."},
    {"settimeout", FN(sock_settimeout), TW_METH_O, "Set the timeout (seconds or None)."},
    {"gettimeout", FN(sock_gettimeout), TW_METH_NOARGS, "The timeout, or None."},
    {"setblocking", FN(sock_setblocking), TW_METH_O, "Blocking (True) or non-blocking."},
    {"getblocking", FN(sock_getblocking), TW_METH_NOARGS, "Whether the socket blocks."},
    {"__enter__", FN(sock_enter), TW_METH_NOARGS, NULL},
    {"__exit__", FN(sock_exit), TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static TwType sock_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "socket.socket",
    .tp_basicsize = sizeof(SockObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = sock_dealloc,
    .tp_repr = sock_repr,
    .tp_new = sock_new,
    .tp_init = sock_init,
    .tp_methods = sock_methods,
    .tp_getset = sock_getset,
};

static TwType gaierror_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "socket.gaierror",
    .tp_flags = TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_exc_OSError,
};

static TwType herror_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "socket.herror",
    .tp_flags = TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_exc_OSError,
};

/* ---- module functions --------------------------------------------------------------- */

/* A new socket object: socket(family, type, proto). */
static SockObject *new_socket(int family, int type, int proto)
{
    TwObject *f = tw_int_from_i64(family), *t = tw_int_from_i64(type), *p = tw_int_from_i64(proto);
    TwObject *args[3] = {f, t, p};
    TwObject *s = f && t && p ? tw_object_vectorcall((TwObject *)&sock_type, args, 3, NULL) : NULL;
    tw_xdecref(f);
    tw_xdecref(t);
    tw_xdecref(p);
    return (SockObject *)s;
}

/* create_connection(address, timeout=<default>, source_address=None) */
static TwObject *mod_create_connection(TwObject *m, TwObject *const *args, size_t nargs,
                                       TwObject *kw)
{
    static const char *const names[] = {"address", "timeout", "source_address", NULL};
    static const TwArgSpec spec = {"create_connection", names, 0, 1, 3};
    TwObject *argv[3];
    if (tw_arg_parse(&spec, args, nargs, kw, argv) < 0)
        return NULL;
    struct sockaddr_in sa, src;
    int64_t timeout = 0;
    if (parse_address(NULL, "connect", argv[0], &sa) < 0 ||
        (argv[1] != NULL && parse_timeout(argv[1], &timeout) < 0) ||
        (argv[2] != NULL && argv[2] != TW_NONE && parse_address(NULL, "bind", argv[2], &src) < 0))
        return NULL;
    SockObject *s = new_socket(AF_INET, SOCK_STREAM, 0);
    if (s == NULL)
        return NULL;
    int failed = argv[1] != NULL && apply_timeout(s, timeout) < 0;
    if (!failed && argv[2] != NULL && argv[2] != TW_NONE &&
        bind(tw_atomic_load_relaxed(&s->fd), (struct sockaddr *)&src, sizeof(src)) < 0) {
        tw_err_set_from_errno(NULL);
        failed = 1;
    }
    if (failed || internal_connect(s, &sa, NULL) < 0) {
        TwObject *exc = tw_err_fetch();
        tw_decref(sock_close((TwObject *)s, NULL));
        tw_decref((TwObject *)s);
        tw_err_restore(exc);
        return NULL;
    }
    return (TwObject *)s;
}

/* create_server(address, *, family=AF_INET, backlog=None, reuse_port=False) */
static TwObject *mod_create_server(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    static const char *const names[] = {"address", "family", "backlog", "reuse_port", NULL};
    static const TwArgSpec spec = {"create_server", names, 0, 1, 1};
    TwObject *argv[4];
    if (tw_arg_parse(&spec, args, nargs, kw, argv) < 0)
        return NULL;
    int family = AF_INET;
    if (argv[1] != NULL && int_arg(argv[1], &family) < 0)
        return NULL;
    SockObject *s = new_socket(family, SOCK_STREAM, 0);
    if (s == NULL)
        return NULL;
    int one = 1, fd = tw_atomic_load_relaxed(&s->fd);
    int reuse_port = argv[3] != NULL ? tw_object_is_true(argv[3]) : 0;
    TwObject *r = NULL;
    if (reuse_port < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)) {
        if (reuse_port >= 0)
            tw_err_set_from_errno(NULL);
    } else if ((r = sock_bind((TwObject *)s, argv[0])) != NULL) {
        tw_decref(r);
        TwObject *backlog = argv[2] != NULL && argv[2] != TW_NONE ? argv[2] : NULL;
        r = sock_listen((TwObject *)s, &backlog, backlog ? 1 : 0, NULL);
    }
    if (r == NULL) {
        TwObject *exc = tw_err_fetch();
        tw_decref(sock_close((TwObject *)s, NULL));
        tw_decref((TwObject *)s);
        tw_err_restore(exc);
        return NULL;
    }
    tw_decref(r);
    return (TwObject *)s;
}

static TwObject *mod_gethostname(TwObject *m, TwObject *unused)
{
    char buf[256];
    if (gethostname(buf, sizeof(buf) - 1) < 0)
        return tw_err_set_from_errno(NULL);
    buf[sizeof(buf) - 1] = '\0';
    return tw_str_from_cstr(buf);
}

static TwObject *mod_gethostbyname(TwObject *m, TwObject *arg)
{
    char host[256];
    struct in_addr a;
    if (host_arg(arg, host, sizeof(host)) < 0 || resolve_ipv4(host, &a) < 0)
        return NULL;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof(buf));
    return tw_str_from_cstr(buf);
}

static TwObject *mod_getdefaulttimeout(TwObject *m, TwObject *unused)
{
    return timeout_object(tw_atomic_load_relaxed(&default_timeout));
}

static TwObject *mod_setdefaulttimeout(TwObject *m, TwObject *arg)
{
    int64_t timeout;
    if (parse_timeout(arg, &timeout) < 0)
        return NULL;
    tw_atomic_store_relaxed(&default_timeout, timeout);
    return tw_newref(TW_NONE);
}

/* htons/ntohs and htonl/ntohl: ints of 16 and 32 bits. */
static TwObject *byte_swap(TwObject *arg, int bits, const char *fname)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return NULL;
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow < 0 || (overflow == 0 && v < 0)) {
        tw_err_format(&tw_exc_OverflowError, "%s: can't convert negative Python int to C %s",
                      fname, bits == 16 ? "16-bit unsigned integer" : "unsigned long");
        return NULL;
    }
    if (overflow > 0 || v > (bits == 16 ? 0xFFFF : INT64_C(0xFFFFFFFF))) {
        tw_err_format(&tw_exc_OverflowError, "%s: Python int too large to convert to C %s", fname,
                      bits == 16 ? "16-bit unsigned integer" : "unsigned long");
        return NULL;
    }
    return tw_int_from_i64(bits == 16 ? (int64_t)htons((uint16_t)v) : (int64_t)htonl((uint32_t)v));
}

static TwObject *mod_htons(TwObject *m, TwObject *a) { return byte_swap(a, 16, "htons"); }
static TwObject *mod_ntohs(TwObject *m, TwObject *a) { return byte_swap(a, 16, "ntohs"); }
static TwObject *mod_htonl(TwObject *m, TwObject *a) { return byte_swap(a, 32, "htonl"); }
static TwObject *mod_ntohl(TwObject *m, TwObject *a) { return byte_swap(a, 32, "ntohl"); }

static TwObject *mod_inet_aton(TwObject *m, TwObject *arg)
{
    if (!tw_str_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "inet_aton() argument 1 must be str, not %s",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    struct in_addr a;
    if (inet_aton(tw_str_utf8(arg), &a) == 0) {
        tw_err_set_string(&tw_exc_OSError, "illegal IP address string passed to inet_aton");
        return NULL;
    }
    return tw_bytes_from_data(&a, 4);
}

static TwObject *mod_inet_ntoa(TwObject *m, TwObject *arg)
{
    TwObject *b = data_arg(arg);
    if (b == NULL)
        return NULL;
    if (tw_bytes_size(b) != 4) {
        tw_decref(b);
        tw_err_set_string(&tw_exc_OSError, "packed IP wrong length for inet_ntoa");
        return NULL;
    }
    struct in_addr a;
    memcpy(&a, tw_bytes_data(b), 4);
    tw_decref(b);
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, buf, sizeof(buf));
    return tw_str_from_cstr(buf);
}

static const TwMethodDef socket_functions[] = {
    {"create_connection", FN(mod_create_connection), TW_METH_FASTCALL,
     "Connect to (host, port) and return the socket."},
    {"create_server", FN(mod_create_server), TW_METH_FASTCALL,
     "A listening TCP socket bound to address."},
    {"gethostname", FN(mod_gethostname), TW_METH_NOARGS, "The host's name."},
    {"gethostbyname", FN(mod_gethostbyname), TW_METH_O, "The IPv4 address of a host name."},
    {"getdefaulttimeout", FN(mod_getdefaulttimeout), TW_METH_NOARGS, "Timeout of new sockets."},
    {"setdefaulttimeout", FN(mod_setdefaulttimeout), TW_METH_O, "Set the timeout of new sockets."},
    {"htons", FN(mod_htons), TW_METH_O, NULL},
    {"ntohs", FN(mod_ntohs), TW_METH_O, NULL},
    {"htonl", FN(mod_htonl), TW_METH_O, NULL},
    {"ntohl", FN(mod_ntohl), TW_METH_O, NULL},
    {"inet_aton", FN(mod_inet_aton), TW_METH_O, "Dotted quad to 4 packed bytes."},
    {"inet_ntoa", FN(mod_inet_ntoa), TW_METH_O, "4 packed bytes to a dotted quad."},
    {NULL, NULL, 0, NULL},
};

static const struct {
    const char *name;
    int64_t value;
} socket_constants[] = {
    {"AF_UNSPEC", AF_UNSPEC},       {"AF_INET", AF_INET},
    {"AF_INET6", AF_INET6},         {"AF_UNIX", AF_UNIX},
    {"SOCK_STREAM", SOCK_STREAM},   {"SOCK_DGRAM", SOCK_DGRAM},
    {"SOCK_RAW", SOCK_RAW},         {"SOCK_NONBLOCK", SOCK_NONBLOCK},
    {"SOCK_CLOEXEC", SOCK_CLOEXEC}, {"SOL_SOCKET", SOL_SOCKET},
    {"SOL_TCP", SOL_TCP},           {"SOL_UDP", IPPROTO_UDP},
    {"SO_REUSEADDR", SO_REUSEADDR}, {"SO_REUSEPORT", SO_REUSEPORT},
    {"SO_KEEPALIVE", SO_KEEPALIVE}, {"SO_BROADCAST", SO_BROADCAST},
    {"SO_LINGER", SO_LINGER},       {"SO_RCVBUF", SO_RCVBUF},
    {"SO_SNDBUF", SO_SNDBUF},       {"SO_RCVLOWAT", SO_RCVLOWAT},
    {"SO_SNDLOWAT", SO_SNDLOWAT},   {"SO_RCVTIMEO", SO_RCVTIMEO},
    {"SO_SNDTIMEO", SO_SNDTIMEO},   {"SO_ERROR", SO_ERROR},
    {"SO_TYPE", SO_TYPE},           {"SO_ACCEPTCONN", SO_ACCEPTCONN},
    {"SO_DOMAIN", SO_DOMAIN},       {"SO_PROTOCOL", SO_PROTOCOL},
    {"SOMAXCONN", SOMAXCONN},       {"IPPROTO_IP", IPPROTO_IP},
    {"IPPROTO_TCP", IPPROTO_TCP},   {"IPPROTO_UDP", IPPROTO_UDP},
    {"IPPROTO_IPV6", IPPROTO_IPV6}, {"TCP_NODELAY", TCP_NODELAY},
    {"TCP_MAXSEG", TCP_MAXSEG},     {"TCP_KEEPIDLE", TCP_KEEPIDLE},
    {"TCP_KEEPINTVL", TCP_KEEPINTVL}, {"TCP_KEEPCNT", TCP_KEEPCNT},
    {"TCP_QUICKACK", TCP_QUICKACK}, {"SHUT_RD", SHUT_RD},
    {"SHUT_WR", SHUT_WR},           {"SHUT_RDWR", SHUT_RDWR},
    {"MSG_OOB", MSG_OOB},           {"MSG_PEEK", MSG_PEEK},
    {"MSG_DONTROUTE", MSG_DONTROUTE}, {"MSG_DONTWAIT", MSG_DONTWAIT},
    {"MSG_WAITALL", MSG_WAITALL},   {"MSG_NOSIGNAL", MSG_NOSIGNAL},
    {"INADDR_ANY", INADDR_ANY},     {"INADDR_LOOPBACK", INADDR_LOOPBACK},
    {"INADDR_BROADCAST", INADDR_BROADCAST}, {"INADDR_NONE", INADDR_NONE},
    {"EAI_NONAME", EAI_NONAME},     {"EAI_AGAIN", EAI_AGAIN},
};

static TwObject *socket_module_create(void)
{
    TwObject *m = tw_module_new_cstr("socket");
    if (m == NULL)
        return NULL;
    int rc = tw_module_add_functions(m, socket_functions);
    for (size_t i = 0; rc == 0 && i < sizeof(socket_constants) / sizeof(socket_constants[0]); i++)
        rc = tw_module_add_int(m, socket_constants[i].name, socket_constants[i].value);
    if (rc < 0 || tw_module_add_object(m, "socket", (TwObject *)&sock_type) < 0 ||
        tw_module_add_object(m, "SocketType", (TwObject *)&sock_type) < 0 ||
        tw_module_add_object(m, "error", (TwObject *)&tw_exc_OSError) < 0 ||
        tw_module_add_object(m, "timeout", (TwObject *)&tw_exc_TimeoutError) < 0 ||
        tw_module_add_object(m, "gaierror", (TwObject *)&gaierror_type) < 0 ||
        tw_module_add_object(m, "herror", (TwObject *)&herror_type) < 0 ||
        tw_module_add_object(m, "has_ipv6", TW_FALSE) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_socket_init(void)
{
    if (tw_type_ready(&sock_type) < 0 || tw_type_ready(&gaierror_type) < 0 ||
        tw_type_ready(&herror_type) < 0)
        return -1;
    if (tw_module_register_builtin("socket", socket_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
