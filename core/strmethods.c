/* str's protocol slots and methods: concatenation, repetition and %
 * (number slots), len, indexing and slicing by code point, `in`,
 * iteration, str(), and the method table (split, join, find, case
 * mapping, predicates, padding, encode, ...).
 *
 * Text is UTF-8 (core/str.c).  Searching works on bytes, which is exact
 * for UTF-8 (no sequence is a suffix or prefix of another), and converts
 * code-point positions at the edges (tw_str_offset uses the stride index
 * of long non-ASCII strings).  Case mapping and the character predicates
 * are exact for ASCII and cover Latin-1, Latin Extended-A, Greek, Cyrillic
 * and fullwidth forms beyond it (no Unicode database yet; other letters are
 * left unchanged and count as alphabetic when they lie in the common
 * letter blocks, see is_alpha_cp). */
#include <string.h>

#include <stdio.h>
#include <twinpy/slice.h>

#include "core/format.h"
#include "core/scalar.h"

/* ---- characters ---------------------------------------------------------------- */

static inline int seq_len(unsigned c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static uint32_t decode(const char *s, int *len)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = seq_len(p[0]);
    static const unsigned lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = p[0] & lead_mask[n];
    for (int k = 1; k < n; k++)
        cp = (cp << 6) | (p[k] & 0x3F);
    *len = n;
    return cp;
}

static int encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* str.isspace() of one character. */
static int is_space_cp(uint32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
    return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Uppercase and lowercase of one code point (the simple mappings), for
 * ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and fullwidth Latin. */
static uint32_t to_upper(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') ? c - 32 : c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if (c == 0xB5)
        return 0x39C;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x131)
            return 'I';
        if (c == 0x17F)
            return 'S';
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c : c - 1;
        if (c == 0x138 || c == 0x149 || c == 0x178 || c == 0x130)
            return c;
        return (c & 1) ? c - 1 : c;
    }
    if (c >= 0x1C4 && c <= 0x1CC) /* the digraphs DŽ Dž dž, LJ Lj lj, NJ Nj nj */
        return c - (c - 0x1C4) % 3;
    if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3;
    if (c == 0x3AC)
        return 0x386;
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if (c >= 0x460 && c <= 0x481)
        return (c & 1) ? c - 1 : c;
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 32;
    return c;
}

static uint32_t to_lower(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130)
            return 'i';
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
            return c;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x1C4 && c <= 0x1CC)
        return c - (c - 0x1C4) % 3 + 2;
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x460 && c <= 0x481)
        return (c & 1) ? c : c + 1;
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    return c;
}

static int is_upper_cp(uint32_t c)
{
    return to_lower(c) != c || c == 0x130;
}

static int is_lower_cp(uint32_t c)
{
    return to_upper(c) != c || c == 0xDF || c == 0x138 || c == 0x149;
}

/* str.isalpha() of one character: ASCII letters, the cased letters above,
 * and the letters of common blocks (approximate outside them). */
static int is_alpha_cp(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c == 0xAA || c == 0xB5 || c == 0xBA || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7))
        return 1;
    return is_upper_cp(c) || is_lower_cp(c) || (c >= 0x370 && c <= 0x3FF && c != 0x37E &&
                                                c != 0x387) ||
           (c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x52F) ||
           (c >= 0x5D0 && c <= 0x5EA) || (c >= 0x620 && c <= 0x64A) ||
           (c >= 0x904 && c <= 0x939) || (c >= 0x3041 && c <= 0x3096) ||
           (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1E00 && c <= 0x1FFF);
}

/* Decimal digits (str.isdecimal) of the common scripts: the value, or -1. */
static int decimal_value(uint32_t c)
{
    static const uint32_t zeros[] = {'0', 0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xE50, 0xFF10};
    for (size_t i = 0; i < sizeof zeros / sizeof zeros[0]; i++)
        if (c >= zeros[i] && c <= zeros[i] + 9)
            return (int)(c - zeros[i]);
    return -1;
}

static int is_digit_cp(uint32_t c)
{
    return decimal_value(c) >= 0 || c == 0xB2 || c == 0xB3 || c == 0xB9 ||
           (c >= 0x2070 && c <= 0x2079 && c != 0x2071 && c != 0x2072 && c != 0x2073) ||
           (c >= 0x2080 && c <= 0x2089) || (c >= 0x2460 && c <= 0x2468);
}

static int is_numeric_cp(uint32_t c)
{
    return is_digit_cp(c) || (c >= 0xBC && c <= 0xBE) || (c >= 0x2150 && c <= 0x2189) ||
           (c >= 0x4E00 && (c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB ||
                            c == 0x4E94 || c == 0x516D || c == 0x4E03 || c == 0x516B ||
                            c == 0x4E5D || c == 0x5341));
}

/* ---- helpers ----------------------------------------------------------------- */

static inline const char *data_of(TwObject *s)
{
    return tw_str_utf8(s);
}

static inline size_t size_of(TwObject *s)
{
    return (size_t)tw_str_byte_size(s);
}

static int is_ascii(TwObject *s)
{
    return ((TwStrObject *)s)->ascii;
}

static TwObject *type_error_arg(const char *fname, const char *what, TwObject *got)
{
    tw_err_format(&tw_exc_TypeError, "%s() argument must be %s, not %s", fname, what,
                  TW_TYPE(got)->tp_name);
    return NULL;
}

/* Require a str argument: 0, or -1 with CPython's TypeError. */
static int need_str(TwObject *o, const char *msg_fmt)
{
    if (tw_str_check(o))
        return 0;
    tw_err_format(&tw_exc_TypeError, msg_fmt, TW_TYPE(o)->tp_name);
    return -1;
}

