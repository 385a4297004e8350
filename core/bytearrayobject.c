/* bytearray: a mutable sequence of bytes (the optional builtin of
 * LANGUAGE.md), with the commonly used part of CPython's interface:
 * construction from a count, bytes, an iterable of ints or a str with an
 * encoding; len, indexing, slicing, item and slice assignment, del,
 * `in`, comparison and + / * with bytes-like objects; append, extend,
 * insert, pop, remove, clear, copy, reverse, decode and hex.
 *
 * Thread safety: the buffer (data, size, cap) is protected by the
 * object's critical section; every access below takes it, and code that
 * reads another bytearray copies its bytes out under that one's section
 * first, so no two sections are ever held at once. */
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/format.h"
#include "core/scalar.h"

typedef struct {
    TwObject ob_base;
    char *data;    /* tw_mem_malloc'd, or NULL when cap == 0; critical section */
    intptr_t size; /* critical section */
    intptr_t cap;  /* critical section */
} TwByteArrayObject;

static int is_bytearray(TwObject *op)
{
    return tw_type_is_subtype(TW_TYPE(op), &tw_bytearray_type);
}

#define BA(op) ((TwByteArrayObject *)(op))

int tw_bytearray_check(TwObject *op)
{
    return is_bytearray(op);
}

/* Make room for `need` bytes (critical section held). */
static int reserve(TwByteArrayObject *b, intptr_t need)
{
    if (need <= b->cap)
        return 0;
    intptr_t cap = b->cap < 16 ? 16 : b->cap;
    while (cap < need)
        cap += cap / 2 + 8;
    char *d = tw_mem_realloc(b->data, (size_t)cap);
    if (d == NULL) {
        tw_err_no_memory();
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

static TwObject *new_bytearray(const char *s, intptr_t n)
{
    TwByteArrayObject *b = (TwByteArrayObject *)tw_object_new(&tw_bytearray_type, 0);
    if (b == NULL)
        return NULL;
    if (n > 0) {
        if (reserve(b, n) < 0) {
            tw_decref((TwObject *)b);
            return NULL;
        }
        if (s != NULL)
            memcpy(b->data, s, (size_t)n);
        else
            memset(b->data, 0, (size_t)n);
        b->size = n;
    }
    return (TwObject *)b;
}

static void bytearray_dealloc(TwObject *op)
{
    tw_mem_free(BA(op)->data);
    tw_object_free(op);
}

/* A private copy of the bytes of a bytes or bytearray object: *out is
 * tw_mem_malloc'd (free it) or NULL for an empty one.  0, 1 when op is not
 * bytes-like (no exception), -1 on error. */
static int copy_bytes(TwObject *op, char **out, intptr_t *n)
{
    *out = NULL;
    *n = 0;
    if (tw_bytes_check(op)) {
        *n = tw_bytes_size(op);
        if (*n > 0 && (*out = tw_mem_malloc((size_t)*n)) == NULL) {
            tw_err_no_memory();
            return -1;
        }
        if (*n > 0)
            memcpy(*out, tw_bytes_data(op), (size_t)*n);
        return 0;
    }
    if (!is_bytearray(op))
        return 1;
    int rc = 0;
    TW_BEGIN_CRITICAL_SECTION(op);
    *n = BA(op)->size;
    if (*n > 0 && (*out = tw_mem_malloc((size_t)*n)) == NULL) {
        tw_err_no_memory();
        rc = -1;
    } else if (*n > 0) {
        memcpy(*out, BA(op)->data, (size_t)*n);
    }
    TW_END_CRITICAL_SECTION();
    return rc;
}

/* One byte value from an int-like object: 0..255. */
static int byte_value(TwObject *v, unsigned char *out)
{
    TwObject *i = tw_number_index(v);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t x = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow != 0 || x < 0 || x > 255) {
        tw_err_set_string(&tw_exc_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    *out = (unsigned char)x;
    return 0;
}

/* The bytes of `src` (bytes-like, or an iterable of ints) as a private
 * buffer. */
static int gather(TwObject *src, char **out, intptr_t *n)
{
    int r = copy_bytes(src, out, n);
    if (r <= 0)
        return r;
    TwObject *it = tw_object_iter(src);
    if (it == NULL)
        return -1;
    intptr_t cap = 0;
    TwObject *item;
    while ((item = tw_iter_next(it)) != NULL) {
        unsigned char c;
        int ok = byte_value(item, &c);
        tw_decref(item);
        if (ok < 0)
            goto fail;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char *d = tw_mem_realloc(*out, (size_t)cap);
            if (d == NULL) {
                tw_err_no_memory();
                goto fail;
            }
            *out = d;
        }
        (*out)[(*n)++] = (char)c;
    }
    tw_decref(it);
    if (tw_err_occurred()) {
        tw_mem_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
fail:
    tw_decref(it);
    tw_mem_free(*out);
    *out = NULL;
    return -1;
}

/* bytearray(), bytearray(n), bytearray(bytes_like_or_iterable),
 * bytearray(str, encoding[, errors]) */
static TwObject *bytearray_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"source", "encoding", "errors", NULL};
    static const TwArgSpec spec = {"bytearray", names, 0, 0, 3};
    TwObject *argv[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    TwObject *src = argv[0];
    if (src == NULL)
        return new_bytearray(NULL, 0);
    if (tw_str_check(src)) {
        if (argv[1] == NULL) {
            tw_err_set_string(&tw_exc_TypeError, "string argument without an encoding");
            return NULL;
        }
        TwObject *eargs[2] = {argv[1], argv[2]};
        TwObject *enc = tw_object_call_method(src, "encode", eargs, argv[2] ? 2 : 1);
        if (enc == NULL)
            return NULL;
        TwObject *res =
            tw_bytes_check(enc) ? new_bytearray(tw_bytes_data(enc), tw_bytes_size(enc)) : NULL;
        tw_decref(enc);
        return res;
    }
    if (argv[1] != NULL || argv[2] != NULL) {
        tw_err_set_string(&tw_exc_TypeError, argv[1] ? "encoding without a string argument"
                                                     : "errors without a string argument");
        return NULL;
    }
    if (tw_int_check(src)) {
        int overflow = 0;
        int64_t n = tw_int_as_i64_overflow(src, &overflow);
        if (overflow > 0)
            return tw_err_no_memory();
        if (overflow < 0 || n < 0) {
            tw_err_set_string(&tw_exc_ValueError, "negative count");
            return NULL;
        }
        return new_bytearray(NULL, (intptr_t)n);
    }
    if (tw_float_check(src)) {
        tw_err_set_string(&tw_exc_TypeError, "cannot convert 'float' object to bytearray");
        return NULL;
    }
    char *buf;
    intptr_t n;
    if (gather(src, &buf, &n) < 0)
        return NULL;
    TwObject *res = new_bytearray(buf, n);
    tw_mem_free(buf);
    return res;
}

/* A bytes object with the current contents. */
static TwObject *snapshot_bytes(TwObject *op)
{
    TwObject *res;
    TW_BEGIN_CRITICAL_SECTION(op);
    res = tw_bytes_from_data(BA(op)->data ? BA(op)->data : "", (size_t)BA(op)->size);
    TW_END_CRITICAL_SECTION();
    return res;
}

TwObject *tw_bytearray_to_bytes(TwObject *op)
{
    return snapshot_bytes(op);
}

TwObject *tw_bytearray_from_data(const char *s, intptr_t n)
{
    return new_bytearray(s, n);
}

static TwObject *bytearray_repr(TwObject *op)
{
    TwObject *b = snapshot_bytes(op);
    TwObject *r = b ? tw_object_repr(b) : NULL;
    TwObject *res = r ? tw_str_from_format("bytearray(%s)", tw_str_utf8(r)) : NULL;
    tw_xdecref(b);
    tw_xdecref(r);
    return res;
}

static intptr_t bytearray_len(TwObject *op)
{
    intptr_t n;
    TW_BEGIN_CRITICAL_SECTION(op);
    n = BA(op)->size;
    TW_END_CRITICAL_SECTION();
    return n;
}

/* An index into a sequence of n items, or -1 with IndexError. */
static intptr_t item_index(TwObject *key, intptr_t n)
{
    TwObject *i = tw_number_index(key);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t x = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (x < 0)
        x += n;
    if (overflow != 0 || x < 0 || x >= n) {
        tw_err_set_string(&tw_exc_IndexError, "bytearray index out of range");
        return -1;
    }
    return (intptr_t)x;
}

static TwObject *bytearray_getitem(TwObject *op, TwObject *key)
{
    TwObject *res = NULL;
    if (tw_slice_check(key)) {
        intptr_t start, stop, step;
        if (tw_slice_unpack(key, &start, &stop, &step) < 0)
            return NULL;
        TW_BEGIN_CRITICAL_SECTION(op);
        intptr_t n = tw_slice_adjust(BA(op)->size, &start, &stop, step);
        res = new_bytearray(NULL, n);
        for (intptr_t k = 0; res != NULL && k < n; k++)
            BA(res)->data[k] = BA(op)->data[start + k * step];
        TW_END_CRITICAL_SECTION();
        return res;
    }
    if (!tw_int_check(key) &&
        !(TW_TYPE(key)->tp_as_number && TW_TYPE(key)->tp_as_number->nb_index)) {
        tw_err_format(&tw_exc_TypeError, "bytearray indices must be integers or slices, not %s",
                      TW_TYPE(key)->tp_name);
        return NULL;
    }
    TW_BEGIN_CRITICAL_SECTION(op);
    intptr_t i = item_index(key, BA(op)->size);
    if (i >= 0)
        res = tw_int_from_i64((unsigned char)BA(op)->data[i]);
    TW_END_CRITICAL_SECTION();
    return res;
}

/* Replace data[start:stop] (step 1) by n bytes (critical section held). */
static int splice(TwByteArrayObject *b, intptr_t start, intptr_t stop, const char *src, intptr_t n)
{
    if (stop < start)
        stop = start;
    intptr_t tail = b->size - stop, size = start + n + tail;
    if (reserve(b, size) < 0)
        return -1;
    if (tail > 0)
        memmove(b->data + start + n, b->data + stop, (size_t)tail);
    if (n > 0)
        memcpy(b->data + start, src, (size_t)n);
    b->size = size;
    return 0;
}

/* Delete the items of an extended slice (critical section held). */
static void delete_stepped(TwByteArrayObject *b, intptr_t start, intptr_t step, intptr_t n)
{
    if (step < 0) {
        start += step * (n - 1);
        step = -step;
    }
    intptr_t w = start;
    for (intptr_t r = start, k = 0; r < b->size; r++) {
        if (k < n && r == start + k * step) {
            k++;
            continue;
        }
        b->data[w++] = b->data[r];
    }
    b->size = w;
}

static int bytearray_setitem(TwObject *op, TwObject *key, TwObject *value)
{
    int rc = -1;
    if (tw_slice_check(key)) {
        intptr_t start, stop, step;
        char *buf = NULL;
        intptr_t n = 0;
        if (tw_slice_unpack(key, &start, &stop, &step) < 0)
            return -1;
        if (value != NULL && gather(value, &buf, &n) < 0)
            return -1;
        TW_BEGIN_CRITICAL_SECTION(op);
        TwByteArrayObject *b = BA(op);
        intptr_t len = tw_slice_adjust(b->size, &start, &stop, step);
        if (value == NULL) {
            if (step == 1)
                rc = splice(b, start, stop, NULL, 0);
            else {
                delete_stepped(b, start, step, len);
                rc = 0;
            }
        } else if (step == 1) {
            rc = splice(b, start, stop, buf, n);
        } else if (n != len) {
            tw_err_format(&tw_exc_ValueError,
                          "attempt to assign bytes of size %zd to extended slice of size %zd",
                          (size_t)n, (size_t)len);
        } else {
            for (intptr_t k = 0; k < n; k++)
                b->data[start + k * step] = buf[k];
            rc = 0;
        }
        TW_END_CRITICAL_SECTION();
        tw_mem_free(buf);
        return rc;
    }
    unsigned char c = 0;
    if (value != NULL && byte_value(value, &c) < 0)
        return -1;
    TW_BEGIN_CRITICAL_SECTION(op);
    TwByteArrayObject *b = BA(op);
    intptr_t i = item_index(key, b->size);
    if (i >= 0) {
        if (value != NULL) {
            b->data[i] = (char)c;
            rc = 0;
        } else {
            rc = splice(b, i, i + 1, NULL, 0);
        }
    }
    TW_END_CRITICAL_SECTION();
    return rc;
}

/* x in ba: an int byte value, or a bytes-like subsequence. */
static int bytearray_contains(TwObject *op, TwObject *x)
{
    char *needle = NULL;
    intptr_t n = 0;
    unsigned char c = 0;
    int kind = copy_bytes(x, &needle, &n);
    if (kind < 0)
        return -1;
    if (kind == 1) {
        if (byte_value(x, &c) < 0)
            return -1;
        needle = NULL;
        n = 1;
    }
    int found = 0;
    TW_BEGIN_CRITICAL_SECTION(op);
    TwByteArrayObject *b = BA(op);
    for (intptr_t i = 0; !found && i + n <= b->size; i++)
        found =
            needle ? memcmp(b->data + i, needle, (size_t)n) == 0 : (unsigned char)b->data[i] == c;
    TW_END_CRITICAL_SECTION();
    tw_mem_free(needle);
    return found;
}

/* Comparison with bytes and bytearray: bytewise, then by length. */
static TwObject *bytearray_richcompare(TwObject *a, TwObject *b, int op)
{
    char *x, *y;
    intptr_t nx, ny;
    int kind = copy_bytes(b, &y, &ny);
    if (kind < 0)
        return NULL;
    if (kind > 0)
        return tw_scalar_compare_unsupported(a, b, op);
    if (copy_bytes(a, &x, &nx) < 0) {
        tw_mem_free(y);
        return NULL;
    }
    intptr_t m = nx < ny ? nx : ny;
    int c = m > 0 ? memcmp(x, y, (size_t)m) : 0;
    if (c == 0)
        c = nx < ny ? -1 : nx > ny;
    tw_mem_free(x);
    tw_mem_free(y);
    int r = op == TW_LT   ? c < 0
            : op == TW_LE ? c <= 0
            : op == TW_EQ ? c == 0
            : op == TW_NE ? c != 0
            : op == TW_GT ? c > 0
                          : c >= 0;
    return tw_newref(tw_bool_from_long(r));
}

/* ba + other (bytes-like): a new bytearray. */
static TwObject *bytearray_add(TwObject *a, TwObject *b)
{
    char *x, *y;
    intptr_t nx, ny;
    if (!is_bytearray(a))
        return tw_newref(TW_NOTIMPLEMENTED);
    int kind = copy_bytes(b, &y, &ny);
    if (kind != 0) {
        if (kind < 0)
            return NULL;
        tw_err_format(&tw_exc_TypeError, "can't concat %s to bytearray", TW_TYPE(b)->tp_name);
        return NULL;
    }
    if (copy_bytes(a, &x, &nx) < 0) {
        tw_mem_free(y);
        return NULL;
    }
    TwObject *res = new_bytearray(NULL, nx + ny);
    if (res != NULL) {
        if (nx > 0)
            memcpy(BA(res)->data, x, (size_t)nx);
        if (ny > 0)
            memcpy(BA(res)->data + nx, y, (size_t)ny);
    }
    tw_mem_free(x);
    tw_mem_free(y);
    return res;
}

/* ba * n */
static TwObject *bytearray_mul(TwObject *a, TwObject *b)
{
    TwObject *seq = is_bytearray(a) ? a : b, *count = seq == a ? b : a;
    if (!tw_int_check(count))
        return tw_newref(TW_NOTIMPLEMENTED);
    int overflow = 0;
    int64_t n = tw_int_as_i64_overflow(count, &overflow);
    if (overflow < 0 || n < 0)
        n = 0;
    char *x;
    intptr_t nx;
    if (copy_bytes(seq, &x, &nx) < 0)
        return NULL;
    if (overflow > 0 || (nx > 0 && n > INTPTR_MAX / nx)) {
        tw_mem_free(x);
        return tw_err_no_memory();
    }
    TwObject *res = new_bytearray(NULL, nx * (intptr_t)n);
    for (int64_t k = 0; res != NULL && k < n; k++)
        memcpy(BA(res)->data + k * nx, x, (size_t)nx);
    tw_mem_free(x);
    return res;
}

/* ba % args: formatted as bytes % args, returned as a bytearray. */
static TwObject *bytearray_mod(TwObject *a, TwObject *b)
{
    if (!is_bytearray(a))
        return tw_newref(TW_NOTIMPLEMENTED);
    TwObject *fmt = snapshot_bytes(a);
    if (fmt == NULL)
        return NULL;
    TwObject *r = tw_bytes_percent_format(tw_bytes_data(fmt), (size_t)tw_bytes_size(fmt), b);
    tw_decref(fmt);
    if (r == NULL)
        return NULL;
    TwObject *ba = new_bytearray(tw_bytes_data(r), tw_bytes_size(r));
    tw_decref(r);
    return ba;
}

static const TwNumberMethods bytearray_as_number = {
    .nb_add = bytearray_add,
    .nb_multiply = bytearray_mul,
    .nb_remainder = bytearray_mod,
};

static TwObject *bytearray_iter(TwObject *op)
{
    return tw_seqiter_new(op);
}

/* ---- methods ------------------------------------------------------------------------ */

static TwObject *none(int rc)
{
    return rc < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *ba_append(TwObject *self, TwObject *arg)
{
    unsigned char c;
    if (byte_value(arg, &c) < 0)
        return NULL;
    int rc;
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    rc = splice(b, b->size, b->size, (const char *)&c, 1);
    TW_END_CRITICAL_SECTION();
    return none(rc);
}

static TwObject *ba_extend(TwObject *self, TwObject *arg)
{
    char *buf;
    intptr_t n;
    if (gather(arg, &buf, &n) < 0)
        return NULL;
    int rc;
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    rc = splice(b, b->size, b->size, buf, n);
    TW_END_CRITICAL_SECTION();
    tw_mem_free(buf);
    return none(rc);
}

static TwObject *ba_insert(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("insert", kwnames) < 0)
        return NULL;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "insert expected 2 arguments, got %zu", nargs);
        return NULL;
    }
    TwObject *i = tw_number_index(args[0]);
    unsigned char c;
    if (i == NULL || byte_value(args[1], &c) < 0) {
        tw_xdecref(i);
        return NULL;
    }
    int overflow = 0;
    int64_t at = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    int64_t pos = overflow > 0 ? b->size : overflow < 0 ? 0 : at;
    if (pos < 0)
        pos = pos + b->size < 0 ? 0 : pos + b->size;
    if (pos > b->size)
        pos = b->size;
    rc = splice(b, (intptr_t)pos, (intptr_t)pos, (const char *)&c, 1);
    TW_END_CRITICAL_SECTION();
    return none(rc);
}

