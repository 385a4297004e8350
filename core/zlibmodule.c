/* The zlib module over the system's zlib (docs/dependencies.md).
 *
 * compress, decompress, crc32 and adler32, the streaming compressobj and
 * decompressobj, the constants and zlib.error, with CPython's signatures,
 * defaults and error messages.  For the same level, wbits, memLevel and
 * strategy the compressed bytes are the ones CPython produces (both call
 * the same library with the same parameters).
 *
 * Releasing the lock.  Work on a buffer larger than DETACH_THRESHOLD runs
 * detached (TW_BEGIN_ALLOW_THREADS: the GIL is released, or the thread
 * leaves its critical sections), so other threads run meanwhile, as in
 * CPython.  The input must not change while the library reads it: bytes
 * are immutable and the call holds a reference; a bytearray is first
 * copied into a bytes object (under its critical section, by bytes()).
 *
 * Stream objects.  A Compress or Decompress object owns a z_stream that
 * the library mutates across calls, while detached.  A critical section
 * would be released on detaching, so each object has its own TwMutex,
 * held for a whole method call; a second thread calling a method of the
 * same object waits for it (parked, detached).  The mutex protects the
 * stream and every field marked "lock" below. */
#include <limits.h>
#include <string.h>
#include <zlib.h>
#include "core/tstate.h"
#include "core/builtins.h"

#define FN(f) ((void (*)(void))(f))

/* Buffers above this many bytes are processed detached. */
#define DETACH_THRESHOLD (5 * 1024)
#define DEF_BUF_SIZE (16 * 1024)
#define DEF_MEM_LEVEL 8

/* zlib.error: created once at startup, immortal, then immutable. */
static TwObject *zlib_error;

/* zlib.error("Error <err> <what>: <reason>"), the reason from the stream's
 * message or, when the library gave none, from the code. */
static void set_zlib_error(const z_stream *zst, int err, const char *what)
{
    const char *reason = err == Z_VERSION_ERROR ? "library version mismatch" : zst->msg;
    if (reason == NULL) {
        switch (err) {
        case Z_BUF_ERROR:
            reason = "incomplete or truncated stream";
            break;
        case Z_STREAM_ERROR:
            reason = "inconsistent stream state";
            break;
        case Z_DATA_ERROR:
            reason = "invalid input data";
            break;
        }
    }
    if (reason == NULL)
        tw_err_format((TwType *)zlib_error, "Error %d %s", err, what);
    else
        tw_err_format((TwType *)zlib_error, "Error %d %s: %.200s", err, what, reason);
}

/* ---- input and output buffers ------------------------------------------------------- */

/* A read-only view of a bytes-like argument: `owner` is a bytes object
 * (the argument itself, or a snapshot of a bytearray) that keeps `data`
 * alive and unchanged. */
typedef struct {
    TwObject *owner;
    const unsigned char *data;
    size_t len;
} InBuf;

static int get_input(TwObject *arg, InBuf *in)
{
    if (tw_bytes_check(arg)) {
        in->owner = tw_newref(arg);
    } else if (tw_type_is_subtype(TW_TYPE(arg), &tw_bytearray_type)) {
        in->owner = tw_object_call_one((TwObject *)&tw_bytes_type, arg);
        if (in->owner == NULL)
            return -1;
    } else {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(arg)->tp_name);
        return -1;
    }
    in->data = (const unsigned char *)tw_bytes_data(in->owner);
    in->len = (size_t)tw_bytes_size(in->owner);
    return 0;
}

/* Feed the stream the next part of the input (at most UINT_MAX bytes). */
static void feed(z_stream *zst, InBuf *in, size_t *left)
{
    size_t n = *left < UINT_MAX ? *left : UINT_MAX;
    zst->avail_in = (uInt)n;
    *left -= n;
}

/* A growing output buffer; the output limit `max` caps it (a method with
 * max_length stops there).  First size `first`, then doubling. */
typedef struct {
    unsigned char *buf;
    size_t cap, max;
} OutBuf;

/* Give the stream room to write: 0, 1 when the limit is reached (nothing
 * more may be written), -1 with MemoryError. */