/* A C index from an int argument clamped to intptr_t; None gives dflt. */
static int index_arg(TwObject *o, intptr_t dflt, intptr_t *out)
{
    if (o == NULL || o == TW_NONE) {
        *out = dflt;
        return 0;
    }
    if (!tw_int_check(o)) {
        tw_err_set_string(&tw_exc_TypeError,
                          "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    int overflow;
    int64_t v = tw_int_as_i64_overflow(o, &overflow);
    if (overflow)
        v = overflow > 0 ? INTPTR_MAX : INTPTR_MIN + 1;
    *out = (intptr_t)v;
    return 0;
}

/* start/end arguments of find/count/startswith: clamped like a slice of a
 * sequence of len items.  0 or -1. */
static int range_args(TwObject *so, TwObject *eo, intptr_t len, intptr_t *start, intptr_t *end)
{
    if (index_arg(so, 0, start) < 0 || index_arg(eo, len, end) < 0)
        return -1;
    if (*start < 0) {
        *start += len;
        if (*start < 0)
            *start = 0;
    }
    if (*end < 0) {
        *end += len;
        if (*end < 0)
            *end = 0;
    } else if (*end > len) {
        *end = len;
    }
    return 0;
}

/* Byte search of needle in hay[0..hn): the offset or -1 (from the end
 * when reverse). */
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

static intptr_t count_cps(const char *s, size_t n)
{
    intptr_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---- number slots: + * % ------------------------------------------------------ */

static TwObject *str_add(TwObject *a, TwObject *b)
{
    if (!tw_str_check(a) || !tw_str_check(b)) {
        /* A Python class on the right may implement __radd__. */
        if (tw_str_check(a) && !(TW_TYPE(b)->tp_flags & TW_TPFLAGS_HEAPTYPE)) {
            tw_err_format(&tw_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                          TW_TYPE(b)->tp_name);
            return NULL;
        }
        return tw_newref(TW_NOTIMPLEMENTED);
    }
    return tw_str_concat(a, b);
}

/* s * n: n copies (none for n <= 0); n may be on either side, and may be
 * any object with __index__. */
static TwObject *str_repeat(TwObject *a, TwObject *b)
{
    TwObject *s = tw_str_check(a) ? a : b, *n = s == a ? b : a;
    if (!tw_str_check(s))
        return tw_newref(TW_NOTIMPLEMENTED);
    if (!tw_int_check(n)) {
        const TwNumberMethods *nb = TW_TYPE(n)->tp_as_number;
        if (s == a && (TW_TYPE(n)->tp_flags & TW_TPFLAGS_HEAPTYPE))
            return tw_newref(TW_NOTIMPLEMENTED); /* n may implement __rmul__ */
        if (nb != NULL && nb->nb_index != NULL && !tw_float_check(n)) {
            TwObject *i = nb->nb_index(n);
            if (i == NULL)
                return NULL;
            TwObject *r = str_repeat(s, i);
            tw_decref(i);
            return r;
        }
        tw_err_format(&tw_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                      TW_TYPE(n)->tp_name);
        return NULL;
    }
    int overflow;
    int64_t count = tw_int_as_i64_overflow(n, &overflow);
    if (overflow != 0) {
        tw_err_set_string(&tw_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
        return NULL;
    }
    if (count <= 0 || size_of(s) == 0)
        return tw_str_from_valid("", 0);
    size_t len = size_of(s);
    if ((uint64_t)count > (uint64_t)INTPTR_MAX / len) {
        tw_err_set_string(&tw_exc_OverflowError, "repeated string is too long");
        return NULL;
    }
    size_t total = len * (size_t)count;
    char *buf = tw_mem_malloc(total + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    if (len == 1) {
        memset(buf, data_of(s)[0], total);
    } else {
        memcpy(buf, data_of(s), len);
        size_t done = len;
        while (done < total) {
            size_t chunk = done < total - done ? done : total - done;
            memcpy(buf + done, buf, chunk);
            done += chunk;
        }
    }
    TwObject *r = tw_str_from_valid(buf, total);
    tw_mem_free(buf);
    return r;
}

static TwObject *str_mod(TwObject *a, TwObject *b)
{
    if (!tw_str_check(a))
        return tw_newref(TW_NOTIMPLEMENTED);
    return tw_str_percent_format(a, b);
}

const TwNumberMethods tw_str_number_methods = {
    .nb_add = str_add,
    .nb_multiply = str_repeat,
    .nb_remainder = str_mod,
};

/* ---- len, [], in ------------------------------------------------------------------ */

intptr_t tw_str_len_slot(TwObject *s)
{
    return tw_str_length(s);
}

TwObject *tw_str_get_slice(TwObject *s, TwObject *slice)
{
    intptr_t start, stop, step, n;
    if (tw_slice_indices(slice, tw_str_length(s), &start, &stop, &step, &n) < 0)
        return NULL;
    if (n <= 0)
        return tw_str_from_valid("", 0);
    if (step == 1) {
        intptr_t a = tw_str_offset(s, start), b = tw_str_offset(s, stop);
        if (a == 0 && b == tw_str_byte_size(s) && TW_TYPE(s) == &tw_str_type)
            return tw_newref(s);
        return tw_str_from_valid(data_of(s) + a, (size_t)(b - a));
    }
    char *buf = tw_mem_malloc((size_t)n * 4 + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0;
    if (is_ascii(s)) {
        for (intptr_t k = 0, i = start; k < n; k++, i += step)
            buf[o++] = data_of(s)[i];
    } else {
        for (intptr_t k = 0, i = start; k < n; k++, i += step) {
            const char *p = data_of(s) + tw_str_offset(s, i);
            int len = seq_len((unsigned char)*p);
            memcpy(buf + o, p, (size_t)len);
            o += (size_t)len;
        }
    }
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

TwObject *tw_str_subscript(TwObject *s, TwObject *key)
{
    if (tw_int_check(key)) {
        int overflow;
        int64_t i = tw_int_as_i64_overflow(key, &overflow);
        if (overflow) {
            tw_err_set_string(&tw_exc_IndexError, "cannot fit 'int' into an index-sized integer");
            return NULL;
        }
        return tw_str_getitem(s, (intptr_t)i);
    }
    if (tw_slice_check(key))
        return tw_str_get_slice(s, key);
    const TwNumberMethods *nb = TW_TYPE(key)->tp_as_number;
    if (nb != NULL && nb->nb_index != NULL) {
        TwObject *i = nb->nb_index(key);
        if (i == NULL)
            return NULL;
        TwObject *r = tw_str_subscript(s, i);
        tw_decref(i);
        return r;
    }
    tw_err_format(&tw_exc_TypeError, "string indices must be integers, not '%s'",
                  TW_TYPE(key)->tp_name);
    return NULL;
}

int tw_str_contains(TwObject *s, TwObject *sub)
{
    if (!tw_str_check(sub)) {
        tw_err_format(&tw_exc_TypeError, "'in <string>' requires string as left operand, not %s",
                      TW_TYPE(sub)->tp_name);
        return -1;
    }
    return search(data_of(s), size_of(s), data_of(sub), size_of(sub), 0) >= 0;
}

/* ---- iteration ------------------------------------------------------------------------
 *
 * The iterator hands out code-point positions with one atomic fetch-add,
 * so threads sharing it never get the same character twice; the string is
 * immutable, so reading it needs no lock. */

typedef struct {
    TwObject ob_base;
    TwObject *str;        /* immutable */
    _Atomic intptr_t pos; /* next code point; atomic (relaxed) */
} StrIter;

static void str_iter_dealloc(TwObject *op)
{
    tw_decref(((StrIter *)op)->str);
    tw_object_free(op);
}

static TwObject *str_iter_self(TwObject *op)
{
    return tw_newref(op);
}

static TwObject *str_iter_next(TwObject *op)
{
    StrIter *it = (StrIter *)op;
    intptr_t len = tw_str_length(it->str);
    if (tw_atomic_load_relaxed(&it->pos) >= len)
        return NULL;
    intptr_t i = tw_atomic_add_relaxed(&it->pos, 1);
    if (i >= len)
        return NULL;
    return tw_str_getitem(it->str, i);
}

TwType tw_str_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "str_ascii_iterator",
    .tp_basicsize = sizeof(StrIter),
    .tp_base = &tw_object_type,
    .tp_dealloc = str_iter_dealloc,
    .tp_iter = str_iter_self,
    .tp_iternext = str_iter_next,
};

TwObject *tw_str_iter_new(TwObject *str)
{
    StrIter *it = (StrIter *)tw_object_new(&tw_str_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->str = tw_newref(str);
    atomic_init(&it->pos, 0);
    return (TwObject *)it;
}

/* ---- chr, ord, str() ---------------------------------------------------------------- */

TwObject *tw_str_from_codepoint(int64_t cp)
{
    if (cp < 0 || cp > 0x10FFFF) {
        tw_err_set_string(&tw_exc_ValueError, "chr() arg not in range(0x110000)");
        return NULL;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        /* twinpy's str holds valid UTF-8, which has no surrogates. */
        tw_err_set_string(&tw_exc_ValueError, "chr() arg is a surrogate, which twinpy's str cannot hold");
        return NULL;
    }
    char buf[4];
    int n = encode((uint32_t)cp, buf);
    return tw_str_from_valid(buf, (size_t)n);
}

int64_t tw_str_ord(TwObject *s)
{
    if (tw_str_length(s) != 1) {
        tw_err_format(&tw_exc_TypeError, "ord() expected a character, but string of length %lld found",
                      (long long)tw_str_length(s));
        return -1;
    }
    return tw_str_char_at(s, 0);
}

/* The str of a subclass `type` with the text of the str s (consumed). */
static TwObject *str_subtype_copy(TwType *type, TwObject *s)
{
    if (s == NULL || type == &tw_str_type)
        return s;
    size_t n = size_of(s);
    TwStrObject *r = (TwStrObject *)tw_object_new(type, n + 1);
    if (r != NULL) {
        TW_SIZE(r) = (intptr_t)n;
        r->length = tw_str_length(s);
        tw_atomic_store_relaxed(&r->hash, (tw_hash_t)-1);
        r->ascii = ((TwStrObject *)s)->ascii;
        memcpy(r->data, data_of(s), n + 1);
    }
    tw_decref(s);
    return (TwObject *)r;
}

/* The C string of an optional str argument (dflt when absent). */
static const char *cstr_arg(TwObject *o, const char *dflt, const char *fname, const char *param)
{
    if (o == NULL)
        return dflt;
    if (!tw_str_check(o)) {
        tw_err_format(&tw_exc_TypeError, "%s() argument '%s' must be str, not %s", fname, param,
                      TW_TYPE(o)->tp_name);
        return NULL;
    }
    return tw_str_utf8(o);
}

TwObject *tw_str_new_slot(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"object", "encoding", "errors", NULL};
    TwObject *got[3];
    if (tw_scalar_parse_args("str", args, nargs, kwnames, names, 0, 3, 0, got) < 0)
        return NULL;
    TwObject *obj = got[0];
    if (obj == NULL)
        return str_subtype_copy(type, tw_str_from_valid("", 0));
    if (got[1] == NULL && got[2] == NULL) {
        TwObject *r = tw_object_str(obj);
        if (r != NULL && !tw_str_check(r)) {
            tw_err_format(&tw_exc_TypeError, "__str__ returned non-string (type %s)",
                          TW_TYPE(r)->tp_name);
            tw_decref(r);
            return NULL;
        }
        return str_subtype_copy(type, r);
    }
    const char *enc = cstr_arg(got[1], "utf-8", "str", "encoding");
    const char *errors = enc == NULL ? NULL : cstr_arg(got[2], "strict", "str", "errors");
    if (errors == NULL)
        return NULL;
    if (tw_str_check(obj)) {
        tw_err_set_string(&tw_exc_TypeError, "decoding str is not supported");
        return NULL;
    }
    if (!tw_bytes_check(obj)) {
        tw_err_format(&tw_exc_TypeError, "decoding to str: need a bytes-like object, %s found",
                      TW_TYPE(obj)->tp_name);
        return NULL;
    }
    return str_subtype_copy(
        type, tw_bytes_decode_data(tw_bytes_data(obj), (size_t)tw_bytes_size(obj), enc, errors));
}

/* ---- join, split, partition ------------------------------------------------------------------ */

TwObject *tw_str_join(TwObject *sep, TwObject *iterable)
{
    TwObject *seq = tw_tuple_check(iterable) ? tw_newref(iterable) : tw_sequence_tuple(iterable);
    if (seq == NULL)
        return NULL;
    intptr_t n = tw_tuple_size(seq);
    size_t total = 0, ns = size_of(sep);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *item = tw_tuple_get_item_borrowed(seq, i);
        if (!tw_str_check(item)) {
            tw_err_format(&tw_exc_TypeError, "sequence item %lld: expected str instance, %s found",
                          (long long)i, TW_TYPE(item)->tp_name);
            tw_decref(seq);
            return NULL;
        }
        total += size_of(item) + (i > 0 ? ns : 0);
    }
    if (n == 1 && TW_TYPE(tw_tuple_get_item_borrowed(seq, 0)) == &tw_str_type) {
        TwObject *only = tw_newref(tw_tuple_get_item_borrowed(seq, 0));
        tw_decref(seq);
        return only;
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
            memcpy(buf + o, data_of(sep), ns);
            o += ns;
        }
        memcpy(buf + o, data_of(item), size_of(item));
        o += size_of(item);
    }
    tw_decref(seq);
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

static TwObject *m_join(TwObject *self, TwObject *iterable)
{
    return tw_str_join(self, iterable);
}

/* Append a new str of bytes [a, b) of s to list; -1 on error. */
static int append_piece(TwObject *list, TwObject *s, size_t a, size_t b)
{
    TwObject *piece = (a == 0 && b == size_of(s) && TW_TYPE(s) == &tw_str_type)
                          ? tw_newref(s)
                          : tw_str_from_valid(data_of(s) + a, b - a);
    if (piece == NULL)
        return -1;
    int rc = tw_list_append(list, piece);
    tw_decref(piece);
    return rc;
}

/* Reverse a list in place (rsplit builds its pieces from the end). */
static void reverse_list(TwObject *list)
{
    intptr_t n = tw_list_size(list);
    for (intptr_t i = 0, j = n - 1; i < j; i++, j--) {
        TwObject *a = tw_list_get_item(list, i), *b = tw_list_get_item(list, j);
        tw_list_set_item(list, i, b);
        tw_list_set_item(list, j, a);
    }
}

/* The byte length of the whitespace character at p (0 if none). */
static int space_at(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return is_space_cp(c) ? 1 : 0;
    int len;
    uint32_t cp = decode(p, &len);
    (void)end;
    return is_space_cp(cp) ? len : 0;
}

/* The byte length of the whitespace character ending at p (exclusive), or 0. */
static int space_before(const char *start, const char *p)
{
    const char *q = p - 1;
    while (q > start && ((unsigned char)*q & 0xC0) == 0x80)
        q--;
    int len;
    uint32_t cp = decode(q, &len);
    return is_space_cp(cp) ? (int)(p - q) : 0;
}

/* split/rsplit with sep None: runs of whitespace separate, and leading
 * and trailing whitespace make no empty pieces. */
static TwObject *split_whitespace(TwObject *s, int64_t maxsplit, int reverse)
{
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    const char *d = data_of(s), *end = d + size_of(s);
    if (!reverse) {
        const char *p = d;
        while (p < end) {
            int k;
            while (p < end && (k = space_at(p, end)) > 0)
                p += k;
            if (p >= end)
                break;
            if (maxsplit == 0) {
                /* The rest, trailing whitespace included. */
                if (append_piece(list, s, (size_t)(p - d), size_of(s)) < 0)
                    goto fail;
                break;
            }
            const char *q = p;
            while (q < end && space_at(q, end) == 0)
                q += seq_len((unsigned char)*q);
            if (append_piece(list, s, (size_t)(p - d), (size_t)(q - d)) < 0)
                goto fail;
            maxsplit--;
            p = q;
        }
    } else {
        const char *p = end;
        while (p > d) {
            int k;
            while (p > d && (k = space_before(d, p)) > 0)
                p -= k;
            if (p <= d)
                break;
            if (maxsplit == 0) {
                if (append_piece(list, s, 0, (size_t)(p - d)) < 0)
                    goto fail;
                break;
            }
            const char *q = p;
            while (q > d && space_before(d, q) == 0) {
                q--;
                while (q > d && ((unsigned char)*q & 0xC0) == 0x80)
                    q--;
            }
            if (append_piece(list, s, (size_t)(q - d), (size_t)(p - d)) < 0)
                goto fail;
            maxsplit--;
            p = q;
        }
        reverse_list(list);
    }
    return list;
fail:
    tw_decref(list);
    return NULL;
}

static TwObject *split_impl(TwObject *self, TwObject *const *args, size_t nargs,
                            TwObject *kwnames, int reverse)
{
    static const char *const names[] = {"sep", "maxsplit", NULL};
    const char *fname = reverse ? "rsplit" : "split";
    TwObject *got[2];
    if (tw_scalar_parse_args(fname, args, nargs, kwnames, names, 0, 2, 0, got) < 0)
        return NULL;
    int64_t maxsplit = -1;
    if (got[1] != NULL) {
        if (!tw_int_check(got[1])) {
            tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          TW_TYPE(got[1])->tp_name);
            return NULL;
        }
        int overflow;
        maxsplit = tw_int_as_i64_overflow(got[1], &overflow);
        if (overflow)
            maxsplit = overflow > 0 ? INT64_MAX : -1;
    }
    if (maxsplit < 0)
        maxsplit = INT64_MAX;
    if (got[0] == NULL || got[0] == TW_NONE)
        return split_whitespace(self, maxsplit, reverse);
    if (need_str(got[0], "must be str or None, not %s") < 0)
        return NULL;
    TwObject *sep = got[0];
    size_t ns = size_of(sep);
    if (ns == 0) {
        tw_err_set_string(&tw_exc_ValueError, "empty separator");
        return NULL;
    }
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    const char *d = data_of(self);
    size_t n = size_of(self);
    if (!reverse) {
        size_t pos = 0;
        while (maxsplit-- > 0) {
            intptr_t f = search(d + pos, n - pos, data_of(sep), ns, 0);
            if (f < 0)
                break;
            if (append_piece(list, self, pos, pos + (size_t)f) < 0)
                goto fail;
            pos += (size_t)f + ns;
        }
        if (append_piece(list, self, pos, n) < 0)
            goto fail;
    } else {
        size_t end = n;
        while (maxsplit-- > 0) {
            intptr_t f = search(d, end, data_of(sep), ns, 1);
            if (f < 0)
                break;
            if (append_piece(list, self, (size_t)f + ns, end) < 0)
                goto fail;
            end = (size_t)f;
        }
        if (append_piece(list, self, 0, end) < 0)
            goto fail;
        reverse_list(list);
    }
    return list;
fail:
    tw_decref(list);
    return NULL;
}

static TwObject *m_split(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return split_impl(self, args, nargs, kwnames, 0);
}

static TwObject *m_rsplit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return split_impl(self, args, nargs, kwnames, 1);
}

/* The line-break length at p: \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85,
 * U+2028, U+2029; 0 if none. */
static int line_break_at(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c == '\r')
        return (p + 1 < end && p[1] == '\n') ? 2 : 1;
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
        return 1;
    if (c >= 0x80) {
        int len;
        uint32_t cp = decode(p, &len);
        if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
            return len;
    }
    return 0;
}

static TwObject *m_splitlines(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    static const char *const names[] = {"keepends", NULL};
    TwObject *got[1];
    if (tw_scalar_parse_args("splitlines", args, nargs, kwnames, names, 0, 1, 0, got) < 0)
        return NULL;
    int keep = 0;
    if (got[0] != NULL && (keep = tw_object_is_true(got[0])) < 0)
        return NULL;
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    const char *d = data_of(self), *end = d + size_of(self), *p = d, *line = d;
    while (p < end) {
        int k = line_break_at(p, end);
        if (k == 0) {
            p += seq_len((unsigned char)*p);
            continue;
        }
        if (append_piece(list, self, (size_t)(line - d), (size_t)(p - d + (keep ? k : 0))) < 0)
            goto fail;
        p += k;
        line = p;
    }
    if (line < end && append_piece(list, self, (size_t)(line - d), (size_t)(end - d)) < 0)
        goto fail;
    return list;
fail:
    tw_decref(list);
    return NULL;
}

/* (before, sep, after) around the first (or last) sep; when absent, the
 * text and two empty strings (on the other side for rpartition). */
static TwObject *partition_impl(TwObject *self, TwObject *sep, int reverse)
{
    if (need_str(sep, "must be str, not %s") < 0)
        return NULL;
    if (size_of(sep) == 0) {
        tw_err_set_string(&tw_exc_ValueError, "empty separator");
        return NULL;
    }
    intptr_t f = search(data_of(self), size_of(self), data_of(sep), size_of(sep), reverse);
    TwObject *a, *b, *c;
    if (f < 0) {
        TwObject *empty = tw_str_from_valid("", 0);
        if (empty == NULL)
            return NULL;
        TwObject *t = reverse ? tw_tuple_pack(3, empty, empty, self)
                              : tw_tuple_pack(3, self, empty, empty);
        tw_decref(empty);
        return t;
    }
    a = tw_str_from_valid(data_of(self), (size_t)f);
    c = tw_str_from_valid(data_of(self) + f + size_of(sep), size_of(self) - (size_t)f - size_of(sep));
    b = sep;
    TwObject *t = (a && c) ? tw_tuple_pack(3, a, b, c) : NULL;
    tw_xdecref(a);
    tw_xdecref(c);
    return t;
}

static TwObject *m_partition(TwObject *self, TwObject *sep)
{
    return partition_impl(self, sep, 0);
}

static TwObject *m_rpartition(TwObject *self, TwObject *sep)
{
    return partition_impl(self, sep, 1);
}

/* ---- strip ------------------------------------------------------------------------------ */

/* Is the code point at p (len bytes) among the characters of chars? */
static int in_chars(TwObject *chars, const char *p, int len)
{
    if (chars == NULL) {
        int l;
        return is_space_cp(decode(p, &l));
    }
    const char *c = data_of(chars), *end = c + size_of(chars);
    while (c < end) {
        int l = seq_len((unsigned char)*c);
        if (l == len && memcmp(c, p, (size_t)len) == 0)
            return 1;
        c += l;
    }
    return 0;
}

static TwObject *strip_impl(TwObject *self, TwObject *const *args, size_t nargs,
                            TwObject *kwnames, int left, int right, const char *fname)
{
    static const char *const names[] = {"chars", NULL};
    TwObject *got[1];
    if (tw_scalar_parse_args(fname, args, nargs, kwnames, names, 0, 1, 1, got) < 0)
        return NULL;
    TwObject *chars = got[0] == TW_NONE ? NULL : got[0];
    if (chars != NULL && need_str(chars, "strip arg must be None or str") < 0)
        return NULL;
    const char *d = data_of(self), *a = d, *b = d + size_of(self);
    if (left)
        while (a < b) {
            int l = seq_len((unsigned char)*a);
            if (!in_chars(chars, a, l))
                break;
            a += l;
        }
    if (right)
        while (b > a) {
            const char *q = b - 1;
            while (q > a && ((unsigned char)*q & 0xC0) == 0x80)
                q--;
            if (!in_chars(chars, q, (int)(b - q)))
                break;
            b = q;
        }
    if (a == d && b == d + size_of(self) && TW_TYPE(self) == &tw_str_type)
        return tw_newref(self);
    return tw_str_from_valid(a, (size_t)(b - a));
}

static TwObject *m_strip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, kwnames, 1, 1, "strip");
}

