/* Files: the objects open() returns, and the io module.
 *
 * One C structure serves the five classes CPython's open() can return, so
 * that type(f).__name__, repr(f) and the set of methods match CPython:
 *
 *   _io.FileIO          binary, buffering=0: every call is one system call;
 *   _io.BufferedReader  binary, read-only;
 *   _io.BufferedWriter  binary, write-only ('w', 'a', 'x');
 *   _io.BufferedRandom  binary, read and write ('+');
 *   _io.TextIOWrapper   text: str in and out, encoded with `codec`.
 *
 * Buffer.  A buffered file keeps one byte buffer that is either a read
 * window (the unread bytes buf[rpos, rend)) or pending output
 * (buf[0, wlen)), never both: reading first writes pending output out,
 * writing first gives unread input back to the descriptor with lseek.
 * Text files read through the same buffer.  Their codecs (UTF-8, ASCII,
 * Latin-1) all keep ASCII bytes as they are, so line ends are found in the
 * bytes, and since a str is UTF-8 inside, decoding UTF-8 is a validation.
 * A character or a "\r\n" that the buffer cuts in two is completed by
 * reading more before it is decoded (on a pipe, a lone "\r" at the end of
 * what has arrived therefore waits for the next byte or end of file).
 *
 * Newlines (text mode), as CPython: newline=None reads "\n", "\r" and
 * "\r\n" as "\n" and writes "\n" unchanged (os.linesep); newline=''
 * splits lines at all three and translates nothing; newline='\n', '\r' or
 * '\r\n' splits lines there only, and writes "\n" as that string.
 *
 * Threads.  Every operation holds the file's own TwMutex from start to end,
 * across its system calls, which run detached (the GIL released).  A
 * critical section could not do this job: it is suspended whenever its
 * thread detaches, and another thread could then resize or free the buffer
 * under the system call.  tw_mutex_lock parks detached, so waiting for a
 * file never holds the GIL.  While it holds the mutex an operation runs no
 * Python code (arguments are converted before locking), so it cannot
 * re-enter the same file.  `fd`, the buffer fields and `newlines_seen`
 * are protected by the mutex; everything else is immutable after open(). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/scalar.h"
#include "core/fileio.h"

#define DEFAULT_BUFFER_SIZE 8192

enum { NL_UNIVERSAL, NL_UNTRANSLATED, NL_LF, NL_CR, NL_CRLF };
enum { SEEN_CR = 1, SEEN_LF = 2, SEEN_CRLF = 4 };

typedef struct {
    TwObject ob_base;
    TwMutex lock;          /* held by every operation, across its system calls */
    int fd;                /* -1 once closed; the lock */
    uint8_t readable, writable, appending, created, closefd;
    uint8_t text, raw;     /* the class: text, FileIO (raw) or buffered */
    uint8_t newline;       /* NL_*; text only */
    uint8_t line_buffering;
    int8_t seekable;       /* -1 until asked; the lock */
    uint8_t newlines_seen; /* SEEN_* bits; the lock */
    const char *codec;     /* "utf-8", "ascii" or "latin-1"; text only */
    const char *errors_c;  /* the errors handler's name (owned by `errors`) */
    TwObject *name;        /* str, bytes or int, as given */
    TwObject *mode;        /* str: what .mode shows */
    TwObject *encoding;    /* str as given, or "UTF-8"; NULL in binary mode */
    TwObject *errors;      /* str; NULL in binary mode */
    char *buf;             /* the lock; NULL for raw files and once closed */
    size_t cap;            /* the lock */
    size_t rpos, rend;     /* unread input buf[rpos, rend); the lock */
    size_t wlen;           /* pending output buf[0, wlen); the lock */
    int eof;               /* the last read returned end of file; the lock */
} TwFileObject;

TwType tw_fileio_type, tw_bufferedreader_type, tw_bufferedwriter_type, tw_bufferedrandom_type,
    tw_textiowrapper_type;

static TwType *unsupported_type; /* io.UnsupportedOperation; immortal after tw_io_init */

TwType *tw_io_unsupported_operation(void)
{
    return unsupported_type;
}

#define FILE_OF(op) ((TwFileObject *)(op))

static TwObject *err_unsupported(const char *msg)
{
    tw_err_set_string(unsupported_type, msg);
    return NULL;
}

/* ---- system calls (run detached; errors become OSError) ----------------------- */

/* read(2) into p, retrying after EINTR (serving the eval breaker first, so
 * Ctrl-C interrupts a blocked read).  Bytes read, 0 at end of file, -1
 * with an exception. */
static ssize_t sys_read(int fd, char *p, size_t n)
{
    for (;;) {
        ssize_t r;
        int err;
        TW_BEGIN_ALLOW_THREADS
        r = read(fd, p, n);
        err = errno;
        TW_END_ALLOW_THREADS
        if (r >= 0)
            return r;
        if (err != EINTR) {
            errno = err;
            tw_err_set_from_errno(NULL);
            return -1;
        }
        if (tw_eval_breaker_check() < 0)
            return -1;
    }
}

/* One write(2) (raw files), retrying after EINTR.  Bytes written or -1. */
static ssize_t sys_write(int fd, const char *p, size_t n)
{
    for (;;) {
        ssize_t r;
        int err;
        TW_BEGIN_ALLOW_THREADS
        r = write(fd, p, n);
        err = errno;
        TW_END_ALLOW_THREADS
        if (r >= 0)
            return r;
        if (err != EINTR) {
            errno = err;
            tw_err_set_from_errno(NULL);
            return -1;
        }
        if (tw_eval_breaker_check() < 0)
            return -1;
    }
}

/* All of p, across partial writes.  0 or -1. */
static int sys_write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = sys_write(fd, p, n);
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int64_t sys_lseek(int fd, int64_t off, int whence)
{
    off_t r = lseek(fd, (off_t)off, whence);
    if (r < 0) {
        tw_err_set_from_errno(NULL);
        return -1;
    }
    return (int64_t)r;
}

/* ---- the buffer (all with the lock held) ------------------------------------------ */

/* What a method is about to do, for guard(). */
enum { OP_READ, OP_READLINE, OP_WRITE, OP_TRUNCATE, OP_SEEK, OP_TELL, OP_FLUSH, OP_QUERY, OP_OTHER };

/* Check that the file is open and allows `op`, raising what CPython's
 * class raises.  CPython's three layers word these errors differently,
 * and in a different order (a buffered reader rejects write() as
 * unsupported even when closed), which this reproduces.  0 or -1. */