static int make_room(z_stream *zst, OutBuf *out, size_t first)
{
    size_t used = out->buf ? (size_t)(zst->next_out - out->buf) : 0;
    if (out->buf == NULL || used == out->cap) {
        if (out->buf != NULL && out->cap >= out->max)
            return 1;
        size_t cap = out->buf == NULL ? first : out->cap <= out->max / 2 ? out->cap * 2 : out->max;
        if (cap > out->max)
            cap = out->max;
        if (cap == 0)
            cap = 1;
        unsigned char *nb = tw_mem_realloc(out->buf, cap);
        if (nb == NULL) {
            tw_err_no_memory();
            return -1;
        }
        out->buf = nb;
        out->cap = cap;
    }
    size_t room = out->cap - used;
    zst->next_out = out->buf + used;
    zst->avail_out = (uInt)(room < UINT_MAX ? room : UINT_MAX);
    return 0;
}

static TwObject *out_bytes(z_stream *zst, OutBuf *out)
{
    size_t used = out->buf ? (size_t)(zst->next_out - out->buf) : 0;
    TwObject *b = tw_bytes_from_data(out->buf ? (const char *)out->buf : "", used);
    tw_mem_free(out->buf);
    out->buf = NULL;
    return b;
}

/* An int argument as a C int, or -1 with an exception (*ok = 0). */
static int int_arg(TwObject *arg, int dflt, int *ok)
{
    *ok = 1;
    if (arg == NULL)
        return dflt;
    TwObject *i = tw_number_index(arg);
    if (i == NULL) {
        *ok = 0;
        return -1;
    }
    int64_t v = tw_int_as_i64(i);
    tw_decref(i);
    if ((v == -1 && tw_err_occurred()) || v > INT_MAX || v < INT_MIN) {
        if (!tw_err_occurred())
            tw_err_set_string(&tw_exc_OverflowError,
                              v > 0 ? "signed integer is greater than maximum"
                                    : "signed integer is less than minimum");
        *ok = 0;
        return -1;
    }
    return (int)v;
}

/* ---- one-shot functions ------------------------------------------------------------ */

/* compress(data, /, level=-1, wbits=15) */
static TwObject *zlib_compress(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"data", "level", "wbits", NULL};
    static const TwArgSpec spec = {"compress", names, 1, 1, 3};
    TwObject *got[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok1, ok2;
    int level = int_arg(got[1], Z_DEFAULT_COMPRESSION, &ok1);
    int wbits = ok1 ? int_arg(got[2], MAX_WBITS, &ok2) : 0;
    if (!ok1 || !ok2)
        return NULL;
    InBuf in;
    if (get_input(got[0], &in) < 0)
        return NULL;
    z_stream zst;
    memset(&zst, 0, sizeof(zst));
    int err = deflateInit2(&zst, level, Z_DEFLATED, wbits, DEF_MEM_LEVEL, Z_DEFAULT_STRATEGY);
    if (err != Z_OK) {
        if (err == Z_MEM_ERROR)
            tw_err_set_string(&tw_exc_MemoryError, "Out of memory while compressing data");
        else if (err == Z_STREAM_ERROR)
            tw_err_set_string((TwType *)zlib_error, "Bad compression level");
        else
            set_zlib_error(&zst, err, "while compressing data");
        deflateEnd(&zst);
        tw_decref(in.owner);
        return NULL;
    }
    OutBuf out = {NULL, 0, SIZE_MAX};
    size_t left = in.len;
    int detach = in.len > DETACH_THRESHOLD;
    zst.next_in = (Bytef *)in.data;
    int flush;
    do {
        feed(&zst, &in, &left);
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            if (make_room(&zst, &out, DEF_BUF_SIZE) < 0)
                goto fail;
            if (detach) {
                TW_BEGIN_ALLOW_THREADS
                err = deflate(&zst, flush);
                TW_END_ALLOW_THREADS
            } else {
                err = deflate(&zst, flush);
            }
            if (err == Z_STREAM_ERROR) {
                set_zlib_error(&zst, err, "while compressing data");
                goto fail;
            }
        } while (zst.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&zst);
    tw_decref(in.owner);
    return out_bytes(&zst, &out);
fail:
    deflateEnd(&zst);
    tw_mem_free(out.buf);
    tw_decref(in.owner);
    return NULL;
}

