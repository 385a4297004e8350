/* bytes' protocol slots and methods: + and * (number slots), len,
 * indexing (ints) and slicing, `in`, iteration, bytes(), and the method
 * table (decode, join, split, strip, replace, find, count, startswith,
 * endswith, hex, fromhex, upper, lower, ...).  Character classes are
 * ASCII only, as in Python's bytes. */
#include <stdio.h>
#include <string.h>
#include <twinpy/slice.h>

#include "core/scalar.h"

static inline const char *data_of(TwObject *b)
{
    return tw_bytes_data(b);
}

static inline size_t size_of(TwObject *b)
{
    return (size_t)tw_bytes_size(b);
}

static int is_space_byte(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* ---- decoding ------------------------------------------------------------------ */

/* The length of the valid UTF-8 sequence at p (bounded by end), or 0 with
 * *why naming the problem and *good the valid continuation bytes before
 * it, as the codec reports it. */
static int utf8_seq(const unsigned char *p, const unsigned char *end, const char **why, int *good)
{
    *good = 0;
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    int need;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *why = "invalid start byte";
        return 0;
    }
    for (int k = 1; k <= need; k++) {
        if (p + k >= end) {
            *why = "unexpected end of data";
            *good = k - 1;
            return 0;
        }
        unsigned cc = p[k];
        if (cc < (k == 1 ? lo : 0x80) || cc > (k == 1 ? hi : 0xBF)) {
            *why = "invalid continuation byte";
            *good = k - 1;
            return 0;
        }
    }
    return need + 1;
}

TwObject *tw_bytes_decode_data(const char *data, size_t n, const char *encoding,
                               const char *errors)
{
    const char *codec = tw_codec_name(encoding == NULL ? "utf-8" : encoding);
    if (codec == NULL) {
        tw_err_format(&tw_exc_LookupError, "unknown encoding: %s", encoding);
        return NULL;
    }
    if (errors == NULL)
        errors = "strict";
    int strict = strcmp(errors, "strict") == 0, replace = strcmp(errors, "replace") == 0;
    if (strcmp(codec, "utf-8") == 0 && strict)
        return tw_str_from_utf8(data, n);
    /* Latin-1 maps each byte to the code point of its value; ASCII and
     * lenient UTF-8 keep what is valid and handle the rest per errors. */
    char *buf = tw_mem_malloc(n * 3 + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)data, *end = p + n;
    int is_utf8 = strcmp(codec, "utf-8") == 0, is_latin1 = strcmp(codec, "latin-1") == 0;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            buf[o++] = (char)c;
            p++;
            continue;
        }
        if (is_latin1) {
            buf[o++] = (char)(0xC0 | (c >> 6));
            buf[o++] = (char)(0x80 | (c & 0x3F));
            p++;
            continue;
        }
        const char *why = "ordinal not in range(128)";
        int good = 0;
        int len = is_utf8 ? utf8_seq(p, end, &why, &good) : 0;
        if (len > 0) {
            memcpy(buf + o, p, (size_t)len);
            o += (size_t)len;
            p += len;
            continue;
        }
        size_t pos = (size_t)(p - (const unsigned char *)data);
        if (strict) {
            tw_mem_free(buf);
            tw_err_unicode_decode(codec, data, n, pos, pos + (size_t)good + 1, why);
            return NULL;
        }
        if (replace) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3); /* U+FFFD, once per invalid sequence */
            o += 3;
        }
        p += 1 + good;
    }
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

/* ---- number slots -------------------------------------------------------------------- */

static TwObject *bytes_add(TwObject *a, TwObject *b)
{
    if (!tw_bytes_check(a) || !tw_bytes_check(b)) {
        if (tw_bytes_check(a) && !(TW_TYPE(b)->tp_flags & TW_TPFLAGS_HEAPTYPE)) {
            tw_err_format(&tw_exc_TypeError, "can't concat %s to bytes", TW_TYPE(b)->tp_name);
            return NULL;
        }
        return tw_newref(TW_NOTIMPLEMENTED);
    }
    return tw_bytes_concat(a, b);
}

