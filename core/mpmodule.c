/* The _multiprocessing module: the primitives lib/multiprocessing.py is
 * built on.
 *
 *   socketpair()               a pair of connected descriptors, close-on-exec
 *   send_bytes, recv_bytes     length-prefixed messages (below)
 *   poll(fd, timeout)          whether fd has data (or end of file)
 *   wait(fds, timeout)         which of several descriptors have data
 *   print_exception(exc)       a traceback on stderr, as for an uncaught one
 *   dumps, loads               the serializer (below)
 *   SemLock(value)             a counting semaphore in shared memory
 *
 * Processes, pipes and plain descriptor I/O come from the os module
 * (core/osmodule.c): os.fork runs the runtime's fork hooks.
 *
 * Every call that can block (the message calls, poll, wait,
 * SemLock.acquire) runs detached: the GIL is released, or in the
 * free-threaded build the thread's critical sections are suspended.  A
 * call interrupted by a signal serves the eval breaker (Ctrl-C becomes
 * KeyboardInterrupt) and goes on.
 *
 * Messages.  A message is a 4-byte big-endian signed length and the bytes;
 * a length of -1 announces an 8-byte big-endian length instead (messages of
 * 2 GiB and more).  recv_bytes raises EOFError when the descriptor is at
 * end of file, before or inside a message.  Neither call locks: processes
 * that share one end must take a lock around each call (multiprocessing's
 * Queue does).
 *
 * The serializer.  dumps(obj) -> bytes and loads(bytes) -> obj carry None,
 * bool, int (any size), float, str, bytes, tuple, list, dict, set and
 * frozenset, nested to 1000 levels, by exact type (a subclass of list is
 * refused, not silently turned into a list).  Each occurrence of an object
 * is written out in full: two references to one list come back as two
 * equal lists, and a container that contains itself exceeds the depth.
 * Refusals:
 *   TypeError "cannot pickle 'T' object"  for any other type T (CPython's
 *       pickle gives the same message for the types it cannot pickle
 *       either, such as generators and modules);
 *   RecursionError "maximum recursion depth exceeded while pickling an
 *       object" past 1000 levels;
 *   ValueError "invalid serialized data" from loads for bytes that dumps
 *       did not make.
 * Format: one tag byte per value; 'N' 'T' 'F'; 'i' an int64; 'I' a big int
 * as hexadecimal text; 'f' a double; 's' 'b' a uint64 length and the
 * bytes (UTF-8 for str); '(' '[' 'S' 'z' a uint64 count and the items;
 * '{' a uint64 count and the key/value pairs.  Numbers are little-endian. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/eval.h"
#include "nogil/parking_lot.h"

#define FN(f) ((void (*)(void))(f))

/* ---- arguments ----------------------------------------------------------------------------- */

static int int_arg(TwObject *o, int *out)
{
    TwObject *i = tw_number_index(o);
    if (i == NULL)
        return -1;
    int64_t v = tw_int_as_i64(i);
    tw_decref(i);
    if (v == -1 && tw_err_occurred())
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int fd_arg(TwObject *o, int *fd)
{
    if (int_arg(o, fd) < 0)
        return -1;
    if (*fd < 0) {
        errno = EBADF;
        tw_err_set_from_errno(NULL);
        return -1;
    }
    return 0;
}

static int exact_args(const char *name, size_t nargs, size_t n, TwObject *kwnames)
{
    if (tw_arg_no_kwargs(name, kwnames) < 0)
        return -1;
    if (nargs != n) {
        tw_err_format(&tw_exc_TypeError, "%s expected %zu argument%s, got %zu", name, n,
                      n == 1 ? "" : "s", nargs);
        return -1;
    }
    return 0;
}

/* After EINTR: serve the eval breaker (a signal may raise); 0 to retry. */
static int interrupted(void)
{
    return tw_eval_breaker_check();
}

/* ---- descriptor I/O (detached) ------------------------------------------------------------- */

/* Read up to n bytes; -1 with errno. */
static ssize_t read_some(int fd, void *buf, size_t n)
{
    ssize_t r;
    TW_BEGIN_ALLOW_THREADS
    r = read(fd, buf, n);
    TW_END_ALLOW_THREADS
    return r;
}

/* Read exactly n bytes.  1 done, 0 end of file first (*got bytes read), -1
 * with an exception. */
static int read_exact(int fd, char *buf, size_t n, size_t *got)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = read_some(fd, buf + done, n - done);
        if (r < 0) {
            if (errno == EINTR) {
                if (interrupted() < 0)
                    return -1;
                continue;
            }
            tw_err_set_from_errno(NULL);
            return -1;
        }
        if (r == 0) {
            *got = done;
            return 0;
        }
        done += (size_t)r;
    }
    *got = done;
    return 1;
}

