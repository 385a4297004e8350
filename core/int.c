/* int: arbitrary-precision integers with Python's semantics (floor
 * division, two's-complement bitwise operators, numeric hashing, exact
 * comparison with floats, correctly rounded true division).
 *
 * Layouts (see include/twinpy/int.h).  A small int keeps its value in the
 * object; a big int stores TW_INT_BIG there and a GMP mpz right after the
 * type's basic size (rounded up to 8), so an instance of a subclass of int
 * still finds the mpz past whatever the subclass adds.  Results are
 * normalised: whatever fits a small int (INT64_MIN excepted, it is the
 * marker) is stored small, so the two layouts never hold the same number.
 *
 * Every operation first tries the int64 path with overflow-checked
 * arithmetic and falls back to GMP.  Small operands enter GMP through
 * read-only views over a stack limb (no allocation).  GMP allocates through
 * tw_mem_* (tw_int_init); it aborts on allocation failure, so requests for
 * absurdly large results are refused first with MemoryError.
 *
 * The small ints -5..256 live in a static table of immortal objects, filled
 * in by the compiler: tw_int_from_i64 hands them out without allocating, and
 * their reference counts never change, so threads share them freely. */
#include <gmp.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/format.h"
#include "core/intgmp.h"
#include "core/scalar.h"
#include "core/tstate.h"

_Static_assert(sizeof(long) == 8, "twinpy's int uses GMP's long functions for int64 values");
_Static_assert(sizeof(mp_limb_t) == 8, "twinpy's int expects 64-bit GMP limbs");

static TwObject *int_repr(TwObject *op);
static tw_hash_t int_hash(TwObject *op);
static TwObject *int_richcompare(TwObject *a, TwObject *b, int op);
static void int_dealloc(TwObject *op);
static TwObject *int_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames);

TwType tw_int_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "int",
    .tp_basicsize = sizeof(TwIntObject),
    .tp_itemsize = 1, /* a big int appends its mpz (bytes) to the basic size */
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = int_dealloc,
    .tp_hash = int_hash,
    .tp_richcompare = int_richcompare,
    .tp_repr = int_repr,
    .tp_str = NULL,
    .tp_as_number = &tw_int_number_methods,
    .tp_new = int_new,
    .tp_methods = tw_int_methods,
};

/* The small-int table: entry i holds the value TW_SMALL_INT_MIN + i.  The
 * SMALLn macros expand to n consecutive entries starting at value v. */
#define SMALL(v)                                                                                   \
    {                                                                                              \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_int_type), .value = (v)                                 \
    }
#define SMALL2(v)   SMALL(v), SMALL((v) + 1)
#define SMALL4(v)   SMALL2(v), SMALL2((v) + 2)
#define SMALL8(v)   SMALL4(v), SMALL4((v) + 4)
#define SMALL16(v)  SMALL8(v), SMALL8((v) + 8)
#define SMALL32(v)  SMALL16(v), SMALL16((v) + 16)
#define SMALL64(v)  SMALL32(v), SMALL32((v) + 32)
#define SMALL128(v) SMALL64(v), SMALL64((v) + 64)
#define SMALL256(v) SMALL128(v), SMALL128((v) + 128)

#define N_SMALL (TW_SMALL_INT_MAX - TW_SMALL_INT_MIN + 1)

/* Immutable and immortal: written only by the compiler. */
static TwIntObject small_ints[N_SMALL] = {
    SMALL4(-5), /* -5 .. -2 */
    SMALL(-1),
    SMALL256(0), /* 0 .. 255 */
    SMALL(256),
};
_Static_assert(TW_SMALL_INT_MIN == -5 && TW_SMALL_INT_MAX == 256,
               "the small-int initialiser spells out -5..256");
_Static_assert(sizeof(small_ints) / sizeof(small_ints[0]) == N_SMALL, "small-int table size");

/* ---- GMP set-up ------------------------------------------------------------- */

static void *gmp_alloc(size_t n)
{
    void *p = tw_mem_malloc(n);
    if (p == NULL)
        tw_fatal("out of memory inside GMP (%zu bytes)", n);
    return p;
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
    void *q = tw_mem_realloc(p, n);
    if (q == NULL)
        tw_fatal("out of memory inside GMP (%zu bytes)", n);
    return q;
}

static void gmp_free(void *p, size_t n)
{
    tw_mem_free(p);
}

/* Idempotent; runs before any big int exists (GMP must free each block
 * with the allocator that made it). */
