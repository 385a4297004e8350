/* Internal: helpers shared by the immutable built-in types (int, float,
 * str, bytes, tuple).  Not part of the public API.
 *
 * Comparison slots.  Each type's tp_richcompare handles the operand types
 * it knows (int also knows float and the reverse); for another built-in
 * type it answers == with False and != with True and raises TypeError for
 * the four orderings, and for a class defined in Python it returns
 * NotImplemented so the reflected method runs (tw_scalar_compare_unsupported).
 *
 * Hashing.  Hashes follow CPython where Python code can observe them
 * (numbers, tuples, None), so that sets and dicts of such keys iterate in
 * CPython's order.  str and bytes hashes are randomised in CPython; twinpy
 * uses SipHash-1-3 with a fixed key instead, so they are reproducible from
 * run to run.  No hash is ever -1: that value means "error" in tp_hash. */
#ifndef TWINPY_CORE_SCALAR_H
#define TWINPY_CORE_SCALAR_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/twinpy.h>
#include <twinpy/abstract.h>

/* ---- tables and helpers shared between the scalar files --------------------- */

extern const TwNumberMethods tw_int_number_methods;  /* core/int.c */
extern const TwNumberMethods tw_bool_number_methods; /* core/int.c */
extern const TwMethodDef tw_int_methods[];           /* core/int.c */
extern const TwNumberMethods tw_float_number_methods; /* core/float.c */
extern const TwMethodDef tw_float_methods[];          /* core/float.c */
extern const TwNumberMethods tw_str_number_methods;   /* core/strmethods.c */
extern const TwMethodDef tw_str_methods[];            /* core/strmethods.c */
extern const TwNumberMethods tw_bytes_number_methods; /* core/bytesmethods.c */
extern const TwMethodDef tw_bytes_methods[];          /* core/bytesmethods.c */

/* int(text, base) for the n bytes at s; is_bytes selects the bytes repr in
 * the ValueError message (core/int.c). */
TwObject *tw_int_parse(const char *s, size_t n, int base, int is_bytes);
/* The digits of |op| in base (2..36, lowercase) as a NUL-terminated buffer
 * from tw_mem_malloc that the caller frees; *negative gets the sign and
 * *len the digit count.  NULL with an exception (the decimal digit limit,
 * memory). */
char *tw_int_digits(TwObject *op, int base, int *negative, size_t *len);
/* repr(x) into out (core/float.c). */
void tw_float_repr_buf(double x, char out[40]);
/* float ** float with Python's errors (core/float.c). */
TwObject *tw_float_power_double(double x, double y);
/* float(text) for the n bytes at s; is_bytes as for tw_int_parse.  0 with
 * *out set, or -1 with ValueError "could not convert string to float: ...". */
int tw_float_parse(const char *s, size_t n, int is_bytes, double *out);

/* str internals (core/str.c, core/strmethods.c). */
TwObject *tw_str_from_valid(const char *s, size_t n); /* n bytes of valid UTF-8 */
intptr_t tw_str_offset(TwObject *s, intptr_t i);      /* byte offset of code point i */
intptr_t tw_str_len_slot(TwObject *s);
TwObject *tw_str_subscript(TwObject *s, TwObject *key);
int tw_str_contains(TwObject *s, TwObject *sub);
TwObject *tw_str_new_slot(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames);
/* "utf-8", "ascii" or "latin-1" for an encoding name and its aliases, or
 * NULL for an unknown one (core/strmethods.c). */
const char *tw_codec_name(const char *encoding);
/* bytes internals (core/bytesmethods.c). */
intptr_t tw_bytes_len_slot(TwObject *b);
TwObject *tw_bytes_subscript(TwObject *b, TwObject *key);
int tw_bytes_contains(TwObject *b, TwObject *sub);
TwObject *tw_bytes_iter_new(TwObject *b);
TwObject *tw_bytes_new_slot(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames);
/* Decode n bytes with a codec ("utf-8", "ascii", "latin-1" and their
 * aliases) and an error handler ("strict", "ignore", "replace"). */