static TwObject *bytes_repeat(TwObject *a, TwObject *b)
{
    TwObject *s = tw_bytes_check(a) ? a : b, *n = s == a ? b : a;
    if (!tw_bytes_check(s) || !tw_int_check(n)) {
        if (tw_bytes_check(s) && s == a && !tw_int_check(n) &&
            !(TW_TYPE(n)->tp_flags & TW_TPFLAGS_HEAPTYPE)) {
            tw_err_format(&tw_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                          TW_TYPE(n)->tp_name);
            return NULL;
        }
        return tw_newref(TW_NOTIMPLEMENTED);
    }
    int overflow;
    int64_t count = tw_int_as_i64_overflow(n, &overflow);
    if (overflow != 0) {
        tw_err_set_string(&tw_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
        return NULL;
    }
    size_t len = size_of(s);
    if (count <= 0 || len == 0)
        return tw_bytes_from_data("", 0);
    if ((uint64_t)count > (uint64_t)INTPTR_MAX / len) {
        tw_err_set_string(&tw_exc_OverflowError, "repeated bytes are too long");
        return NULL;
    }
    size_t total = len * (size_t)count;
    char *buf = tw_mem_malloc(total + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    for (size_t o = 0; o < total; o += len)
        memcpy(buf + o, data_of(s), len);
    TwObject *r = tw_bytes_from_data(buf, total);
    tw_mem_free(buf);
    return r;
}

const TwNumberMethods tw_bytes_number_methods = {
    .nb_add = bytes_add,
    .nb_multiply = bytes_repeat,
};

/* ---- len, [], in, iteration ------------------------------------------------------------ */

intptr_t tw_bytes_len_slot(TwObject *b)
{
    return tw_bytes_size(b);
}

TwObject *tw_bytes_subscript(TwObject *b, TwObject *key)
{
    if (tw_int_check(key)) {
        int overflow;
        int64_t i = tw_int_as_i64_overflow(key, &overflow);
        if (!overflow && i < 0)
            i += tw_bytes_size(b);
        if (overflow || i < 0 || i >= tw_bytes_size(b)) {
            tw_err_set_string(&tw_exc_IndexError, "index out of range");
            return NULL;
        }
        return tw_int_from_i64((unsigned char)data_of(b)[i]);
    }
    if (tw_slice_check(key)) {
        intptr_t start, stop, step, n;
        if (tw_slice_indices(key, tw_bytes_size(b), &start, &stop, &step, &n) < 0)
            return NULL;
        if (n <= 0)
            return tw_bytes_from_data("", 0);
        if (step == 1)
            return tw_bytes_from_data(data_of(b) + start, (size_t)n);
        char *buf = tw_mem_malloc((size_t)n + 1);
        if (buf == NULL)
            return tw_err_no_memory();
        for (intptr_t k = 0, i = start; k < n; k++, i += step)
            buf[k] = data_of(b)[i];
        TwObject *r = tw_bytes_from_data(buf, (size_t)n);
        tw_mem_free(buf);
        return r;
    }
    tw_err_format(&tw_exc_TypeError, "byte indices must be integers or slices, not %s",
                  TW_TYPE(key)->tp_name);
    return NULL;
}

static intptr_t search(const char *hay, size_t hn, const char *needle, size_t nn, int reverse)
{
    if (nn > hn)
        return -1;
    if (nn == 0)
        return reverse ? (intptr_t)hn : 0;
    if (!reverse) {
        const char *p = memmem(hay, hn, needle, nn);
        return p == NULL ? -1 : p - hay;
    }
    for (size_t i = hn - nn + 1; i-- > 0;)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
            return (intptr_t)i;
    return -1;
}

/* The needle of a search: bytes, or an int 0..255 as one byte (kept in
 * *one).  0, or -1 with CPython's errors. */
static int needle_of(TwObject *x, const char **p, size_t *n, char *one)
{
    if (tw_bytes_check(x)) {
        *p = data_of(x);
        *n = size_of(x);
        return 0;
    }
    if (tw_int_check(x)) {
        int overflow;
        int64_t v = tw_int_as_i64_overflow(x, &overflow);
        if (overflow || v < 0 || v > 255) {
            tw_err_set_string(&tw_exc_ValueError, "byte must be in range(0, 256)");
            return -1;
        }
        *one = (char)v;
        *p = one;
        *n = 1;
        return 0;
    }
    tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                  TW_TYPE(x)->tp_name);
    return -1;
}

int tw_bytes_contains(TwObject *b, TwObject *x)
{
    const char *p;
    size_t n;
    char one;
    if (needle_of(x, &p, &n, &one) < 0)
        return -1;
    return search(data_of(b), size_of(b), p, n, 0) >= 0;
}

/* The iterator yields the byte values as ints; positions are taken with
 * an atomic fetch-add so threads sharing it never get one twice. */
typedef struct {
    TwObject ob_base;
    TwObject *bytes;      /* immutable */
    _Atomic intptr_t pos; /* atomic (relaxed) */
} BytesIter;

static void bytes_iter_dealloc(TwObject *op)
{
    tw_decref(((BytesIter *)op)->bytes);
    tw_object_free(op);
}

static TwObject *bytes_iter_self(TwObject *op)
{
    return tw_newref(op);
}

static TwObject *bytes_iter_next(TwObject *op)
{
    BytesIter *it = (BytesIter *)op;
    intptr_t len = tw_bytes_size(it->bytes);
    if (tw_atomic_load_relaxed(&it->pos) >= len)
        return NULL;
    intptr_t i = tw_atomic_add_relaxed(&it->pos, 1);
    if (i >= len)
        return NULL;
    return tw_int_from_i64((unsigned char)data_of(it->bytes)[i]);
}

static TwType bytes_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "bytes_iterator",
    .tp_basicsize = sizeof(BytesIter),
    .tp_base = &tw_object_type,
    .tp_dealloc = bytes_iter_dealloc,
    .tp_iter = bytes_iter_self,
    .tp_iternext = bytes_iter_next,
};