void tw_int_init(void)
{
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

/* Results from this size on are built only after a trial allocation. */
#define ROOM_PROBE_BYTES ((size_t)16 << 20)

/* ---- layouts ------------------------------------------------------------------ */

static inline size_t mpz_offset(TwType *type)
{
    return (type->tp_basicsize + 7) & ~(size_t)7;
}

static inline mpz_ptr big_of(TwObject *op)
{
    return (mpz_ptr)((char *)op + mpz_offset(TW_TYPE(op)));
}

/* Any int, bool included (bool subclasses int). */
static inline int is_int(TwObject *op)
{
    TwType *t = TW_TYPE(op);
    return t == &tw_int_type || t == &tw_bool_type || tw_type_is_subtype(t, &tw_int_type);
}

static inline int is_small(TwObject *op)
{
    return ((TwIntObject *)op)->value != TW_INT_BIG;
}

static inline int64_t small_value(TwObject *op)
{
    return ((TwIntObject *)op)->value;
}

/* A read-only GMP view of any int: big ints lend their mpz, small ones are
 * described by one limb on the caller's stack. */
typedef struct {
    mp_limb_t limb;
    __mpz_struct z;
} ZView;

static mpz_srcptr view(TwObject *op, ZView *v)
{
    if (!is_small(op))
        return big_of(op);
    int64_t x = small_value(op);
    v->limb = x < 0 ? -(uint64_t)x : (uint64_t)x;
    mpz_roinit_n(&v->z, &v->limb, x < 0 ? -1 : x > 0 ? 1 : 0);
    return &v->z;
}

/* A big int of `type` whose mpz is initialised to zero.  int is a
 * variable-size type of 1-byte items: the items are the padding up to the
 * mpz and the mpz itself (so a subclass keeps its __dict__ in the
 * pre-header the type system gives variable-size types). */
static TwObject *alloc_big(TwType *type)
{
    size_t extra = mpz_offset(type) - type->tp_basicsize + sizeof(__mpz_struct);
    TwObject *op = tw_object_new(type, extra);
    if (op == NULL)
        return NULL;
    ((TwIntObject *)op)->value = TW_INT_BIG;
    mpz_init(big_of(op));
    return op;
}

/* A new int equal to z, taking over z's storage (z is left cleared). */
static TwObject *from_mpz_steal(mpz_ptr z)
{
    if (mpz_fits_slong_p(z)) {
        long v = mpz_get_si(z);
        if (v != INT64_MIN) {
            mpz_clear(z);
            return tw_int_from_i64(v);
        }
    }
    TwObject *op = alloc_big(&tw_int_type);
    if (op == NULL) {
        mpz_clear(z);
        return NULL;
    }
    mpz_swap(big_of(op), z);
    mpz_clear(z);
    return op;
}

/* A new int equal to z (copied). */
static TwObject *from_mpz(mpz_srcptr z)
{
    mpz_t t;
    mpz_init_set(t, z);
    return from_mpz_steal(t);
}

TwObject *tw_int_from_i64(int64_t v)
{
    if (v >= TW_SMALL_INT_MIN && v <= TW_SMALL_INT_MAX)
        return (TwObject *)&small_ints[v - TW_SMALL_INT_MIN]; /* immortal: no incref needed */
    if (v == TW_INT_BIG) {
        mpz_t z;
        mpz_init_set_si(z, v);
        return from_mpz_steal(z);
    }
    TwIntObject *op = (TwIntObject *)tw_object_new(&tw_int_type, 0);
    if (op == NULL)
        return NULL;
    op->value = v;
    return (TwObject *)op;
}

TwObject *tw_int_from_u64(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return tw_int_from_i64((int64_t)v);
    mpz_t z;
    mpz_init_set_ui(z, v);
    return from_mpz_steal(z);
}

TwObject *tw_int_from_double(double v)
{
    if (isnan(v)) {
        tw_err_set_string(&tw_exc_ValueError, "cannot convert float NaN to integer");
        return NULL;
    }
    if (isinf(v)) {
        tw_err_set_string(&tw_exc_OverflowError, "cannot convert float infinity to integer");
        return NULL;
    }
    double t = trunc(v);
    if (t > -9223372036854775808.0 && t < 9223372036854775808.0)
        return tw_int_from_i64((int64_t)t);
    mpz_t z;
    mpz_init_set_d(z, t); /* exact: t is an integer */
    return from_mpz_steal(z);
}

int64_t tw_int_as_i64_overflow(TwObject *op, int *overflow)
{
    *overflow = 0;
    if (is_small(op))
        return small_value(op);
    mpz_srcptr z = big_of(op);
    if (mpz_fits_slong_p(z))
        return mpz_get_si(z); /* INT64_MIN */
    *overflow = mpz_sgn(z);
    return -1;
}

int64_t tw_int_as_i64(TwObject *op)
{
    if (!is_int(op)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(op)->tp_name);
        return -1;
    }
    int overflow;
    int64_t v = tw_int_as_i64_overflow(op, &overflow);
    if (overflow) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C long");
        return -1;
    }
    return v;
}

static void int_dealloc(TwObject *op)
{
    if (!is_small(op))
        mpz_clear(big_of(op));
    tw_object_free(op);
}

int tw_int_sign(TwObject *op)
{
    if (is_small(op)) {
        int64_t v = small_value(op);
        return (v > 0) - (v < 0);
    }
    return mpz_sgn(big_of(op));
}

int tw_int_compare(TwObject *a, TwObject *b)
{
    if (is_small(a) && is_small(b)) {
        int64_t x = small_value(a), y = small_value(b);
        return (x > y) - (x < y);
    }
    ZView va, vb;
    int c = mpz_cmp(view(a, &va), view(b, &vb));
    return (c > 0) - (c < 0);
}

/* ---- conversion to double ---------------------------------------------------
 *
 * The double nearest to num / den (num >= 0, den > 0), ties to even, as
 * Python's int-to-float conversion and int / int give.  The quotient is
 * taken with 55 or 56 significant bits (shifting one operand), a nonzero
 * remainder is remembered as a sticky bit, and the bits below the
 * precision the result can hold (53, or fewer for a subnormal result) are
 * rounded off by hand.  The rounded integer times a power of two is then
 * exact in a double.  Returns HUGE_VAL when the result overflows. */
static double ratio_to_double(mpz_srcptr num, mpz_srcptr den)
{
    if (mpz_sgn(num) == 0)
        return 0.0;
    int64_t na = (int64_t)mpz_sizeinbase(num, 2), nb = (int64_t)mpz_sizeinbase(den, 2);
    if (na - nb > 1100)
        return HUGE_VAL;
    if (na - nb < -1200)
        return 0.0;
    int64_t s = 55 - (na - nb); /* value = q * 2**-s, q has 55..56 bits */
    mpz_t n, d, q, r;
    mpz_inits(n, d, q, r, NULL);
    if (s >= 0) {
        mpz_mul_2exp(n, num, (mp_bitcnt_t)s);
        mpz_set(d, den);
    } else {
        mpz_set(n, num);
        mpz_mul_2exp(d, den, (mp_bitcnt_t)-s);
    }
    mpz_tdiv_qr(q, r, n, d);
    uint64_t qv = mpz_get_ui(q);
    int sticky = mpz_sgn(r) != 0;
    mpz_clears(n, d, q, r, NULL);

    int bits = 64 - __builtin_clzll(qv);
    int64_t top = bits - 1 - s; /* exponent of the leading bit */
    int64_t lowest = top - 52;  /* exponent of the last bit kept */
    if (lowest < -1074)
        lowest = -1074;
    int64_t drop = lowest + s; /* bits of q below the last kept one */
    uint64_t m = qv;
    if (drop > 0) {
        if (drop > 63) {
            m = 0;
            /* q < 2**56 <= 2**(drop-1): below half of the last place. */
        } else {
            uint64_t rest = qv & ((UINT64_C(1) << drop) - 1);
            uint64_t half = UINT64_C(1) << (drop - 1);
            m = qv >> drop;
            if (rest > half || (rest == half && (sticky || (m & 1))))
                m++;
        }
    } else {
        lowest = -s; /* q is exact at its own scale (no bits dropped) */
    }
    double r_d = ldexp((double)m, (int)lowest);
    return r_d;
}