static TwObject *m_lstrip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, kwnames, 1, 0, "lstrip");
}

static TwObject *m_rstrip(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return strip_impl(self, args, nargs, kwnames, 0, 1, "rstrip");
}

/* ---- replace, find, count, startswith ------------------------------------------------------- */

static TwObject *m_replace(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"old", "new", "count", NULL};
    TwObject *got[3];
    if (tw_scalar_parse_args("replace", args, nargs, kwnames, names, 2, 3, 3, got) < 0)
        return NULL;
    if (!tw_str_check(got[0]))
        return type_error_arg("replace", "str", got[0]);
    if (!tw_str_check(got[1]))
        return type_error_arg("replace", "str", got[1]);
    int64_t count = -1;
    if (got[2] != NULL) {
        if (!tw_int_check(got[2])) {
            tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                          TW_TYPE(got[2])->tp_name);
            return NULL;
        }
        int overflow;
        count = tw_int_as_i64_overflow(got[2], &overflow);
        if (overflow)
            count = overflow > 0 ? INT64_MAX : -1;
    }
    if (count < 0)
        count = INT64_MAX;
    const char *d = data_of(self), *old = data_of(got[0]), *new_ = data_of(got[1]);
    size_t n = size_of(self), no = size_of(got[0]), nn = size_of(got[1]);
    /* Build the result piece by piece in a growing buffer. */
    size_t cap = n + 16, o = 0;
    char *buf = tw_mem_malloc(cap);
    if (buf == NULL)
        return tw_err_no_memory();