/* decompress(data, /, wbits=15, bufsize=16384) */
static TwObject *zlib_decompress(TwObject *m, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    static const char *const names[] = {"data", "wbits", "bufsize", NULL};
    static const TwArgSpec spec = {"decompress", names, 1, 1, 3};
    TwObject *got[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok = 1;
    int wbits = int_arg(got[1], MAX_WBITS, &ok);
    if (!ok)
        return NULL;
    int64_t bufsize = DEF_BUF_SIZE;
    if (got[2] != NULL) {
        TwObject *i = tw_number_index(got[2]);
        if (i == NULL)
            return NULL;
        bufsize = tw_int_as_i64(i);
        tw_decref(i);
        if (bufsize == -1 && tw_err_occurred())
            return NULL;
        if (bufsize < 0) {
            tw_err_set_string(&tw_exc_ValueError, "bufsize must be non-negative");
            return NULL;
        }
        if (bufsize == 0)
            bufsize = 1;
    }
    InBuf in;
    if (get_input(got[0], &in) < 0)
        return NULL;
    z_stream zst;
    memset(&zst, 0, sizeof(zst));
    zst.next_in = (Bytef *)in.data;
    int err = inflateInit2(&zst, wbits);
    if (err != Z_OK) {
        if (err == Z_MEM_ERROR)
            tw_err_set_string(&tw_exc_MemoryError, "Out of memory while decompressing data");
        else
            set_zlib_error(&zst, err, "while preparing to decompress data");
        inflateEnd(&zst);
        tw_decref(in.owner);
        return NULL;
    }
    OutBuf out = {NULL, 0, SIZE_MAX};
    size_t left = in.len;
    int detach = in.len > DETACH_THRESHOLD;
    do {
        feed(&zst, &in, &left);
        int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            if (make_room(&zst, &out, (size_t)bufsize) < 0)
                goto fail;
            if (detach) {
                TW_BEGIN_ALLOW_THREADS
                err = inflate(&zst, flush);
                TW_END_ALLOW_THREADS
            } else {
                err = inflate(&zst, flush);
            }
            if (err == Z_MEM_ERROR) {
                tw_err_set_string(&tw_exc_MemoryError, "Out of memory while decompressing data");
                goto fail;
            }
            if (err != Z_OK && err != Z_BUF_ERROR && err != Z_STREAM_END) {
                set_zlib_error(&zst, err, "while decompressing data");
                goto fail;
            }
        } while (zst.avail_out == 0);
    } while (err != Z_STREAM_END && left != 0);
    if (err != Z_STREAM_END) {
        set_zlib_error(&zst, err, "while decompressing data");
        goto fail;
    }
    inflateEnd(&zst);
    tw_decref(in.owner);
    return out_bytes(&zst, &out);
fail:
    inflateEnd(&zst);
    tw_mem_free(out.buf);
    tw_decref(in.owner);
    return NULL;
}

/* crc32(data, value=0) and adler32(data, value=1): the running checksum
 * continued over data; value is taken modulo 2**32. */
static TwObject *checksum(const char *fname, TwObject *const *args, size_t nargs,
                          TwObject *kwnames, uLong start, int crc)
{
    static const char *const names[] = {"data", "value", NULL};
    TwArgSpec spec = {fname, names, 2, 1, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    uLong value = start;
    if (got[1] != NULL) {
        TwObject *i = tw_number_index(got[1]);
        if (i == NULL)
            return NULL;
        TwObject *mask = tw_int_from_i64(0xffffffff);
        TwObject *low = mask ? tw_number_and(i, mask) : NULL;
        tw_decref(i);
        tw_xdecref(mask);
        if (low == NULL)
            return NULL;
        value = (uLong)tw_int_as_i64(low);
        tw_decref(low);
    }
    InBuf in;
    if (get_input(got[0], &in) < 0)
        return NULL;
    const unsigned char *p = in.data;
    size_t left = in.len;
    if (left > DETACH_THRESHOLD) {
        TW_BEGIN_ALLOW_THREADS
        while (left > 0) {
            uInt n = left < UINT_MAX ? (uInt)left : UINT_MAX;
            value = crc ? crc32(value, p, n) : adler32(value, p, n);
            p += n;
            left -= n;
        }
        TW_END_ALLOW_THREADS
    } else {
        value = crc ? crc32(value, p, (uInt)left) : adler32(value, p, (uInt)left);
    }
    tw_decref(in.owner);
    return tw_int_from_u64(value & 0xffffffffU);
}

static TwObject *zlib_crc32(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return checksum("crc32", args, nargs, kw, 0, 1);
}

static TwObject *zlib_adler32(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return checksum("adler32", args, nargs, kw, 1, 0);
}

/* ---- stream objects ---------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwMutex lock;
    z_stream zst;            /* lock */
    int initialised;         /* lock: the stream is live (not yet ended) */
    int eof;                 /* lock; Decompress: the end of the stream was reached */
    TwObject *unused_data;   /* lock; Decompress: bytes after the end of the stream */
    TwObject *unconsumed_tail; /* lock; Decompress: input left over by max_length */
    TwObject *zdict;         /* immutable; bytes or NULL */
} ZStreamObject;