double tw_int_as_double(TwObject *op)
{
    if (is_small(op)) {
        int64_t v = small_value(op);
        if (v >= -(INT64_C(1) << 53) && v <= (INT64_C(1) << 53))
            return (double)v;
    }
    ZView vv;
    mpz_srcptr z = view(op, &vv);
    mpz_t mag, one;
    mpz_init(mag);
    mpz_abs(mag, z);
    mpz_init_set_ui(one, 1);
    double d = ratio_to_double(mag, one);
    mpz_clears(mag, one, NULL);
    if (isinf(d)) {
        tw_err_set_string(&tw_exc_OverflowError, "int too large to convert to float");
        return -1.0;
    }
    return mpz_sgn(z) < 0 ? -d : d;
}

/* ---- parsing ------------------------------------------------------------------ */

static _Atomic int64_t max_str_digits = 4300; /* atomic (relaxed): sys may change it */

void tw_int_set_max_str_digits(int64_t limit)
{
    tw_atomic_store_relaxed(&max_str_digits, limit);
}

int64_t tw_int_get_max_str_digits(void)
{
    return tw_atomic_load_relaxed(&max_str_digits);
}

static inline int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static inline int digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* ValueError "invalid literal for int() with base B: <repr>", where the
 * repr is of the str (or, when is_bytes, the bytes) the text came from. */
static TwObject *invalid_literal(const char *s, size_t n, int base, int is_bytes)
{
    TwObject *text = is_bytes ? tw_bytes_from_data(s, n) : tw_str_from_utf8(s, n);
    if (text == NULL)
        return NULL;
    TwObject *r = tw_object_repr(text);
    tw_decref(text);
    if (r == NULL)
        return NULL;
    tw_err_format(&tw_exc_ValueError, "invalid literal for int() with base %d: %s", base,
                  tw_str_utf8(r));
    tw_decref(r);
    return NULL;
}

/* The body of int(text, base); is_bytes picks the repr in error messages.
 * The digits (underscores removed) are checked here and converted by an
 * int64 loop when short, by GMP otherwise. */