#define PUT(src, len)                                                                              \
    do {                                                                                           \
        size_t l_ = (len);                                                                         \
        if (o + l_ > cap) {                                                                        \
            while (o + l_ > cap)                                                                   \
                cap *= 2;                                                                          \
            char *nb_ = tw_mem_realloc(buf, cap);                                                  \
            if (nb_ == NULL) {                                                                     \
                tw_mem_free(buf);                                                                  \
                return tw_err_no_memory();                                                         \
            }                                                                                      \
            buf = nb_;                                                                             \
        }                                                                                          \
        memcpy(buf + o, (src), l_);                                                                \
        o += l_;                                                                                   \
    } while (0)
    size_t pos = 0;
    if (no == 0) {
        /* An empty old inserts new before every character and at the end. */
        while (pos <= n) {
            if (count-- > 0)
                PUT(new_, nn);
            else {
                PUT(d + pos, n - pos);
                break;
            }
            if (pos == n)
                break;
            int l = seq_len((unsigned char)d[pos]);
            PUT(d + pos, (size_t)l);
            pos += (size_t)l;
        }
    } else {
        while (count-- > 0) {
            intptr_t f = search(d + pos, n - pos, old, no, 0);
            if (f < 0)
                break;
            PUT(d + pos, (size_t)f);
            PUT(new_, nn);
            pos += (size_t)f + no;
        }
        PUT(d + pos, n - pos);
    }
