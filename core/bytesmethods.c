/* bytes' protocol slots and methods: + and * (number slots), len,
 * indexing (ints) and slicing, `in`, iteration, bytes(), and the method
 * table (decode, join, split, strip, replace, find, count, startswith,
 * endswith, hex, fromhex, upper, lower, ...).  Character classes are
 * ASCII only, as in Python's bytes. */
#include <stdio.h>
#include <string.h>
#include <twinpy/slice.h>

#include "core/builtins.h"
#include "core/format.h"
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

/* x as bytes when it is bytes-like (bytes or bytearray): a new reference.
 * NULL when it is neither (no exception) or on error (exception set). */
static TwObject *bytes_like(TwObject *x)
{
    if (tw_bytes_check(x))
        return tw_newref(x);
    if (tw_bytearray_check(x))
        return tw_bytearray_to_bytes(x);
    return NULL;
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

/* bytes % args (PEP 461) */
static TwObject *bytes_mod(TwObject *a, TwObject *b)
{
    if (!tw_bytes_check(a))
        return tw_newref(TW_NOTIMPLEMENTED);
    return tw_bytes_percent_format(data_of(a), size_of(a), b);
}

const TwNumberMethods tw_bytes_number_methods = {
    .nb_add = bytes_add,
    .nb_multiply = bytes_repeat,
    .nb_remainder = bytes_mod,
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
    if (tw_bytearray_check(x)) {
        TwObject *copy = tw_bytearray_to_bytes(x);
        if (copy == NULL)
            return -1;
        int found = search(data_of(b), size_of(b), data_of(copy), size_of(copy), 0) >= 0;
        tw_decref(copy);
        return found;
    }
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
    /* A private list first, so bytearray items can be swapped for bytes copies. */
    TwObject *list = tw_sequence_list(iterable);
    if (list == NULL)
        return NULL;
    for (intptr_t i = 0; i < tw_list_size(list); i++) {
        TwObject *item = tw_list_get_item(list, i);
        if (item == NULL || !tw_bytearray_check(item)) {
            tw_xdecref(item);
            continue;
        }
        TwObject *copy = tw_bytearray_to_bytes(item);
        tw_decref(item);
        if (copy == NULL || tw_list_set_item(list, i, copy) < 0) {
            tw_xdecref(copy);
            tw_decref(list);
            return NULL;
        }
        tw_decref(copy);
    }
    TwObject *seq = tw_list_as_tuple(list);
    tw_decref(list);
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
    if (!is_tuple && !tw_bytes_check(arg) && !tw_bytearray_check(arg)) {
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
        TwObject *item = is_tuple ? tw_tuple_get_item_borrowed(arg, i) : arg;
        TwObject *p = bytes_like(item);
        if (p == NULL) {
            if (!tw_err_occurred())
                tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                              TW_TYPE(item)->tp_name);
            return NULL;
        }
        size_t np = size_of(p);
        int hit = np <= b - a &&
                  memcmp(data_of(self) + (end_side ? b - np : a), data_of(p), np) == 0;
        tw_decref(p);
        if (hit)
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

/* ---- padding, rsplit, partition, more searches ------------------------------------------- */

/* The width argument of ljust/rjust/center/zfill. */
static int width_arg(TwObject *w, intptr_t *out)
{
    TwObject *i = tw_number_index(w);
    if (i == NULL)
        return -1;
    int overflow;
    int64_t v = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    *out = (intptr_t)v;
    return 0;
}

/* self padded to `width` with `left` fill bytes before and the rest after. */
static TwObject *padded(TwObject *self, size_t width, size_t left, char fill)
{
    size_t n = size_of(self);
    if (width >= (size_t)INTPTR_MAX)
        return tw_err_no_memory();
    char *buf = tw_mem_malloc(width + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    memset(buf, fill, width);
    memcpy(buf + left, data_of(self), n);
    TwObject *r = tw_bytes_from_data(buf, width);
    tw_mem_free(buf);
    return r;
}

/* ljust/rjust/center(width, fillbyte=b' '): side 0 left-justifies, 1
 * right-justifies, 2 centres (the odd byte goes left when width is odd,
 * as in CPython). */
static TwObject *justify(TwObject *self, TwObject *const *args, size_t nargs, const char *fname,
                         int side)
{
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    intptr_t width;
    if (width_arg(args[0], &width) < 0)
        return NULL;
    char fill = ' ';
    if (nargs == 2) {
        TwObject *f = bytes_like(args[1]);
        if (f == NULL || size_of(f) != 1) {
            tw_xdecref(f);
            if (!tw_err_occurred())
                tw_err_format(&tw_exc_TypeError,
                              "%s() argument 2 must be a byte string of length 1, not %s", fname,
                              TW_TYPE(args[1])->tp_name);
            return NULL;
        }
        fill = data_of(f)[0];
        tw_decref(f);
    }
    size_t n = size_of(self);
    if (width <= (intptr_t)n)
        return tw_bytes_from_data(data_of(self), n);
    size_t marg = (size_t)width - n;
    size_t left = side == 0 ? 0 : side == 1 ? marg : marg / 2 + (marg & (size_t)width & 1);
    return padded(self, (size_t)width, left, fill);
}

static TwObject *m_ljust(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return justify(self, args, nargs, "ljust", 0);
}

static TwObject *m_rjust(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return justify(self, args, nargs, "rjust", 1);
}

static TwObject *m_center(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return justify(self, args, nargs, "center", 2);
}

/* zfill(width): zeros on the left, after a leading sign byte. */
static TwObject *m_zfill(TwObject *self, TwObject *arg)
{
    intptr_t width;
    if (width_arg(arg, &width) < 0)
        return NULL;
    size_t n = size_of(self);
    if (width <= (intptr_t)n)
        return tw_bytes_from_data(data_of(self), n);
    TwObject *r = padded(self, (size_t)width, (size_t)width - n, '0');
    if (r != NULL && n > 0 && (data_of(self)[0] == '+' || data_of(self)[0] == '-')) {
        char *d = ((TwBytesObject *)r)->data; /* not yet shared */
        d[(size_t)width - n] = '0';
        d[0] = data_of(self)[0];
    }
    return r;
}

/* rsplit(sep=None, maxsplit=-1): split's pieces, counted from the right. */
static TwObject *m_rsplit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"sep", "maxsplit", NULL};
    TwObject *got[2];
    if (tw_scalar_parse_args("rsplit", args, nargs, kwnames, names, 0, 2, 0, got) < 0)
        return NULL;
    int64_t maxsplit = -1;
    if (got[1] != NULL) {
        maxsplit = tw_int_as_i64(got[1]);
        if (maxsplit == -1 && tw_err_occurred())
            return NULL;
    }
    if (maxsplit < 0)
        maxsplit = INT64_MAX;
    TwObject *sep = got[0];
    if (sep != NULL && sep != TW_NONE) {
        if (!tw_bytes_check(sep)) {
            tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                          TW_TYPE(sep)->tp_name);
            return NULL;
        }
        if (size_of(sep) == 0) {
            tw_err_set_string(&tw_exc_ValueError, "empty separator");
            return NULL;
        }
    }
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    const char *d = data_of(self);
    size_t end = size_of(self);
    if (sep == NULL || sep == TW_NONE) {
        while (end > 0) {
            while (end > 0 && is_space_byte((unsigned char)d[end - 1]))
                end--;
            if (end == 0)
                break;
            size_t q = end;
            if (maxsplit-- <= 0)
                q = 0;
            else
                while (q > 0 && !is_space_byte((unsigned char)d[q - 1]))
                    q--;
            TwObject *piece = tw_bytes_from_data(d + q, end - q);
            if (piece == NULL)
                goto fail;
            int rc = tw_list_insert(list, 0, piece);
            tw_decref(piece);
            if (rc < 0)
                goto fail;
            end = q;
        }
        return list;
    }
    size_t ns = size_of(sep);
    for (;;) {
        intptr_t f = maxsplit-- > 0 ? search(d, end, data_of(sep), ns, 1) : -1;
        size_t start = f < 0 ? 0 : (size_t)f + ns;
        TwObject *piece = tw_bytes_from_data(d + start, end - start);
        if (piece == NULL)
            goto fail;
        int rc = tw_list_insert(list, 0, piece);
        tw_decref(piece);
        if (rc < 0)
            goto fail;
        if (f < 0)
            break;
        end = (size_t)f;
    }
    return list;
fail:
    tw_decref(list);
    return NULL;
}