TwObject *tw_int_parse(const char *s, size_t n, int base, int is_bytes)
{
    if (base != 0 && (base < 2 || base > 36)) {
        tw_err_set_string(&tw_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    int negative = 0;
    if (p < end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        p++;
    }
    int b = base;
    int after_prefix = 0; /* an underscore may directly follow a prefix */
    if (end - p >= 2 && p[0] == '0') {
        int c = p[1] | 0x20;
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb != 0 && (b == 0 || b == pb)) {
            b = pb;
            p += 2;
            after_prefix = 1;
        }
    }
    int base0_decimal = b == 0;
    if (b == 0)
        b = 10;
    size_t avail = (size_t)(end - p);
    char small_buf[64];
    char *digits = avail < sizeof small_buf ? small_buf : tw_mem_malloc(avail + 1);
    if (digits == NULL)
        return tw_err_no_memory();
    size_t nd = 0;
    int ok = p < end;
    int prev_underscore = 0;
    for (const unsigned char *q = p; ok && q < end; q++) {
        if (*q == '_') {
            if (prev_underscore || (q == p && !after_prefix) || q + 1 == end)
                ok = 0;
            prev_underscore = 1;
            continue;
        }
        prev_underscore = 0;
        if (digit_value(*q) >= b)
            ok = 0;
        else
            digits[nd++] = (char)*q;
    }
    if (ok && nd == 0)
        ok = 0;
    /* Base 0 forbids leading zeros in a nonzero decimal ("010"). */
    if (ok && base0_decimal && digits[0] == '0') {
        for (size_t i = 0; i < nd; i++)
            if (digits[i] != '0')
                ok = 0;
    }
    TwObject *result = NULL;
    if (!ok) {
        invalid_literal(s, n, base, is_bytes);
    } else if ((b & (b - 1)) != 0 && tw_int_get_max_str_digits() > 0 &&
               (int64_t)nd > tw_int_get_max_str_digits()) {
        tw_err_format(&tw_exc_ValueError,
                      "Exceeds the limit (%" PRId64 " digits) for integer string conversion: "
                      "value has %zu digits; use sys.set_int_max_str_digits() to increase the limit",
                      tw_int_get_max_str_digits(), nd);
    } else {
        uint64_t acc = 0;
        int fits = 1;
        for (size_t i = 0; i < nd && fits; i++) {
            uint64_t d = (uint64_t)digit_value((unsigned char)digits[i]);
            if (acc > (UINT64_MAX - d) / (uint64_t)b)
                fits = 0;
            else
                acc = acc * (uint64_t)b + d;
        }
        if (fits && acc <= (uint64_t)INT64_MAX) {
            result = tw_int_from_i64(negative ? -(int64_t)acc : (int64_t)acc);
        } else {
            digits[nd] = '\0';
            mpz_t z;
            mpz_init(z);
            mpz_set_str(z, digits, b); /* validated above: cannot fail */
            if (negative)
                mpz_neg(z, z);
            result = from_mpz_steal(z);
        }
    }
    if (digits != small_buf)
        tw_mem_free(digits);
    return result;
}

TwObject *tw_int_from_string(const char *s, size_t n, int base)
{
    return tw_int_parse(s, n, base, 0);
}

/* ---- text ----------------------------------------------------------------------- */

char *tw_int_digits(TwObject *op, int base, int *negative, size_t *len)
{
    char *buf;
    if (is_small(op)) {
        int64_t v = small_value(op);
        uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
        char tmp[72];
        size_t k = sizeof tmp;
        do {
            tmp[--k] = "0123456789abcdefghijklmnopqrstuvwxyz"[m % (uint64_t)base];
            m /= (uint64_t)base;
        } while (m != 0);
        *len = sizeof tmp - k;
        *negative = v < 0;
        buf = tw_mem_malloc(*len + 1);
        if (buf == NULL)
            return (char *)tw_err_no_memory();
        memcpy(buf, tmp + k, *len);
        buf[*len] = '\0';
        return buf;
    }
    mpz_srcptr z = big_of(op);
    if (base == 10 && tw_int_get_max_str_digits() > 0) {
        /* log10(2) < 0.30103: a bound on the digits without converting. */
        double approx = (double)mpz_sizeinbase(z, 2) * 0.30102999566398;
        if (approx - 2 > (double)tw_int_get_max_str_digits()) {
            tw_err_format(&tw_exc_ValueError,
                          "Exceeds the limit (%" PRId64 " digits) for integer string conversion; "
                          "use sys.set_int_max_str_digits() to increase the limit",
                          tw_int_get_max_str_digits());
            return NULL;
        }
    }
    size_t cap = mpz_sizeinbase(z, base) + 2;
    buf = tw_mem_malloc(cap);
    if (buf == NULL)
        return (char *)tw_err_no_memory();
    mpz_get_str(buf, base, z);
    *negative = buf[0] == '-';
    if (*negative)
        memmove(buf, buf + 1, strlen(buf));
    *len = strlen(buf);
    if (base == 10 && tw_int_get_max_str_digits() > 0 &&
        (int64_t)*len > tw_int_get_max_str_digits()) {
        tw_mem_free(buf);
        tw_err_format(&tw_exc_ValueError,
                      "Exceeds the limit (%" PRId64 " digits) for integer string conversion; "
                      "use sys.set_int_max_str_digits() to increase the limit",
                      tw_int_get_max_str_digits());
        return NULL;
    }
    return buf;
}

/* The text sign, prefix, digits of op in base. */
static TwObject *to_base(TwObject *op, int base, const char *prefix)
{
    if (is_small(op) && base == 10) {
        char buf[32];
        snprintf(buf, sizeof buf, "%" PRId64, small_value(op));
        return tw_str_from_cstr(buf);
    }
    int negative;
    size_t len;
    char *digits = tw_int_digits(op, base, &negative, &len);
    if (digits == NULL)
        return NULL;
    size_t plen = strlen(prefix);
    char *buf = tw_mem_malloc(len + plen + 2);
    if (buf == NULL) {
        tw_mem_free(digits);
        return tw_err_no_memory();
    }
    size_t k = 0;
    if (negative)
        buf[k++] = '-';
    memcpy(buf + k, prefix, plen);
    memcpy(buf + k + plen, digits, len);
    TwObject *r = tw_str_from_utf8(buf, k + plen + len);
    tw_mem_free(buf);
    tw_mem_free(digits);
    return r;
}

TwObject *tw_int_to_decimal(TwObject *op)
{
    return to_base(op, 10, "");
}

TwObject *tw_int_to_hex(TwObject *op)
{
    return to_base(op, 16, "0x");
}

TwObject *tw_int_to_oct(TwObject *op)
{
    return to_base(op, 8, "0o");
}

TwObject *tw_int_to_bin(TwObject *op)
{
    return to_base(op, 2, "0b");
}

static TwObject *int_repr(TwObject *op)
{
    return to_base(op, 10, "");
}

/* ---- hash and comparison ----------------------------------------------------- */

/* hash(n) is |n| mod (2**61 - 1) with n's sign, -1 becoming -2: the value
 * float gives for an equal number. */
static tw_hash_t int_hash(TwObject *op)
{
    uint64_t mag;
    int negative;
    if (is_small(op)) {
        int64_t v = small_value(op);
        mag = (v < 0 ? -(uint64_t)v : (uint64_t)v) % TW_HASH_MODULUS;
        negative = v < 0;
    } else {
        mpz_srcptr z = big_of(op);
        mag = mpz_tdiv_ui(z, TW_HASH_MODULUS);
        negative = mpz_sgn(z) < 0;
    }
    tw_hash_t h = (tw_hash_t)mag;
    return tw_scalar_hash_fix(negative ? -h : h);
}

/* Compare the integer i with the double d exactly (d must not be NaN):
 * -1, 0 or 1.  Converting i to double could round (int64 has more bits than
 * a double's 53), so large magnitudes compare against floor(d) instead,
 * which is an exact integer whenever it lies in int64's range. */
static int compare_with_double(int64_t i, double d)
{
    const int64_t exact = INT64_C(1) << 53; /* every |i| <= 2**53 is a double */
    if (isinf(d))
        return d > 0 ? -1 : 1;
    if (i >= -exact && i <= exact) {
        double di = (double)i;
        return (di > d) - (di < d);
    }
    if (d >= 9223372036854775808.0) /* 2**63: above every int64 */
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    double fl = floor(d);
    int64_t fi = (int64_t)fl;
    if (i != fi)
        return i < fi ? -1 : 1;
    return d > fl ? -1 : 0;
}

/* int against int or bool, and against float exactly: 2**53 + 1 is not
 * equal to float(2**53 + 1), as in Python.  NaN is unordered and unequal.
 * GMP's mpz_cmp_d compares big ints with doubles exactly. */
static TwObject *int_richcompare(TwObject *a, TwObject *b, int op)
{
    if (is_int(b))
        return tw_scalar_cmp_result(tw_int_compare(a, b), op);
    if (tw_float_check(b)) {
        double d = ((TwFloatObject *)b)->value;
        if (isnan(d))
            return tw_bool_from_long(op == TW_NE);
        int c;
        if (is_small(a))
            c = compare_with_double(small_value(a), d);
        else if (isinf(d))
            c = d > 0 ? -1 : 1;
        else
            c = mpz_cmp_d(big_of(a), d);
        return tw_scalar_cmp_result((c > 0) - (c < 0), op);
    }
    return tw_scalar_compare_unsupported(a, b, op);
}

/* ---- arithmetic ------------------------------------------------------------------ */

#define NOT_IMPLEMENTED() return tw_newref(TW_NOTIMPLEMENTED)
#define BOTH_INTS(a, b)                                                                            \
    do {                                                                                           \
        if (!is_int(a) || !is_int(b))                                                              \
            NOT_IMPLEMENTED();                                                                     \
    } while (0)

static TwObject *zero_division(const char *msg)
{
    tw_err_set_string(&tw_exc_ZeroDivisionError, msg);
    return NULL;
}

static TwObject *too_big(void)
{
    return tw_err_no_memory();
}

/* 0 if GMP may build a result of up to `bits` bits, else -1 with
 * MemoryError.  GMP cannot report a failed allocation (gmp_alloc must not
 * return NULL), so a result it could not allocate is refused before GMP
 * starts: beyond TW_INT_MAX_RESULT_BITS always, and from ROOM_PROBE_BYTES on
 * when two blocks of the result's size (the result and GMP's scratch space)
 * cannot be allocated now.  Small results skip the probe. */
static int room_for(uint64_t bits)
{
    if (bits > TW_INT_MAX_RESULT_BITS) {
        tw_err_no_memory();
        return -1;
    }
    size_t bytes = (size_t)(bits / 8) + 16;
    if (bytes < ROOM_PROBE_BYTES)
        return 0;
    void *result = tw_mem_malloc(bytes);
    void *scratch = result != NULL ? tw_mem_malloc(bytes) : NULL;
    tw_mem_free(scratch);
    tw_mem_free(result);
    if (scratch == NULL) {
        tw_err_no_memory();
        return -1;
    }
    return 0;
}

static inline uint64_t bits_of(mpz_srcptr z)
{
    return (uint64_t)mpz_sizeinbase(z, 2);
}

/* How big the result of a binary operation can get: the sum of the
 * operands' sizes (a product), or the larger size plus one (a sum, a
 * difference, a quotient, a remainder, a bitwise operation). */
enum { RESULT_SUM_BITS, RESULT_MAX_BITS };

/* Binary GMP operation f(r, x, y) on two ints, the result normalised. */
static TwObject *gmp_binop(TwObject *a, TwObject *b, void (*f)(mpz_ptr, mpz_srcptr, mpz_srcptr),
                           int size)
{
    ZView va, vb;
    mpz_srcptr x = view(a, &va), y = view(b, &vb);
    uint64_t bx = bits_of(x), by = bits_of(y);
    if (room_for(size == RESULT_SUM_BITS ? bx + by : (bx > by ? bx : by) + 1) < 0)
        return NULL;
    mpz_t r;
    mpz_init(r);
    f(r, x, y);
    return from_mpz_steal(r);
}

static TwObject *int_add(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    int64_t r;
    if (is_small(a) && is_small(b) && !__builtin_add_overflow(small_value(a), small_value(b), &r))
        return tw_int_from_i64(r);
    return gmp_binop(a, b, mpz_add, RESULT_MAX_BITS);
}

static TwObject *int_sub(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    int64_t r;
    if (is_small(a) && is_small(b) && !__builtin_sub_overflow(small_value(a), small_value(b), &r))
        return tw_int_from_i64(r);
    return gmp_binop(a, b, mpz_sub, RESULT_MAX_BITS);
}

static TwObject *int_mul(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    int64_t r;
    if (is_small(a) && is_small(b) && !__builtin_mul_overflow(small_value(a), small_value(b), &r))
        return tw_int_from_i64(r);
    return gmp_binop(a, b, mpz_mul, RESULT_SUM_BITS);
}

/* Floor division and modulo of int64s (y != 0, and not INT64_MIN / -1,
 * which cannot occur: INT64_MIN is never small).  C truncates; when the
 * remainder is nonzero and its sign differs from the divisor's, the
 * quotient is one too high and the remainder one divisor off. */
static void small_divmod(int64_t x, int64_t y, int64_t *q, int64_t *r)
{
    int64_t qq = x / y, rr = x % y;
    if (rr != 0 && ((rr < 0) != (y < 0))) {
        qq -= 1;
        rr += y;
    }
    *q = qq;
    *r = rr;
}

static TwObject *int_floordiv(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (tw_int_sign(b) == 0)
        return zero_division("integer division or modulo by zero");
    if (is_small(a) && is_small(b)) {
        int64_t q, r;
        small_divmod(small_value(a), small_value(b), &q, &r);
        return tw_int_from_i64(q);
    }
    return gmp_binop(a, b, mpz_fdiv_q, RESULT_MAX_BITS);
}

static TwObject *int_mod(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (tw_int_sign(b) == 0)
        return zero_division("integer modulo by zero");
    if (is_small(a) && is_small(b)) {
        int64_t q, r;
        small_divmod(small_value(a), small_value(b), &q, &r);
        return tw_int_from_i64(r);
    }
    return gmp_binop(a, b, mpz_fdiv_r, RESULT_MAX_BITS);
}

static TwObject *int_divmod(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (tw_int_sign(b) == 0)
        return zero_division("integer division or modulo by zero");
    TwObject *q, *r;
    if (is_small(a) && is_small(b)) {
        int64_t qv, rv;
        small_divmod(small_value(a), small_value(b), &qv, &rv);
        q = tw_int_from_i64(qv);
        r = q != NULL ? tw_int_from_i64(rv) : NULL;
    } else {
        ZView va, vb;
        mpz_t zq, zr;
        mpz_inits(zq, zr, NULL);
        mpz_fdiv_qr(zq, zr, view(a, &va), view(b, &vb));
        q = from_mpz_steal(zq);
        r = from_mpz_steal(zr);
    }
    if (q == NULL || r == NULL) {
        tw_xdecref(q);
        tw_xdecref(r);
        return NULL;
    }
    TwObject *t = tw_tuple_new(2);
    if (t == NULL) {
        tw_decref(q);
        tw_decref(r);
        return NULL;
    }
    tw_tuple_init_item(t, 0, q);
    tw_tuple_init_item(t, 1, r);
    return t;
}

/* int / int: the correctly rounded quotient.  Operands within 2**53 are
 * exact doubles, and IEEE division rounds their quotient correctly; the
 * rest go through ratio_to_double. */
static TwObject *int_true_divide(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (tw_int_sign(b) == 0)
        return zero_division("division by zero");
    const int64_t exact = INT64_C(1) << 53;
    if (is_small(a) && is_small(b)) {
        int64_t x = small_value(a), y = small_value(b);
        if (x >= -exact && x <= exact && y >= -exact && y <= exact)
            return tw_float_from_double((double)x / (double)y);
    }
    ZView va, vb;
    mpz_srcptr x = view(a, &va), y = view(b, &vb);
    mpz_t ax, ay;
    mpz_init(ax);
    mpz_init(ay);
    mpz_abs(ax, x);
    mpz_abs(ay, y);
    double d = ratio_to_double(ax, ay);
    mpz_clears(ax, ay, NULL);
    if (isinf(d)) {
        tw_err_set_string(&tw_exc_OverflowError, "integer division result too large for a float");
        return NULL;
    }
    if ((mpz_sgn(x) < 0) != (mpz_sgn(y) < 0))
        d = -d;
    return tw_float_from_double(d);
}

/* pow(a, b, m) with m an int: modular exponentiation, the result signed
 * like m; a negative exponent uses the inverse of a modulo m. */
static TwObject *int_pow_mod(TwObject *a, TwObject *b, TwObject *m)
{
    if (tw_int_sign(m) == 0) {
        tw_err_set_string(&tw_exc_ValueError, "pow() 3rd argument cannot be 0");
        return NULL;
    }
    ZView va, vb, vm;
    mpz_srcptr x = view(a, &va), e = view(b, &vb), mod = view(m, &vm);
    mpz_t am, base, r;
    mpz_inits(am, base, r, NULL);
    mpz_abs(am, mod);
    mpz_set(base, x);
    if (mpz_sgn(e) < 0 && mpz_invert(base, x, am) == 0) {
        mpz_clears(am, base, r, NULL);
        tw_err_set_string(&tw_exc_ValueError, "base is not invertible for the given modulus");
        return NULL;
    }
    mpz_t ae;
    mpz_init(ae);
    mpz_abs(ae, e);
    mpz_powm(r, base, ae, am); /* 0 <= r < |m| */
    if (mpz_sgn(mod) < 0 && mpz_sgn(r) != 0)
        mpz_add(r, r, mod);
    mpz_clears(am, base, ae, NULL);
    return from_mpz_steal(r);
}

static TwObject *int_pow(TwObject *a, TwObject *b, TwObject *m)
{
    if (!is_int(a) || !is_int(b) || (m != TW_NONE && !is_int(m)))
        NOT_IMPLEMENTED();
    if (m != TW_NONE)
        return int_pow_mod(a, b, m);
    if (tw_int_sign(b) < 0) {
        /* A negative exponent gives a float, as float(a) ** float(b). */
        double x = tw_int_as_double(a);
        if (x == -1.0 && tw_err_occurred())
            return NULL;
        double y = tw_int_as_double(b);
        if (y == -1.0 && tw_err_occurred())
            return NULL;
        return tw_float_power_double(x, y);
    }
    if (is_small(a) && is_small(b)) {
        /* Square and multiply in int64 while nothing overflows. */
        int64_t base = small_value(a), e = small_value(b), r = 1;
        int overflow = 0;
        while (e > 0 && !overflow) {
            if ((e & 1) && __builtin_mul_overflow(r, base, &r))
                overflow = 1;
            e >>= 1;
            if (e > 0 && __builtin_mul_overflow(base, base, &base))
                overflow = 1;
        }
        if (!overflow)
            return tw_int_from_i64(r);
    }
    ZView va;
    mpz_srcptr x = view(a, &va);
    /* 0, 1 and -1 stay small for every exponent. */
    if (mpz_cmpabs_ui(x, 1) <= 0) {
        if (mpz_sgn(x) == 0)
            return tw_int_from_i64(tw_int_sign(b) == 0 ? 1 : 0);
        if (mpz_sgn(x) > 0)
            return tw_int_from_i64(1);
        int odd = is_small(b) ? (small_value(b) & 1) : mpz_odd_p(big_of(b));
        return tw_int_from_i64(odd ? -1 : 1);
    }
    if (!is_small(b))
        return too_big();
    /* |x| >= 2 has `bits` bits: x**e has at most bits * e. */
    uint64_t e = (uint64_t)small_value(b);
    uint64_t bits = bits_of(x);
    if (e > TW_INT_MAX_RESULT_BITS || (e != 0 && bits > TW_INT_MAX_RESULT_BITS / e))
        return too_big();
    if (room_for(bits * e) < 0)
        return NULL;
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, x, (unsigned long)e);
    return from_mpz_steal(r);
}