static TwType compress_type, decompress_type;

#define ZS(op) ((ZStreamObject *)(op))

static void zstream_dealloc(TwObject *op)
{
    ZStreamObject *self = ZS(op);
    if (self->initialised) {
        if (TW_TYPE(op) == &compress_type)
            deflateEnd(&self->zst);
        else
            inflateEnd(&self->zst);
    }
    tw_xdecref(self->unused_data);
    tw_xdecref(self->unconsumed_tail);
    tw_xdecref(self->zdict);
    tw_object_free(op);
}

/* Run deflate or inflate once, detached for large inputs. */
static int run_stream(ZStreamObject *self, int flush, int detach, int compress)
{
    int err;
    if (detach) {
        TW_BEGIN_ALLOW_THREADS
        err = compress ? deflate(&self->zst, flush) : inflate(&self->zst, flush);
        TW_END_ALLOW_THREADS
    } else {
        err = compress ? deflate(&self->zst, flush) : inflate(&self->zst, flush);
    }
    return err;
}

/* compressobj(level=-1, method=8, wbits=15, memLevel=8, strategy=0, zdict=None) */
static TwObject *zlib_compressobj(TwObject *m, TwObject *const *args, size_t nargs,
                                  TwObject *kwnames)
{
    static const char *const names[] = {"level", "method", "wbits", "memLevel", "strategy",
                                        "zdict", NULL};
    static const TwArgSpec spec = {"compressobj", names, 0, 0, 6};
    TwObject *got[6];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok[5], v[5];
    static const int defaults[5] = {Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS, DEF_MEM_LEVEL,
                                    Z_DEFAULT_STRATEGY};
    for (int i = 0; i < 5; i++) {
        v[i] = int_arg(got[i], defaults[i], &ok[i]);
        if (!ok[i])
            return NULL;
    }
    InBuf dict = {NULL, NULL, 0};
    if (got[5] != NULL && got[5] != TW_NONE && get_input(got[5], &dict) < 0)
        return NULL;
    ZStreamObject *self = (ZStreamObject *)tw_object_new(&compress_type, 0);
    if (self == NULL) {
        tw_xdecref(dict.owner);
        return NULL;
    }
    self->zdict = dict.owner;
    int err = deflateInit2(&self->zst, v[0], v[1], v[2], v[3], v[4]);
    if (err == Z_OK) {
        self->initialised = 1;
        if (dict.owner != NULL) {
            err = deflateSetDictionary(&self->zst, dict.data, (uInt)dict.len);
            if (err != Z_OK) {
                tw_err_set_string(&tw_exc_ValueError, "Invalid dictionary");
                tw_decref((TwObject *)self);
                return NULL;
            }
        }
        return (TwObject *)self;
    }
    if (err == Z_MEM_ERROR)
        tw_err_set_string(&tw_exc_MemoryError, "Can't allocate memory for compression object");
    else if (err == Z_STREAM_ERROR)
        tw_err_set_string(&tw_exc_ValueError, "Invalid initialization option");
    else
        set_zlib_error(&self->zst, err, "while creating compression object");
    tw_decref((TwObject *)self);
    return NULL;
}

/* Compress.compress(data) */
static TwObject *comp_compress(TwObject *op, TwObject *data)
{
    ZStreamObject *self = ZS(op);
    InBuf in;
    if (get_input(data, &in) < 0)
        return NULL;
    OutBuf out = {NULL, 0, SIZE_MAX};
    TwObject *res = NULL;
    int detach = in.len > DETACH_THRESHOLD;
    tw_mutex_lock(&self->lock);
    if (!self->initialised) {
        z_stream dead = {0};
        set_zlib_error(&dead, Z_STREAM_ERROR, "while compressing data");
        goto done;
    }
    self->zst.next_in = (Bytef *)in.data;
    size_t left = in.len;
    do {
        feed(&self->zst, &in, &left);
        do {
            if (make_room(&self->zst, &out, DEF_BUF_SIZE) < 0)
                goto done;
            int err = run_stream(self, Z_NO_FLUSH, detach, 1);
            if (err == Z_STREAM_ERROR) {
                set_zlib_error(&self->zst, err, "while compressing data");
                goto done;
            }
        } while (self->zst.avail_out == 0);
    } while (left != 0);
    res = out_bytes(&self->zst, &out);
done:
    tw_mutex_unlock(&self->lock);
    tw_mem_free(out.buf);
    tw_decref(in.owner);
    return res;
}