TwObject *tw_bytes_decode_data(const char *data, size_t n, const char *encoding,
                               const char *errors);

/* Match a call's arguments to parameters: args[0..nargs) positionally,
 * then the keyword values named by kwnames.  out[0..max) receives borrowed
 * references (NULL for absent ones).  The first npos_only parameters
 * cannot be given by keyword; the first min are required.  -1 with
 * TypeError on a mismatch. */
static inline int tw_scalar_parse_args(const char *fname, TwObject *const *args, size_t nargs,
                                       TwObject *kwnames, const char *const *names, size_t min,
                                       size_t max, size_t npos_only, TwObject **out)
{
    if (nargs > max) {
        tw_err_format(&tw_exc_TypeError, "%s() takes at most %zu argument%s (%zu given)", fname,
                      max, max == 1 ? "" : "s", nargs);
        return -1;
    }
    for (size_t i = 0; i < max; i++)
        out[i] = i < nargs ? args[i] : NULL;
    size_t nkw = kwnames == NULL ? 0 : (size_t)tw_tuple_size(kwnames);
    for (size_t k = 0; k < nkw; k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        size_t j = npos_only;
        while (j < max && !tw_str_equal_cstr(key, names[j]))
            j++;
        if (j == max) {
            tw_err_format(&tw_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                          tw_str_utf8(key), fname);
            return -1;
        }
        if (out[j] != NULL) {
            tw_err_format(&tw_exc_TypeError,
                          "argument for %s() given by name ('%s') and position (%zu)", fname,
                          names[j], j + 1);
            return -1;
        }
        out[j] = args[nargs + k];
    }
    for (size_t i = 0; i < min; i++) {
        if (out[i] == NULL) {
            tw_err_format(&tw_exc_TypeError, "%s() missing required argument '%s' (pos %zu)",
                          fname, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

/* The modulus of numeric hashes: hash(x) == x mod (2**61 - 1) for every
 * rational number x, signed like x, so equal numbers of different types
 * (1, 1.0, True) hash alike. */
#define TW_HASH_BITS    61
#define TW_HASH_MODULUS (((uint64_t)1 << TW_HASH_BITS) - 1)
#define TW_HASH_INF     314159 /* hash(inf); hash(-inf) is its negation */

/* The text of a comparison operator, for error messages. */
static inline const char *tw_scalar_op_name(int op)
{
    static const char *const names[] = {"<", "<=", "==", "!=", ">", ">="};
    return (op >= TW_LT && op <= TW_GE) ? names[op] : "?";
}

/* The operator that gives the same answer with the operands swapped
 * (a < b is b > a). */
static inline int tw_scalar_op_swapped(int op)
{
    static const int swapped[] = {TW_GT, TW_GE, TW_EQ, TW_NE, TW_LT, TW_LE};
    return swapped[op];
}

/* True or False for a three-way comparison result c (<0, 0, >0) under op. */
static inline TwObject *tw_scalar_cmp_result(int c, int op)
{
    int r = 0;
    switch (op) {
    case TW_LT:
        r = c < 0;
        break;
    case TW_LE:
        r = c <= 0;
        break;
    case TW_EQ:
        r = c == 0;
        break;
    case TW_NE:
        r = c != 0;
        break;
    case TW_GT:
        r = c > 0;
        break;
    case TW_GE:
        r = c >= 0;
        break;
    }
    return tw_bool_from_long(r);
}

/* The answer for operands of unrelated types.  A class defined in Python
 * (a heap type) may implement the comparison reflected, so it gets
 * NotImplemented and tw_object_richcompare tries its side; between
 * built-in types the answer is final: unequal, and unordered. */
static inline TwObject *tw_scalar_compare_unsupported(TwObject *a, TwObject *b, int op)
{
    if (TW_TYPE(b)->tp_flags & TW_TPFLAGS_HEAPTYPE)
        return tw_newref(TW_NOTIMPLEMENTED);
    if (op == TW_EQ)
        return TW_FALSE;
    if (op == TW_NE)
        return TW_TRUE;
    tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                  tw_scalar_op_name(op), TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
    return NULL;
}

/* Map the error value -1 to -2, as every tp_hash must. */
static inline tw_hash_t tw_scalar_hash_fix(tw_hash_t h)
{
    return h == -1 ? -2 : h;
}

/* A hash from an object's address, for objects whose value gives none
 * (NaN): the low bits of an address are always zero, so rotate them away. */
static inline tw_hash_t tw_scalar_pointer_hash(const void *p)
{
    uint64_t y = (uint64_t)(uintptr_t)p;
    y = (y >> 4) | (y << 60);
    return tw_scalar_hash_fix((tw_hash_t)y);
}

/* ---- SipHash-1-3 over a byte string ---------------------------------------
 *
 * One compression round per 8-byte block and three finalisation rounds,
 * keyed with a constant (twinpy has no hash randomisation).  Shared by str
 * and bytes, whose hashes are cached in the objects. */

#define TW_SIPHASH_K0 UINT64_C(0x5477696e50790001) /* the fixed key */
#define TW_SIPHASH_K1 UINT64_C(0x0f1e2d3c4b5a6978)

static inline uint64_t tw_sip_rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define TW_SIP_ROUND(v0, v1, v2, v3)                                                               \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = tw_sip_rotl(v1, 13);                                                                  \
        v1 ^= v0;                                                                                  \
        v0 = tw_sip_rotl(v0, 32);                                                                  \
        v2 += v3;                                                                                  \
        v3 = tw_sip_rotl(v3, 16);                                                                  \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = tw_sip_rotl(v3, 21);                                                                  \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = tw_sip_rotl(v1, 17);                                                                  \
        v1 ^= v2;                                                                                  \
        v2 = tw_sip_rotl(v2, 32);                                                                  \
    } while (0)

/* The hash of n bytes at data, never -1.  Blocks are read little-endian
 * byte by byte, so the value does not depend on the host's byte order. */
static inline tw_hash_t tw_scalar_hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t v0 = TW_SIPHASH_K0 ^ UINT64_C(0x736f6d6570736575);
    uint64_t v1 = TW_SIPHASH_K1 ^ UINT64_C(0x646f72616e646f6d);
    uint64_t v2 = TW_SIPHASH_K0 ^ UINT64_C(0x6c7967656e657261);
    uint64_t v3 = TW_SIPHASH_K1 ^ UINT64_C(0x7465646279746573);
    size_t full = n & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = 0;
        for (int k = 7; k >= 0; k--)
            m = (m << 8) | p[i + (size_t)k];
        v3 ^= m;
        TW_SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    /* The last block: the leftover bytes, with the length's low byte on top. */
    uint64_t last = (uint64_t)(n & 0xff) << 56;
    for (size_t k = 0; k < (n & 7); k++)
        last |= (uint64_t)p[full + k] << (8 * k);
    v3 ^= last;
    TW_SIP_ROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    TW_SIP_ROUND(v0, v1, v2, v3);
    TW_SIP_ROUND(v0, v1, v2, v3);
    TW_SIP_ROUND(v0, v1, v2, v3);
    return tw_scalar_hash_fix((tw_hash_t)(v0 ^ v1 ^ v2 ^ v3));
}

/* The quote str and bytes reprs use: ' unless the text holds ' and no ". */
static inline char tw_scalar_repr_quote(const char *s, size_t n)
{
    int single = 0, dbl = 0;
    for (size_t i = 0; i < n; i++) {
        single |= s[i] == '\'';
        dbl |= s[i] == '"';
    }
    return (single && !dbl) ? '"' : '\'';
}

#endif