/* The shift count of a << b or a >> b: a non-negative int64, or -1 with
 * ValueError for a negative count; *huge is set (and the count is -1, no
 * error) when it does not fit an int64. */
static int64_t shift_count(TwObject *b, int *huge)
{
    *huge = 0;
    if (tw_int_sign(b) < 0) {
        tw_err_set_string(&tw_exc_ValueError, "negative shift count");
        return -1;
    }
    if (!is_small(b)) {
        *huge = 1;
        return -1;
    }
    return small_value(b);
}

static TwObject *int_lshift(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    int huge;
    int64_t n = shift_count(b, &huge);
    if (n < 0 && !huge)
        return NULL;
    if (tw_int_sign(a) == 0)
        return tw_int_from_i64(0);
    if (huge) {
        tw_err_set_string(&tw_exc_OverflowError, "too many digits in integer");
        return NULL;
    }
    if (is_small(a) && n < 63) {
        int64_t v = small_value(a);
        int64_t limit = INT64_MAX >> n;
        if (v <= limit && v >= -limit)
            return tw_int_from_i64((int64_t)((uint64_t)v << n));
    }
    ZView va;
    mpz_srcptr x = view(a, &va);
    if (room_for((uint64_t)n + bits_of(x)) < 0)
        return NULL;
    mpz_t r;
    mpz_init(r);
    mpz_mul_2exp(r, x, (mp_bitcnt_t)n);
    return from_mpz_steal(r);
}