/* Compress.flush(mode=Z_FINISH) */
static TwObject *comp_flush(TwObject *op, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"mode", NULL};
    static const TwArgSpec spec = {"flush", names, 1, 0, 1};
    TwObject *got[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok;
    int mode = int_arg(got[0], Z_FINISH, &ok);
    if (!ok)
        return NULL;
    if (mode == Z_NO_FLUSH)
        return tw_bytes_from_data("", 0);
    ZStreamObject *self = ZS(op);
    OutBuf out = {NULL, 0, SIZE_MAX};
    TwObject *res = NULL;
    tw_mutex_lock(&self->lock);
    if (!self->initialised) {
        z_stream dead = {0};
        set_zlib_error(&dead, Z_STREAM_ERROR, "while flushing");
        goto done;
    }
    self->zst.avail_in = 0;
    int err;
    do {
        if (make_room(&self->zst, &out, DEF_BUF_SIZE) < 0)
            goto done;
        err = run_stream(self, mode, 0, 1);
        if (err == Z_STREAM_ERROR) {
            set_zlib_error(&self->zst, err, "while flushing");
            goto done;
        }
    } while (self->zst.avail_out == 0);
    if (err == Z_STREAM_END && mode == Z_FINISH) {
        err = deflateEnd(&self->zst);
        self->initialised = 0;
        if (err != Z_OK) {
            set_zlib_error(&self->zst, err, "while finishing compression");
            goto done;
        }
    } else if (err != Z_OK && err != Z_BUF_ERROR) {
        set_zlib_error(&self->zst, err, "while flushing");
        goto done;
    }
    res = out_bytes(&self->zst, &out);
done:
    tw_mutex_unlock(&self->lock);
    tw_mem_free(out.buf);
    return res;
}

/* copy(): an independent object in the same state. */
static TwObject *zstream_copy(TwObject *op, TwObject *unused)
{
    ZStreamObject *self = ZS(op);
    int compress = TW_TYPE(op) == &compress_type;
    ZStreamObject *dup = (ZStreamObject *)tw_object_new(TW_TYPE(op), 0);
    if (dup == NULL)
        return NULL;
    tw_mutex_lock(&self->lock);
    int err = Z_STREAM_ERROR;
    if (self->initialised)
        err = compress ? deflateCopy(&dup->zst, &self->zst) : inflateCopy(&dup->zst, &self->zst);
    if (err == Z_OK) {
        dup->initialised = 1;
        dup->eof = self->eof;
        dup->unused_data = self->unused_data ? tw_newref(self->unused_data) : NULL;
        dup->unconsumed_tail = self->unconsumed_tail ? tw_newref(self->unconsumed_tail) : NULL;
        dup->zdict = self->zdict ? tw_newref(self->zdict) : NULL;
    }
    tw_mutex_unlock(&self->lock);
    if (err != Z_OK) {
        if (err == Z_STREAM_ERROR)
            tw_err_set_string(&tw_exc_ValueError, "Inconsistent stream state");
        else if (err == Z_MEM_ERROR)
            tw_err_set_string(&tw_exc_MemoryError, "Can't allocate memory for compression object");
        else
            set_zlib_error(&self->zst, err, compress ? "while copying compression object"
                                                     : "while copying decompression object");
        tw_decref((TwObject *)dup);
        return NULL;
    }
    return (TwObject *)dup;
}