/* Write all n bytes (detached for the whole message).  0 or -1. */
static int write_all(int fd, const char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r;
        TW_BEGIN_ALLOW_THREADS
        r = write(fd, buf + done, n - done);
        TW_END_ALLOW_THREADS
        if (r < 0) {
            if (errno == EINTR) {
                if (interrupted() < 0)
                    return -1;
                continue;
            }
            tw_err_set_from_errno(NULL);
            return -1;
        }
        done += (size_t)r;
    }
    return 0;
}

static TwObject *fd_pair(int fds[2])
{
    TwObject *a = tw_int_from_i64(fds[0]), *b = tw_int_from_i64(fds[1]);
    TwObject *t = (a && b) ? tw_tuple_pack(2, a, b) : NULL;
    tw_xdecref(a);
    tw_xdecref(b);
    if (t == NULL) {
        close(fds[0]);
        close(fds[1]);
    }
    return t;
}

static TwObject *mp_socketpair(TwObject *m, TwObject *u)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        return tw_err_set_from_errno(NULL);
    return fd_pair(fds);
}

/* ---- messages ------------------------------------------------------------------------------ */

/* send_bytes(fd, data): the length prefix and the data in one buffer, so a
 * small message is one write(2) (atomic on a pipe up to PIPE_BUF). */
static TwObject *mp_send_bytes(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int fd;
    if (exact_args("send_bytes", nargs, 2, kwnames) < 0 || fd_arg(args[0], &fd) < 0)
        return NULL;
    if (!tw_bytes_check(args[1])) {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(args[1])->tp_name);
        return NULL;
    }
    uint64_t n = (uint64_t)tw_bytes_size(args[1]);
    size_t head = n < 0x7fffffff ? 4 : 12;
    char *buf = malloc(head + n);
    if (buf == NULL)
        return tw_err_no_memory();
    if (head == 4) {
        for (int i = 0; i < 4; i++)
            buf[i] = (char)(n >> (24 - 8 * i));
    } else {
        memset(buf, 0xff, 4);
        for (int i = 0; i < 8; i++)
            buf[4 + i] = (char)(n >> (56 - 8 * i));
    }
    memcpy(buf + head, tw_bytes_data(args[1]), n);
    int rc = write_all(fd, buf, head + n);
    free(buf);
    return rc < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *eof_error(void)
{
    tw_err_set_string(&tw_exc_EOFError, "");
    return NULL;
}

static TwObject *mp_recv_bytes(TwObject *m, TwObject *arg)
{
    int fd;
    if (fd_arg(arg, &fd) < 0)
        return NULL;
    unsigned char head[8];
    size_t got;
    int r = read_exact(fd, (char *)head, 4, &got);
    if (r <= 0)
        return r < 0 ? NULL : eof_error();
    uint64_t n = ((uint64_t)head[0] << 24) | ((uint64_t)head[1] << 16) | ((uint64_t)head[2] << 8) |
                 head[3];
    if (n == 0xffffffffu) {
        r = read_exact(fd, (char *)head, 8, &got);
        if (r <= 0)
            return r < 0 ? NULL : eof_error();
        n = 0;
        for (int i = 0; i < 8; i++)
            n = (n << 8) | head[i];
    } else if (n > 0x7fffffff) {
        tw_err_set_string(&tw_exc_OSError, "bad message length");
        return NULL;
    }
    if (n > (uint64_t)PTRDIFF_MAX / 2)
        return tw_err_no_memory();
    char *buf = malloc(n ? (size_t)n : 1);
    if (buf == NULL)
        return tw_err_no_memory();
    r = read_exact(fd, buf, (size_t)n, &got);
    if (r <= 0) {
        free(buf);
        return r < 0 ? NULL : eof_error();
    }
    TwObject *res = tw_bytes_from_data(buf, (size_t)n);
    free(buf);
    return res;
}