static TwObject *int_rshift(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    int huge;
    int64_t n = shift_count(b, &huge);
    if (n < 0 && !huge)
        return NULL;
    if (huge)
        return tw_int_from_i64(tw_int_sign(a) < 0 ? -1 : 0);
    if (is_small(a)) {
        int64_t v = small_value(a);
        if (n >= 63)
            return tw_int_from_i64(v < 0 ? -1 : 0);
        /* Floor shift without relying on the sign behaviour of >>. */
        return tw_int_from_i64(v < 0 ? ~(~v >> n) : v >> n);
    }
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_q_2exp(r, big_of(a), (mp_bitcnt_t)n);
    return from_mpz_steal(r);
}

/* Bitwise operators act on the infinite two's-complement forms, which is
 * how both int64 and GMP's mpz_and/ior/xor treat negative numbers. */
static TwObject *int_and(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (is_small(a) && is_small(b))
        return tw_int_from_i64(small_value(a) & small_value(b));
    return gmp_binop(a, b, mpz_and, RESULT_MAX_BITS);
}

static TwObject *int_or(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (is_small(a) && is_small(b))
        return tw_int_from_i64(small_value(a) | small_value(b));
    return gmp_binop(a, b, mpz_ior, RESULT_MAX_BITS);
}

static TwObject *int_xor(TwObject *a, TwObject *b)
{
    BOTH_INTS(a, b);
    if (is_small(a) && is_small(b))
        return tw_int_from_i64(small_value(a) ^ small_value(b));
    return gmp_binop(a, b, mpz_xor, RESULT_MAX_BITS);
}

/* Unary operations return plain ints, also for bool (-True == -1). */
static TwObject *int_neg(TwObject *a)
{
    if (is_small(a))
        return tw_int_from_i64(-small_value(a)); /* never INT64_MIN */
    mpz_t r;
    mpz_init(r);
    mpz_neg(r, big_of(a));
    return from_mpz_steal(r);
}

/* int(x) of an int: the same object for an exact int, else a plain copy. */
static TwObject *int_int(TwObject *a)
{
    if (TW_TYPE(a) == &tw_int_type)
        return tw_newref(a);
    if (is_small(a))
        return tw_int_from_i64(small_value(a));
    return from_mpz(big_of(a));
}