/* decompressobj(wbits=15, zdict=b'') */
static TwObject *zlib_decompressobj(TwObject *m, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    static const char *const names[] = {"wbits", "zdict", NULL};
    static const TwArgSpec spec = {"decompressobj", names, 0, 0, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok;
    int wbits = int_arg(got[0], MAX_WBITS, &ok);
    if (!ok)
        return NULL;
    InBuf dict = {NULL, NULL, 0};
    if (got[1] != NULL) {
        if (!tw_bytes_check(got[1]) &&
            !tw_type_is_subtype(TW_TYPE(got[1]), &tw_bytearray_type)) {
            tw_err_set_string(&tw_exc_TypeError, "zdict argument must support the buffer protocol");
            return NULL;
        }
        if (get_input(got[1], &dict) < 0)
            return NULL;
    }
    ZStreamObject *self = (ZStreamObject *)tw_object_new(&decompress_type, 0);
    if (self == NULL) {
        tw_xdecref(dict.owner);
        return NULL;
    }
    self->zdict = dict.owner;
    self->unused_data = tw_bytes_from_data("", 0);
    self->unconsumed_tail = tw_bytes_from_data("", 0);
    if (self->unused_data == NULL || self->unconsumed_tail == NULL) {
        tw_decref((TwObject *)self);
        return NULL;
    }
    int err = inflateInit2(&self->zst, wbits);
    if (err == Z_OK) {
        self->initialised = 1;
        /* A raw stream (negative wbits) never asks for its dictionary. */
        if (dict.owner != NULL && wbits < 0) {
            err = inflateSetDictionary(&self->zst, dict.data, (uInt)dict.len);
            if (err != Z_OK) {
                set_zlib_error(&self->zst, err, "while setting zdict");
                tw_decref((TwObject *)self);
                return NULL;
            }
        }
        return (TwObject *)self;
    }
    if (err == Z_STREAM_ERROR)
        tw_err_set_string(&tw_exc_ValueError, "Invalid initialization option");
    else if (err == Z_MEM_ERROR)
        tw_err_set_string(&tw_exc_MemoryError, "Can't allocate memory for decompression object");
    else
        set_zlib_error(&self->zst, err, "while creating decompression object");
    tw_decref((TwObject *)self);
    return NULL;
}

/* Keep the input the stream did not take: after the end of the stream it
 * is unused_data (appended); otherwise it becomes unconsumed_tail (lock
 * held). */
static int save_unconsumed(ZStreamObject *self, int err, size_t beyond)
{
    size_t rest = self->zst.avail_in + beyond;
    if (err == Z_STREAM_END && rest > 0) {
        TwObject *more = tw_bytes_from_data((const char *)self->zst.next_in, rest);
        TwObject *joined = more ? tw_bytes_concat(self->unused_data, more) : NULL;
        tw_xdecref(more);
        if (joined == NULL)
            return -1;
        tw_decref(self->unused_data);
        self->unused_data = joined;
        self->zst.avail_in = 0;
        rest = 0;
    }
    if (rest > 0 || tw_bytes_size(self->unconsumed_tail) > 0) {
        TwObject *tail = tw_bytes_from_data((const char *)self->zst.next_in, rest);
        if (tail == NULL)
            return -1;
        tw_decref(self->unconsumed_tail);
        self->unconsumed_tail = tail;
    }
    return 0;
}

/* Decompress.decompress(data, /, max_length=0) */
static TwObject *decomp_decompress(TwObject *op, TwObject *const *args, size_t nargs,
                                   TwObject *kwnames)
{
    static const char *const names[] = {"data", "max_length", NULL};
    static const TwArgSpec spec = {"decompress", names, 1, 1, 2};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int64_t max_length = 0;
    if (got[1] != NULL) {
        TwObject *i = tw_number_index(got[1]);
        if (i == NULL)
            return NULL;
        max_length = tw_int_as_i64(i);
        tw_decref(i);
        if (max_length == -1 && tw_err_occurred())
            return NULL;
        if (max_length < 0) {
            tw_err_set_string(&tw_exc_ValueError, "max_length must be non-negative");
            return NULL;
        }
    }
    ZStreamObject *self = ZS(op);
    InBuf in;
    if (get_input(got[0], &in) < 0)
        return NULL;
    OutBuf out = {NULL, 0, max_length > 0 ? (size_t)max_length : SIZE_MAX};
    TwObject *res = NULL;
    int detach = in.len > DETACH_THRESHOLD;
    tw_mutex_lock(&self->lock);
    if (!self->initialised) {
        z_stream dead = {0};
        set_zlib_error(&dead, Z_STREAM_ERROR, "while decompressing data");
        goto done;
    }
    self->zst.next_in = (Bytef *)in.data;
    size_t left = in.len;
    int err = Z_OK;
    do {
        feed(&self->zst, &in, &left);
        do {
            int room = make_room(&self->zst, &out, DEF_BUF_SIZE);
            if (room < 0)
                goto done;
            if (room > 0)
                goto save;
            err = run_stream(self, Z_SYNC_FLUSH, detach, 0);
            if (err == Z_NEED_DICT && self->zdict != NULL) {
                int e2 = inflateSetDictionary(&self->zst, (const Bytef *)tw_bytes_data(self->zdict),
                                              (uInt)tw_bytes_size(self->zdict));
                if (e2 != Z_OK) {
                    set_zlib_error(&self->zst, e2, "while setting zdict");
                    goto done;
                }
                continue;
            }
            if (err != Z_OK && err != Z_BUF_ERROR && err != Z_STREAM_END)
                goto save;
        } while (self->zst.avail_out == 0 || err == Z_NEED_DICT);
    } while (err != Z_STREAM_END && left != 0);
save:
    if (save_unconsumed(self, err, left) < 0)
        goto done;
    if (err == Z_STREAM_END) {
        self->eof = 1;
    } else if (err != Z_OK && err != Z_BUF_ERROR) {
        set_zlib_error(&self->zst, err, "while decompressing data");
        goto done;
    }
    res = out_bytes(&self->zst, &out);
done:
    tw_mutex_unlock(&self->lock);
    tw_mem_free(out.buf);
    tw_decref(in.owner);
    return res;
}

/* Decompress.flush(length=16384): what is left of unconsumed_tail. */
static TwObject *decomp_flush(TwObject *op, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"length", NULL};
    static const TwArgSpec spec = {"flush", names, 1, 0, 1};
    TwObject *got[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    int ok;
    int length = int_arg(got[0], DEF_BUF_SIZE, &ok);
    if (!ok)
        return NULL;
    if (length <= 0) {
        tw_err_set_string(&tw_exc_ValueError, "length must be greater than zero");
        return NULL;
    }
    ZStreamObject *self = ZS(op);
    OutBuf out = {NULL, 0, SIZE_MAX};
    TwObject *res = NULL;
    tw_mutex_lock(&self->lock);
    if (!self->initialised) {
        res = tw_bytes_from_data("", 0);
        goto done;
    }
    TwObject *tail = tw_newref(self->unconsumed_tail);
    self->zst.next_in = (Bytef *)tw_bytes_data(tail);
    size_t left = (size_t)tw_bytes_size(tail);
    InBuf in = {tail, (const unsigned char *)tw_bytes_data(tail), left};
    int err = Z_OK;
    do {
        feed(&self->zst, &in, &left);
        int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            if (make_room(&self->zst, &out, (size_t)length) < 0) {
                tw_decref(tail);
                goto done;
            }
            err = inflate(&self->zst, flush);
            if (err == Z_NEED_DICT && self->zdict != NULL) {
                if (inflateSetDictionary(&self->zst, (const Bytef *)tw_bytes_data(self->zdict),
                                         (uInt)tw_bytes_size(self->zdict)) != Z_OK)
                    break;
                continue;
            }
            if (err != Z_OK && err != Z_BUF_ERROR && err != Z_STREAM_END)
                break;
        } while (self->zst.avail_out == 0 || err == Z_NEED_DICT);
    } while (err != Z_STREAM_END && left != 0);
    int rc = save_unconsumed(self, err, left);
    tw_decref(tail);
    if (rc < 0)
        goto done;
    if (err == Z_STREAM_END) {
        self->eof = 1;
        self->initialised = 0;
        err = inflateEnd(&self->zst);
        if (err != Z_OK) {
            set_zlib_error(&self->zst, err, "while finishing decompression");
            goto done;
        }
    }
    res = out_bytes(&self->zst, &out);
done:
    tw_mutex_unlock(&self->lock);
    tw_mem_free(out.buf);
    return res;
}

