/* bytes: an immutable byte string, NUL-terminated for C callers.  The
 * protocol slots and methods live in core/bytesmethods.c.
 *
 * The hash is cached like str's: computed on first use and stored with a
 * relaxed atomic store; racing threads store the same value. */
#include <string.h>

#include "core/builtins.h"
#include "core/scalar.h"

static TwObject *bytes_repr(TwObject *op);
static tw_hash_t bytes_hash(TwObject *op);
static TwObject *bytes_richcompare(TwObject *a, TwObject *b, int op);
static void bytes_dealloc(TwObject *op);

TwType tw_bytes_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "bytes",
    .tp_basicsize = offsetof(TwBytesObject, data),
    .tp_itemsize = 1, /* one byte; the NUL is one more item */
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = bytes_dealloc,
    .tp_hash = bytes_hash,
    .tp_richcompare = bytes_richcompare,
    .tp_repr = bytes_repr,
    .tp_str = NULL,
    .tp_as_number = &tw_bytes_number_methods,
    .tp_len = tw_bytes_len_slot,
    .tp_getitem = tw_bytes_subscript,
    .tp_contains = tw_bytes_contains,
    .tp_iter = tw_bytes_iter_new,
    .tp_new = tw_bytes_new_slot,
    .tp_methods = tw_bytes_methods,
};

/* A bytes object of n bytes for the caller to fill (the NUL is set here). */
static TwBytesObject *bytes_alloc(size_t n)
{
    if (n >= (size_t)INTPTR_MAX)
        return (TwBytesObject *)tw_err_no_memory();
    TwBytesObject *b = (TwBytesObject *)tw_object_new(&tw_bytes_type, n + 1);
    if (b == NULL)
        return NULL;
    TW_SIZE(b) = (intptr_t)n;
    tw_atomic_store_relaxed(&b->hash, (tw_hash_t)-1);
    b->data[n] = '\0';
    return b;
}

TwObject *tw_bytes_from_data(const void *data, size_t n)
{
    TwBytesObject *b = bytes_alloc(n);
    if (b == NULL)
        return NULL;
    if (n > 0)
        memcpy(b->data, data, n);
    return (TwObject *)b;
}

TwObject *tw_bytes_concat(TwObject *a, TwObject *b)
{
    if (!tw_bytes_check(a) || !tw_bytes_check(b)) {
        tw_err_format(&tw_exc_TypeError, "can't concat %s to %s", TW_TYPE(b)->tp_name,
                      TW_TYPE(a)->tp_name);
        return NULL;
    }
    size_t na = (size_t)TW_SIZE(a), nb = (size_t)TW_SIZE(b);
    if (na > (size_t)INTPTR_MAX - nb)
        return tw_err_no_memory();
    TwBytesObject *r = bytes_alloc(na + nb);
    if (r == NULL)
        return NULL;
    memcpy(r->data, tw_bytes_data(a), na);
    memcpy(r->data + na, tw_bytes_data(b), nb);
    return (TwObject *)r;
}

static void bytes_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static tw_hash_t bytes_hash(TwObject *op)
{
    TwBytesObject *b = (TwBytesObject *)op;
    tw_hash_t h = tw_atomic_load_relaxed(&b->hash);
    if (h == -1) {
        h = tw_scalar_hash_bytes(b->data, (size_t)TW_SIZE(b));
        tw_atomic_store_relaxed(&b->hash, h);
    }
    return h;
}

/* Lexicographic by unsigned byte value; a proper prefix sorts first.
 * Against a bytearray this returns NotImplemented so that bytearray's
 * reflected comparison (which reads both) decides. */
static TwObject *bytes_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_bytes_check(b)) {
        if (tw_bytearray_check(b))
            return tw_newref(TW_NOTIMPLEMENTED);
        return tw_scalar_compare_unsupported(a, b, op);
    }
    size_t na = (size_t)TW_SIZE(a), nb = (size_t)TW_SIZE(b);
    if ((op == TW_EQ || op == TW_NE) && na != nb)
        return tw_bool_from_long(op == TW_NE);
    int c = memcmp(tw_bytes_data(a), tw_bytes_data(b), na < nb ? na : nb);
    if (c == 0)
        c = (na > nb) - (na < nb);
    return tw_scalar_cmp_result(c, op);
}

/* Python's repr: b'...' (b"..." when the bytes hold ' and no "), with \\,
 * the quote, \t \n \r escaped, printable ASCII as is, and every other byte
 * as \xNN. */
static TwObject *bytes_repr(TwObject *op)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = (size_t)TW_SIZE(op);
    const unsigned char *p = (const unsigned char *)tw_bytes_data(op);
    char quote = tw_scalar_repr_quote(tw_bytes_data(op), n);
    if (n > (SIZE_MAX - 3) / 4)
        return tw_err_no_memory();
    char *buf = tw_mem_malloc(4 * n + 3); /* b, two quotes, 4 per byte at most */
    if (buf == NULL)
        return tw_err_no_memory();
    char *o = buf;
    *o++ = 'b';
    *o++ = quote;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == (unsigned char)quote || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '\t' || c == '\n' || c == '\r') {
            *o++ = '\\';
            *o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
        } else if (c < 0x20 || c >= 0x7F) {
            *o++ = '\\';
            *o++ = 'x';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 0xF];
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = quote;
    TwObject *r = tw_str_from_utf8(buf, (size_t)(o - buf));
    tw_mem_free(buf);
    return r;
}