static TwObject *int_abs(TwObject *a)
{
    if (tw_int_sign(a) < 0)
        return int_neg(a);
    return int_int(a);
}

static TwObject *int_invert(TwObject *a)
{
    if (is_small(a))
        return tw_int_from_i64(~small_value(a)); /* ~v == -v - 1, never INT64_MIN */
    mpz_t r;
    mpz_init(r);
    mpz_com(r, big_of(a));
    return from_mpz_steal(r);
}

static int int_bool(TwObject *a)
{
    return tw_int_sign(a) != 0;
}

static TwObject *int_float(TwObject *a)
{
    double d = tw_int_as_double(a);
    if (d == -1.0 && tw_err_occurred())
        return NULL;
    return tw_float_from_double(d);
}

const TwNumberMethods tw_int_number_methods = {
    .nb_add = int_add,
    .nb_subtract = int_sub,
    .nb_multiply = int_mul,
    .nb_true_divide = int_true_divide,
    .nb_floor_divide = int_floordiv,
    .nb_remainder = int_mod,
    .nb_divmod = int_divmod,
    .nb_power = int_pow,
    .nb_lshift = int_lshift,
    .nb_rshift = int_rshift,
    .nb_and = int_and,
    .nb_or = int_or,
    .nb_xor = int_xor,
    .nb_negative = int_neg,
    .nb_positive = int_int,
    .nb_absolute = int_abs,
    .nb_invert = int_invert,
    .nb_bool = int_bool,
    .nb_int = int_int,
    .nb_float = int_float,
    .nb_index = int_int,
};

/* bool: & | ^ of two bools is a bool; everything else is int's. */
static TwObject *bool_and(TwObject *a, TwObject *b)
{
    if (TW_TYPE(a) == &tw_bool_type && TW_TYPE(b) == &tw_bool_type)
        return tw_bool_from_long(a == TW_TRUE && b == TW_TRUE);
    return int_and(a, b);
}

static TwObject *bool_or(TwObject *a, TwObject *b)
{
    if (TW_TYPE(a) == &tw_bool_type && TW_TYPE(b) == &tw_bool_type)
        return tw_bool_from_long(a == TW_TRUE || b == TW_TRUE);
    return int_or(a, b);
}

static TwObject *bool_xor(TwObject *a, TwObject *b)
{
    if (TW_TYPE(a) == &tw_bool_type && TW_TYPE(b) == &tw_bool_type)
        return tw_bool_from_long((a == TW_TRUE) != (b == TW_TRUE));
    return int_xor(a, b);
}

const TwNumberMethods tw_bool_number_methods = {
    .nb_add = int_add,
    .nb_subtract = int_sub,
    .nb_multiply = int_mul,
    .nb_true_divide = int_true_divide,
    .nb_floor_divide = int_floordiv,
    .nb_remainder = int_mod,
    .nb_divmod = int_divmod,
    .nb_power = int_pow,
    .nb_lshift = int_lshift,
    .nb_rshift = int_rshift,
    .nb_and = bool_and,
    .nb_or = bool_or,
    .nb_xor = bool_xor,
    .nb_negative = int_neg,
    .nb_positive = int_int,
    .nb_absolute = int_abs,
    .nb_invert = int_invert,
    .nb_bool = int_bool,
    .nb_int = int_int,
    .nb_float = int_float,
    .nb_index = int_int,
};

/* The public operator functions: the slots, with the TypeError that the
 * protocol would raise when the operands are not ints. */
static TwObject *checked(TwObject *r, TwObject *a, TwObject *b, const char *opname)
{
    if (r == TW_NOTIMPLEMENTED) {
        tw_decref(r);
        tw_err_format(&tw_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'",
                      opname, TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
        return NULL;
    }
    return r;
}

TwObject *tw_int_add(TwObject *a, TwObject *b)
{
    return checked(int_add(a, b), a, b, "+");
}

TwObject *tw_int_sub(TwObject *a, TwObject *b)
{
    return checked(int_sub(a, b), a, b, "-");
}

TwObject *tw_int_mul(TwObject *a, TwObject *b)
{
    return checked(int_mul(a, b), a, b, "*");
}

TwObject *tw_int_floordiv(TwObject *a, TwObject *b)
{
    return checked(int_floordiv(a, b), a, b, "//");
}

TwObject *tw_int_mod(TwObject *a, TwObject *b)
{
    return checked(int_mod(a, b), a, b, "%");
}

/* round(op, ndigits): op itself for ndigits >= 0; otherwise the nearest
 * multiple of 10**-ndigits, ties to the even multiple. */
TwObject *tw_int_round(TwObject *op, int64_t ndigits)
{
    if (ndigits >= 0)
        return int_int(op);
    ZView v;
    mpz_srcptr x = view(op, &v);
    uint64_t k = (uint64_t)(-(ndigits + 1)) + 1;
    if (k > (uint64_t)mpz_sizeinbase(x, 10) + 1)
        return tw_int_from_i64(0);
    mpz_t p, q, r, twice;
    mpz_inits(p, q, r, twice, NULL);
    mpz_ui_pow_ui(p, 10, (unsigned long)k);
    mpz_fdiv_qr(q, r, x, p); /* x = q*p + r, 0 <= r < p */
    mpz_mul_2exp(twice, r, 1);
    int c = mpz_cmp(twice, p);
    if (c > 0 || (c == 0 && mpz_odd_p(q)))
        mpz_add_ui(q, q, 1);
    mpz_mul(q, q, p);
    mpz_clears(p, r, twice, NULL);
    return from_mpz_steal(q);
}

/* ---- int(...) ------------------------------------------------------------------ */

/* An instance of the int subclass `type` equal to the int v (consumed). */
static TwObject *subtype_copy(TwType *type, TwObject *v)
{
    if (v == NULL || type == &tw_int_type)
        return v;
    TwObject *r;
    if (is_small(v)) {
        r = tw_object_new(type, 0);
        if (r != NULL)
            ((TwIntObject *)r)->value = small_value(v);
    } else {
        r = alloc_big(type);
        if (r != NULL)
            mpz_set(big_of(r), big_of(v));
    }
    tw_decref(v);
    return r;
}

/* int(x) for one argument: ints, floats, text, then __int__ / __index__
 * through the number slots. */
static TwObject *int_from_object(TwObject *x)
{
    if (is_int(x))
        return int_int(x);
    if (tw_float_check(x))
        return tw_int_from_double(((TwFloatObject *)x)->value);
    if (tw_str_check(x))
        return tw_int_parse(tw_str_utf8(x), (size_t)tw_str_byte_size(x), 10, 0);
    if (tw_bytes_check(x))
        return tw_int_parse(tw_bytes_data(x), (size_t)tw_bytes_size(x), 10, 1);
    const TwNumberMethods *nb = TW_TYPE(x)->tp_as_number;
    tw_reprfunc f = nb == NULL ? NULL : nb->nb_int != NULL ? nb->nb_int : nb->nb_index;
    if (f != NULL) {
        TwObject *r = f(x);
        if (r != NULL && !is_int(r)) {
            tw_err_format(&tw_exc_TypeError, "__int__ returned non-int (type %s)",
                          TW_TYPE(r)->tp_name);
            tw_decref(r);
            return NULL;
        }
        if (r == NULL)
            return NULL;
        TwObject *plain = int_int(r);
        tw_decref(r);
        return plain;
    }
    tw_err_format(&tw_exc_TypeError,
                  "int() argument must be a string, a bytes-like object or a real number, "
                  "not '%s'",
                  TW_TYPE(x)->tp_name);
    return NULL;
}

static TwObject *int_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"x", "base", NULL};
    TwObject *x = NULL, *base_obj = NULL;
    TwObject *got[2] = {NULL, NULL};
    if (tw_scalar_parse_args("int", args, nargs, kwnames, names, 0, 2, 1, got) < 0)
        return NULL;
    x = got[0];
    base_obj = got[1];
    if (x == NULL) {
        if (base_obj != NULL) {
            tw_err_set_string(&tw_exc_TypeError, "int() missing string argument");
            return NULL;
        }
        return subtype_copy(type, tw_int_from_i64(0));
    }
    if (base_obj == NULL)
        return subtype_copy(type, int_from_object(x));
    if (!is_int(base_obj)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(base_obj)->tp_name);
        return NULL;
    }
    int overflow;
    int64_t base = tw_int_as_i64_overflow(base_obj, &overflow);
    if (overflow || base == 1 || base < 0 || base > 36) {
        tw_err_set_string(&tw_exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
        return NULL;
    }
    if (tw_str_check(x))
        return subtype_copy(
            type, tw_int_parse(tw_str_utf8(x), (size_t)tw_str_byte_size(x), (int)base, 0));
    if (tw_bytes_check(x))
        return subtype_copy(
            type, tw_int_parse(tw_bytes_data(x), (size_t)tw_bytes_size(x), (int)base, 1));
    tw_err_set_string(&tw_exc_TypeError, "int() can't convert non-string with explicit base");
    return NULL;
}