TwObject *tw_bytes_iter_new(TwObject *b)
{
    BytesIter *it = (BytesIter *)tw_object_new(&bytes_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->bytes = tw_newref(b);
    atomic_init(&it->pos, 0);
    return (TwObject *)it;
}

/* ---- bytes() ---------------------------------------------------------------------------- */

/* bytes(iterable of ints 0..255). */
static TwObject *bytes_from_iterable(TwObject *x)
{
    TwObject *seq = tw_tuple_check(x) ? tw_newref(x) : tw_sequence_tuple(x);
    if (seq == NULL)
        return NULL;
    intptr_t n = tw_tuple_size(seq);
    char *buf = tw_mem_malloc((size_t)n + 1);
    if (buf == NULL) {
        tw_decref(seq);
        return tw_err_no_memory();
    }
    for (intptr_t i = 0; i < n; i++) {
        TwObject *item = tw_tuple_get_item_borrowed(seq, i);
        if (!tw_int_check(item)) {
            tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          TW_TYPE(item)->tp_name);
            goto fail;
        }
        int overflow;
        int64_t v = tw_int_as_i64_overflow(item, &overflow);
        if (overflow || v < 0 || v > 255) {
            tw_err_set_string(&tw_exc_ValueError, "bytes must be in range(0, 256)");
            goto fail;
        }
        buf[i] = (char)v;
    }
    TwObject *r = tw_bytes_from_data(buf, (size_t)n);
    tw_mem_free(buf);
    tw_decref(seq);
    return r;
fail:
    tw_mem_free(buf);
    tw_decref(seq);
    return NULL;
}

