/* The sys module and the process's standard streams.
 *
 * Standard streams.  sys.stdout and sys.stderr start as two static
 * immortal stream objects ("_io.TextIOWrapper") that write UTF-8 to file
 * descriptors 1 and 2 through a StdStream: a byte buffer and a TwMutex.
 * One write call (one print() line, one sys.stdout.write) appends its
 * whole text under the mutex, so texts from different threads never
 * interleave, in either build.  stdout is line-buffered when it is a
 * terminal and block-buffered (8 KiB) otherwise, as in CPython; stderr is
 * unbuffered.  The system call that empties a buffer runs detached (the
 * GIL released), holding only the stream's mutex, and the mutex is
 * released before re-attaching, so a thread blocked on a full pipe never
 * stops the others from running.  Buffered output is written out by
 * tw_sys_flush_stdio and, as a last resort, by an atexit handler.
 *
 * The sys module itself is created once by tw_sys_init and is immortal;
 * its dict (like every dict) locks itself, so sys.modules, sys.path and
 * rebinding sys.stdout are safe from any thread. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/eval.h"

/* ---- buffered standard streams ------------------------------------------------ */

#define STREAM_BUFSIZE 8192

enum { STREAM_BLOCK, STREAM_LINE, STREAM_UNBUFFERED };

typedef struct {
    TwMutex lock; /* protects every field below except fd */
    int fd;       /* immutable */
    int mode;     /* STREAM_*; set by tw_sys_init from isatty() */
    size_t len;   /* bytes waiting in buf */
    char buf[STREAM_BUFSIZE];
} StdStream;

static StdStream out_stream = {.fd = 1, .mode = STREAM_BLOCK};
static StdStream err_stream = {.fd = 2, .mode = STREAM_UNBUFFERED};

/* write(2) all of data, retrying after EINTR and partial writes.  0, or
 * -1 with errno set.  Touches no object: runs detached. */
static int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Called with st->lock held: write the buffer and then `extra` (may be
 * NULL), detached, and release the lock.  0 or -1 with OSError. */
static int flush_and_unlock(StdStream *st, const char *extra, size_t extra_len)
{
    int attached = tw_thread_is_attached();
    TwThreadState *ts = attached ? tw_save_thread() : NULL;
    int rc = write_all(st->fd, st->buf, st->len);
    if (rc == 0 && extra != NULL)
        rc = write_all(st->fd, extra, extra_len);
    int err = errno;
    /* A failed write drops the text rather than retrying it forever. */
    st->len = 0;
    tw_mutex_unlock(&st->lock);
    if (ts != NULL)
        tw_restore_thread(ts);
    if (rc < 0 && attached) {
        errno = err;
        tw_err_set_from_errno(NULL);
    }
    return rc;
}

/* Append n bytes as one unit and write out what the stream's buffering
 * mode (or `flush`) asks for. */
static int stream_write(StdStream *st, const char *s, size_t n, int flush)
{
    tw_mutex_lock(&st->lock);
    for (;;) {
        if (st->mode == STREAM_UNBUFFERED || n > STREAM_BUFSIZE)
            return flush_and_unlock(st, s, n);
        if (n <= STREAM_BUFSIZE - st->len)
            break;
        /* Make room; another thread may refill the buffer before we
         * re-lock, hence the loop. */
        if (flush_and_unlock(st, NULL, 0) < 0)
            return -1;
        tw_mutex_lock(&st->lock);
    }
    memcpy(st->buf + st->len, s, n);
    st->len += n;
    if (flush || st->len == STREAM_BUFSIZE ||
        (st->mode == STREAM_LINE && memchr(s, '\n', n) != NULL))
        return flush_and_unlock(st, NULL, 0);
    tw_mutex_unlock(&st->lock);
    return 0;
}

static int stream_flush(StdStream *st)
{
    tw_mutex_lock(&st->lock);
    if (st->len == 0) {
        tw_mutex_unlock(&st->lock);
        return 0;
    }
    return flush_and_unlock(st, NULL, 0);
}

int tw_sys_write_stdout(const char *s, size_t n, int flush)
{
    return stream_write(&out_stream, s, n, flush);
}

int tw_sys_write_stderr(const char *s, size_t n)
{
    return stream_write(&err_stream, s, n, 1);
}