/* ---- methods ------------------------------------------------------------------- */

static TwObject *int_bit_length(TwObject *self, TwObject *unused)
{
    if (tw_int_sign(self) == 0)
        return tw_int_from_i64(0);
    ZView v;
    return tw_int_from_u64((uint64_t)mpz_sizeinbase(view(self, &v), 2));
}

static TwObject *int_bit_count(TwObject *self, TwObject *unused)
{
    ZView v;
    mpz_t m;
    mpz_init(m);
    mpz_abs(m, view(self, &v));
    uint64_t n = mpz_popcount(m);
    mpz_clear(m);
    return tw_int_from_u64(n);
}

static TwObject *int_self(TwObject *self, TwObject *unused)
{
    return int_int(self);
}

static TwObject *int_as_integer_ratio(TwObject *self, TwObject *unused)
{
    TwObject *n = int_int(self);
    if (n == NULL)
        return NULL;
    TwObject *t = tw_tuple_new(2);
    if (t == NULL) {
        tw_decref(n);
        return NULL;
    }
    tw_tuple_init_item(t, 0, n);
    tw_tuple_init_item(t, 1, tw_int_from_i64(1));
    return t;
}

static TwObject *int_is_integer(TwObject *self, TwObject *unused)
{
    return TW_TRUE;
}

/* __round__([ndigits]) */
static TwObject *int_round_method(TwObject *self, TwObject *const *args, size_t nargs,
                                  TwObject *kwnames)
{
    static const char *const names[] = {"ndigits", NULL};
    TwObject *got[1] = {NULL};
    if (tw_scalar_parse_args("__round__", args, nargs, kwnames, names, 0, 1, 0, got) < 0)
        return NULL;
    if (got[0] == NULL || got[0] == TW_NONE)
        return int_int(self);
    if (!is_int(got[0])) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(got[0])->tp_name);
        return NULL;
    }
    int overflow;
    int64_t nd = tw_int_as_i64_overflow(got[0], &overflow);
    if (overflow)
        return overflow > 0 ? int_int(self) : tw_int_from_i64(0);
    return tw_int_round(self, nd);
}

static TwObject *int_format_method(TwObject *self, TwObject *spec)
{
    if (!tw_str_check(spec)) {
        tw_err_format(&tw_exc_TypeError, "__format__() argument must be str, not %s",
                      TW_TYPE(spec)->tp_name);
        return NULL;
    }
    return tw_format_builtin(self, spec);
}

const TwMethodDef tw_int_methods[] = {
    {"bit_length", (void (*)(void))int_bit_length, TW_METH_NOARGS, NULL},
    {"bit_count", (void (*)(void))int_bit_count, TW_METH_NOARGS, NULL},
    {"conjugate", (void (*)(void))int_self, TW_METH_NOARGS, NULL},
    {"as_integer_ratio", (void (*)(void))int_as_integer_ratio, TW_METH_NOARGS, NULL},
    {"is_integer", (void (*)(void))int_is_integer, TW_METH_NOARGS, NULL},
    {"__trunc__", (void (*)(void))int_self, TW_METH_NOARGS, NULL},
    {"__floor__", (void (*)(void))int_self, TW_METH_NOARGS, NULL},
    {"__ceil__", (void (*)(void))int_self, TW_METH_NOARGS, NULL},
    {"__round__", (void (*)(void))int_round_method, TW_METH_FASTCALL, NULL},
    {"__format__", (void (*)(void))int_format_method, TW_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

/* ---- GMP access for modules (core/intgmp.h) ---------------------------------- */

void tw_int_get_mpz(TwObject *op, mpz_ptr z)
{
    ZView v;
    mpz_set(z, view(op, &v));
}

TwObject *tw_int_from_mpz(mpz_srcptr z)
{
    return from_mpz(z);
}