TwObject *tw_bytes_new_slot(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"source", "encoding", "errors", NULL};
    TwObject *got[3];
    if (tw_scalar_parse_args("bytes", args, nargs, kwnames, names, 0, 3, 0, got) < 0)
        return NULL;
    TwObject *x = got[0], *r;
    if (got[1] != NULL || got[2] != NULL) {
        if (x == NULL || !tw_str_check(x)) {
            tw_err_set_string(&tw_exc_TypeError, x == NULL ? "encoding without a string argument"
                                                           : "encoding without a string argument");
            return NULL;
        }
        if ((got[1] != NULL && !tw_str_check(got[1])) || (got[2] != NULL && !tw_str_check(got[2]))) {
            tw_err_set_string(&tw_exc_TypeError, "bytes() argument 'encoding' must be str");
            return NULL;
        }
        r = tw_str_encode(x, got[1] ? tw_str_utf8(got[1]) : "utf-8",
                          got[2] ? tw_str_utf8(got[2]) : "strict");
    } else if (x == NULL) {
        r = tw_bytes_from_data("", 0);
    } else if (tw_bytes_check(x)) {
        r = TW_TYPE(x) == &tw_bytes_type ? tw_newref(x) : tw_bytes_from_data(data_of(x), size_of(x));
    } else if (tw_str_check(x)) {
        tw_err_set_string(&tw_exc_TypeError, "string argument without an encoding");
        return NULL;
    } else if (tw_int_check(x)) {
        int overflow;
        int64_t n = tw_int_as_i64_overflow(x, &overflow);
        if (overflow > 0)
            return tw_err_no_memory();
        if (overflow < 0 || n < 0) {
            tw_err_set_string(&tw_exc_ValueError, "negative count");
            return NULL;
        }
        char *buf = tw_mem_calloc((size_t)n + 1, 1);
        if (buf == NULL)
            return tw_err_no_memory();
        r = tw_bytes_from_data(buf, (size_t)n);
        tw_mem_free(buf);
    } else if (TW_TYPE(x)->tp_iter != NULL || tw_list_check(x)) {
        r = bytes_from_iterable(x);
    } else {
        tw_err_format(&tw_exc_TypeError, "cannot convert '%s' object to bytes",
                      TW_TYPE(x)->tp_name);
        return NULL;
    }
    if (r == NULL || type == &tw_bytes_type)
        return r;
    TwBytesObject *sub = (TwBytesObject *)tw_object_new(type, size_of(r) + 1);
    if (sub != NULL) {
        TW_SIZE(sub) = tw_bytes_size(r);
        tw_atomic_store_relaxed(&sub->hash, (tw_hash_t)-1);
        memcpy(sub->data, data_of(r), size_of(r) + 1);
    }
    tw_decref(r);
    return (TwObject *)sub;
}

/* ---- methods ------------------------------------------------------------------------------ */

static TwObject *m_decode(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"encoding", "errors", NULL};
    TwObject *got[2];
    if (tw_scalar_parse_args("decode", args, nargs, kwnames, names, 0, 2, 0, got) < 0)
        return NULL;
    for (int i = 0; i < 2; i++)
        if (got[i] != NULL && !tw_str_check(got[i])) {
            tw_err_format(&tw_exc_TypeError, "decode() argument '%s' must be str, not %s",
                          names[i], TW_TYPE(got[i])->tp_name);
            return NULL;
        }
    return tw_bytes_decode_data(data_of(self), size_of(self),
                                got[0] ? tw_str_utf8(got[0]) : "utf-8",
                                got[1] ? tw_str_utf8(got[1]) : "strict");
}