static int guard(TwFileObject *f, int op)
{
    int reads = op == OP_READ || op == OP_READLINE, writes = op == OP_WRITE || op == OP_TRUNCATE;
    int buffered = !f->text && !f->raw;
    if (buffered && ((reads && !f->readable) || (op == OP_WRITE && !f->writable))) {
        err_unsupported(reads ? "read" : "write");
        return -1;
    }
    if (f->fd < 0) {
        const char *msg = "I/O operation on closed file.";
        if (op == OP_QUERY || (!f->text && op == OP_TELL) ||
            (f->raw && op != OP_FLUSH && op != OP_OTHER))
            msg = "I/O operation on closed file";
        else if (buffered && op == OP_READ)
            msg = "read of closed file";
        else if (buffered && op == OP_READLINE)
            msg = "readline of closed file";
        else if (buffered && op == OP_WRITE)
            msg = "write to closed file";
        else if (buffered && op == OP_TRUNCATE)
            msg = "truncate of closed file";
        else if (buffered && op == OP_SEEK)
            msg = "seek of closed file";
        else if (buffered && op == OP_FLUSH && f->writable)
            msg = "flush of closed file";
        tw_err_set_string(&tw_exc_ValueError, msg);
        return -1;
    }
    if (reads && !f->readable) {
        err_unsupported(f->raw ? "File not open for reading" : "not readable");
        return -1;
    }
    if (writes && !f->writable) {
        err_unsupported(f->raw    ? "File not open for writing"
                        : op == OP_TRUNCATE ? "truncate"
                                            : "not writable");
        return -1;
    }
    return 0;
}

/* Write pending output out. */
static int flush_output(TwFileObject *f)
{
    if (f->wlen == 0)
        return 0;
    size_t n = f->wlen;
    f->wlen = 0; /* a failed write drops the data rather than failing forever */
    return sys_write_all(f->fd, f->buf, n);
}

/* Give unread input back to the descriptor, so that the next write (or a
 * seek relative to the current position) happens where the reader is. */
static int drop_input(TwFileObject *f)
{
    size_t unread = f->rend - f->rpos;
    f->rpos = f->rend = 0;
    f->eof = 0;
    if (unread > 0 && sys_lseek(f->fd, -(int64_t)unread, SEEK_CUR) < 0)
        return -1;
    return 0;
}

/* Make the buffer a read window. */
static int begin_read(TwFileObject *f)
{
    f->eof = 0; /* a file may grow: ask again */
    return flush_output(f);
}

static int begin_write(TwFileObject *f)
{
    if (f->text) {
        /* CPython's text layer has taken the whole read window from its
         * buffer (it decodes ahead in chunks), so a write after a read
         * lands after the window, not where the reader is.  Do the same. */
        f->rpos = f->rend = 0;
        f->eof = 0;
        return 0;
    }
    return f->rend > f->rpos || f->eof ? drop_input(f) : 0;
}

/* Read more input after the unread bytes, moving them to the front and
 * growing the buffer when it is full.  Bytes added (0 at end of file) or
 * -1. */
static ssize_t fill(TwFileObject *f)
{
    if (f->rpos > 0) {
        memmove(f->buf, f->buf + f->rpos, f->rend - f->rpos);
        f->rend -= f->rpos;
        f->rpos = 0;
    }
    if (f->rend == f->cap) {
        char *nb = tw_mem_realloc(f->buf, f->cap * 2);
        if (nb == NULL) {
            tw_err_no_memory();
            return -1;
        }
        f->buf = nb;
        f->cap *= 2;
    }
    ssize_t n = sys_read(f->fd, f->buf + f->rend, f->cap - f->rend);
    if (n < 0)
        return -1;
    f->rend += (size_t)n;
    f->eof = n == 0;
    return n;
}

/* Read to end of file into the buffer, sized from fstat when the file is
 * regular. */
static int fill_all(TwFileObject *f)
{
    struct stat st;
    if (fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = lseek(f->fd, 0, SEEK_CUR);
        if (pos >= 0 && st.st_size > pos) {
            size_t want = f->rend - f->rpos + (size_t)(st.st_size - pos) + 1;
            if (want > f->cap) {
                if (f->rpos > 0) {
                    memmove(f->buf, f->buf + f->rpos, f->rend - f->rpos);
                    f->rend -= f->rpos;
                    f->rpos = 0;
                }
                char *nb = tw_mem_realloc(f->buf, want);
                if (nb == NULL) {
                    tw_err_no_memory();
                    return -1;
                }
                f->buf = nb;
                f->cap = want;
            }
        }
    }
    for (;;) {
        ssize_t n = fill(f);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
    }
}

/* ---- text: scanning and decoding ------------------------------------------------- */

/* The length of the character that starts with byte c. */
static size_t char_len(const TwFileObject *f, unsigned char c)
{
    if (c < 0x80 || f->codec[0] != 'u')
        return 1;
    if (c >= 0xF0 && c < 0xF8)
        return 4;
    if (c >= 0xE0)
        return c < 0xF0 ? 3 : 1;
    if (c >= 0xC0)
        return 2;
    return 1; /* a stray continuation byte: the decoder reports it */
}

/* Walk the unread text from offset *pos (relative to rpos), counting
 * characters as read() returns them into *nchars, until `maxchars`
 * characters (-1: no limit) or, when `line` is set, a line end.  Returns 1
 * when the stop condition was met, 0 when the unread bytes ran out first
 * (at end of file that means everything was taken), with *pos advanced
 * past what was taken.  A character or "\r\n" cut by the end of the
 * window is left for the next call unless at end of file. */
static int text_scan(TwFileObject *f, size_t *pos, intptr_t *nchars, intptr_t maxchars, int line)
{
    const unsigned char *p = (const unsigned char *)f->buf + f->rpos;
    size_t end = f->rend - f->rpos, i = *pos;
    intptr_t n = *nchars;
    int done = 0;
    while (i < end) {
        if (maxchars >= 0 && n >= maxchars) {
            done = 1;
            break;
        }
        unsigned char c = p[i];
        size_t len = 1;
        int is_end = 0;
        if (c == '\r' && f->newline != NL_LF) {
            if (f->newline == NL_CR) {
                is_end = 1;
            } else if (i + 1 < end) {
                if (p[i + 1] == '\n' && f->newline != NL_CR)
                    len = 2;
                is_end = f->newline != NL_CRLF || len == 2;
            } else if (!f->eof) {
                break; /* is it "\r\n"?  Need the next byte */
            } else {
                is_end = f->newline != NL_CRLF;
            }
            if (len == 2 && f->newline != NL_UNIVERSAL)
                n++; /* untranslated, "\r\n" is two characters */
        } else if (c == '\n') {
            is_end = f->newline == NL_UNIVERSAL || f->newline == NL_UNTRANSLATED ||
                     f->newline == NL_LF;
        } else {
            len = char_len(f, c);
            if (i + len > end) {
                if (!f->eof)
                    break;
                len = end - i;
            }
        }
        i += len;
        n++;
        if (line && is_end) {
            done = 1;
            break;
        }
    }
    *pos = i;
    *nchars = n;
    return done;
}

