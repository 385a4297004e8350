/* float: an IEEE double with Python's repr (shortest round-trip text),
 * numeric hash (equal to int's for integral values) and comparisons. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scalar.h"

static TwObject *float_repr(TwObject *op);
static tw_hash_t float_hash(TwObject *op);
static TwObject *float_richcompare(TwObject *a, TwObject *b, int op);
static void float_dealloc(TwObject *op);

TwType tw_float_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "float",
    .tp_basicsize = sizeof(TwFloatObject),
    .tp_itemsize = 0,
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = float_dealloc,
    .tp_hash = float_hash,
    .tp_richcompare = float_richcompare,
    .tp_repr = float_repr,
    .tp_str = NULL,
};

TwObject *tw_float_from_double(double v)
{
    TwFloatObject *op = (TwFloatObject *)tw_object_new(&tw_float_type, 0);
    if (op == NULL)
        return NULL;
    op->value = v;
    return (TwObject *)op;
}

double tw_float_as_double(TwObject *op)
{
    if (tw_float_check(op))
        return ((TwFloatObject *)op)->value;
    if (tw_int_check(op))
        return (double)((TwIntObject *)op)->value;
    tw_err_format(&tw_exc_TypeError, "must be real number, not %s", TW_TYPE(op)->tp_name);
    return -1.0;
}

static void float_dealloc(TwObject *op)
{
    tw_object_free(op);
}

/* ---- repr ------------------------------------------------------------------
 *
 * Python prints the shortest decimal string that reads back as the same
 * double.  printf rounds correctly, so the first precision (1..17 significant
 * digits) whose %e text strtod's back to the value gives those digits; 17
 * always does.  The digits are then laid out as Python does: positional
 * notation with at least one digit after the point ("100.0", "0.0001"), or
 * exponent notation ("1e+16", "1.5e-05") when the decimal exponent is below
 * -4 or at least 16. */

/* Split printf's "%.*e" text "d[.ddd]e[+-]xx" of a non-negative value into
 * its digits (NUL-terminated) and decimal exponent (returned). */
static int split_e(const char *buf, char digits[20])
{
    size_t n = 0;
    const char *p = buf;
    for (; *p != 'e'; p++)
        if (*p != '.')
            digits[n++] = *p;
    digits[n] = '\0';
    return atoi(p + 1);
}

/* The double that the digits d.ddd * 10**e read back as. */
static double read_back(const char *digits, int e)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%c.%se%d", digits[0], digits + 1, e);
    return strtod(buf, NULL);
}

/* Add one unit in the last place to the digit string (a carry out of the
 * first digit turns 99.9 into 100.0 and raises the exponent). */
static void bump_last_digit(char *digits, int *e)
{
    size_t n = strlen(digits);
    for (size_t i = n; i-- > 0;) {
        if (digits[i] != '9') {
            digits[i]++;
            return;
        }
        digits[i] = '0';
    }
    digits[0] = '1';
    (*e)++;
}

/* The shortest round-trip digits of finite non-negative x into digits
 * (NUL-terminated, without trailing zeros beyond the first digit); returns
 * the decimal exponent of the first digit.
 *
 * At each precision the correctly rounded text is the candidate nearest x,
 * so it is the answer if anything of that length is.  The one exception is
 * a power of two, whose rounding interval is narrower below than above: a
 * nearest candidate just below x may miss while the next one up still reads
 * back as x, so that one is tried too. */
static int shortest_digits(double x, char digits[20])
{
    char buf[40];
    int e = 0;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        e = split_e(buf, digits);
        double back = strtod(buf, NULL);
        if (back == x)
            break;
        if (back < x) {
            int up_e = e;
            char up[20];
            memcpy(up, digits, sizeof up);
            bump_last_digit(up, &up_e);
            if (read_back(up, up_e) == x) {
                memcpy(digits, up, sizeof up);
                e = up_e;
                break;
            }
        }
    }
    size_t n = strlen(digits);
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
    return e;
}