static TwObject *m_join(TwObject *self, TwObject *iterable)
{
    TwObject *seq = tw_tuple_check(iterable) ? tw_newref(iterable) : tw_sequence_tuple(iterable);
    if (seq == NULL)
        return NULL;
    intptr_t n = tw_tuple_size(seq);
    size_t total = 0;
    for (intptr_t i = 0; i < n; i++) {
        TwObject *item = tw_tuple_get_item_borrowed(seq, i);
        if (!tw_bytes_check(item)) {
            tw_err_format(&tw_exc_TypeError,
                          "sequence item %lld: expected a bytes-like object, %s found",
                          (long long)i, TW_TYPE(item)->tp_name);
            tw_decref(seq);
            return NULL;
        }
        total += size_of(item) + (i > 0 ? size_of(self) : 0);
    }
    char *buf = tw_mem_malloc(total + 1);
    if (buf == NULL) {
        tw_decref(seq);
        return tw_err_no_memory();
    }
    size_t o = 0;
    for (intptr_t i = 0; i < n; i++) {
        TwObject *item = tw_tuple_get_item_borrowed(seq, i);
        if (i > 0) {
            memcpy(buf + o, data_of(self), size_of(self));
            o += size_of(self);
        }
        memcpy(buf + o, data_of(item), size_of(item));
        o += size_of(item);
    }
    tw_decref(seq);
    TwObject *r = tw_bytes_from_data(buf, o);
    tw_mem_free(buf);
    return r;
}

static int append_piece(TwObject *list, const char *p, size_t n)
{
    TwObject *piece = tw_bytes_from_data(p, n);
    if (piece == NULL)
        return -1;
    int rc = tw_list_append(list, piece);
    tw_decref(piece);
    return rc;
}

/* split(sep=None, maxsplit=-1): with no sep, runs of ASCII whitespace. */
static TwObject *m_split(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"sep", "maxsplit", NULL};
    TwObject *got[2];
    if (tw_scalar_parse_args("split", args, nargs, kwnames, names, 0, 2, 0, got) < 0)
        return NULL;
    int64_t maxsplit = -1;
    if (got[1] != NULL) {
        maxsplit = tw_int_as_i64(got[1]);
        if (maxsplit == -1 && tw_err_occurred())
            return NULL;
    }
    if (maxsplit < 0)
        maxsplit = INT64_MAX;
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    const char *d = data_of(self);
    size_t n = size_of(self), pos = 0;
    if (got[0] == NULL || got[0] == TW_NONE) {
        while (pos < n) {
            while (pos < n && is_space_byte((unsigned char)d[pos]))
                pos++;
            if (pos >= n)
                break;
            size_t q = pos;
            if (maxsplit-- <= 0)
                q = n;
            else
                while (q < n && !is_space_byte((unsigned char)d[q]))
                    q++;
            if (append_piece(list, d + pos, q - pos) < 0)
                goto fail;
            pos = q;
        }
        return list;
    }
    if (!tw_bytes_check(got[0])) {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(got[0])->tp_name);
        goto fail;
    }
    size_t ns = size_of(got[0]);
    if (ns == 0) {
        tw_err_set_string(&tw_exc_ValueError, "empty separator");
        goto fail;
    }
    while (maxsplit-- > 0) {
        intptr_t f = search(d + pos, n - pos, data_of(got[0]), ns, 0);
        if (f < 0)
            break;
        if (append_piece(list, d + pos, (size_t)f) < 0)
            goto fail;
        pos += (size_t)f + ns;
    }
    if (append_piece(list, d + pos, n - pos) < 0)
        goto fail;
    return list;
fail:
    tw_decref(list);
    return NULL;
}

static TwObject *strip_impl(TwObject *self, TwObject *const *args, size_t nargs, int left,
                            int right)
{
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "strip expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    TwObject *chars = nargs == 1 && args[0] != TW_NONE ? args[0] : NULL;
    if (chars != NULL && !tw_bytes_check(chars)) {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(chars)->tp_name);
        return NULL;
    }
    const char *d = data_of(self);
    size_t a = 0, b = size_of(self);
#define STRIPPED(c)                                                                                \
    (chars == NULL ? is_space_byte((unsigned char)(c))                                             \
                   : memchr(data_of(chars), (c), size_of(chars)) != NULL)
    if (left)
        while (a < b && STRIPPED(d[a]))
            a++;
    if (right)
        while (b > a && STRIPPED(d[b - 1]))
            b--;
#undef STRIPPED
    return tw_bytes_from_data(d + a, b - a);
}