static TwObject *ba_pop(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("pop", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "pop expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    int64_t at = -1;
    if (nargs == 1) {
        TwObject *i = tw_number_index(args[0]);
        if (i == NULL)
            return NULL;
        int overflow = 0;
        at = tw_int_as_i64_overflow(i, &overflow);
        tw_decref(i);
        if (overflow != 0)
            at = INT64_MAX;
    }
    TwObject *res = NULL;
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    if (b->size == 0) {
        tw_err_set_string(&tw_exc_IndexError, "pop from empty bytearray");
    } else {
        if (at < 0)
            at += b->size;
        if (at < 0 || at >= b->size) {
            tw_err_set_string(&tw_exc_IndexError, "pop index out of range");
        } else {
            res = tw_int_from_i64((unsigned char)b->data[at]);
            splice(b, (intptr_t)at, (intptr_t)at + 1, NULL, 0);
        }
    }
    TW_END_CRITICAL_SECTION();
    return res;
}

static TwObject *ba_remove(TwObject *self, TwObject *arg)
{
    unsigned char c;
    if (byte_value(arg, &c) < 0)
        return NULL;
    int found = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    for (intptr_t i = 0; i < b->size && !found; i++)
        if ((unsigned char)b->data[i] == c) {
            splice(b, i, i + 1, NULL, 0);
            found = 1;
        }
    TW_END_CRITICAL_SECTION();
    if (!found) {
        tw_err_set_string(&tw_exc_ValueError, "value not found in bytearray");
        return NULL;
    }
    return tw_newref(TW_NONE);
}

static TwObject *ba_clear(TwObject *self, TwObject *unused)
{
    TW_BEGIN_CRITICAL_SECTION(self);
    BA(self)->size = 0;
    TW_END_CRITICAL_SECTION();
    return tw_newref(TW_NONE);
}

static TwObject *ba_copy(TwObject *self, TwObject *unused)
{
    char *x;
    intptr_t n;
    if (copy_bytes(self, &x, &n) < 0)
        return NULL;
    TwObject *res = new_bytearray(x, n);
    tw_mem_free(x);
    return res;
}

static TwObject *ba_reverse(TwObject *self, TwObject *unused)
{
    TW_BEGIN_CRITICAL_SECTION(self);
    TwByteArrayObject *b = BA(self);
    for (intptr_t i = 0, j = b->size - 1; i < j; i++, j--) {
        char t = b->data[i];
        b->data[i] = b->data[j];
        b->data[j] = t;
    }
    TW_END_CRITICAL_SECTION();
    return tw_newref(TW_NONE);
}

/* decode(encoding='utf-8', errors='strict'): as bytes.decode. */
static TwObject *ba_decode(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *b = snapshot_bytes(self);
    if (b == NULL)
        return NULL;
    TwObject *meth = tw_object_getattr_cstr(b, "decode");
    TwObject *res = meth ? tw_object_vectorcall(meth, args, nargs, kwnames) : NULL;
    tw_xdecref(meth);
    tw_decref(b);
    return res;
}

static TwObject *ba_hex(TwObject *self, TwObject *unused)
{
    static const char digits[] = "0123456789abcdef";
    char *x;
    intptr_t n;
    if (copy_bytes(self, &x, &n) < 0)
        return NULL;
    char *out = tw_mem_malloc((size_t)n * 2 + 1);
    if (out == NULL) {
        tw_mem_free(x);
        return tw_err_no_memory();
    }
    for (intptr_t i = 0; i < n; i++) {
        out[2 * i] = digits[(unsigned char)x[i] >> 4];
        out[2 * i + 1] = digits[(unsigned char)x[i] & 15];
    }
    TwObject *res = tw_str_from_utf8(out, (size_t)n * 2);
    tw_mem_free(out);
    tw_mem_free(x);
    return res;
}

/* ---- bytes' read-only methods ------------------------------------------------------------ */

/* The result of a bytes method, in bytearray terms: bytes become bytearray,
 * and so do the bytes items of a list or tuple (split, partition); other
 * results (ints, bools, str) pass through.  Steals r. */
static TwObject *as_bytearray_result(TwObject *r)
{
    if (r == NULL)
        return NULL;
    if (tw_bytes_check(r)) {
        TwObject *ba = new_bytearray(tw_bytes_data(r), tw_bytes_size(r));
        tw_decref(r);
        return ba;
    }
    if (tw_list_check(r)) {
        for (intptr_t i = 0; i < tw_list_size(r); i++) {
            TwObject *item = tw_list_get_item(r, i);
            TwObject *ba = as_bytearray_result(item);
            if (ba == NULL || tw_list_set_item(r, i, ba) < 0) {
                tw_xdecref(ba);
                tw_decref(r);
                return NULL;
            }
            tw_decref(ba);
        }
        return r;
    }
    if (tw_tuple_check(r)) {
        TwObject *list = tw_sequence_list(r);
        tw_decref(r);
        list = as_bytearray_result(list);
        if (list == NULL)
            return NULL;
        TwObject *t = tw_list_as_tuple(list);
        tw_decref(list);
        return t;
    }
    return r;
}

/* Runs bytes' method `name` on a snapshot of self; the bytes method
 * accepts bytearray arguments itself. */
static TwObject *via_bytes(TwObject *self, const char *name, TwObject *const *args, size_t nargs,
                           TwObject *kwnames)
{
    TwObject *b = snapshot_bytes(self);
    if (b == NULL)
        return NULL;
    TwObject *meth = tw_object_getattr_cstr(b, name);
    TwObject *res = meth ? tw_object_vectorcall(meth, args, nargs, kwnames) : NULL;
    tw_xdecref(meth);
    tw_decref(b);
    return as_bytearray_result(res);
}

#define VIA_BYTES(fn, name)                                                                        \
    static TwObject *fn(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)    \
    {                                                                                              \
        return via_bytes(self, name, args, nargs, kwnames);                                        \
    }
VIA_BYTES(ba_join, "join")
VIA_BYTES(ba_split, "split")
VIA_BYTES(ba_rsplit, "rsplit")
VIA_BYTES(ba_strip, "strip")
VIA_BYTES(ba_lstrip, "lstrip")
VIA_BYTES(ba_rstrip, "rstrip")
VIA_BYTES(ba_replace, "replace")
VIA_BYTES(ba_find, "find")
VIA_BYTES(ba_rfind, "rfind")
VIA_BYTES(ba_index, "index")
VIA_BYTES(ba_rindex, "rindex")
VIA_BYTES(ba_count, "count")
VIA_BYTES(ba_partition, "partition")
VIA_BYTES(ba_rpartition, "rpartition")
VIA_BYTES(ba_removeprefix, "removeprefix")
VIA_BYTES(ba_removesuffix, "removesuffix")
VIA_BYTES(ba_startswith, "startswith")
VIA_BYTES(ba_endswith, "endswith")
VIA_BYTES(ba_ljust, "ljust")
VIA_BYTES(ba_rjust, "rjust")
VIA_BYTES(ba_center, "center")
VIA_BYTES(ba_zfill, "zfill")
VIA_BYTES(ba_upper, "upper")
VIA_BYTES(ba_lower, "lower")
VIA_BYTES(ba_isdigit, "isdigit")
VIA_BYTES(ba_isalpha, "isalpha")
VIA_BYTES(ba_isspace, "isspace")
VIA_BYTES(ba_isalnum, "isalnum")
VIA_BYTES(ba_isupper, "isupper")
VIA_BYTES(ba_islower, "islower")
#undef VIA_BYTES

/* bytearray.fromhex(string), a class method. */
static TwObject *ba_fromhex(TwObject *cls, TwObject *text)
{
    TwObject *meth = tw_object_getattr_cstr((TwObject *)&tw_bytes_type, "fromhex");
    TwObject *res = meth ? tw_object_vectorcall(meth, &text, 1, NULL) : NULL;
    tw_xdecref(meth);
    return as_bytearray_result(res);
}

#define FN(f) ((void (*)(void))(f))

static const TwMethodDef bytearray_methods[] = {
    {"append", FN(ba_append), TW_METH_O, "Append a single item to the end of the bytearray."},
    {"extend", FN(ba_extend), TW_METH_O, "Append all the items from the iterable."},
    {"insert", FN(ba_insert), TW_METH_FASTCALL, "Insert a single item before the index."},
    {"pop", FN(ba_pop), TW_METH_FASTCALL, "Remove and return a single item."},
    {"remove", FN(ba_remove), TW_METH_O, "Remove the first occurrence of a value."},
    {"clear", FN(ba_clear), TW_METH_NOARGS, "Remove all items."},
    {"copy", FN(ba_copy), TW_METH_NOARGS, "Return a copy."},
    {"reverse", FN(ba_reverse), TW_METH_NOARGS, "Reverse the order of the values in place."},
    {"decode", FN(ba_decode), TW_METH_FASTCALL, "Decode the bytes to a str."},
    {"hex", FN(ba_hex), TW_METH_NOARGS, "The hexadecimal digits of the bytes."},
    {"join", FN(ba_join), TW_METH_FASTCALL, NULL},
    {"split", FN(ba_split), TW_METH_FASTCALL, NULL},
    {"rsplit", FN(ba_rsplit), TW_METH_FASTCALL, NULL},
    {"strip", FN(ba_strip), TW_METH_FASTCALL, NULL},
    {"lstrip", FN(ba_lstrip), TW_METH_FASTCALL, NULL},
    {"rstrip", FN(ba_rstrip), TW_METH_FASTCALL, NULL},
    {"replace", FN(ba_replace), TW_METH_FASTCALL, NULL},
    {"find", FN(ba_find), TW_METH_FASTCALL, NULL},
    {"rfind", FN(ba_rfind), TW_METH_FASTCALL, NULL},
    {"index", FN(ba_index), TW_METH_FASTCALL, NULL},
    {"rindex", FN(ba_rindex), TW_METH_FASTCALL, NULL},
    {"count", FN(ba_count), TW_METH_FASTCALL, NULL},
    {"partition", FN(ba_partition), TW_METH_FASTCALL, NULL},
    {"rpartition", FN(ba_rpartition), TW_METH_FASTCALL, NULL},
    {"removeprefix", FN(ba_removeprefix), TW_METH_FASTCALL, NULL},
    {"removesuffix", FN(ba_removesuffix), TW_METH_FASTCALL, NULL},
    {"startswith", FN(ba_startswith), TW_METH_FASTCALL, NULL},
    {"endswith", FN(ba_endswith), TW_METH_FASTCALL, NULL},
    {"ljust", FN(ba_ljust), TW_METH_FASTCALL, NULL},
    {"rjust", FN(ba_rjust), TW_METH_FASTCALL, NULL},
    {"center", FN(ba_center), TW_METH_FASTCALL, NULL},
    {"zfill", FN(ba_zfill), TW_METH_FASTCALL, NULL},
    {"upper", FN(ba_upper), TW_METH_FASTCALL, NULL},
    {"lower", FN(ba_lower), TW_METH_FASTCALL, NULL},
    {"isdigit", FN(ba_isdigit), TW_METH_FASTCALL, NULL},
    {"isalpha", FN(ba_isalpha), TW_METH_FASTCALL, NULL},
    {"isspace", FN(ba_isspace), TW_METH_FASTCALL, NULL},
    {"isalnum", FN(ba_isalnum), TW_METH_FASTCALL, NULL},
    {"isupper", FN(ba_isupper), TW_METH_FASTCALL, NULL},
    {"islower", FN(ba_islower), TW_METH_FASTCALL, NULL},
    {"fromhex", FN(ba_fromhex), TW_METH_O | TW_METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

TwType tw_bytearray_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "bytearray",
    .tp_basicsize = sizeof(TwByteArrayObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = bytearray_dealloc,
    .tp_richcompare = bytearray_richcompare,
    .tp_repr = bytearray_repr,
    .tp_iter = bytearray_iter,
    .tp_as_number = &bytearray_as_number,
    .tp_len = bytearray_len,
    .tp_getitem = bytearray_getitem,
    .tp_setitem = bytearray_setitem,
    .tp_contains = bytearray_contains,
    .tp_new = bytearray_new,
    .tp_methods = bytearray_methods,
};