void tw_sys_flush_stdio(void)
{
    if (stream_flush(&out_stream) < 0 && tw_thread_is_attached())
        tw_err_clear();
    if (stream_flush(&err_stream) < 0 && tw_thread_is_attached())
        tw_err_clear();
}

/* At process exit: write what is left unless a thread is inside a write
 * right now (waiting for it could hang the exit). */
static void flush_at_exit(void)
{
    StdStream *streams[2] = {&out_stream, &err_stream};
    for (int i = 0; i < 2; i++) {
        StdStream *st = streams[i];
        if (!tw_mutex_trylock(&st->lock))
            continue;
        write_all(st->fd, st->buf, st->len);
        st->len = 0;
        tw_mutex_unlock(&st->lock);
    }
}

/* In the child of fork(): the thread that held a stream's lock may not
 * exist here, and what the buffers hold is the parent's to write. */
void tw_sys_reinit_after_fork(void)
{
    StdStream *streams[2] = {&out_stream, &err_stream};
    for (int i = 0; i < 2; i++) {
        streams[i]->lock = (TwMutex){0};
        streams[i]->len = 0;
    }
}

/* ---- stream objects ------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    StdStream *stream; /* immutable; NULL for stdin */
    const char *name;  /* immutable */
    const char *mode;  /* immutable */
    int fd;            /* immutable */
} TwStdioObject;

extern TwType tw_stdio_type;

static TwStdioObject stdin_object = {TW_OBJECT_HEAD_INIT(&tw_stdio_type), NULL, "<stdin>", "r", 0};
static TwStdioObject stdout_object = {TW_OBJECT_HEAD_INIT(&tw_stdio_type), &out_stream, "<stdout>",
                                      "w", 1};
static TwStdioObject stderr_object = {TW_OBJECT_HEAD_INIT(&tw_stdio_type), &err_stream, "<stderr>",
                                      "w", 2};

TwObject *tw_sys_stdout_object(void)
{
    return (TwObject *)&stdout_object;
}
TwObject *tw_sys_stderr_object(void)
{
    return (TwObject *)&stderr_object;
}
TwObject *tw_sys_stdin_object(void)
{
    return (TwObject *)&stdin_object;
}

static TwObject *unsupported(TwStdioObject *s, const char *what)
{
    tw_err_format(&tw_exc_OSError, "not %s", what);
    return NULL;
}