/* partition(sep) / rpartition(sep): (head, sep, tail) around the first
 * (last) occurrence, with the separator object as given; when absent,
 * self and two empty bytes (self first for partition, last for
 * rpartition).  sep is sep_arg's bytes. */
static TwObject *partition_found(TwObject *self, TwObject *sep, TwObject *sep_arg, int reverse)
{
    size_t n = size_of(self), ns = size_of(sep);
    if (ns == 0) {
        tw_err_set_string(&tw_exc_ValueError, "empty separator");
        return NULL;
    }
    intptr_t f = search(data_of(self), n, data_of(sep), ns, reverse);
    TwObject *parts[3];
    if (f < 0) {
        parts[0] = reverse ? tw_bytes_from_data("", 0) : tw_bytes_from_data(data_of(self), n);
        parts[1] = tw_bytes_from_data("", 0);
        parts[2] = reverse ? tw_bytes_from_data(data_of(self), n) : tw_bytes_from_data("", 0);
    } else {
        parts[0] = tw_bytes_from_data(data_of(self), (size_t)f);
        parts[1] = tw_newref(sep_arg);
        parts[2] = tw_bytes_from_data(data_of(self) + f + ns, n - (size_t)f - ns);
    }
    TwObject *r = NULL;
    if (parts[0] != NULL && parts[1] != NULL && parts[2] != NULL)
        r = tw_tuple_pack(3, parts[0], parts[1], parts[2]);
    for (int i = 0; i < 3; i++)
        tw_xdecref(parts[i]);
    return r;
}