/* Decode buf[rpos, rpos + n) as text, translating line ends when newline
 * is None, and consume it. */
static TwObject *text_take(TwFileObject *f, size_t n)
{
    const char *p = f->buf + f->rpos;
    TwObject *res;
    if (f->newline == NL_UNIVERSAL && memchr(p, '\r', n) != NULL) {
        char *tmp = tw_mem_malloc(n + 1);
        if (tmp == NULL)
            return tw_err_no_memory();
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '\r') {
                if (i + 1 < n && p[i + 1] == '\n') {
                    i++;
                    f->newlines_seen |= SEEN_CRLF;
                } else {
                    f->newlines_seen |= SEEN_CR;
                }
                tmp[o++] = '\n';
            } else {
                if (p[i] == '\n')
                    f->newlines_seen |= SEEN_LF;
                tmp[o++] = p[i];
            }
        }
        res = tw_bytes_decode_data(tmp, o, f->codec, f->errors_c);
        tw_mem_free(tmp);
    } else {
        if (f->newline == NL_UNIVERSAL && memchr(p, '\n', n) != NULL)
            f->newlines_seen |= SEEN_LF;
        res = tw_bytes_decode_data(p, n, f->codec, f->errors_c);
    }
    if (res != NULL)
        f->rpos += n;
    return res;
}

/* Read text: up to maxchars characters (-1: to end of file), stopping
 * after a line end when `line` is set. */
static TwObject *text_read(TwFileObject *f, intptr_t maxchars, int line)
{
    if (begin_read(f) < 0)
        return NULL;
    if (maxchars < 0 && !line) {
        if (fill_all(f) < 0)
            return NULL;
        return text_take(f, f->rend - f->rpos);
    }
    size_t pos = 0;
    intptr_t nchars = 0;
    while (!text_scan(f, &pos, &nchars, maxchars, line)) {
        if (f->eof && pos == f->rend - f->rpos)
            break;
        if (fill(f) < 0)
            return NULL;
    }
    return text_take(f, pos);
}

/* ---- binary reads --------------------------------------------------------------- */

static TwObject *take_bytes(TwFileObject *f, size_t n)
{
    TwObject *res = tw_bytes_from_data(f->buf + f->rpos, n);
    if (res != NULL)
        f->rpos += n;
    return res;
}

/* Buffered read(n): n bytes, fewer only at end of file; n < 0: all. */
static TwObject *buffered_read(TwFileObject *f, intptr_t n)
{
    if (begin_read(f) < 0)
        return NULL;
    if (n < 0) {
        if (fill_all(f) < 0)
            return NULL;
        return take_bytes(f, f->rend - f->rpos);
    }
    while (f->rend - f->rpos < (size_t)n) {
        ssize_t got = fill(f);
        if (got < 0)
            return NULL;
        if (got == 0)
            break;
    }
    size_t avail = f->rend - f->rpos;
    return take_bytes(f, avail < (size_t)n ? avail : (size_t)n);
}

/* Buffered readline(limit): through b"\n". */
static TwObject *buffered_readline(TwFileObject *f, intptr_t limit)
{
    if (begin_read(f) < 0)
        return NULL;
    size_t scanned = 0;
    for (;;) {
        size_t avail = f->rend - f->rpos;
        size_t upto = limit >= 0 && (size_t)limit < avail ? (size_t)limit : avail;
        char *nl = memchr(f->buf + f->rpos + scanned, '\n', upto - scanned);
        if (nl != NULL)
            return take_bytes(f, (size_t)(nl - (f->buf + f->rpos)) + 1);
        scanned = upto;
        if (limit >= 0 && upto == (size_t)limit)
            return take_bytes(f, upto);
        ssize_t got = fill(f);
        if (got < 0)
            return NULL;
        if (got == 0)
            return take_bytes(f, f->rend - f->rpos);
    }
}

/* FileIO read(n): one system call; n < 0: to end of file. */
static TwObject *raw_read(TwFileObject *f, intptr_t n)
{
    if (n < 0) {
        /* borrow a temporary buffer as the window */
        f->cap = DEFAULT_BUFFER_SIZE;
        f->buf = tw_mem_malloc(f->cap);
        if (f->buf == NULL)
            return tw_err_no_memory();
        f->rpos = f->rend = 0;
        TwObject *res = fill_all(f) < 0 ? NULL : take_bytes(f, f->rend);
        tw_mem_free(f->buf);
        f->buf = NULL;
        f->cap = f->rpos = f->rend = 0;
        return res;
    }
    char *tmp = tw_mem_malloc((size_t)n + 1);
    if (tmp == NULL)
        return tw_err_no_memory();
    ssize_t got = sys_read(f->fd, tmp, (size_t)n);
    TwObject *res = got < 0 ? NULL : tw_bytes_from_data(tmp, (size_t)got);
    tw_mem_free(tmp);
    return res;
}

/* FileIO readline: a byte at a time, as CPython's raw readline. */
static TwObject *raw_readline(TwFileObject *f, intptr_t limit)
{
    size_t len = 0, cap = 128;
    char *tmp = tw_mem_malloc(cap);
    if (tmp == NULL)
        return tw_err_no_memory();
    while (limit < 0 || len < (size_t)limit) {
        if (len == cap) {
            char *nt = tw_mem_realloc(tmp, cap * 2);
            if (nt == NULL) {
                tw_mem_free(tmp);
                return tw_err_no_memory();
            }
            tmp = nt;
            cap *= 2;
        }
        ssize_t got = sys_read(f->fd, tmp + len, 1);
        if (got < 0) {
            tw_mem_free(tmp);
            return NULL;
        }
        if (got == 0)
            break;
        if (tmp[len++] == '\n')
            break;
    }
    TwObject *res = tw_bytes_from_data(tmp, len);
    tw_mem_free(tmp);
    return res;
}

/* ---- writes ------------------------------------------------------------------------ */

/* Buffered write of n bytes.  0 or -1. */
static int buffered_write(TwFileObject *f, const char *p, size_t n)
{
    if (begin_write(f) < 0)
        return -1;
    if (f->wlen + n > f->cap) {
        if (flush_output(f) < 0)
            return -1;
        if (n >= f->cap)
            return sys_write_all(f->fd, p, n);
    }
    memcpy(f->buf + f->wlen, p, n);
    f->wlen += n;
    return 0;
}

/* ---- arguments ----------------------------------------------------------------------- */