/* write(s): s must be a str; returns its length in characters. */
static TwObject *stdio_write(TwObject *self, TwObject *arg)
{
    TwStdioObject *s = (TwStdioObject *)self;
    if (s->stream == NULL)
        return unsupported(s, "writable");
    if (!tw_str_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "write() argument must be str, not %s",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    if (stream_write(s->stream, tw_str_utf8(arg), (size_t)tw_str_byte_size(arg), 0) < 0)
        return NULL;
    return tw_int_from_i64(tw_str_length(arg));
}

static TwObject *stdio_flush(TwObject *self, TwObject *unused)
{
    TwStdioObject *s = (TwStdioObject *)self;
    if (s->stream != NULL && stream_flush(s->stream) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

/* One line from the process's stdin: C stdio's buffer serves both input()
 * and sys.stdin, and the blocking read runs detached.  A signal that
 * interrupts the read is served (KeyboardInterrupt) before retrying. */
TwObject *tw_sys_readline_stdin(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    for (;;) {
        int err;
        TW_BEGIN_ALLOW_THREADS
        errno = 0;
        n = getline(&line, &cap, stdin);
        err = errno;
        TW_END_ALLOW_THREADS
        if (n >= 0)
            break;
        if (!ferror(stdin)) {
            n = 0; /* end of file */
            break;
        }
        clearerr(stdin);
        if (err == EINTR) {
            if (tw_eval_breaker_check() < 0) {
                free(line);
                return NULL;
            }
            continue;
        }
        free(line);
        errno = err;
        return tw_err_set_from_errno(NULL);
    }
    TwObject *res = tw_str_from_utf8(line ? line : "", (size_t)n);
    free(line);
    return res;
}

/* readline(): the next line with its newline, "" at end of file. */
static TwObject *stdio_readline(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    TwStdioObject *s = (TwStdioObject *)self;
    if (tw_arg_no_kwargs("readline", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "readline expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (s->stream != NULL)
        return unsupported(s, "readable");
    return tw_sys_readline_stdin();
}

/* read(): everything up to end of file. */
static TwObject *stdio_read(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwStdioObject *s = (TwStdioObject *)self;
    if (tw_arg_no_kwargs("read", kwnames) < 0)
        return NULL;
    if (s->stream != NULL)
        return unsupported(s, "readable");
    char *data = NULL;
    size_t len = 0, cap = 0;
    int err;
    do {
        err = 0;
        TW_BEGIN_ALLOW_THREADS
        for (;;) {
            if (cap - len < 4096) {
                size_t ncap = cap ? cap * 2 : 8192;
                char *nd = realloc(data, ncap);
                if (nd == NULL) {
                    err = ENOMEM;
                    break;
                }
                data = nd;
                cap = ncap;
            }
            size_t got = fread(data + len, 1, cap - len, stdin);
            len += got;
            if (got == 0) {
                if (ferror(stdin)) {
                    err = errno;
                    clearerr(stdin);
                }
                break;
            }
        }
        TW_END_ALLOW_THREADS
        /* A signal interrupted the read: serve it (Ctrl-C raises), then go on. */
        if (err == EINTR && tw_eval_breaker_check() < 0) {
            free(data);
            return NULL;
        }
    } while (err == EINTR);
    if (err != 0) {
        free(data);
        if (err == ENOMEM)
            return tw_err_no_memory();
        errno = err;
        return tw_err_set_from_errno(NULL);
    }
    TwObject *res = tw_str_from_utf8(data ? data : "", len);
    free(data);
    return res;
}

static TwObject *stdio_fileno(TwObject *self, TwObject *unused)
{
    return tw_int_from_i64(((TwStdioObject *)self)->fd);
}

static TwObject *stdio_isatty(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_bool_from_long(isatty(((TwStdioObject *)self)->fd)));
}

static TwObject *stdio_readable(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_bool_from_long(((TwStdioObject *)self)->stream == NULL));
}

static TwObject *stdio_writable(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_bool_from_long(((TwStdioObject *)self)->stream != NULL));
}

/* for line in sys.stdin: lines until end of file. */
static TwObject *stdio_iter(TwObject *self)
{
    if (((TwStdioObject *)self)->stream != NULL)
        return unsupported((TwStdioObject *)self, "readable");
    return tw_newref(self);
}

static TwObject *stdio_iternext(TwObject *self)
{
    TwObject *line = tw_sys_readline_stdin();
    if (line != NULL && tw_str_byte_size(line) == 0) {
        tw_decref(line);
        return NULL;
    }
    return line;
}

static TwObject *stdio_repr(TwObject *self)
{
    TwStdioObject *s = (TwStdioObject *)self;
    return tw_str_from_format("<_io.TextIOWrapper name='%s' mode='%s' encoding='utf-8'>", s->name,
                              s->mode);
}

static TwObject *stdio_get_name(TwObject *self, void *c)
{
    return tw_str_from_cstr(((TwStdioObject *)self)->name);
}
static TwObject *stdio_get_mode(TwObject *self, void *c)
{
    return tw_str_from_cstr(((TwStdioObject *)self)->mode);
}
static TwObject *stdio_get_encoding(TwObject *self, void *c)
{
    return tw_str_from_cstr("utf-8");
}
static TwObject *stdio_get_closed(TwObject *self, void *c)
{
    return tw_newref(TW_FALSE);
}

static const TwGetSetDef stdio_getset[] = {
    {"name", stdio_get_name, NULL, NULL},
    {"mode", stdio_get_mode, NULL, NULL},
    {"encoding", stdio_get_encoding, NULL, NULL},
    {"closed", stdio_get_closed, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

#define FN(f) ((void (*)(void))(f))

static const TwMethodDef stdio_methods[] = {
    {"write", FN(stdio_write), TW_METH_O, "Write a string to the stream."},
    {"flush", FN(stdio_flush), TW_METH_NOARGS, "Write out buffered text."},
    {"readline", FN(stdio_readline), TW_METH_FASTCALL, "Read one line."},
    {"read", FN(stdio_read), TW_METH_FASTCALL, "Read to end of file."},
    {"fileno", FN(stdio_fileno), TW_METH_NOARGS, "The file descriptor."},
    {"isatty", FN(stdio_isatty), TW_METH_NOARGS, "Whether the stream is a terminal."},
    {"readable", FN(stdio_readable), TW_METH_NOARGS, NULL},
    {"writable", FN(stdio_writable), TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static void stdio_dealloc(TwObject *op)
{
    tw_fatal("deallocating a static standard stream");
}

TwType tw_stdio_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "_io.TextIOWrapper",
    .tp_basicsize = sizeof(TwStdioObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = stdio_dealloc,
    .tp_repr = stdio_repr,
    .tp_iter = stdio_iter,
    .tp_iternext = stdio_iternext,
    .tp_methods = stdio_methods,
    .tp_getset = stdio_getset,
};

/* ---- sys.version_info and sys.implementation ---------------------------------- */

/* sys.version_info: a tuple subclass whose fields also have names. */

static TwObject *version_info_repr(TwObject *self)
{
    TwObject *parts[5] = {NULL};
    TwObject *res = NULL;
    for (int i = 0; i < 5; i++)
        if ((parts[i] = tw_object_repr(tw_tuple_get_item_borrowed(self, i))) == NULL)
            goto done;
    res = tw_str_from_format("sys.version_info(major=%s, minor=%s, micro=%s, releaselevel=%s, "
                             "serial=%s)",
                             tw_str_utf8(parts[0]), tw_str_utf8(parts[1]), tw_str_utf8(parts[2]),
                             tw_str_utf8(parts[3]), tw_str_utf8(parts[4]));
done:
    for (int i = 0; i < 5; i++)
        tw_xdecref(parts[i]);
    return res;
}

static TwObject *version_info_field(TwObject *self, void *closure)
{
    return tw_newref(tw_tuple_get_item_borrowed(self, (intptr_t)closure));
}

static const TwGetSetDef version_info_getset[] = {
    {"major", version_info_field, NULL, (void *)0},
    {"minor", version_info_field, NULL, (void *)1},
    {"micro", version_info_field, NULL, (void *)2},
    {"releaselevel", version_info_field, NULL, (void *)3},
    {"serial", version_info_field, NULL, (void *)4},
    {NULL, NULL, NULL, NULL},
};

/* Everything else (indexing, comparison, hashing, iteration) is inherited
 * from tuple by tw_type_ready. */
static TwType version_info_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "sys.version_info",
    .tp_basicsize = sizeof(TwTupleObject),
    .tp_itemsize = sizeof(TwObject *),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_tuple_type,
    .tp_repr = version_info_repr,
    .tp_getset = version_info_getset,
};

static TwObject *make_version_info(void)
{
    TwObject *items[5] = {tw_int_from_i64(3), tw_int_from_i64(12), tw_int_from_i64(0),
                          tw_str_from_cstr("final"), tw_int_from_i64(0)};
    TwObject *t = tw_object_new(&version_info_type, 5);
    if (t == NULL || items[3] == NULL) {
        for (int i = 0; i < 5; i++)
            tw_xdecref(items[i]);
        tw_xdecref(t);
        return NULL;
    }
    TW_SIZE(t) = 5;
    for (int i = 0; i < 5; i++)
        ((TwTupleObject *)t)->items[i] = items[i];
    return t;
}

/* A namespace object (types.SimpleNamespace): attributes live in a dict. */
typedef struct {
    TwObject ob_base;
    TwObject *dict; /* immutable pointer; the dict locks itself */
} TwNamespaceObject;

static TwObject *namespace_getattro(TwObject *self, TwObject *name)
{
    TwObject *v;
    int r = tw_dict_get_item_ref(((TwNamespaceObject *)self)->dict, name, &v);
    if (r > 0)
        return v;
    if (r < 0)
        return NULL;
    return tw_object_generic_getattr(self, name);
}

static int namespace_setattro(TwObject *self, TwObject *name, TwObject *value)
{
    TwObject *d = ((TwNamespaceObject *)self)->dict;
    if (value != NULL)
        return tw_dict_set_item(d, name, value);
    int r = tw_dict_contains(d, name);
    if (r == 0)
        tw_err_no_attribute(self, name);
    return r <= 0 ? -1 : tw_dict_del_item(d, name);
}

/* namespace(name='twinpy', cache_tag=None, ...) */
static TwObject *namespace_repr(TwObject *self)
{
    TwObject *d = ((TwNamespaceObject *)self)->dict;
    TwObject *res = tw_str_from_cstr("namespace(");
    intptr_t pos = 0;
    TwObject *k, *v;
    int first = 1, r;
    while (res != NULL && (r = tw_dict_next_ref(d, &pos, &k, &v)) > 0) {
        TwObject *vr = tw_object_repr(v);
        TwObject *piece =
            vr ? tw_str_from_format("%s%s=%s", first ? "" : ", ", tw_str_utf8(k), tw_str_utf8(vr))
               : NULL;
        TwObject *joined = piece ? tw_str_concat(res, piece) : NULL;
        tw_xdecref(vr);
        tw_xdecref(piece);
        tw_decref(k);
        tw_decref(v);
        tw_decref(res);
        res = joined;
        first = 0;
    }
    if (res == NULL || r < 0) {
        tw_xdecref(res);
        return NULL;
    }
    TwObject *close = tw_str_from_cstr(")");
    TwObject *out = close ? tw_str_concat(res, close) : NULL;
    tw_xdecref(close);
    tw_decref(res);
    return out;
}

static void namespace_dealloc(TwObject *op)
{
    TW_CLEAR(((TwNamespaceObject *)op)->dict);
    tw_object_free(op);
}

static TwType namespace_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "types.SimpleNamespace",
    .tp_basicsize = sizeof(TwNamespaceObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = namespace_dealloc,
    .tp_repr = namespace_repr,
    .tp_getattro = namespace_getattro,
    .tp_setattro = namespace_setattro,
    .tp_dictoffset = offsetof(TwNamespaceObject, dict),
};

/* ---- the functions of sys --------------------------------------------------------- */

/* sys.exit([code]): raise SystemExit(code). */
static TwObject *sys_exit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("exit", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "exit expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (nargs == 1) {
        tw_err_set_object(&tw_exc_SystemExit, args[0]);
    } else {
        TwObject *exc = tw_exception_new(&tw_exc_SystemExit, NULL);
        if (exc != NULL)
            tw_err_restore(exc);
    }
    return NULL;
}

static TwObject *sys_getrecursionlimit(TwObject *self, TwObject *unused)
{
    return tw_int_from_i64(tw_eval_get_recursion_limit());
}

static TwObject *sys_setrecursionlimit(TwObject *self, TwObject *arg)
{
    if (tw_float_check(arg)) {
        tw_err_set_string(&tw_exc_TypeError, "'float' object cannot be interpreted as an integer");
        return NULL;
    }
    TwObject *n = tw_number_index(arg);
    if (n == NULL)
        return NULL;
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(n, &overflow);
    tw_decref(n);
    if (overflow > 0 || v > INT_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C int");
        return NULL;
    }
    if (overflow < 0 || v < 1) {
        tw_err_set_string(&tw_exc_ValueError, "recursion limit must be greater or equal than 1");
        return NULL;
    }
    tw_eval_set_recursion_limit((int)v);
    return tw_newref(TW_NONE);
}

/* _getgilpolicy() / _setgilpolicy(name): the GIL's policy, "default" or
 * "io" (gil/gil.c); twinpy's own, kept in the free-threaded build too. */
static TwObject *sys_getgilpolicy(TwObject *self, TwObject *unused)
{
    return tw_str_from_cstr(tw_gil_policy_name(tw_gil_get_policy()));
}

static TwObject *sys_setgilpolicy(TwObject *self, TwObject *arg)
{
    if (!tw_str_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "_setgilpolicy() argument must be str, not %s",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    int policy = tw_gil_policy_from_name(tw_str_utf8(arg));
    if (policy < 0 || strlen(tw_str_utf8(arg)) != (size_t)tw_str_length(arg)) {
        tw_err_set_string(&tw_exc_ValueError, "GIL policy must be 'default' or 'io'");
        return NULL;
    }
    tw_gil_set_policy(policy);
    return tw_newref(TW_NONE);
}

static TwObject *sys_getswitchinterval(TwObject *self, TwObject *unused)
{
    return tw_float_from_double((double)tw_gil_get_interval_us() / 1e6);
}

/* setswitchinterval(seconds): the GIL's switch interval (kept, and
 * reported, in the free-threaded build too). */
static TwObject *sys_setswitchinterval(TwObject *self, TwObject *arg)
{
    if (!tw_float_check(arg) && !tw_int_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "must be real number, not %s", TW_TYPE(arg)->tp_name);
        return NULL;
    }
    double seconds = tw_float_as_double(arg);
    if (seconds == -1.0 && tw_err_occurred())
        return NULL;
    if (!(seconds > 0.0)) {
        tw_err_set_string(&tw_exc_ValueError, "switch interval must be strictly positive");
        return NULL;
    }
    double us = seconds * 1e6;
    uint64_t interval = us >= 1e18 ? (uint64_t)1e18 : (uint64_t)us;
    if (interval < 1)
        interval = 1;
    tw_gil_set_interval_us(interval);
    return tw_newref(TW_NONE);
}

static TwObject *sys_is_gil_enabled(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_bool_from_long(tw_gil_is_enabled()));
}

/* getrefcount(x): immortal objects report 2**32 - 1, as CPython 3.12. */
static TwObject *sys_getrefcount(TwObject *self, TwObject *arg)
{
    if (tw_is_immortal(arg))
        return tw_int_from_i64(UINT32_MAX);
    return tw_int_from_i64(tw_refcount(arg));
}

static TwObject *sys_intern(TwObject *self, TwObject *arg)
{
    if (TW_TYPE(arg) != &tw_str_type) {
        tw_err_format(&tw_exc_TypeError, "intern() argument must be str, not %s",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    return tw_str_intern(arg);
}

static TwObject *sys_getdefaultencoding(TwObject *self, TwObject *unused)
{
    return tw_str_from_cstr("utf-8");
}

static TwObject *sys_get_int_max_str_digits(TwObject *self, TwObject *unused)
{
    return tw_int_from_i64(tw_int_get_max_str_digits());
}

static TwObject *sys_set_int_max_str_digits(TwObject *self, TwObject *const *args, size_t nargs,
                                            TwObject *kwnames)
{
    static const char *const names[] = {"maxdigits", NULL};
    static const TwArgSpec spec = {"set_int_max_str_digits", names, 0, 1, 1};
    TwObject *argv[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    int64_t v = tw_int_as_i64(argv[0]);
    if (v == -1 && tw_err_occurred())
        return NULL;
    if (v != 0 && v < 640) {
        tw_err_format(&tw_exc_ValueError, "maxdigits must be 0 or larger than %d", 640);
        return NULL;
    }
    tw_int_set_max_str_digits(v);
    return tw_newref(TW_NONE);
}

/* sys.exception(): the exception being handled, or None. */
static TwObject *sys_exception(TwObject *self, TwObject *unused)
{
    TwObject *exc = tw_eval_handled_exception();
    return exc ? exc : tw_newref(TW_NONE);
}

/* sys.exc_info(): (type, value, traceback) of the exception being
 * handled, or (None, None, None). */
static TwObject *sys_exc_info(TwObject *self, TwObject *unused)
{
    TwObject *exc = tw_eval_handled_exception();
    if (exc == NULL)
        return tw_tuple_pack(3, TW_NONE, TW_NONE, TW_NONE);
    TwObject *tb = tw_exception_get_traceback(exc);
    TwObject *res = tw_tuple_pack(3, (TwObject *)TW_TYPE(exc), exc, tb ? tb : TW_NONE);
    tw_xdecref(tb);
    tw_decref(exc);
    return res;
}

static const TwMethodDef sys_functions[] = {
    {"exception", FN(sys_exception), TW_METH_NOARGS, "The exception being handled, or None."},
    {"exc_info", FN(sys_exc_info), TW_METH_NOARGS, "(type, value, traceback) being handled."},
    {"exit", FN(sys_exit), TW_METH_FASTCALL, "Exit the interpreter by raising SystemExit."},
    {"getrecursionlimit", FN(sys_getrecursionlimit), TW_METH_NOARGS, NULL},
    {"setrecursionlimit", FN(sys_setrecursionlimit), TW_METH_O, NULL},
    {"getswitchinterval", FN(sys_getswitchinterval), TW_METH_NOARGS, NULL},
    {"setswitchinterval", FN(sys_setswitchinterval), TW_METH_O, NULL},
    {"_getgilpolicy", FN(sys_getgilpolicy), TW_METH_NOARGS, "The GIL's policy: 'default' or 'io'."},
    {"_setgilpolicy", FN(sys_setgilpolicy), TW_METH_O, "Set the GIL's policy: 'default' or 'io'."},
    {"_is_gil_enabled", FN(sys_is_gil_enabled), TW_METH_NOARGS,
     "True if the process's threads run under a GIL."},
    {"getrefcount", FN(sys_getrefcount), TW_METH_O, NULL},
    {"intern", FN(sys_intern), TW_METH_O, NULL},
    {"getdefaultencoding", FN(sys_getdefaultencoding), TW_METH_NOARGS, NULL},
    {"get_int_max_str_digits", FN(sys_get_int_max_str_digits), TW_METH_NOARGS, NULL},
    {"set_int_max_str_digits", FN(sys_set_int_max_str_digits), TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

/* ---- the module ------------------------------------------------------------------- */

/* Immortal once created; read by every thread without a reference. */
static TwObject *sys_module;

TwObject *tw_sys_module(void)
{
    return sys_module;
}

TwObject *tw_sys_get_object(const char *name)
{
    TwObject *v = NULL;
    if (sys_module == NULL)
        return NULL;
    if (tw_dict_get_item_cstr_ref(tw_module_dict_borrowed(sys_module), name, &v) < 0)
        tw_err_clear();
    return v;
}

static TwObject *required(const char *name, int (*check)(TwObject *))
{
    TwObject *v = tw_sys_get_object(name);
    if (v == NULL || !check(v)) {
        tw_xdecref(v);
        tw_err_format(&tw_exc_RuntimeError, "lost sys.%s", name);
        return NULL;
    }
    return v;
}

TwObject *tw_sys_get_modules(void)
{
    return required("modules", tw_dict_check);
}

TwObject *tw_sys_get_path(void)
{
    return required("path", tw_list_check);
}

static TwObject *sys_module_create(void)
{
    return tw_newref(sys_module);
}

/* Add entries of a ':'-separated list (TWINPYPATH) to sys.path. */
static int add_path_list(TwObject *path, const char *list)
{
    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ':');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        if (n > 0) {
            TwObject *dir = tw_str_from_utf8(list, n);
            if (dir == NULL || tw_list_append(path, dir) < 0) {
                tw_xdecref(dir);
                return -1;
            }
            tw_decref(dir);
        }
        list = end ? end + 1 : NULL;
    }
    return 0;
}

static int add_new(TwObject *m, const char *name, TwObject *value)
{
    if (value == NULL)
        return -1;
    int r = tw_module_add_object(m, name, value);
    tw_decref(value);
    return r;
}

/* Fill the sys module's attributes. */
static int sys_fill(TwObject *m)
{
    static const char version[] = "3.12.0 (twinpy " TW_VERSION ", " TW_BUILD_NAME ")";
    if (tw_module_add_functions(m, sys_functions) < 0)
        return -1;
    TwObject *path = tw_list_new(0);
    if (path == NULL || add_path_list(path, getenv("TWINPYPATH")) < 0 ||
        add_path_list(path, TW_LIB_DIR) < 0) {
        tw_xdecref(path);
        return -1;
    }
    if (add_new(m, "path", path) < 0 || add_new(m, "argv", tw_list_new(0)) < 0 ||
        add_new(m, "modules", tw_dict_new()) < 0)
        return -1;
    if (tw_module_add_object(m, "stdin", (TwObject *)&stdin_object) < 0 ||
        tw_module_add_object(m, "stdout", (TwObject *)&stdout_object) < 0 ||
        tw_module_add_object(m, "stderr", (TwObject *)&stderr_object) < 0 ||
        tw_module_add_object(m, "__stdin__", (TwObject *)&stdin_object) < 0 ||
        tw_module_add_object(m, "__stdout__", (TwObject *)&stdout_object) < 0 ||
        tw_module_add_object(m, "__stderr__", (TwObject *)&stderr_object) < 0)
        return -1;
    TwObject *vi = make_version_info();
    if (vi == NULL)
        return -1;
    tw_set_immortal(vi);
    if (tw_module_add_object(m, "version_info", vi) < 0 ||
        tw_module_add_string(m, "version", version) < 0 ||
        tw_module_add_int(m, "hexversion", 0x030c00f0) < 0 ||
        tw_module_add_int(m, "maxsize", INT64_MAX) < 0 ||
        tw_module_add_string(m, "platform", "linux") < 0 ||
        /* "t" names the free-threaded build, as CPython 3.13's abiflags */
        tw_module_add_string(m, "abiflags", tw_build_is_free_threaded() ? "t" : "") < 0 ||
        tw_module_add_string(m, "byteorder",
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
                             "big"
#else
                             "little"
#endif
                             ) < 0)
        return -1;

    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    if (tw_module_add_string(m, "executable", exe) < 0)
        return -1;

    TwNamespaceObject *impl = (TwNamespaceObject *)tw_object_new(&namespace_type, 0);
    if (impl == NULL)
        return -1;
    impl->dict = tw_dict_new();
    TwObject *name = tw_str_from_cstr("twinpy");
    TwObject *hex = tw_int_from_i64(0x030c00f0);
    int r = (impl->dict && name && hex && tw_dict_set_item_cstr(impl->dict, "name", name) == 0 &&
             tw_dict_set_item_cstr(impl->dict, "cache_tag", TW_NONE) == 0 &&
             tw_dict_set_item_cstr(impl->dict, "version", vi) == 0 &&
             tw_dict_set_item_cstr(impl->dict, "hexversion", hex) == 0)
                ? 0
                : -1;
    tw_xdecref(name);
    tw_xdecref(hex);
    if (r == 0)
        r = tw_module_add_object(m, "implementation", (TwObject *)impl);
    tw_decref((TwObject *)impl);
    return r;
}

int tw_sys_init(void)
{
    static int atexit_done; /* set once, by the first runtime start (main thread) */
    if (sys_module != NULL)
        return 0;
    if (tw_type_ready(&tw_stdio_type) < 0 || tw_type_ready(&version_info_type) < 0 ||
        tw_type_ready(&namespace_type) < 0)
        return -1;
    TwObject *m = tw_module_new_cstr("sys");
    if (m == NULL)
        return -1;
    if (sys_fill(m) < 0) {
        tw_decref(m);
        return -1;
    }
    tw_set_immortal(m);
    tw_set_immortal(tw_module_dict_borrowed(m));
    sys_module = m;
    TwObject *modules = tw_sys_get_modules();
    if (modules == NULL || tw_dict_set_item_cstr(modules, "sys", m) < 0) {
        tw_xdecref(modules);
        return -1;
    }
    tw_decref(modules);

    out_stream.mode = isatty(1) ? STREAM_LINE : STREAM_BLOCK;
    if (!atexit_done) {
        atexit_done = 1;
        atexit(flush_at_exit);
    }
    if (tw_module_register_builtin("sys", sys_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}

/* The directory holding the script, made absolute, or "" when there is no
 * script (twinpy -c, standard input). */
static TwObject *script_directory(const char *script)
{
    if (script == NULL || script[0] == '\0' || strcmp(script, "-c") == 0 ||
        strcmp(script, "-") == 0)
        return tw_str_from_cstr("");
    char *full = realpath(script, NULL);
    if (full == NULL)
        return tw_str_from_cstr("");
    char *slash = strrchr(full, '/');
    if (slash == full)
        slash[1] = '\0'; /* the script lives in / */
    else if (slash != NULL)
        *slash = '\0';
    TwObject *dir = tw_str_from_cstr(full);
    free(full);
    return dir;
}

void tw_sys_set_argv(int argc, char **argv)
{
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        goto fail;
    for (int i = 0; i < argc; i++) {
        TwObject *s = tw_str_from_cstr(argv[i]);
        if (s == NULL || tw_list_append(list, s) < 0) {
            tw_xdecref(s);
            goto fail;
        }
        tw_decref(s);
    }
    if (argc == 0) {
        TwObject *empty = tw_str_from_cstr("");
        int r = empty ? tw_list_append(list, empty) : -1;
        tw_xdecref(empty);
        if (r < 0)
            goto fail;
    }
    if (tw_module_add_object(sys_module, "argv", list) < 0)
        goto fail;
    tw_decref(list);
    list = NULL;

    TwObject *path = tw_sys_get_path();
    TwObject *dir = path ? script_directory(argc > 0 ? argv[0] : NULL) : NULL;
    int r = dir ? tw_list_insert(path, 0, dir) : -1;
    tw_xdecref(dir);
    tw_xdecref(path);
    if (r == 0)
        return;
fail:
    tw_xdecref(list);
    tw_fatal("could not set sys.argv and sys.path");
}