static TwObject *partition_impl(TwObject *self, TwObject *sep_arg, int reverse)
{
    TwObject *sep = bytes_like(sep_arg);
    if (sep == NULL) {
        if (!tw_err_occurred())
            tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                          TW_TYPE(sep_arg)->tp_name);
        return NULL;
    }
    TwObject *r = partition_found(self, sep, sep_arg, reverse);
    tw_decref(sep);
    return r;
}

static TwObject *m_partition(TwObject *self, TwObject *const *args, size_t nargs,
                             TwObject *kwnames)
{
    if (nargs != 1 || (kwnames != NULL && tw_tuple_size(kwnames) > 0)) {
        tw_err_format(&tw_exc_TypeError, "bytes.partition() takes exactly one argument (%zu given)",
                      nargs);
        return NULL;
    }
    return partition_impl(self, args[0], 0);
}

static TwObject *m_rpartition(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    if (nargs != 1 || (kwnames != NULL && tw_tuple_size(kwnames) > 0)) {
        tw_err_format(&tw_exc_TypeError,
                      "bytes.rpartition() takes exactly one argument (%zu given)", nargs);
        return NULL;
    }
    return partition_impl(self, args[0], 1);
}

static TwObject *m_rindex(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return find_impl(self, args, nargs, "rindex", 1, 1);
}

/* removeprefix(prefix) / removesuffix(suffix) */
static TwObject *remove_affix(TwObject *self, TwObject *affix, int end_side)
{
    if (!tw_bytes_check(affix)) {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(affix)->tp_name);
        return NULL;
    }
    size_t n = size_of(self), na = size_of(affix);
    const char *d = data_of(self);
    if (na <= n && memcmp(end_side ? d + n - na : d, data_of(affix), na) == 0)
        return tw_bytes_from_data(end_side ? d : d + na, n - na);
    return tw_bytes_from_data(d, n);
}

static TwObject *m_removeprefix(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    if (nargs != 1 || (kwnames != NULL && tw_tuple_size(kwnames) > 0)) {
        tw_err_format(&tw_exc_TypeError,
                      "bytes.removeprefix() takes exactly one argument (%zu given)", nargs);
        return NULL;
    }
    return remove_affix(self, args[0], 0);
}

static TwObject *m_removesuffix(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    if (nargs != 1 || (kwnames != NULL && tw_tuple_size(kwnames) > 0)) {
        tw_err_format(&tw_exc_TypeError,
                      "bytes.removesuffix() takes exactly one argument (%zu given)", nargs);
        return NULL;
    }
    return remove_affix(self, args[0], 1);
}

/* isupper / islower: at least one cased byte, and none of the other case. */
static TwObject *cased(TwObject *self, int upper)
{
    int seen = 0;
    const unsigned char *d = (const unsigned char *)data_of(self);
    for (size_t i = 0, n = size_of(self); i < n; i++) {
        int is_up = d[i] >= 'A' && d[i] <= 'Z', is_lo = d[i] >= 'a' && d[i] <= 'z';
        if (upper ? is_lo : is_up)
            return TW_FALSE;
        seen |= upper ? is_up : is_lo;
    }
    return seen ? TW_TRUE : TW_FALSE;
}

static TwObject *m_isupper(TwObject *self, TwObject *unused)
{
    return cased(self, 1);
}

static TwObject *m_islower(TwObject *self, TwObject *unused)
{
    return cased(self, 0);
}