/* An optional size argument: None or absent is -1. */
static int size_arg(const char *fname, TwObject *const *args, size_t nargs, TwObject *kwnames,
                    intptr_t *out)
{
    if (tw_arg_no_kwargs(fname, kwnames) < 0)
        return -1;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "%s expected at most 1 argument, got %zu", fname, nargs);
        return -1;
    }
    *out = -1;
    if (nargs == 0 || args[0] == TW_NONE)
        return 0;
    if (!tw_int_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "argument should be integer or None, not '%s'",
                      TW_TYPE(args[0])->tp_name);
        return -1;
    }
    intptr_t v = tw_number_as_ssize(args[0], &tw_exc_OverflowError);
    if (v == -1 && tw_err_occurred())
        return -1;
    *out = v < 0 ? -1 : v;
    return 0;
}

/* The bytes of a bytes-like argument (a new reference to a bytes object). */
static TwObject *bytes_like(TwObject *arg)
{
    if (tw_bytes_check(arg))
        return tw_newref(arg);
    if (tw_type_is_subtype(TW_TYPE(arg), &tw_bytearray_type))
        return tw_object_call_one((TwObject *)&tw_bytes_type, arg);
    tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                  TW_TYPE(arg)->tp_name);
    return NULL;
}

/* Text to write, encoded and with "\n" translated (a new bytes object, or
 * a new reference to the str itself when neither changes it: its UTF-8 is
 * the output). */
static TwObject *text_encode(TwFileObject *f, TwObject *s)
{
    TwObject *enc;
    if (f->codec[0] == 'u')
        enc = tw_newref(s);
    else if ((enc = tw_str_encode(s, f->codec, f->errors_c)) == NULL)
        return NULL;
    if (f->newline != NL_CR && f->newline != NL_CRLF)
        return enc;
    const char *p = tw_str_check(enc) ? tw_str_utf8(enc) : tw_bytes_data(enc);
    size_t n = (size_t)(tw_str_check(enc) ? tw_str_byte_size(enc) : tw_bytes_size(enc));
    size_t lfs = 0;
    for (size_t i = 0; i < n; i++)
        lfs += p[i] == '\n';
    if (lfs == 0)
        return enc;
    char *tmp = tw_mem_malloc(n + lfs + 1);
    if (tmp == NULL) {
        tw_decref(enc);
        return tw_err_no_memory();
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            tmp[o++] = '\r';
            if (f->newline == NL_CRLF)
                tmp[o++] = '\n';
        } else {
            tmp[o++] = p[i];
        }
    }
    TwObject *res = tw_bytes_from_data(tmp, o);
    tw_mem_free(tmp);
    tw_decref(enc);
    return res;
}

/* ---- methods ------------------------------------------------------------------------- */

#define LOCKED_BEGIN(f, op)                                                                        \
    tw_mutex_lock(&(f)->lock);                                                                     \
    if (guard(f, op) < 0) {                                                                       \
        tw_mutex_unlock(&(f)->lock);                                                               \
        return NULL;                                                                               \
    }

static TwObject *file_read(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwFileObject *f = FILE_OF(self);
    intptr_t n;
    if (size_arg("read", args, nargs, kwnames, &n) < 0)
        return NULL;
    LOCKED_BEGIN(f, OP_READ);
    TwObject *res = f->text  ? text_read(f, n, 0)
                    : f->raw ? raw_read(f, n)
                             : buffered_read(f, n);
    tw_mutex_unlock(&f->lock);
    return res;
}

static TwObject *file_readline(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    TwFileObject *f = FILE_OF(self);
    intptr_t n;
    if (size_arg("readline", args, nargs, kwnames, &n) < 0)
        return NULL;
    LOCKED_BEGIN(f, OP_READLINE);
    TwObject *res = f->text  ? text_read(f, n, 1)
                    : f->raw ? raw_readline(f, n)
                             : buffered_readline(f, n);
    tw_mutex_unlock(&f->lock);
    return res;
}

static TwObject *file_iternext(TwObject *self)
{
    TwObject *line = file_readline(self, NULL, 0, NULL);
    if (line == NULL)
        return NULL;
    intptr_t len = tw_str_check(line) ? tw_str_byte_size(line) : tw_bytes_size(line);
    if (len == 0) {
        tw_decref(line);
        return NULL;
    }
    return line;
}

static TwObject *file_iter(TwObject *self)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_OTHER);
    tw_mutex_unlock(&f->lock);
    return tw_newref(self);
}

/* ValueError unless the file is open (readlines, writelines). */
static int file_check_open(TwObject *self)
{
    TwFileObject *f = FILE_OF(self);
    tw_mutex_lock(&f->lock);
    int r = guard(f, OP_OTHER);
    tw_mutex_unlock(&f->lock);
    return r;
}

/* readlines(hint=-1): lines until their total size reaches hint. */
static TwObject *file_readlines(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    intptr_t hint;
    if (size_arg("readlines", args, nargs, kwnames, &hint) < 0 || file_check_open(self) < 0)
        return NULL;
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    intptr_t total = 0;
    for (;;) {
        TwObject *line = file_iternext(self);
        if (line == NULL) {
            if (tw_err_occurred()) {
                tw_decref(list);
                return NULL;
            }
            return list;
        }
        total += tw_str_check(line) ? tw_str_length(line) : tw_bytes_size(line);
        int r = tw_list_append(list, line);
        tw_decref(line);
        if (r < 0) {
            tw_decref(list);
            return NULL;
        }
        if (hint > 0 && total >= hint)
            return list;
    }
}

static TwObject *file_write(TwObject *self, TwObject *arg)
{
    TwFileObject *f = FILE_OF(self);
    TwObject *data;
    if (f->text) {
        if (!tw_str_check(arg)) {
            tw_err_format(&tw_exc_TypeError, "write() argument must be str, not %s",
                          TW_TYPE(arg)->tp_name);
            return NULL;
        }
        data = text_encode(f, arg);
    } else {
        data = bytes_like(arg);
    }
    if (data == NULL)
        return NULL;
    const char *p = tw_str_check(data) ? tw_str_utf8(data) : tw_bytes_data(data);
    size_t n = (size_t)(tw_str_check(data) ? tw_str_byte_size(data) : tw_bytes_size(data));
    tw_mutex_lock(&f->lock);
    if (guard(f, OP_WRITE) < 0) {
        tw_mutex_unlock(&f->lock);
        tw_decref(data);
        return NULL;
    }
    TwObject *res = NULL;
    if (f->raw) {
        ssize_t w = sys_write(f->fd, p, n);
        if (w >= 0)
            res = tw_int_from_i64(w);
    } else if (buffered_write(f, p, n) == 0) {
        if (f->text && f->line_buffering && memchr(p, '\n', n) != NULL && flush_output(f) < 0)
            res = NULL;
        else
            res = tw_int_from_i64(f->text ? tw_str_length(arg) : (int64_t)n);
    }
    tw_mutex_unlock(&f->lock);
    tw_decref(data);
    return res;
}