static TwObject *m_strip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, 1, 1);
}

static TwObject *m_lstrip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, 1, 0);
}

static TwObject *m_rstrip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, 0, 1);
}

static TwObject *m_replace(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs < 2 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "replace expected %s, got %zu",
                      nargs < 2 ? "at least 2 arguments" : "at most 3 arguments", nargs);
        return NULL;
    }
    for (int i = 0; i < 2; i++)
        if (!tw_bytes_check(args[i])) {
            tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                          TW_TYPE(args[i])->tp_name);
            return NULL;
        }
    int64_t count = -1;
    if (nargs == 3) {
        count = tw_int_as_i64(args[2]);
        if (count == -1 && tw_err_occurred())
            return NULL;
    }
    if (count < 0)
        count = INT64_MAX;
    const char *d = data_of(self), *old = data_of(args[0]), *new_ = data_of(args[1]);
    size_t n = size_of(self), no = size_of(args[0]), nn = size_of(args[1]);
    /* Upper bound of the result: every position replaced. */
    size_t matches = no == 0 ? n + 1 : n / no;
    if ((uint64_t)matches > (uint64_t)count)
        matches = (size_t)count;
    size_t cap = n + matches * nn + 1;
    char *buf = tw_mem_malloc(cap);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0, pos = 0;
    if (no == 0) {
        while (pos <= n) {
            if (count-- > 0) {
                memcpy(buf + o, new_, nn);
                o += nn;
            } else {
                memcpy(buf + o, d + pos, n - pos);
                o += n - pos;
                break;
            }
            if (pos == n)
                break;
            buf[o++] = d[pos++];
        }
    } else {
        while (count-- > 0) {
            intptr_t f = search(d + pos, n - pos, old, no, 0);
            if (f < 0)
                break;
            memcpy(buf + o, d + pos, (size_t)f);
            o += (size_t)f;
            memcpy(buf + o, new_, nn);
            o += nn;
            pos += (size_t)f + no;
        }
        memcpy(buf + o, d + pos, n - pos);
        o += n - pos;
    }
    TwObject *r = tw_bytes_from_data(buf, o);
    tw_mem_free(buf);
    return r;
}

/* The sub and [start, end) range of find/count. */
static int find_args(TwObject *self, TwObject *const *args, size_t nargs, const char *fname,
                     const char **p, size_t *np, char *one, size_t *a, size_t *b)
{
    if (nargs < 1 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 3 arguments", nargs);
        return -1;
    }
    if (needle_of(args[0], p, np, one) < 0)
        return -1;
    intptr_t len = tw_bytes_size(self), start = 0, end = len;
    for (size_t i = 1; i < nargs; i++) {
        if (args[i] == TW_NONE)
            continue;
        if (!tw_int_check(args[i])) {
            tw_err_set_string(&tw_exc_TypeError,
                              "slice indices must be integers or None or have an __index__ method");
            return -1;
        }
        int overflow;
        int64_t v = tw_int_as_i64_overflow(args[i], &overflow);
        if (overflow)
            v = overflow > 0 ? len : -len - 1;
        if (v < 0) {
            v += len;
            if (v < 0)
                v = 0;
        }
        if (v > len)
            v = len;
        if (i == 1)
            start = (intptr_t)v;
        else
            end = (intptr_t)v;
    }
    if (end < start)
        return 1;
    *a = (size_t)start;
    *b = (size_t)end;
    return 0;
}

static TwObject *find_impl(TwObject *self, TwObject *const *args, size_t nargs, const char *fname,
                           int reverse, int raise)
{
    const char *p;
    size_t np, a, b;
    char one;
    int rc = find_args(self, args, nargs, fname, &p, &np, &one, &a, &b);
    if (rc < 0)
        return NULL;
    intptr_t f = rc > 0 ? -1 : search(data_of(self) + a, b - a, p, np, reverse);
    if (f < 0 && raise) {
        tw_err_set_string(&tw_exc_ValueError, "subsection not found");
        return NULL;
    }
    return tw_int_from_i64(f < 0 ? -1 : (int64_t)(a + (size_t)f));
}