#undef PUT
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

/* find/rfind/index/rindex/count share this: sub and optional start/end. */
typedef struct {
    TwObject *sub;
    size_t a, b;     /* byte range searched */
    intptr_t start;  /* code-point index of a */
    int empty_range; /* start > end (nothing matches, not even "") */
} SearchArgs;

static int search_args(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames,
                       const char *fname, SearchArgs *sa)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs < 1 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 3 arguments", nargs);
        return -1;
    }
    if (!tw_str_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "must be str, not %s", TW_TYPE(args[0])->tp_name);
        return -1;
    }
    sa->sub = args[0];
    intptr_t len = tw_str_length(self), start, end;
    if (range_args(nargs > 1 ? args[1] : NULL, nargs > 2 ? args[2] : NULL, len, &start, &end) < 0)
        return -1;
    sa->empty_range = start > end || start > len;
    if (start > len)
        start = len;
    if (end < start)
        end = start;
    sa->start = start;
    sa->a = (size_t)tw_str_offset(self, start);
    sa->b = (size_t)tw_str_offset(self, end);
    return 0;
}

/* The code-point index of a match at byte offset off (from sa->a). */
static intptr_t match_index(TwObject *self, const SearchArgs *sa, intptr_t off)
{
    if (is_ascii(self))
        return sa->start + off;
    return sa->start + count_cps(data_of(self) + sa->a, (size_t)off);
}

static intptr_t find_impl(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames,
                          const char *fname, int reverse)
{
    SearchArgs sa;
    if (search_args(self, args, nargs, kwnames, fname, &sa) < 0)
        return -2;
    if (sa.empty_range)
        return -1;
    intptr_t f = search(data_of(self) + sa.a, sa.b - sa.a, data_of(sa.sub), size_of(sa.sub),
                        reverse);
    return f < 0 ? -1 : match_index(self, &sa, f);
}

static TwObject *m_find(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    intptr_t r = find_impl(self, args, nargs, kwnames, "find", 0);
    return r == -2 ? NULL : tw_int_from_i64(r);
}

static TwObject *m_rfind(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    intptr_t r = find_impl(self, args, nargs, kwnames, "rfind", 1);
    return r == -2 ? NULL : tw_int_from_i64(r);
}

static TwObject *m_index(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    intptr_t r = find_impl(self, args, nargs, kwnames, "index", 0);
    if (r == -1)
        tw_err_set_string(&tw_exc_ValueError, "substring not found");
    return r < 0 ? NULL : tw_int_from_i64(r);
}

static TwObject *m_rindex(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    intptr_t r = find_impl(self, args, nargs, kwnames, "rindex", 1);
    if (r == -1)
        tw_err_set_string(&tw_exc_ValueError, "substring not found");
    return r < 0 ? NULL : tw_int_from_i64(r);
}

static TwObject *m_count(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    SearchArgs sa;
    if (search_args(self, args, nargs, kwnames, "count", &sa) < 0)
        return NULL;
    if (sa.empty_range)
        return tw_int_from_i64(0);
    size_t ns = size_of(sa.sub);
    if (ns == 0) /* one match before each character and one at the end */
        return tw_int_from_i64(count_cps(data_of(self) + sa.a, sa.b - sa.a) + 1);
    int64_t c = 0;
    size_t pos = sa.a;
    for (;;) {
        intptr_t f = search(data_of(self) + pos, sa.b - pos, data_of(sa.sub), ns, 0);
        if (f < 0)
            break;
        c++;
        pos += (size_t)f + ns;
    }
    return tw_int_from_i64(c);
}