/* Format x as Python's repr into out (at least 32 bytes). */
static void format_repr(double x, char *out)
{
    if (isnan(x)) {
        strcpy(out, "nan");
        return;
    }
    if (isinf(x)) {
        strcpy(out, x > 0 ? "inf" : "-inf");
        return;
    }
    char digits[20];
    char *o = out;
    if (signbit(x)) {
        *o++ = '-';
        x = -x;
    }
    int e = shortest_digits(x, digits);
    int nd = (int)strlen(digits);
    if (e < -4 || e >= 16) {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, digits + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        sprintf(o, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (e >= 0) {
        /* e + 1 integer digits (padded with zeros), then the fraction or "0". */
        for (int i = 0; i <= e; i++)
            *o++ = i < nd ? digits[i] : '0';
        *o++ = '.';
        if (nd > e + 1) {
            memcpy(o, digits + e + 1, (size_t)(nd - e - 1));
            o += nd - e - 1;
        } else {
            *o++ = '0';
        }
        *o = '\0';
    } else {
        /* 0.000ddd: -e - 1 zeros between the point and the digits. */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -e - 1; i++)
            *o++ = '0';
        memcpy(o, digits, (size_t)nd + 1);
    }
}

static TwObject *float_repr(TwObject *op)
{
    char buf[40];
    format_repr(((TwFloatObject *)op)->value, buf);
    return tw_str_from_cstr(buf);
}

/* ---- hash ------------------------------------------------------------------
 *
 * A finite double is an exact rational m * 2**k with m a 53-bit integer.
 * Its hash is that number modulo P = 2**61 - 1, signed like x, which is what
 * int gives for integral values.  Because 2**61 == 1 (mod P), multiplying by
 * 2**k modulo P is a left rotation of the 61-bit value m by k mod 61 bits
 * (k may be negative: 2**-1 == 2**60 mod P).  Infinities hash to +-314159;
 * a NaN equals nothing, not even another NaN, so it hashes by identity. */
static tw_hash_t float_hash(TwObject *op)
{
    double x = ((TwFloatObject *)op)->value;
    if (isnan(x))
        return tw_scalar_pointer_hash(op);
    if (isinf(x))
        return x > 0 ? TW_HASH_INF : -TW_HASH_INF;
    int e;
    double frac = frexp(fabs(x), &e);       /* |x| = frac * 2**e, 0.5 <= frac < 1 */
    uint64_t m = (uint64_t)ldexp(frac, 53); /* exact: a double has 53 bits */
    int k = (e - 53) % TW_HASH_BITS;
    if (k < 0)
        k += TW_HASH_BITS;
    uint64_t h = m;
    if (k != 0)
        h = ((m << k) & TW_HASH_MODULUS) | (m >> (TW_HASH_BITS - k));
    tw_hash_t signed_h = x < 0 ? -(tw_hash_t)h : (tw_hash_t)h;
    return tw_scalar_hash_fix(signed_h);
}

/* ---- comparison ------------------------------------------------------------ */

/* float against float with IEEE semantics (NaN is unordered: only != holds);
 * float against int exactly, by asking int's comparison with the operands
 * swapped. */
static TwObject *float_richcompare(TwObject *a, TwObject *b, int op)
{
    double x = ((TwFloatObject *)a)->value;
    if (tw_float_check(b)) {
        double y = ((TwFloatObject *)b)->value;
        int r = 0;
        switch (op) {
        case TW_LT:
            r = x < y;
            break;
        case TW_LE:
            r = x <= y;
            break;
        case TW_EQ:
            r = x == y;
            break;
        case TW_NE:
            r = x != y;
            break;
        case TW_GT:
            r = x > y;
            break;
        case TW_GE:
            r = x >= y;
            break;
        }
        return tw_bool_from_long(r);
    }
    if (tw_int_check(b))
        return tw_int_type.tp_richcompare(b, a, tw_scalar_op_swapped(op));
    return tw_scalar_compare_unsupported(a, b, op);
}