static TwObject *m_find(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return find_impl(self, args, nargs, "find", 0, 0);
}

static TwObject *m_rfind(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return find_impl(self, args, nargs, "rfind", 1, 0);
}

static TwObject *m_index(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return find_impl(self, args, nargs, "index", 0, 1);
}

static TwObject *m_count(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    const char *p;
    size_t np, a, b;
    char one;
    int rc = find_args(self, args, nargs, "count", &p, &np, &one, &a, &b);
    if (rc < 0)
        return NULL;
    if (rc > 0)
        return tw_int_from_i64(0);
    if (np == 0)
        return tw_int_from_i64((int64_t)(b - a + 1));
    int64_t c = 0;
    for (size_t pos = a;;) {
        intptr_t f = search(data_of(self) + pos, b - pos, p, np, 0);
        if (f < 0)
            break;
        c++;
        pos += (size_t)f + np;
    }
    return tw_int_from_i64(c);
}

static TwObject *affix_impl(TwObject *self, TwObject *const *args, size_t nargs, int end_side,
                            const char *fname)
{
    if (nargs < 1 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 3 arguments", nargs);
        return NULL;
    }
    TwObject *arg = args[0];
    int is_tuple = tw_tuple_check(arg);
    if (!is_tuple && !tw_bytes_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s",
                      fname, TW_TYPE(arg)->tp_name);
        return NULL;
    }
    TwObject *rest[3] = {TW_NONE, nargs > 1 ? args[1] : TW_NONE, nargs > 2 ? args[2] : TW_NONE};
    const char *dummy;
    size_t nd, a, b;
    char one;
    TwObject *probe = tw_bytes_from_data("", 0);
    if (probe == NULL)
        return NULL;
    rest[0] = probe;
    int rc = find_args(self, rest, nargs < 1 ? 1 : nargs, fname, &dummy, &nd, &one, &a, &b);
    tw_decref(probe);
    if (rc < 0)
        return NULL;
    if (rc > 0)
        return TW_FALSE;
    intptr_t n = is_tuple ? tw_tuple_size(arg) : 1;
    for (intptr_t i = 0; i < n; i++) {
        TwObject *p = is_tuple ? tw_tuple_get_item_borrowed(arg, i) : arg;
        if (!tw_bytes_check(p)) {
            tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                          TW_TYPE(p)->tp_name);
            return NULL;
        }
        size_t np = size_of(p);
        if (np <= b - a && memcmp(data_of(self) + (end_side ? b - np : a), data_of(p), np) == 0)
            return TW_TRUE;
    }
    return TW_FALSE;
}

static TwObject *m_startswith(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    return affix_impl(self, args, nargs, 0, "startswith");
}

static TwObject *m_endswith(TwObject *self, TwObject *const *args, size_t nargs,
                            TwObject *kwnames)
{
    return affix_impl(self, args, nargs, 1, "endswith");
}

static TwObject *m_hex(TwObject *self, TwObject *unused)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = size_of(self);
    char *buf = tw_mem_malloc(2 * n + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data_of(self)[i];
        buf[2 * i] = digits[c >> 4];
        buf[2 * i + 1] = digits[c & 15];
    }
    TwObject *r = tw_str_from_utf8(buf, 2 * n);
    tw_mem_free(buf);
    return r;
}