/* startswith/endswith: prefix is a str or a tuple of strs. */
static TwObject *affix_impl(TwObject *self, TwObject *const *args, size_t nargs,
                            TwObject *kwnames, int end_side, const char *fname)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", fname);
        return NULL;
    }
    if (nargs < 1 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 3 arguments", nargs);
        return NULL;
    }
    intptr_t len = tw_str_length(self), start, end;
    if (range_args(nargs > 1 ? args[1] : NULL, nargs > 2 ? args[2] : NULL, len, &start, &end) < 0)
        return NULL;
    TwObject *arg = args[0];
    int is_tuple = tw_tuple_check(arg);
    intptr_t n = is_tuple ? tw_tuple_size(arg) : 1;
    if (!is_tuple && !tw_str_check(arg)) {
        tw_err_format(&tw_exc_TypeError,
                      "%s first arg must be str or a tuple of str, not %s", fname,
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    if (start > len)
        return TW_FALSE;
    size_t a = (size_t)tw_str_offset(self, start), b = (size_t)tw_str_offset(self, end < start ? start : end);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *p = is_tuple ? tw_tuple_get_item_borrowed(arg, i) : arg;
        if (!tw_str_check(p)) {
            tw_err_format(&tw_exc_TypeError,
                          "tuple for %s must only contain str, not %s", fname,
                          TW_TYPE(p)->tp_name);
            return NULL;
        }
        size_t np = size_of(p);
        if (end < start)
            continue;
        if (np > b - a)
            continue;
        const char *at = data_of(self) + (end_side ? b - np : a);
        if (memcmp(at, data_of(p), np) == 0)
            return TW_TRUE;
    }
    return TW_FALSE;
}

static TwObject *m_startswith(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    return affix_impl(self, args, nargs, kwnames, 0, "startswith");
}

static TwObject *m_endswith(TwObject *self, TwObject *const *args, size_t nargs,
                            TwObject *kwnames)
{
    return affix_impl(self, args, nargs, kwnames, 1, "endswith");
}

static TwObject *m_removeprefix(TwObject *self, TwObject *prefix)
{
    if (need_str(prefix, "removeprefix() argument must be str, not %s") < 0)
        return NULL;
    size_t np = size_of(prefix);
    if (np <= size_of(self) && memcmp(data_of(self), data_of(prefix), np) == 0 && np > 0)
        return tw_str_from_valid(data_of(self) + np, size_of(self) - np);
    return TW_TYPE(self) == &tw_str_type ? tw_newref(self)
                                         : tw_str_from_valid(data_of(self), size_of(self));
}

static TwObject *m_removesuffix(TwObject *self, TwObject *suffix)
{
    if (need_str(suffix, "removesuffix() argument must be str, not %s") < 0)
        return NULL;
    size_t ns = size_of(suffix), n = size_of(self);
    if (ns > 0 && ns <= n && memcmp(data_of(self) + n - ns, data_of(suffix), ns) == 0)
        return tw_str_from_valid(data_of(self), n - ns);
    return TW_TYPE(self) == &tw_str_type ? tw_newref(self) : tw_str_from_valid(data_of(self), n);
}

/* ---- case mapping ---------------------------------------------------------------------------- */

enum { CASE_UPPER, CASE_LOWER, CASE_SWAP, CASE_TITLE, CASE_CAPITALIZE, CASE_FOLD };

/* Map every character; 'ß' becomes "SS" in upper/title/swap and "ss" in
 * casefold, as Python's full mappings do. */
static TwObject *map_case(TwObject *self, int mode)
{
    const char *d = data_of(self), *end = d + size_of(self);
    size_t cap = size_of(self) * 2 + 4, o = 0;
    char *buf = tw_mem_malloc(cap);
    if (buf == NULL)
        return tw_err_no_memory();
    int prev_cased = 0, first = 1;
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        uint32_t out = c;
        int upper;
        switch (mode) {
        case CASE_UPPER:
            upper = 1;
            break;
        case CASE_LOWER:
        case CASE_FOLD:
            upper = 0;
            break;
        case CASE_SWAP:
            upper = is_lower_cp(c);
            if (!upper && !is_upper_cp(c)) {
                upper = -1;
            }
            break;
        case CASE_TITLE:
            upper = !prev_cased;
            break;
        default: /* capitalize */
            upper = first;
            break;
        }
        int cased = is_upper_cp(c) || is_lower_cp(c);
        if (o + 8 > cap) {
            cap *= 2;
            char *nb = tw_mem_realloc(buf, cap);
            if (nb == NULL) {
                tw_mem_free(buf);
                return tw_err_no_memory();
            }
            buf = nb;
        }
        if (c == 0xDF && (upper == 1 || mode == CASE_FOLD)) {
            const char *ss = mode == CASE_FOLD ? "ss" : (mode == CASE_TITLE || mode == CASE_CAPITALIZE) ? "Ss" : "SS";
            memcpy(buf + o, ss, 2);
            o += 2;
        } else {
            if (upper == 1)
                out = to_upper(c);
            else if (upper == 0)
                out = to_lower(c);
            if (mode == CASE_FOLD && c == 0x3C2)
                out = 0x3C3;
            /* A capital sigma that ends a word lowers to the final form. */
            if (c == 0x3A3 && upper == 0 && mode != CASE_FOLD && prev_cased) {
                int next_cased = 0;
                if (p < end) {
                    int nl;
                    uint32_t nc = decode(p, &nl);
                    next_cased = is_upper_cp(nc) || is_lower_cp(nc);
                }
                if (!next_cased)
                    out = 0x3C2;
            }
            o += (size_t)encode(out, buf + o);
        }
        prev_cased = cased;
        first = 0;
    }
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

static TwObject *m_upper(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_UPPER);
}

static TwObject *m_lower(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_LOWER);
}

static TwObject *m_swapcase(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_SWAP);
}

static TwObject *m_title(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_TITLE);
}

static TwObject *m_capitalize(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_CAPITALIZE);
}

static TwObject *m_casefold(TwObject *self, TwObject *unused)
{
    return map_case(self, CASE_FOLD);
}

/* ---- predicates --------------------------------------------------------------------------------- */

enum { P_DIGIT, P_ALPHA, P_SPACE, P_ALNUM, P_NUMERIC, P_DECIMAL, P_ASCII };

/* Every character satisfies the predicate (and there is at least one,
 * except for isascii). */
static TwObject *all_chars(TwObject *self, int pred)
{
    const char *d = data_of(self), *end = d + size_of(self);
    if (d == end)
        return tw_bool_from_long(pred == P_ASCII);
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        int ok;
        switch (pred) {
        case P_DIGIT:
            ok = is_digit_cp(c);
            break;
        case P_ALPHA:
            ok = is_alpha_cp(c);
            break;
        case P_SPACE:
            ok = is_space_cp(c);
            break;
        case P_ALNUM:
            ok = is_alpha_cp(c) || is_numeric_cp(c);
            break;
        case P_NUMERIC:
            ok = is_numeric_cp(c);
            break;
        case P_DECIMAL:
            ok = decimal_value(c) >= 0;
            break;
        default:
            ok = c < 0x80;
            break;
        }
        if (!ok)
            return TW_FALSE;
    }
    return TW_TRUE;
}

static TwObject *m_isdigit(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_DIGIT);
}

static TwObject *m_isalpha(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_ALPHA);
}

static TwObject *m_isspace(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_SPACE);
}

static TwObject *m_isalnum(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_ALNUM);
}