static TwObject *file_writelines(TwObject *self, TwObject *lines)
{
    if (file_check_open(self) < 0)
        return NULL;
    TwObject *it = tw_object_iter(lines);
    if (it == NULL)
        return NULL;
    TwObject *item;
    while ((item = tw_iter_next(it)) != NULL) {
        TwObject *r = file_write(self, item);
        tw_decref(item);
        if (r == NULL) {
            tw_decref(it);
            return NULL;
        }
        tw_decref(r);
    }
    tw_decref(it);
    return tw_err_occurred() ? NULL : tw_newref(TW_NONE);
}

static TwObject *file_flush(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_FLUSH);
    int r = flush_output(f);
    tw_mutex_unlock(&f->lock);
    return r < 0 ? NULL : tw_newref(TW_NONE);
}

/* The logical position: the descriptor's, less unread input, plus pending
 * output. */
static int64_t position(TwFileObject *f)
{
    int64_t pos = sys_lseek(f->fd, 0, SEEK_CUR);
    if (pos < 0)
        return -1;
    return pos - (int64_t)(f->rend - f->rpos) + (int64_t)f->wlen;
}

static TwObject *file_tell(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_TELL);
    int64_t pos = position(f);
    tw_mutex_unlock(&f->lock);
    return pos < 0 ? NULL : tw_int_from_i64(pos);
}

/* seek(offset, whence=0).  Text files accept only what CPython's do:
 * an absolute position (a value tell() returned), or 0 from the current
 * position or the end. */
static TwObject *file_seek(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwFileObject *f = FILE_OF(self);
    if (tw_arg_no_kwargs("seek", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "seek expected %s, got %zu",
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    if (!tw_int_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(args[0])->tp_name);
        return NULL;
    }
    int64_t off = tw_int_as_i64(args[0]);
    if (off == -1 && tw_err_occurred())
        return NULL;
    int64_t whence = 0;
    if (nargs == 2) {
        whence = tw_int_as_i64(args[1]);
        if (whence == -1 && tw_err_occurred())
            return NULL;
    }
    if (whence < 0 || whence > 2) {
        if (f->text)
            tw_err_format(&tw_exc_ValueError, "invalid whence (%lld, should be 0, 1 or 2)",
                          (long long)whence);
        else
            tw_err_format(&tw_exc_ValueError, "whence value %lld unsupported", (long long)whence);
        return NULL;
    }
    LOCKED_BEGIN(f, OP_SEEK);
    TwObject *res = NULL;
    if (f->text && whence == 1 && off != 0) {
        err_unsupported("can't do nonzero cur-relative seeks");
    } else if (f->text && whence == 2 && off != 0) {
        err_unsupported("can't do nonzero end-relative seeks");
    } else if (f->text && off < 0) {
        tw_err_format(&tw_exc_ValueError, "negative seek position %lld", (long long)off);
    } else if (flush_output(f) == 0) {
        if (whence == 1)
            off -= (int64_t)(f->rend - f->rpos);
        f->rpos = f->rend = 0;
        f->eof = 0;
        int64_t pos = sys_lseek(f->fd, off, (int)whence);
        if (pos >= 0)
            res = tw_int_from_i64(pos);
    }
    tw_mutex_unlock(&f->lock);
    return res;
}

static TwObject *file_truncate(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    TwFileObject *f = FILE_OF(self);
    if (tw_arg_no_kwargs("truncate", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "truncate expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    int64_t size = -1;
    if (nargs == 1 && args[0] != TW_NONE) {
        size = tw_int_as_i64(args[0]);
        if (size == -1 && tw_err_occurred())
            return NULL;
    }
    LOCKED_BEGIN(f, OP_TRUNCATE);
    TwObject *res = NULL;
    if (flush_output(f) == 0) {
        if (size < 0)
            size = position(f);
        if (size >= 0 && drop_input(f) == 0) {
            if (ftruncate(f->fd, (off_t)size) != 0)
                tw_err_set_from_errno(NULL);
            else
                res = tw_int_from_i64(size);
        }
    }
    tw_mutex_unlock(&f->lock);
    return res;
}

/* Close with the lock held: write pending output, then release the
 * descriptor even if that failed.  0 or -1. */
static int close_locked(TwFileObject *f)
{
    if (f->fd < 0)
        return 0;
    int rc = f->raw ? 0 : flush_output(f);
    int fd = f->fd;
    f->fd = -1;
    tw_mem_free(f->buf);
    f->buf = NULL;
    f->cap = f->rpos = f->rend = f->wlen = 0;
    if (f->closefd && close(fd) != 0 && errno != EINTR && rc == 0) {
        tw_err_set_from_errno(NULL);
        rc = -1;
    }
    return rc;
}

static TwObject *file_close(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    tw_mutex_lock(&f->lock);
    int r = close_locked(f);
    tw_mutex_unlock(&f->lock);
    return r < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *file_enter(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_OTHER);
    tw_mutex_unlock(&f->lock);
    return tw_newref(self);
}

static TwObject *file_exit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return file_close(self, NULL);
}

static TwObject *file_fileno(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_QUERY);
    int fd = f->fd;
    tw_mutex_unlock(&f->lock);
    return tw_int_from_i64(fd);
}

static TwObject *file_isatty(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_QUERY);
    int r = isatty(f->fd);
    tw_mutex_unlock(&f->lock);
    return tw_newref(tw_bool_from_long(r));
}

/* readable() and writable(): a buffered or text file answers False
 * without checking whether it is closed, as CPython's do. */
static TwObject *file_readable(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    if (!f->raw && !f->readable)
        return tw_newref(TW_FALSE);
    LOCKED_BEGIN(f, OP_QUERY);
    tw_mutex_unlock(&f->lock);
    return tw_newref(tw_bool_from_long(f->readable));
}

static TwObject *file_writable(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    if (!f->raw && !f->writable)
        return tw_newref(TW_FALSE);
    LOCKED_BEGIN(f, OP_QUERY);
    tw_mutex_unlock(&f->lock);
    return tw_newref(tw_bool_from_long(f->writable));
}

static TwObject *file_seekable(TwObject *self, TwObject *unused)
{
    TwFileObject *f = FILE_OF(self);
    LOCKED_BEGIN(f, OP_QUERY);
    if (f->seekable < 0)
        f->seekable = lseek(f->fd, 0, SEEK_CUR) >= 0;
    int r = f->seekable;
    tw_mutex_unlock(&f->lock);
    return tw_newref(tw_bool_from_long(r));
}

/* ---- attributes and repr ------------------------------------------------------------- */

static TwObject *get_closed(TwObject *self, void *c)
{
    TwFileObject *f = FILE_OF(self);
    tw_mutex_lock(&f->lock);
    int closed = f->fd < 0;
    tw_mutex_unlock(&f->lock);
    return tw_newref(tw_bool_from_long(closed));
}

static TwObject *get_name(TwObject *self, void *c)
{
    return tw_newref(FILE_OF(self)->name);
}