/* bytes.fromhex(text): pairs of hex digits, ASCII whitespace between pairs. */
static TwObject *m_fromhex(TwObject *cls, TwObject *text)
{
    if (!tw_str_check(text)) {
        tw_err_format(&tw_exc_TypeError, "fromhex() argument must be str, not %s",
                      TW_TYPE(text)->tp_name);
        return NULL;
    }
    const char *s = tw_str_utf8(text);
    size_t n = (size_t)tw_str_byte_size(text), o = 0;
    char *buf = tw_mem_malloc(n / 2 + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    for (size_t i = 0; i < n;) {
        if (is_space_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        int hi = -1, lo = -1;
        char c = s[i];
        hi = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (hi >= 0 && i + 1 < n) {
            c = s[i + 1];
            lo = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        }
        if (hi < 0 || lo < 0) {
            tw_mem_free(buf);
            tw_err_format(&tw_exc_ValueError,
                          "non-hexadecimal number found in fromhex() arg at position %zu",
                          hi < 0 ? i : i + 1);
            return NULL;
        }
        buf[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    TwObject *r = tw_bytes_from_data(buf, o);
    tw_mem_free(buf);
    return r;
}

/* upper/lower map ASCII letters only. */
static TwObject *map_ascii(TwObject *self, int upper)
{
    size_t n = size_of(self);
    char *buf = tw_mem_malloc(n + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    for (size_t i = 0; i < n; i++) {
        char c = data_of(self)[i];
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        buf[i] = c;
    }
    TwObject *r = tw_bytes_from_data(buf, n);
    tw_mem_free(buf);
    return r;
}

static TwObject *m_upper(TwObject *self, TwObject *unused)
{
    return map_ascii(self, 1);
}

static TwObject *m_lower(TwObject *self, TwObject *unused)
{
    return map_ascii(self, 0);
}

enum { B_DIGIT, B_ALPHA, B_SPACE, B_ALNUM };

static TwObject *all_bytes(TwObject *self, int pred)
{
    size_t n = size_of(self);
    if (n == 0)
        return TW_FALSE;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data_of(self)[i];
        int digit = c >= '0' && c <= '9', alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        int ok = pred == B_DIGIT ? digit : pred == B_ALPHA ? alpha
                                       : pred == B_SPACE ? is_space_byte(c)
                                                         : digit || alpha;
        if (!ok)
            return TW_FALSE;
    }
    return TW_TRUE;
}

static TwObject *m_isdigit(TwObject *self, TwObject *unused)
{
    return all_bytes(self, B_DIGIT);
}

static TwObject *m_isalpha(TwObject *self, TwObject *unused)
{
    return all_bytes(self, B_ALPHA);
}

static TwObject *m_isspace(TwObject *self, TwObject *unused)
{
    return all_bytes(self, B_SPACE);
}

static TwObject *m_isalnum(TwObject *self, TwObject *unused)
{
    return all_bytes(self, B_ALNUM);
}

#define FAST(f) ((void (*)(void))(f)), TW_METH_FASTCALL
#define NOARGS(f) ((void (*)(void))(f)), TW_METH_NOARGS
#define ONE(f) ((void (*)(void))(f)), TW_METH_O

const TwMethodDef tw_bytes_methods[] = {
    {"decode", FAST(m_decode), NULL},
    {"join", ONE(m_join), NULL},
    {"split", FAST(m_split), NULL},
    {"strip", FAST(m_strip), NULL},
    {"lstrip", FAST(m_lstrip), NULL},
    {"rstrip", FAST(m_rstrip), NULL},
    {"replace", FAST(m_replace), NULL},
    {"find", FAST(m_find), NULL},
    {"rfind", FAST(m_rfind), NULL},
    {"index", FAST(m_index), NULL},
    {"count", FAST(m_count), NULL},
    {"startswith", FAST(m_startswith), NULL},
    {"endswith", FAST(m_endswith), NULL},
    {"hex", NOARGS(m_hex), NULL},
    {"fromhex", (void (*)(void))m_fromhex, TW_METH_O | TW_METH_CLASS, NULL},
    {"upper", NOARGS(m_upper), NULL},
    {"lower", NOARGS(m_lower), NULL},
    {"isdigit", NOARGS(m_isdigit), NULL},
    {"isalpha", NOARGS(m_isalpha), NULL},
    {"isspace", NOARGS(m_isspace), NULL},
    {"isalnum", NOARGS(m_isalnum), NULL},
    {NULL, NULL, 0, NULL},
};