static TwObject *m_isnumeric(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_NUMERIC);
}

static TwObject *m_isdecimal(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_DECIMAL);
}

static TwObject *m_isascii(TwObject *self, TwObject *unused)
{
    return all_chars(self, P_ASCII);
}

/* isupper/islower: at least one cased character, and none of the other case. */
static TwObject *case_pred(TwObject *self, int want_upper)
{
    const char *d = data_of(self), *end = d + size_of(self);
    int cased = 0;
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        if (want_upper ? is_lower_cp(c) : is_upper_cp(c))
            return TW_FALSE;
        if (want_upper ? is_upper_cp(c) : is_lower_cp(c))
            cased = 1;
    }
    return tw_bool_from_long(cased);
}

static TwObject *m_isupper(TwObject *self, TwObject *unused)
{
    return case_pred(self, 1);
}

static TwObject *m_islower(TwObject *self, TwObject *unused)
{
    return case_pred(self, 0);
}

/* istitle: uppercase characters only after uncased ones, lowercase only
 * after cased ones, and at least one cased character. */
static TwObject *m_istitle(TwObject *self, TwObject *unused)
{
    const char *d = data_of(self), *end = d + size_of(self);
    int prev_cased = 0, any = 0;
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        if (is_upper_cp(c)) {
            if (prev_cased)
                return TW_FALSE;
            prev_cased = any = 1;
        } else if (is_lower_cp(c)) {
            if (!prev_cased)
                return TW_FALSE;
            prev_cased = any = 1;
        } else {
            prev_cased = 0;
        }
    }
    return tw_bool_from_long(any);
}

static TwObject *m_isidentifier(TwObject *self, TwObject *unused)
{
    const char *d = data_of(self), *end = d + size_of(self);
    if (d == end)
        return TW_FALSE;
    int first = 1;
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        int ok = c == '_' || is_alpha_cp(c) || (!first && (decimal_value(c) >= 0));
        if (!ok)
            return TW_FALSE;
        first = 0;
    }
    return TW_TRUE;
}

static TwObject *m_isprintable(TwObject *self, TwObject *unused)
{
    const char *d = data_of(self), *end = d + size_of(self);
    for (const char *p = d; p < end;) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || c == 0xAD)
            return TW_FALSE;
    }
    return TW_TRUE;
}

/* ---- padding ------------------------------------------------------------------------------------ */

/* The width and fill character arguments of ljust/rjust/center. */
static int pad_args(TwObject *const *args, size_t nargs, TwObject *kwnames, const char *fname,
                    int64_t *width, const char **fill, int *fill_len)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "%s expected %s, got %zu", fname,
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return -1;
    }
    if (!tw_int_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(args[0])->tp_name);
        return -1;
    }
    int overflow;
    *width = tw_int_as_i64_overflow(args[0], &overflow);
    if (overflow > 0) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    if (overflow < 0)
        *width = 0;
    *fill = " ";
    *fill_len = 1;
    if (nargs > 1) {
        if (!tw_str_check(args[1])) {
            tw_err_format(&tw_exc_TypeError,
                          "%s() argument 2 must be str, not %s", fname, TW_TYPE(args[1])->tp_name);
            return -1;
        }
        if (tw_str_length(args[1]) != 1) {
            tw_err_set_string(&tw_exc_TypeError,
                              "The fill character must be exactly one character long");
            return -1;
        }
        *fill = data_of(args[1]);
        *fill_len = (int)size_of(args[1]);
    }
    return 0;
}