/* ---- bytearray arguments ------------------------------------------------------------------- */

typedef TwObject *(*FastMethod)(TwObject *, TwObject *const *, size_t, TwObject *);

/* Calls f with each bytearray among the arguments replaced by a bytes copy
 * of it, so the methods above need only read bytes. */
static TwObject *with_bytes_args(FastMethod f, TwObject *self, TwObject *const *args,
                                 size_t nargs, TwObject *kwnames)
{
    size_t total = nargs + (kwnames != NULL ? (size_t)tw_tuple_size(kwnames) : 0);
    TwObject *conv[8];
    int any = 0;
    if (total > 8)
        return f(self, args, nargs, kwnames); /* too many: f reports it */
    for (size_t i = 0; i < total; i++) {
        if (tw_bytearray_check(args[i])) {
            conv[i] = tw_bytearray_to_bytes(args[i]);
            if (conv[i] == NULL) {
                while (i-- > 0)
                    tw_decref(conv[i]);
                return NULL;
            }
            any = 1;
        } else {
            conv[i] = tw_newref(args[i]);
        }
    }
    TwObject *r = f(self, any ? conv : args, nargs, kwnames);
    for (size_t i = 0; i < total; i++)
        tw_decref(conv[i]);
    return r;
}

#define BYTES_ARGS(name, impl)                                                                     \
    static TwObject *name(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)  \
    {                                                                                              \
        return with_bytes_args(impl, self, args, nargs, kwnames);                                  \
    }
BYTES_ARGS(w_split, m_split)
BYTES_ARGS(w_rsplit, m_rsplit)
BYTES_ARGS(w_strip, m_strip)
BYTES_ARGS(w_lstrip, m_lstrip)
BYTES_ARGS(w_rstrip, m_rstrip)
BYTES_ARGS(w_replace, m_replace)
BYTES_ARGS(w_find, m_find)
BYTES_ARGS(w_rfind, m_rfind)
BYTES_ARGS(w_index, m_index)
BYTES_ARGS(w_rindex, m_rindex)
BYTES_ARGS(w_count, m_count)
BYTES_ARGS(w_removeprefix, m_removeprefix)
BYTES_ARGS(w_removesuffix, m_removesuffix)
#undef BYTES_ARGS

#define FAST(f) ((void (*)(void))(f)), TW_METH_FASTCALL
#define NOARGS(f) ((void (*)(void))(f)), TW_METH_NOARGS
#define ONE(f) ((void (*)(void))(f)), TW_METH_O

const TwMethodDef tw_bytes_methods[] = {
    {"decode", FAST(m_decode), NULL},
    {"join", ONE(m_join), NULL},
    {"split", FAST(w_split), NULL},
    {"rsplit", FAST(w_rsplit), NULL},
    {"strip", FAST(w_strip), NULL},
    {"lstrip", FAST(w_lstrip), NULL},
    {"rstrip", FAST(w_rstrip), NULL},
    {"replace", FAST(w_replace), NULL},
    {"find", FAST(w_find), NULL},
    {"rfind", FAST(w_rfind), NULL},
    {"index", FAST(w_index), NULL},
    {"rindex", FAST(w_rindex), NULL},
    {"count", FAST(w_count), NULL},
    {"partition", FAST(m_partition), NULL},
    {"rpartition", FAST(m_rpartition), NULL},
    {"removeprefix", FAST(w_removeprefix), NULL},
    {"removesuffix", FAST(w_removesuffix), NULL},
    {"startswith", FAST(m_startswith), NULL},
    {"endswith", FAST(m_endswith), NULL},
    {"ljust", FAST(m_ljust), NULL},
    {"rjust", FAST(m_rjust), NULL},
    {"center", FAST(m_center), NULL},
    {"zfill", ONE(m_zfill), NULL},
    {"hex", NOARGS(m_hex), NULL},
    {"fromhex", (void (*)(void))m_fromhex, TW_METH_O | TW_METH_CLASS, NULL},
    {"upper", NOARGS(m_upper), NULL},
    {"lower", NOARGS(m_lower), NULL},
    {"isdigit", NOARGS(m_isdigit), NULL},
    {"isalpha", NOARGS(m_isalpha), NULL},
    {"isspace", NOARGS(m_isspace), NULL},
    {"isalnum", NOARGS(m_isalnum), NULL},
    {"isupper", NOARGS(m_isupper), NULL},
    {"islower", NOARGS(m_islower), NULL},
    {NULL, NULL, 0, NULL},
};