/* A timeout in seconds (None: forever) as milliseconds, -1 for forever. */
static int timeout_ms_arg(TwObject *o, int64_t *ms)
{
    if (o == NULL || o == TW_NONE) {
        *ms = -1;
        return 0;
    }
    double s;
    if (tw_float_check(o)) {
        s = tw_float_as_double(o);
    } else {
        TwObject *i = tw_number_index(o);
        if (i == NULL)
            return -1;
        s = tw_int_as_double(i);
        tw_decref(i);
        if (s == -1.0 && tw_err_occurred())
            return -1;
    }
    if (s != s) {
        tw_err_set_string(&tw_exc_ValueError, "Invalid value NaN (not a number)");
        return -1;
    }
    if (s <= 0)
        *ms = 0;
    else if (s > 1e9)
        *ms = INT64_C(1000000000000);
    else
        *ms = (int64_t)(s * 1000.0 + 0.999999);
    return 0;
}

/* poll(fd, timeout=0.0): True when a read would not block (data or end of
 * file).  timeout None waits for ever. */
static TwObject *mp_poll(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"fd", "timeout", NULL};
    static const TwArgSpec spec = {"poll", names, 0, 1, 2};
    TwObject *argv[2];
    int fd;
    int64_t ms = 0;
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0 || fd_arg(argv[0], &fd) < 0)
        return NULL;
    if (argv[1] != NULL && timeout_ms_arg(argv[1], &ms) < 0)
        return NULL;
    int64_t deadline = ms < 0 ? -1 : tw_monotonic_ns() / 1000000 + ms;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int wait = ms < 0 ? -1 : (int)(ms > INT_MAX ? INT_MAX : ms);
        int r;
        TW_BEGIN_ALLOW_THREADS
        r = poll(&p, 1, wait);
        TW_END_ALLOW_THREADS
        if (r > 0) {
            if (p.revents & POLLNVAL) {
                errno = EBADF;
                return tw_err_set_from_errno(NULL);
            }
            return tw_newref(TW_TRUE);
        }
        if (r < 0 && errno != EINTR)
            return tw_err_set_from_errno(NULL);
        if (r < 0 && interrupted() < 0)
            return NULL;
        if (ms >= 0) {
            ms = deadline - tw_monotonic_ns() / 1000000;
            if (ms <= 0 && r == 0)
                return tw_newref(TW_FALSE);
            if (ms < 0)
                ms = 0;
        }
    }
}

/* wait(fds, timeout=None) -> the descriptors of the list that a read would
 * not block (data or end of file); [] when the timeout passes first. */
static TwObject *mp_wait(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"fds", "timeout", NULL};
    static const TwArgSpec spec = {"wait", names, 0, 1, 2};
    TwObject *argv[2];
    int64_t ms = -1;
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0 || timeout_ms_arg(argv[1], &ms) < 0)
        return NULL;
    TwObject *seq = tw_sequence_tuple(argv[0]);
    if (seq == NULL)
        return NULL;
    intptr_t n = tw_tuple_size(seq);
    struct pollfd *p = calloc(n ? (size_t)n : 1, sizeof(*p));
    if (p == NULL) {
        tw_decref(seq);
        return tw_err_no_memory();
    }
    TwObject *res = NULL;
    for (intptr_t i = 0; i < n; i++) {
        if (fd_arg(tw_tuple_get_item_borrowed(seq, i), &p[i].fd) < 0)
            goto done;
        p[i].events = POLLIN;
    }
    int64_t deadline = ms < 0 ? -1 : tw_monotonic_ns() / 1000000 + ms;
    int r;
    for (;;) {
        int wait = ms < 0 ? -1 : (int)(ms > INT_MAX ? INT_MAX : ms);
        TW_BEGIN_ALLOW_THREADS
        r = poll(p, (nfds_t)n, wait);
        TW_END_ALLOW_THREADS
        if (r >= 0)
            break;
        if (errno != EINTR) {
            tw_err_set_from_errno(NULL);
            goto done;
        }
        if (interrupted() < 0)
            goto done;
        if (ms >= 0 && (ms = deadline - tw_monotonic_ns() / 1000000) < 0)
            ms = 0;
    }
    res = tw_list_new(0);
    for (intptr_t i = 0; res != NULL && i < n; i++) {
        if (p[i].revents & POLLNVAL) {
            errno = EBADF;
            tw_err_set_from_errno(NULL);
            tw_decref(res);
            res = NULL;
        } else if (p[i].revents && tw_list_append(res, tw_tuple_get_item_borrowed(seq, i)) < 0) {
            tw_decref(res);
            res = NULL;
        }
    }