static TwObject *get_mode(TwObject *self, void *c)
{
    return tw_newref(FILE_OF(self)->mode);
}

static TwObject *get_closefd(TwObject *self, void *c)
{
    return tw_newref(tw_bool_from_long(FILE_OF(self)->closefd));
}

static TwObject *get_encoding(TwObject *self, void *c)
{
    return tw_newref(FILE_OF(self)->encoding);
}

static TwObject *get_errors(TwObject *self, void *c)
{
    return tw_newref(FILE_OF(self)->errors);
}

static TwObject *get_line_buffering(TwObject *self, void *c)
{
    return tw_newref(tw_bool_from_long(FILE_OF(self)->line_buffering));
}

/* The kinds of line end read so far (newline=None only): None, one str,
 * or a tuple of them. */
static TwObject *get_newlines(TwObject *self, void *c)
{
    TwFileObject *f = FILE_OF(self);
    tw_mutex_lock(&f->lock);
    int seen = f->newlines_seen;
    tw_mutex_unlock(&f->lock);
    static const char *const kinds[] = {"\r", "\n", "\r\n"};
    TwObject *items[3];
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (seen & (1 << i)) {
            items[n] = tw_str_from_cstr(kinds[i]);
            if (items[n] == NULL) {
                while (n > 0)
                    tw_decref(items[--n]);
                return NULL;
            }
            n++;
        }
    if (n == 0)
        return tw_newref(TW_NONE);
    if (n == 1)
        return items[0];
    TwObject *t = n == 2 ? tw_tuple_pack(2, items[0], items[1])
                         : tw_tuple_pack(3, items[0], items[1], items[2]);
    while (n > 0)
        tw_decref(items[--n]);
    return t;
}

static TwObject *file_repr(TwObject *self)
{
    TwFileObject *f = FILE_OF(self);
    const char *cls = TW_TYPE(self)->tp_name;
    if (f->raw) {
        tw_mutex_lock(&f->lock);
        int closed = f->fd < 0;
        tw_mutex_unlock(&f->lock);
        if (closed)
            return tw_str_from_format("<%s [closed]>", cls);
    }
    TwObject *name = tw_object_repr(f->name);
    if (name == NULL)
        return NULL;
    TwObject *res;
    if (f->text) {
        TwObject *mode = tw_object_repr(f->mode), *enc = tw_object_repr(f->encoding);
        res = mode && enc ? tw_str_from_format("<%s name=%s mode=%s encoding=%s>", cls,
                                               tw_str_utf8(name), tw_str_utf8(mode),
                                               tw_str_utf8(enc))
                          : NULL;
        tw_xdecref(mode);
        tw_xdecref(enc);
    } else if (f->raw) {
        res = tw_str_from_format("<%s name=%s mode='%s' closefd=%s>", cls, tw_str_utf8(name),
                                 tw_str_utf8(f->mode), f->closefd ? "True" : "False");
    } else {
        res = tw_str_from_format("<%s name=%s>", cls, tw_str_utf8(name));
    }
    tw_decref(name);
    return res;
}

static void file_dealloc(TwObject *op)
{
    TwFileObject *f = FILE_OF(op);
    if (f->fd >= 0) {
        TwObject *saved = tw_err_fetch();
        tw_mutex_lock(&f->lock);
        if (close_locked(f) < 0)
            tw_err_clear();
        tw_mutex_unlock(&f->lock);
        if (saved != NULL)
            tw_err_restore(saved);
    }
    TW_CLEAR(f->name);
    TW_CLEAR(f->mode);
    TW_CLEAR(f->encoding);
    TW_CLEAR(f->errors);
    tw_object_free(op);
}

#define FN(f) ((void (*)(void))(f))