/* left and right copies of the fill around self. */
static TwObject *pad(TwObject *self, int64_t left, int64_t right, const char *fill, int fill_len)
{
    if (left <= 0 && right <= 0 && TW_TYPE(self) == &tw_str_type)
        return tw_newref(self);
    if (left < 0)
        left = 0;
    if (right < 0)
        right = 0;
    size_t total = size_of(self) + (size_t)(left + right) * (size_t)fill_len;
    char *buf = tw_mem_malloc(total + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0;
    for (int64_t i = 0; i < left; i++, o += (size_t)fill_len)
        memcpy(buf + o, fill, (size_t)fill_len);
    memcpy(buf + o, data_of(self), size_of(self));
    o += size_of(self);
    for (int64_t i = 0; i < right; i++, o += (size_t)fill_len)
        memcpy(buf + o, fill, (size_t)fill_len);
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

static TwObject *m_ljust(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int64_t w;
    const char *fill;
    int fl;
    if (pad_args(args, nargs, kwnames, "ljust", &w, &fill, &fl) < 0)
        return NULL;
    return pad(self, 0, w - tw_str_length(self), fill, fl);
}

static TwObject *m_rjust(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int64_t w;
    const char *fill;
    int fl;
    if (pad_args(args, nargs, kwnames, "rjust", &w, &fill, &fl) < 0)
        return NULL;
    return pad(self, w - tw_str_length(self), 0, fill, fl);
}

/* center: the extra character of an odd padding goes left when the width
 * is odd, as CPython's formula gives. */
static TwObject *m_center(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int64_t w;
    const char *fill;
    int fl;
    if (pad_args(args, nargs, kwnames, "center", &w, &fill, &fl) < 0)
        return NULL;
    int64_t marg = w - tw_str_length(self);
    if (marg <= 0)
        return pad(self, 0, 0, fill, fl);
    int64_t left = marg / 2 + (marg & w & 1);
    return pad(self, left, marg - left, fill, fl);
}

static TwObject *m_zfill(TwObject *self, TwObject *width)
{
    if (!tw_int_check(width)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(width)->tp_name);
        return NULL;
    }
    int overflow;
    int64_t w = tw_int_as_i64_overflow(width, &overflow);
    if (overflow < 0)
        w = 0;
    int64_t fill = w - tw_str_length(self);
    if (fill <= 0)
        return pad(self, 0, 0, "0", 1);
    TwObject *r = pad(self, fill, 0, "0", 1);
    if (r == NULL)
        return NULL;
    /* A sign moves in front of the zeros. */
    TwStrObject *rs = (TwStrObject *)r;
    if (size_of(self) > 0 && (data_of(self)[0] == '+' || data_of(self)[0] == '-')) {
        rs->data[0] = data_of(self)[0];
        rs->data[fill] = '0';
    }
    return r;
}

static TwObject *m_expandtabs(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    static const char *const names[] = {"tabsize", NULL};
    TwObject *got[1];
    if (tw_scalar_parse_args("expandtabs", args, nargs, kwnames, names, 0, 1, 0, got) < 0)
        return NULL;
    int64_t tab = 8;
    if (got[0] != NULL) {
        tab = tw_int_as_i64(got[0]);
        if (tab == -1 && tw_err_occurred())
            return NULL;
    }
    const char *d = data_of(self), *end = d + size_of(self);
    size_t cap = size_of(self) + 16, o = 0;
    char *buf = tw_mem_malloc(cap);
    if (buf == NULL)
        return tw_err_no_memory();
    int64_t col = 0;
    for (const char *p = d; p < end;) {
        int len = seq_len((unsigned char)*p);
        int64_t add = *p == '\t' ? (tab > 0 ? tab - col % tab : 0) : len;
        if (o + (size_t)add + 4 > cap) {
            while (o + (size_t)add + 4 > cap)
                cap *= 2;
            char *nb = tw_mem_realloc(buf, cap);
            if (nb == NULL) {
                tw_mem_free(buf);
                return tw_err_no_memory();
            }
            buf = nb;
        }
        if (*p == '\t') {
            memset(buf + o, ' ', (size_t)add);
            o += (size_t)add;
            col += add;
        } else {
            memcpy(buf + o, p, (size_t)len);
            o += (size_t)len;
            col = (*p == '\n' || *p == '\r') ? 0 : col + 1;
        }
        p += len;
    }
    TwObject *r = tw_str_from_valid(buf, o);
    tw_mem_free(buf);
    return r;
}

/* ---- encode, format ---------------------------------------------------------------------------- */

/* The canonical codec name for an encoding name: "utf-8", "ascii",
 * "latin-1", or NULL (case and '-'/'_' differences are ignored). */
const char *tw_codec_name(const char *enc)
{
    char norm[32];
    size_t k = 0;
    for (const char *p = enc; *p && k < sizeof norm - 1; p++) {
        char c = *p;
        if (c == '_' || c == ' ')
            c = '-';
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        norm[k++] = c;
    }
    norm[k] = '\0';
    if (!strcmp(norm, "utf-8") || !strcmp(norm, "utf8") || !strcmp(norm, "u8"))
        return "utf-8";
    if (!strcmp(norm, "ascii") || !strcmp(norm, "us-ascii") || !strcmp(norm, "646"))
        return "ascii";
    if (!strcmp(norm, "latin-1") || !strcmp(norm, "latin1") || !strcmp(norm, "iso-8859-1") ||
        !strcmp(norm, "iso8859-1") || !strcmp(norm, "l1") || !strcmp(norm, "8859") ||
        !strcmp(norm, "cp819") || !strcmp(norm, "latin"))
        return "latin-1";
    return NULL;
}

TwObject *tw_str_encode(TwObject *s, const char *encoding, const char *errors)
{
    const char *codec = tw_codec_name(encoding == NULL ? "utf-8" : encoding);
    if (errors == NULL)
        errors = "strict";
    if (codec == NULL) {
        tw_err_format(&tw_exc_LookupError, "unknown encoding: %s", encoding);
        return NULL;
    }
    if (strcmp(codec, "utf-8") == 0 || is_ascii(s))
        return tw_bytes_from_data(data_of(s), size_of(s));
    uint32_t limit = strcmp(codec, "ascii") == 0 ? 0x80 : 0x100;
    char *buf = tw_mem_malloc(size_of(s) + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0;
    intptr_t index = 0;
    for (const char *p = data_of(s), *end = p + size_of(s); p < end; index++) {
        int len;
        uint32_t c = decode(p, &len);
        p += len;
        if (c < limit) {
            buf[o++] = (char)c;
        } else if (strcmp(errors, "ignore") == 0) {
        } else if (strcmp(errors, "replace") == 0) {
            buf[o++] = '?';
        } else {
            tw_mem_free(buf);
            char why[32];
            snprintf(why, sizeof why, "ordinal not in range(%u)", limit);
            tw_err_unicode_encode(codec, s, (size_t)index, (size_t)index + 1, why);
            return NULL;
        }
    }
    TwObject *r = tw_bytes_from_data(buf, o);
    tw_mem_free(buf);
    return r;
}

static TwObject *m_encode(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"encoding", "errors", NULL};
    TwObject *got[2];
    if (tw_scalar_parse_args("encode", args, nargs, kwnames, names, 0, 2, 0, got) < 0)
        return NULL;
    const char *enc = cstr_arg(got[0], "utf-8", "encode", "encoding");
    const char *errors = enc == NULL ? NULL : cstr_arg(got[1], "strict", "encode", "errors");
    if (errors == NULL)
        return NULL;
    return tw_str_encode(self, enc, errors);
}

static TwObject *m_format(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return tw_str_format_call(self, args, nargs, kwnames);
}

static TwObject *m_format_map(TwObject *self, TwObject *mapping)
{
    return tw_str_format_map(self, mapping);
}

static TwObject *m_dunder_format(TwObject *self, TwObject *spec)
{
    if (!tw_str_check(spec)) {
        tw_err_format(&tw_exc_TypeError, "__format__() argument must be str, not %s",
                      TW_TYPE(spec)->tp_name);
        return NULL;
    }
    return tw_format_builtin(self, spec);
}

#define FAST(f) ((void (*)(void))(f)), TW_METH_FASTCALL
#define NOARGS(f) ((void (*)(void))(f)), TW_METH_NOARGS
#define ONE(f) ((void (*)(void))(f)), TW_METH_O

const TwMethodDef tw_str_methods[] = {
    {"join", ONE(m_join), NULL},
    {"split", FAST(m_split), NULL},
    {"rsplit", FAST(m_rsplit), NULL},
    {"splitlines", FAST(m_splitlines), NULL},
    {"strip", FAST(m_strip), NULL},
    {"lstrip", FAST(m_lstrip), NULL},
    {"rstrip", FAST(m_rstrip), NULL},
    {"replace", FAST(m_replace), NULL},
    {"find", FAST(m_find), NULL},
    {"rfind", FAST(m_rfind), NULL},
    {"index", FAST(m_index), NULL},
    {"rindex", FAST(m_rindex), NULL},
    {"count", FAST(m_count), NULL},
    {"startswith", FAST(m_startswith), NULL},
    {"endswith", FAST(m_endswith), NULL},
    {"removeprefix", ONE(m_removeprefix), NULL},
    {"removesuffix", ONE(m_removesuffix), NULL},
    {"partition", ONE(m_partition), NULL},
    {"rpartition", ONE(m_rpartition), NULL},
    {"upper", NOARGS(m_upper), NULL},
    {"lower", NOARGS(m_lower), NULL},
    {"swapcase", NOARGS(m_swapcase), NULL},
    {"title", NOARGS(m_title), NULL},
    {"capitalize", NOARGS(m_capitalize), NULL},
    {"casefold", NOARGS(m_casefold), NULL},
    {"isdigit", NOARGS(m_isdigit), NULL},
    {"isalpha", NOARGS(m_isalpha), NULL},
    {"isspace", NOARGS(m_isspace), NULL},
    {"isalnum", NOARGS(m_isalnum), NULL},
    {"isnumeric", NOARGS(m_isnumeric), NULL},
    {"isdecimal", NOARGS(m_isdecimal), NULL},
    {"isascii", NOARGS(m_isascii), NULL},
    {"isupper", NOARGS(m_isupper), NULL},
    {"islower", NOARGS(m_islower), NULL},
    {"istitle", NOARGS(m_istitle), NULL},
    {"isidentifier", NOARGS(m_isidentifier), NULL},
    {"isprintable", NOARGS(m_isprintable), NULL},
    {"ljust", FAST(m_ljust), NULL},
    {"rjust", FAST(m_rjust), NULL},
    {"center", FAST(m_center), NULL},
    {"zfill", ONE(m_zfill), NULL},
    {"expandtabs", FAST(m_expandtabs), NULL},
    {"encode", FAST(m_encode), NULL},
    {"format", FAST(m_format), NULL},
    {"format_map", ONE(m_format_map), NULL},
    {"__format__", ONE(m_dunder_format), NULL},
    {NULL, NULL, 0, NULL},
};