done:
    free(p);
    tw_decref(seq);
    return res;
}

/* ---- reporting -------------------------------------------------------------------------------- */

/* print_exception(exc): the traceback and the exception, as an uncaught
 * exception is printed, to stderr (a child's "Process NAME:" report). */
static TwObject *mp_print_exception(TwObject *m, TwObject *arg)
{
    if (!tw_exception_check(arg)) {
        tw_err_set_string(&tw_exc_TypeError, "print_exception() argument must be an exception");
        return NULL;
    }
    tw_traceback_print_exception(arg);
    return tw_newref(TW_NONE);
}

/* ---- the serializer ------------------------------------------------------------------------ */

#define MAX_DEPTH 1000

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static int buf_add(Buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            tw_err_no_memory();
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int buf_tag(Buf *b, char tag) { return buf_add(b, &tag, 1); }

static int buf_u64(Buf *b, uint64_t v)
{
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    return buf_add(b, le, 8);
}

static int buf_tagged_bytes(Buf *b, char tag, const char *p, size_t n)
{
    if (buf_tag(b, tag) < 0 || buf_u64(b, n) < 0)
        return -1;
    return buf_add(b, p, n);
}

static int dump(Buf *b, TwObject *op, int depth);

/* The items of a tuple snapshot (of a list or a set) after its tag. */
static int dump_items(Buf *b, char tag, TwObject *seq, int depth)
{
    intptr_t n = tw_tuple_check(seq) ? tw_tuple_size(seq) : tw_list_size(seq);
    if (buf_tag(b, tag) < 0 || buf_u64(b, (uint64_t)n) < 0)
        return -1;
    for (intptr_t i = 0; i < n; i++) {
        TwObject *item;
        int rc;
        if (tw_tuple_check(seq)) {
            rc = dump(b, tw_tuple_get_item_borrowed(seq, i), depth + 1);
        } else {
            item = tw_list_get_item(seq, i);
            if (item == NULL)
                return -1;
            rc = dump(b, item, depth + 1);
            tw_decref(item);
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int dump(Buf *b, TwObject *op, int depth)
{
    if (depth > MAX_DEPTH) {
        tw_err_set_string(&tw_exc_RecursionError,
                          "maximum recursion depth exceeded while pickling an object");
        return -1;
    }
    TwType *t = TW_TYPE(op);
    if (op == TW_NONE)
        return buf_tag(b, 'N');
    if (op == TW_TRUE || op == TW_FALSE)
        return buf_tag(b, op == TW_TRUE ? 'T' : 'F');
    if (t == &tw_int_type) {
        int overflow = 0;
        int64_t v = tw_int_as_i64_overflow(op, &overflow);
        if (!overflow) {
            if (buf_tag(b, 'i') < 0)
                return -1;
            return buf_u64(b, (uint64_t)v);
        }
        TwObject *hex = tw_int_to_hex(op);
        if (hex == NULL)
            return -1;
        int rc = buf_tagged_bytes(b, 'I', tw_str_utf8(hex), (size_t)tw_str_byte_size(hex));
        tw_decref(hex);
        return rc;
    }
    if (t == &tw_float_type) {
        double d = tw_float_as_double(op);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        if (buf_tag(b, 'f') < 0)
            return -1;
        return buf_u64(b, bits);
    }
    if (t == &tw_str_type)
        return buf_tagged_bytes(b, 's', tw_str_utf8(op), (size_t)tw_str_byte_size(op));
    if (t == &tw_bytes_type)
        return buf_tagged_bytes(b, 'b', tw_bytes_data(op), (size_t)tw_bytes_size(op));
    if (t == &tw_tuple_type)
        return dump_items(b, '(', op, depth);
    if (t == &tw_list_type || t == &tw_set_type || t == &tw_frozenset_type) {
        /* A snapshot: another thread may change the container meanwhile. */
        TwObject *snap = t == &tw_list_type ? tw_list_as_tuple(op) : tw_set_to_list(op);
        if (snap == NULL)
            return -1;
        char tag = t == &tw_list_type ? '[' : t == &tw_set_type ? 'S' : 'z';
        int rc = dump_items(b, tag, snap, depth);
        tw_decref(snap);
        return rc;
    }
    if (t == &tw_dict_type) {
        TwObject *items = tw_dict_items(op);
        if (items == NULL)
            return -1;
        intptr_t n = tw_list_size(items);
        int rc = buf_tag(b, '{') < 0 || buf_u64(b, (uint64_t)n) < 0 ? -1 : 0;
        for (intptr_t i = 0; i < n && rc == 0; i++) {
            TwObject *kv = tw_list_get_item(items, i);
            if (kv == NULL) {
                rc = -1;
                break;
            }
            if (dump(b, tw_tuple_get_item_borrowed(kv, 0), depth + 1) < 0 ||
                dump(b, tw_tuple_get_item_borrowed(kv, 1), depth + 1) < 0)
                rc = -1;
            tw_decref(kv);
        }
        tw_decref(items);
        return rc;
    }
    TwObject *name = tw_type_get_name(t);
    if (name == NULL)
        return -1;
    tw_err_format(&tw_exc_TypeError, "cannot pickle '%s' object", tw_str_utf8(name));
    tw_decref(name);
    return -1;
}

static TwObject *mp_dumps(TwObject *m, TwObject *arg)
{
    Buf b = {0};
    TwObject *res = NULL;
    if (dump(&b, arg, 0) == 0)
        res = tw_bytes_from_data(b.data, b.len);
    free(b.data);
    return res;
}

typedef struct {
    const unsigned char *p, *end;
} Reader;

static TwObject *bad_data(void)
{
    tw_err_set_string(&tw_exc_ValueError, "invalid serialized data");
    return NULL;
}

static int read_u64(Reader *r, uint64_t *v)
{
    if (r->end - r->p < 8)
        return -1;
    *v = 0;
    for (int i = 7; i >= 0; i--)
        *v = (*v << 8) | r->p[i];
    r->p += 8;
    return 0;
}

/* A length or count that the rest of the data can hold (each item takes
 * at least `unit` bytes). */
static int read_len(Reader *r, uint64_t *n, size_t unit)
{
    if (read_u64(r, n) < 0 || *n > (uint64_t)(r->end - r->p) / unit)
        return -1;
    return 0;
}

static TwObject *load(Reader *r, int depth)
{
    if (r->p >= r->end || depth > MAX_DEPTH)
        return bad_data();
    char tag = (char)*r->p++;
    uint64_t n;
    switch (tag) {
    case 'N':
        return tw_newref(TW_NONE);
    case 'T':
        return tw_newref(TW_TRUE);
    case 'F':
        return tw_newref(TW_FALSE);
    case 'i':
        if (read_u64(r, &n) < 0)
            return bad_data();
        return tw_int_from_i64((int64_t)n);
    case 'f': {
        if (read_u64(r, &n) < 0)
            return bad_data();
        double d;
        memcpy(&d, &n, 8);
        return tw_float_from_double(d);
    }
    case 'I':
    case 's':
    case 'b': {
        if (read_len(r, &n, 1) < 0)
            return bad_data();
        const char *s = (const char *)r->p;
        r->p += n;
        if (tag == 'b')
            return tw_bytes_from_data(s, (size_t)n);
        if (tag == 's') {
            TwObject *str = tw_str_from_utf8(s, (size_t)n);
            if (str == NULL) {
                tw_err_clear();
                return bad_data();
            }
            return str;
        }
        if (n < 3 || (s[0] != '-' && s[0] != '0'))
            return bad_data();
        TwObject *i = tw_int_from_string(s, (size_t)n, 0);
        if (i == NULL) {
            tw_err_clear();
            return bad_data();
        }
        return i;
    }
    case '(':
    case '[':
    case 'S':
    case 'z': {
        if (read_len(r, &n, 1) < 0)
            return bad_data();
        TwObject *seq = tag == '(' ? tw_tuple_new((intptr_t)n)
                        : tag == '[' ? tw_list_new((intptr_t)n)
                                     : tw_set_new();
        if (seq == NULL)
            return NULL;
        for (uint64_t i = 0; i < n; i++) {
            TwObject *item = load(r, depth + 1);
            if (item == NULL) {
                tw_decref(seq);
                return NULL;
            }
            if (tag == '(') {
                tw_tuple_init_item(seq, (intptr_t)i, item);
                continue;
            }
            int rc = tag == '[' ? tw_list_append(seq, item) : tw_set_add(seq, item);
            tw_decref(item);
            if (rc < 0) {
                tw_decref(seq);
                return NULL;
            }
        }
        if (tag == 'z') {
            TwObject *fs = tw_frozenset_new(seq);
            tw_decref(seq);
            return fs;
        }
        return seq;
    }
    case '{': {
        if (read_len(r, &n, 2) < 0)
            return bad_data();
        TwObject *d = tw_dict_new();
        if (d == NULL)
            return NULL;
        for (uint64_t i = 0; i < n; i++) {
            TwObject *k = load(r, depth + 1);
            TwObject *v = k ? load(r, depth + 1) : NULL;
            int rc = v ? tw_dict_set_item(d, k, v) : -1;
            tw_xdecref(k);
            tw_xdecref(v);
            if (rc < 0) {
                tw_decref(d);
                return NULL;
            }
        }
        return d;
    }
    default:
        return bad_data();
    }
}

static TwObject *mp_loads(TwObject *m, TwObject *arg)
{
    if (!tw_bytes_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    Reader r = {(const unsigned char *)tw_bytes_data(arg),
                (const unsigned char *)tw_bytes_data(arg) + tw_bytes_size(arg)};
    TwObject *res = load(&r, 0);
    if (res != NULL && r.p != r.end) {
        tw_decref(res);
        return bad_data();
    }
    return res;
}

/* ---- SemLock: a semaphore shared with forked children ------------------------------------- */

/* The semaphore lives in an anonymous shared mapping, so every process
 * forked after its creation uses the same one.  Each process unmaps its
 * own view when its object goes away; the semaphore is never destroyed
 * (another process may still use it).  A process that dies holding it
 * leaves it taken. */
typedef struct {
    TwObject ob_base;
    sem_t *sem; /* immutable; the semaphore itself is process-shared */
} SemLockObject;

static TwType semlock_type;

static TwObject *semlock_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"value", NULL};
    static const TwArgSpec spec = {"SemLock", names, 0, 0, 1};
    TwObject *argv[1];
    int value = 1;
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    if (argv[0] != NULL && int_arg(argv[0], &value) < 0)
        return NULL;
    if (value < 0) {
        tw_err_set_string(&tw_exc_ValueError, "semaphore initial value must be >= 0");
        return NULL;
    }
    void *mem = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return tw_err_set_from_errno(NULL);
    if (sem_init((sem_t *)mem, 1, (unsigned)value) < 0) {
        tw_err_set_from_errno(NULL);
        munmap(mem, sizeof(sem_t));
        return NULL;
    }
    SemLockObject *self = (SemLockObject *)tw_type_generic_alloc(type, 0);
    if (self == NULL) {
        munmap(mem, sizeof(sem_t));
        return NULL;
    }
    self->sem = mem;
    return (TwObject *)self;
}

static void semlock_dealloc(TwObject *op)
{
    SemLockObject *self = (SemLockObject *)op;
    if (self->sem != NULL)
        munmap(self->sem, sizeof(sem_t));
    tw_object_free(op);
}

/* acquire(block=True, timeout=None) -> bool */
static TwObject *semlock_acquire(TwObject *op, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    static const char *const names[] = {"block", "timeout", NULL};
    static const TwArgSpec spec = {"acquire", names, 0, 0, 2};
    TwObject *argv[2];
    sem_t *sem = ((SemLockObject *)op)->sem;
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    int block = 1;
    if (argv[0] != NULL && (block = tw_object_is_true(argv[0])) < 0)
        return NULL;
    int64_t ms = -1;
    if (block && argv[1] != NULL && timeout_ms_arg(argv[1], &ms) < 0)
        return NULL;
    if (!block)
        ms = 0;
    if (sem_trywait(sem) == 0)
        return tw_newref(TW_TRUE);
    if (ms == 0)
        return tw_newref(TW_FALSE);
    struct timespec until;
    if (ms > 0) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(ms / 1000);
        until.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    for (;;) {
        int r;
        TW_BEGIN_ALLOW_THREADS
        r = ms < 0 ? sem_wait(sem) : sem_timedwait(sem, &until);
        TW_END_ALLOW_THREADS
        if (r == 0)
            return tw_newref(TW_TRUE);
        if (errno == ETIMEDOUT)
            return tw_newref(TW_FALSE);
        if (errno != EINTR)
            return tw_err_set_from_errno(NULL);
        if (interrupted() < 0)
            return NULL;
    }
}

static TwObject *semlock_release(TwObject *op, TwObject *u)
{
    if (sem_post(((SemLockObject *)op)->sem) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *semlock_get_value(TwObject *op, TwObject *u)
{
    int v = 0;
    if (sem_getvalue(((SemLockObject *)op)->sem, &v) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_int_from_i64(v < 0 ? 0 : v);
}

static TwObject *semlock_enter(TwObject *op, TwObject *u)
{
    return semlock_acquire(op, NULL, 0, NULL);
}

static TwObject *semlock_exit(TwObject *op, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return semlock_release(op, NULL);
}

static const TwMethodDef semlock_methods[] = {
    {"acquire", FN(semlock_acquire), TW_METH_FASTCALL, "Take the semaphore; False on timeout."},
    {"release", FN(semlock_release), TW_METH_NOARGS, "Give the semaphore back."},
    {"_get_value", FN(semlock_get_value), TW_METH_NOARGS, "The semaphore's count."},
    {"__enter__", FN(semlock_enter), TW_METH_NOARGS, "acquire()"},
    {"__exit__", FN(semlock_exit), TW_METH_FASTCALL, "release()"},
    {NULL, NULL, 0, NULL},
};

static TwType semlock_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "_multiprocessing.SemLock",
    .tp_basicsize = sizeof(SemLockObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = semlock_dealloc,
    .tp_new = semlock_new,
    .tp_methods = semlock_methods,
};

/* ---- the module ---------------------------------------------------------------------------- */

static const TwMethodDef mp_functions[] = {
    {"socketpair", FN(mp_socketpair), TW_METH_NOARGS, "Two connected Unix stream sockets."},
    {"send_bytes", FN(mp_send_bytes), TW_METH_FASTCALL, "Write one length-prefixed message."},
    {"recv_bytes", FN(mp_recv_bytes), TW_METH_O, "Read one message; EOFError at end of file."},
    {"poll", FN(mp_poll), TW_METH_FASTCALL, "poll(fd, timeout=0.0): is there data to read?"},
    {"wait", FN(mp_wait), TW_METH_FASTCALL, "wait(fds, timeout=None): the readable ones."},
    {"print_exception", FN(mp_print_exception), TW_METH_O, "Print a traceback to stderr."},
    {"dumps", FN(mp_dumps), TW_METH_O, "Serialize plain data to bytes."},
    {"loads", FN(mp_loads), TW_METH_O, "The value dumps() serialized."},
    {NULL, NULL, 0, NULL},
};

static TwObject *mp_module_create(void)
{
    TwObject *m = tw_module_new_cstr("_multiprocessing");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, mp_functions) < 0 ||
        tw_module_add_object(m, "SemLock", (TwObject *)&semlock_type) < 0 ||
        tw_module_add_int(m, "WNOHANG", WNOHANG) < 0 ||
        tw_module_add_int(m, "SIGTERM", SIGTERM) < 0 ||
        tw_module_add_int(m, "SIGKILL", SIGKILL) < 0 ||
        tw_module_add_int(m, "SEM_VALUE_MAX", SEM_VALUE_MAX) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_mp_init(void)
{
    if (tw_type_ready(&semlock_type) < 0)
        return -1;
    if (tw_module_register_builtin("_multiprocessing", mp_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