static const TwMethodDef file_methods[] = {
    {"read", FN(file_read), TW_METH_FASTCALL, "Read at most size bytes or characters."},
    {"readline", FN(file_readline), TW_METH_FASTCALL, "Read one line."},
    {"readlines", FN(file_readlines), TW_METH_FASTCALL, "Read a list of lines."},
    {"write", FN(file_write), TW_METH_O, "Write a string or bytes."},
    {"writelines", FN(file_writelines), TW_METH_O, "Write each item of an iterable."},
    {"flush", FN(file_flush), TW_METH_NOARGS, "Write out buffered data."},
    {"seek", FN(file_seek), TW_METH_FASTCALL, "Move to a new position."},
    {"tell", FN(file_tell), TW_METH_NOARGS, "The current position."},
    {"truncate", FN(file_truncate), TW_METH_FASTCALL, "Cut the file at size (default: here)."},
    {"close", FN(file_close), TW_METH_NOARGS, "Flush and close the file."},
    {"fileno", FN(file_fileno), TW_METH_NOARGS, "The file descriptor."},
    {"isatty", FN(file_isatty), TW_METH_NOARGS, "Whether the file is a terminal."},
    {"readable", FN(file_readable), TW_METH_NOARGS, "Whether the file was opened for reading."},
    {"writable", FN(file_writable), TW_METH_NOARGS, "Whether the file was opened for writing."},
    {"seekable", FN(file_seekable), TW_METH_NOARGS, "Whether the file supports seek()."},
    {"__enter__", FN(file_enter), TW_METH_NOARGS, NULL},
    {"__exit__", FN(file_exit), TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef binary_getset[] = {
    {"closed", get_closed, NULL, NULL},
    {"name", get_name, NULL, NULL},
    {"mode", get_mode, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const TwGetSetDef raw_getset[] = {
    {"closed", get_closed, NULL, NULL},  {"name", get_name, NULL, NULL},
    {"mode", get_mode, NULL, NULL},      {"closefd", get_closefd, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const TwGetSetDef text_getset[] = {
    {"closed", get_closed, NULL, NULL},
    {"name", get_name, NULL, NULL},
    {"mode", get_mode, NULL, NULL},
    {"encoding", get_encoding, NULL, NULL},
    {"errors", get_errors, NULL, NULL},
    {"newlines", get_newlines, NULL, NULL},
    {"line_buffering", get_line_buffering, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

#define FILE_TYPE(var, name, getset)                                                               \
    TwType var = {                                                                                 \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = name,                                                                           \
        .tp_basicsize = sizeof(TwFileObject),                                                      \
        .tp_base = &tw_object_type,                                                                \
        .tp_dealloc = file_dealloc,                                                                \
        .tp_repr = file_repr,                                                                      \
        .tp_iter = file_iter,                                                                      \
        .tp_iternext = file_iternext,                                                              \
        .tp_methods = file_methods,                                                                \
        .tp_getset = getset,                                                                       \
    }

FILE_TYPE(tw_fileio_type, "_io.FileIO", raw_getset);
FILE_TYPE(tw_bufferedreader_type, "_io.BufferedReader", binary_getset);
FILE_TYPE(tw_bufferedwriter_type, "_io.BufferedWriter", binary_getset);
FILE_TYPE(tw_bufferedrandom_type, "_io.BufferedRandom", binary_getset);
FILE_TYPE(tw_textiowrapper_type, "_io.TextIOWrapper", text_getset);

/* ---- open() -------------------------------------------------------------------------- */

/* What a mode string asks for. */
typedef struct {
    int reading, writing, appending, creating, updating, text, binary;
} Mode;

static int parse_mode(TwObject *mode_obj, Mode *m)
{
    const char *s = tw_str_utf8(mode_obj);
    memset(m, 0, sizeof *m);
    int seen[128] = {0};
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 128 || strchr("rwaxb+t", c) == NULL || seen[c]++) {
            tw_err_format(&tw_exc_ValueError, "invalid mode: '%s'", s);
            return -1;
        }
        switch (c) {
        case 'r': m->reading = 1; break;
        case 'w': m->writing = 1; break;
        case 'a': m->appending = 1; break;
        case 'x': m->creating = 1; break;
        case '+': m->updating = 1; break;
        case 't': m->text = 1; break;
        case 'b': m->binary = 1; break;
        }
    }
    if (m->text && m->binary) {
        tw_err_set_string(&tw_exc_ValueError, "can't have text and binary mode at once");
        return -1;
    }
    int kinds = m->reading + m->writing + m->appending + m->creating;
    if (kinds != 1) {
        tw_err_set_string(&tw_exc_ValueError,
                          kinds > 1 ? "must have exactly one of create/read/write/append mode"
                                    : "Must have exactly one of create/read/write/append mode and "
                                      "at most one plus");
        return -1;
    }
    return 0;
}

/* A str argument or None (NULL); TypeError naming the parameter. */
static int opt_str(TwObject *arg, const char *pname, TwObject **out)
{
    *out = NULL;
    if (arg == NULL || arg == TW_NONE)
        return 0;
    if (!tw_str_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "open() argument '%s' must be str or None, not %s", pname,
                      TW_TYPE(arg)->tp_name);
        return -1;
    }
    *out = arg;
    return 0;
}

TwObject *tw_io_open(TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"file",    "mode",    "buffering", "encoding", "errors",
                                        "newline", "closefd", "opener",    NULL};
    static const TwArgSpec spec = {"open", names, 0, 1, 8};
    TwObject *a[8];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwObject *file = a[0], *mode_obj = a[1], *encoding = NULL, *errors = NULL, *newline = NULL;
    if (mode_obj == NULL) {
        mode_obj = tw_str_intern_cstr("r");
        tw_decref(mode_obj); /* interned: immortal */
    } else if (!tw_str_check(mode_obj)) {
        tw_err_format(&tw_exc_TypeError, "open() argument 'mode' must be str, not %s",
                      TW_TYPE(mode_obj)->tp_name);
        return NULL;
    }
    int64_t buffering = -1;
    if (a[2] != NULL) {
        if (!tw_int_check(a[2])) {
            tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          TW_TYPE(a[2])->tp_name);
            return NULL;
        }
        buffering = tw_int_as_i64(a[2]);
        if (buffering == -1 && tw_err_occurred())
            return NULL;
    }
    if (opt_str(a[3], "encoding", &encoding) < 0 || opt_str(a[4], "errors", &errors) < 0 ||
        opt_str(a[5], "newline", &newline) < 0)
        return NULL;
    int closefd = 1;
    if (a[6] != NULL && (closefd = tw_object_is_true(a[6])) < 0)
        return NULL;
    TwObject *opener = a[7] == TW_NONE ? NULL : a[7];

    Mode m;
    if (parse_mode(mode_obj, &m) < 0)
        return NULL;
    int text = !m.binary;
    if (text && buffering == 0) {
        tw_err_set_string(&tw_exc_ValueError, "can't have unbuffered text I/O");
        return NULL;
    }
    if (!text && encoding != NULL) {
        tw_err_set_string(&tw_exc_ValueError, "binary mode doesn't take an encoding argument");
        return NULL;
    }
    if (!text && errors != NULL) {
        tw_err_set_string(&tw_exc_ValueError, "binary mode doesn't take an errors argument");
        return NULL;
    }
    if (!text && newline != NULL) {
        tw_err_set_string(&tw_exc_ValueError, "binary mode doesn't take a newline argument");
        return NULL;
    }
    int nl = NL_UNIVERSAL;
    if (newline != NULL) {
        const char *s = tw_str_utf8(newline);
        if (strcmp(s, "") == 0)
            nl = NL_UNTRANSLATED;
        else if (strcmp(s, "\n") == 0)
            nl = NL_LF;
        else if (strcmp(s, "\r") == 0)
            nl = NL_CR;
        else if (strcmp(s, "\r\n") == 0)
            nl = NL_CRLF;
        else {
            tw_err_format(&tw_exc_ValueError, "illegal newline value: %s", s);
            return NULL;
        }
    }
    const char *codec = NULL;
    if (text) {
        codec = tw_codec_name(encoding ? tw_str_utf8(encoding) : "utf-8");
        if (codec == NULL) {
            tw_err_format(&tw_exc_LookupError, "unknown encoding: %s", tw_str_utf8(encoding));
            return NULL;
        }
    }

    /* The descriptor: given, from the opener, or from open(2). */
    int fd = -1, own_fd = 0;
    TwPathArg path = {0};
    if (tw_int_check(file)) {
        int64_t v = tw_int_as_i64(file);
        if (v == -1 && tw_err_occurred())
            return NULL;
        if (v < 0 || v > INT32_MAX) {
            tw_err_set_string(&tw_exc_ValueError, "negative file descriptor");
            return NULL;
        }
        fd = (int)v;
    } else {
        if (!closefd) {
            tw_err_set_string(&tw_exc_ValueError, "Cannot use closefd=False with file name");
            return NULL;
        }
        if (tw_os_path_arg(NULL, "file", file, 0, &path) < 0)
            return NULL;
        int flags = O_CLOEXEC;
        if (m.updating)
            flags |= O_RDWR;
        else if (m.reading)
            flags |= O_RDONLY;
        else
            flags |= O_WRONLY;
        if (m.writing)
            flags |= O_CREAT | O_TRUNC;
        if (m.appending)
            flags |= O_CREAT | O_APPEND;
        if (m.creating)
            flags |= O_CREAT | O_EXCL;
        if (opener != NULL) {
            TwObject *fl = tw_int_from_i64(flags);
            TwObject *argv[2] = {file, fl};
            TwObject *r = fl ? tw_object_vectorcall(opener, argv, 2, NULL) : NULL;
            tw_xdecref(fl);
            if (r == NULL) {
                tw_os_path_clear(&path);
                return NULL;
            }
            int64_t v = tw_int_check(r) ? tw_int_as_i64(r) : -1;
            if (!tw_int_check(r))
                tw_err_set_string(&tw_exc_TypeError, "expected integer from opener");
            else if (v < 0 && !tw_err_occurred())
                tw_err_format(&tw_exc_ValueError, "opener returned %lld", (long long)v);
            tw_decref(r);
            if (tw_err_occurred()) {
                tw_os_path_clear(&path);
                return NULL;
            }
            fd = (int)v;
        } else {
            for (;;) {
                int err;
                const char *p = path.path;
                TW_BEGIN_ALLOW_THREADS
                fd = open(p, flags, 0666);
                err = errno;
                TW_END_ALLOW_THREADS
                if (fd >= 0)
                    break;
                errno = err;
                if (err != EINTR) {
                    tw_os_error_path(&path, NULL);
                    tw_os_path_clear(&path);
                    return NULL;
                }
                if (tw_eval_breaker_check() < 0) {
                    tw_os_path_clear(&path);
                    return NULL;
                }
            }
        }
        own_fd = 1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        if (own_fd)
            close(fd);
        errno = err;
        tw_err_set_from_errno(NULL);
        tw_os_path_clear(&path);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        if (own_fd)
            close(fd);
        errno = EISDIR;
        if (path.object != NULL)
            tw_os_error_path(&path, NULL);
        else
            tw_err_set_from_errno(NULL);
        tw_os_path_clear(&path);
        return NULL;
    }
    tw_os_path_clear(&path);
    if (m.appending && lseek(fd, 0, SEEK_END) < 0 && errno != ESPIPE) {
        int err = errno;
        if (own_fd)
            close(fd);
        errno = err;
        return tw_err_set_from_errno(NULL);
    }

    TwType *type = text                       ? &tw_textiowrapper_type
                   : buffering == 0           ? &tw_fileio_type
                   : m.updating               ? &tw_bufferedrandom_type
                   : m.reading                ? &tw_bufferedreader_type
                                              : &tw_bufferedwriter_type;
    TwFileObject *f = (TwFileObject *)tw_object_new(type, 0);
    if (f == NULL) {
        if (own_fd || closefd)
            close(fd);
        return NULL;
    }
    f->fd = fd;
    f->readable = m.reading || m.updating;
    f->writable = !m.reading || m.updating;
    f->appending = m.appending;
    f->created = m.creating;
    f->closefd = closefd;
    f->text = text;
    f->raw = type == &tw_fileio_type;
    f->newline = nl;
    f->seekable = -1;
    f->codec = codec;
    f->name = tw_newref(file);
    if (text) {
        f->mode = tw_newref(mode_obj);
        f->line_buffering = buffering == 1 || (buffering == -1 && isatty(fd));
        f->encoding = encoding ? tw_newref(encoding) : tw_str_from_cstr("UTF-8");
        f->errors = errors ? tw_newref(errors) : tw_str_from_cstr("strict");
        if (f->encoding == NULL || f->errors == NULL) {
            tw_decref((TwObject *)f);
            return NULL;
        }
        f->errors_c = tw_str_utf8(f->errors);
    } else {
        /* FileIO's mode: what the descriptor allows, as CPython spells it. */
        const char *raw_mode = m.creating    ? (f->readable ? "xb+" : "xb")
                               : m.appending ? (f->readable ? "ab+" : "ab")
                               : f->readable ? (f->writable ? "rb+" : "rb")
                                             : "wb";
        f->mode = tw_str_from_cstr(raw_mode);
        if (f->mode == NULL) {
            tw_decref((TwObject *)f);
            return NULL;
        }
    }
    if (!f->raw) {
        f->cap = buffering > 1 ? (size_t)buffering : DEFAULT_BUFFER_SIZE;
        f->buf = tw_mem_malloc(f->cap);
        if (f->buf == NULL) {
            tw_decref((TwObject *)f);
            return tw_err_no_memory();
        }
    }
    return (TwObject *)f;
}

/* ---- the io module ----------------------------------------------------------------- */

static TwObject *io_open(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return tw_io_open(args, nargs, kwnames);
}

static const TwMethodDef io_functions[] = {
    {"open", FN(io_open), TW_METH_FASTCALL, "Open a file and return a file object."},
    {NULL, NULL, 0, NULL},
};

static TwObject *io_module_create(void)
{
    TwObject *m = tw_module_new_cstr("io");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, io_functions) < 0 ||
        tw_module_add_object(m, "UnsupportedOperation", (TwObject *)unsupported_type) < 0 ||
        tw_module_add_object(m, "FileIO", (TwObject *)&tw_fileio_type) < 0 ||
        tw_module_add_object(m, "BufferedReader", (TwObject *)&tw_bufferedreader_type) < 0 ||
        tw_module_add_object(m, "BufferedWriter", (TwObject *)&tw_bufferedwriter_type) < 0 ||
        tw_module_add_object(m, "BufferedRandom", (TwObject *)&tw_bufferedrandom_type) < 0 ||
        tw_module_add_object(m, "TextIOWrapper", (TwObject *)&tw_textiowrapper_type) < 0 ||
        tw_module_add_int(m, "DEFAULT_BUFFER_SIZE", DEFAULT_BUFFER_SIZE) < 0 ||
        tw_module_add_int(m, "SEEK_SET", SEEK_SET) < 0 ||
        tw_module_add_int(m, "SEEK_CUR", SEEK_CUR) < 0 ||
        tw_module_add_int(m, "SEEK_END", SEEK_END) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

/* io.UnsupportedOperation(OSError, ValueError), made once like a class
 * statement would and kept forever. */
static int make_unsupported_operation(void)
{
    TwObject *name = tw_str_from_cstr("UnsupportedOperation");
    TwObject *bases = tw_tuple_pack(2, (TwObject *)&tw_exc_OSError, (TwObject *)&tw_exc_ValueError);
    TwObject *ns = tw_dict_new();
    TwObject *modname = tw_str_from_cstr("io");
    TwObject *cls = NULL;
    if (name && bases && ns && modname && tw_dict_set_item_cstr(ns, "__module__", modname) == 0)
        cls = tw_type_new_class(&tw_type_type, name, bases, ns);
    tw_xdecref(name);
    tw_xdecref(bases);
    tw_xdecref(ns);
    tw_xdecref(modname);
    if (cls == NULL)
        return -1;
    tw_set_immortal(cls);
    unsupported_type = (TwType *)cls;
    return 0;
}

int tw_io_init(void)
{
    TwType *types[] = {&tw_fileio_type, &tw_bufferedreader_type, &tw_bufferedwriter_type,
                       &tw_bufferedrandom_type, &tw_textiowrapper_type};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (tw_type_ready(types[i]) < 0)
            return -1;
    if (unsupported_type == NULL && make_unsupported_operation() < 0)
        return -1;
    if (tw_module_register_builtin("io", io_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