static TwObject *get_field(TwObject *op, void *which)
{
    ZStreamObject *self = ZS(op);
    TwObject *r;
    tw_mutex_lock(&self->lock);
    if (which == (void *)0)
        r = tw_newref(self->unused_data);
    else if (which == (void *)1)
        r = tw_newref(self->unconsumed_tail);
    else
        r = tw_newref(self->eof ? TW_TRUE : TW_FALSE);
    tw_mutex_unlock(&self->lock);
    return r;
}

static const TwMethodDef compress_methods[] = {
    {"compress", FN(comp_compress), TW_METH_O, "Returns a bytes object containing compressed data."},
    {"flush", FN(comp_flush), TW_METH_FASTCALL, "Return a bytes object containing any remaining compressed data."},
    {"copy", FN(zstream_copy), TW_METH_NOARGS, "Return a copy of the compression object."},
    {NULL, NULL, 0, NULL},
};

static const TwMethodDef decompress_methods[] = {
    {"decompress", FN(decomp_decompress), TW_METH_FASTCALL, "Return a bytes object containing the decompressed version of the data."},
    {"flush", FN(decomp_flush), TW_METH_FASTCALL, "Return a bytes object containing any remaining decompressed data."},
    {"copy", FN(zstream_copy), TW_METH_NOARGS, "Return a copy of the decompression object."},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef decompress_getset[] = {
    {"unused_data", get_field, NULL, (void *)0},
    {"unconsumed_tail", get_field, NULL, (void *)1},
    {"eof", get_field, NULL, (void *)2},
    {NULL, NULL, NULL, NULL},
};

static TwType compress_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "zlib.Compress",
    .tp_basicsize = sizeof(ZStreamObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = zstream_dealloc,
    .tp_methods = compress_methods,
};

static TwType decompress_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "zlib.Decompress",
    .tp_basicsize = sizeof(ZStreamObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = zstream_dealloc,
    .tp_methods = decompress_methods,
    .tp_getset = decompress_getset,
};

/* ---- the module ---------------------------------------------------------------------- */

static const TwMethodDef zlib_functions[] = {
    {"compress", FN(zlib_compress), TW_METH_FASTCALL, "Returns a bytes object containing compressed data."},
    {"decompress", FN(zlib_decompress), TW_METH_FASTCALL, "Returns a bytes object containing the uncompressed data."},
    {"crc32", FN(zlib_crc32), TW_METH_FASTCALL, "Compute a CRC-32 checksum of data."},
    {"adler32", FN(zlib_adler32), TW_METH_FASTCALL, "Compute an Adler-32 checksum of data."},
    {"compressobj", FN(zlib_compressobj), TW_METH_FASTCALL, "Return a compressor object."},
    {"decompressobj", FN(zlib_decompressobj), TW_METH_FASTCALL, "Return a decompressor object."},
    {NULL, NULL, 0, NULL},
};

static const struct {
    const char *name;
    int value;
} zlib_constants[] = {
    {"MAX_WBITS", MAX_WBITS},
    {"DEFLATED", Z_DEFLATED},
    {"DEF_MEM_LEVEL", DEF_MEM_LEVEL},
    {"DEF_BUF_SIZE", DEF_BUF_SIZE},
    {"Z_NO_COMPRESSION", Z_NO_COMPRESSION},
    {"Z_BEST_SPEED", Z_BEST_SPEED},
    {"Z_BEST_COMPRESSION", Z_BEST_COMPRESSION},
    {"Z_DEFAULT_COMPRESSION", Z_DEFAULT_COMPRESSION},
    {"Z_FILTERED", Z_FILTERED},
    {"Z_HUFFMAN_ONLY", Z_HUFFMAN_ONLY},
    {"Z_RLE", Z_RLE},
    {"Z_FIXED", Z_FIXED},
    {"Z_DEFAULT_STRATEGY", Z_DEFAULT_STRATEGY},
    {"Z_NO_FLUSH", Z_NO_FLUSH},
    {"Z_PARTIAL_FLUSH", Z_PARTIAL_FLUSH},
    {"Z_SYNC_FLUSH", Z_SYNC_FLUSH},
    {"Z_FULL_FLUSH", Z_FULL_FLUSH},
    {"Z_FINISH", Z_FINISH},
    {"Z_BLOCK", Z_BLOCK},
    {"Z_TREES", Z_TREES},
};

static TwObject *zlib_module_create(void)
{
    TwObject *m = tw_module_new_cstr("zlib");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, zlib_functions) < 0 ||
        tw_module_add_object(m, "error", zlib_error) < 0 ||
        tw_module_add_string(m, "ZLIB_VERSION", ZLIB_VERSION) < 0 ||
        tw_module_add_string(m, "ZLIB_RUNTIME_VERSION", zlibVersion()) < 0)
        goto fail;
    for (size_t i = 0; i < sizeof(zlib_constants) / sizeof(zlib_constants[0]); i++)
        if (tw_module_add_int(m, zlib_constants[i].name, zlib_constants[i].value) < 0)
            goto fail;
    return m;
fail:
    tw_decref(m);
    return NULL;
}

/* zlib.error: class error(Exception) in module zlib. */
static int make_error_class(void)
{
    if (zlib_error != NULL)
        return 0;
    TwObject *name = tw_str_from_cstr("error");
    TwObject *bases = tw_tuple_pack(1, (TwObject *)&tw_exc_Exception);
    TwObject *ns = tw_dict_new();
    TwObject *mod = tw_str_from_cstr("zlib");
    TwObject *cls = NULL;
    if (name && bases && ns && mod && tw_dict_set_item_cstr(ns, "__module__", mod) == 0)
        cls = tw_type_new_class(&tw_type_type, name, bases, ns);
    tw_xdecref(name);
    tw_xdecref(bases);
    tw_xdecref(ns);
    tw_xdecref(mod);
    if (cls == NULL)
        return -1;
    tw_set_immortal(cls);
    zlib_error = cls;
    return 0;
}

int tw_zlib_init(void)
{
    if (tw_type_ready(&compress_type) < 0 || tw_type_ready(&decompress_type) < 0 ||
        make_error_class() < 0)
        return -1;
    if (tw_module_register_builtin("zlib", zlib_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
