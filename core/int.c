/* int: 64-bit integers with Python's semantics (floor division, numeric
 * hashing, exact comparison with floats).  Results outside the int64 range
 * raise OverflowError until arbitrary precision arrives.
 *
 * The small ints -5..256 live in a static table of immortal objects, filled
 * in by the compiler: tw_int_from_i64 hands them out without allocating, and
 * their reference counts never change, so threads share them freely. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "core/scalar.h"

static TwObject *int_repr(TwObject *op);
static tw_hash_t int_hash(TwObject *op);
static TwObject *int_richcompare(TwObject *a, TwObject *b, int op);
static void int_dealloc(TwObject *op);

TwType tw_int_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "int",
    .tp_basicsize = sizeof(TwIntObject),
    .tp_itemsize = 0,
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = int_dealloc,
    .tp_hash = int_hash,
    .tp_richcompare = int_richcompare,
    .tp_repr = int_repr,
    .tp_str = NULL,
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

/* Any int, bool included (bool subclasses int). */
static inline int is_int(TwObject *op)
{
    TwType *t = TW_TYPE(op);
    return t == &tw_int_type || t == &tw_bool_type || tw_type_is_subtype(t, &tw_int_type);
}

static inline int64_t value_of(TwObject *op)
{
    return ((TwIntObject *)op)->value;
}

TwObject *tw_int_from_i64(int64_t v)
{
    if (v >= TW_SMALL_INT_MIN && v <= TW_SMALL_INT_MAX)
        return (TwObject *)&small_ints[v - TW_SMALL_INT_MIN]; /* immortal: no incref needed */
    TwIntObject *op = (TwIntObject *)tw_object_new(&tw_int_type, 0);
    if (op == NULL)
        return NULL;
    op->value = v;
    return (TwObject *)op;
}

int64_t tw_int_as_i64(TwObject *op)
{
    if (!is_int(op)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(op)->tp_name);
        return -1;
    }
    return value_of(op);
}

static void int_dealloc(TwObject *op)
{
    tw_object_free(op);
}

/* ---- arithmetic ------------------------------------------------------------ */

/* Check that both operands are ints; TypeError naming the operator if not. */
static int check_operands(TwObject *a, TwObject *b, const char *opname)
{
    if (is_int(a) && is_int(b))
        return 0;
    tw_err_format(&tw_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", opname,
                  TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
    return -1;
}

static TwObject *overflow(const char *opname)
{
    tw_err_format(&tw_exc_OverflowError, "int too large: the result of %s does not fit in 64 bits",
                  opname);
    return NULL;
}

TwObject *tw_int_add(TwObject *a, TwObject *b)
{
    int64_t r;
    if (check_operands(a, b, "+") < 0)
        return NULL;
    if (__builtin_add_overflow(value_of(a), value_of(b), &r))
        return overflow("+");
    return tw_int_from_i64(r);
}

TwObject *tw_int_sub(TwObject *a, TwObject *b)
{
    int64_t r;
    if (check_operands(a, b, "-") < 0)
        return NULL;
    if (__builtin_sub_overflow(value_of(a), value_of(b), &r))
        return overflow("-");
    return tw_int_from_i64(r);
}

TwObject *tw_int_mul(TwObject *a, TwObject *b)
{
    int64_t r;
    if (check_operands(a, b, "*") < 0)
        return NULL;
    if (__builtin_mul_overflow(value_of(a), value_of(b), &r))
        return overflow("*");
    return tw_int_from_i64(r);
}

/* a // b rounds toward negative infinity (C's / truncates toward zero): when
 * the remainder is nonzero and its sign differs from the divisor's, the
 * truncated quotient is one too high.  The one quotient that leaves int64 is
 * INT64_MIN // -1. */
TwObject *tw_int_floordiv(TwObject *a, TwObject *b)
{
    if (check_operands(a, b, "//") < 0)
        return NULL;
    int64_t x = value_of(a), y = value_of(b);
    if (y == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "integer division or modulo by zero");
        return NULL;
    }
    if (x == INT64_MIN && y == -1)
        return overflow("//");
    int64_t q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0)))
        q -= 1;
    return tw_int_from_i64(q);
}

/* a % b takes the sign of the divisor, so a == (a // b) * b + a % b.  C's %
 * would trap on INT64_MIN % -1, whose Python value is simply 0. */
TwObject *tw_int_mod(TwObject *a, TwObject *b)
{
    if (check_operands(a, b, "%") < 0)
        return NULL;
    int64_t x = value_of(a), y = value_of(b);
    if (y == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "integer modulo by zero");
        return NULL;
    }
    if (y == -1)
        return tw_int_from_i64(0);
    int64_t r = x % y;
    if (r != 0 && ((r < 0) != (y < 0)))
        r += y;
    return tw_int_from_i64(r);
}

/* ---- hash, comparison, repr --------------------------------------------- */

/* hash(n) is n mod (2**61 - 1) with n's sign, -1 becoming -2: the same value
 * float and a future big int give for equal numbers. */
static tw_hash_t int_hash(TwObject *op)
{
    int64_t v = value_of(op);
    uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v; /* exact even for INT64_MIN */
    tw_hash_t h = (tw_hash_t)(mag % TW_HASH_MODULUS);
    return tw_scalar_hash_fix(v < 0 ? -h : h);
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
 * equal to float(2**53 + 1), as in Python.  NaN is unordered and unequal. */
static TwObject *int_richcompare(TwObject *a, TwObject *b, int op)
{
    int64_t x = value_of(a);
    if (is_int(b)) {
        int64_t y = value_of(b);
        return tw_scalar_cmp_result((x > y) - (x < y), op);
    }
    if (tw_float_check(b)) {
        double d = ((TwFloatObject *)b)->value;
        if (isnan(d))
            return tw_bool_from_long(op == TW_NE);
        return tw_scalar_cmp_result(compare_with_double(x, d), op);
    }
    return tw_scalar_compare_unsupported(a, b, op);
}

static TwObject *int_repr(TwObject *op)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, value_of(op));
    return tw_str_from_cstr(buf);
}
