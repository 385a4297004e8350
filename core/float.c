/* float: an IEEE double with Python's repr (shortest round-trip text),
 * numeric hash (equal to int's for integral values), comparisons, the
 * number slots (mixed with int: an int operand is converted to the nearest
 * double, OverflowError when it has none), float(), round() and methods.
 *
 * One deliberate difference from CPython: a negative number raised to a
 * non-integral power has a complex result there; twinpy has no complex
 * type and raises ValueError "negative number cannot be raised to a
 * fractional power" instead (docs/interpreter.md). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/format.h"
#include "core/scalar.h"
#include "core/tstate.h"

static TwObject *float_repr(TwObject *op);
static tw_hash_t float_hash(TwObject *op);
static TwObject *float_richcompare(TwObject *a, TwObject *b, int op);
static void float_dealloc(TwObject *op);
static TwObject *float_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames);

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
    .tp_as_number = &tw_float_number_methods,
    .tp_new = float_new,
    .tp_methods = tw_float_methods,
};

/* ---- the free list ---------------------------------------------------------
 *
 * Arithmetic makes and drops a float per operation, so each thread keeps
 * up to TW_FLOAT_FREE_MAX dead floats (exact type only) for reuse, linked
 * through ob_type, in its own thread state: only that thread touches the
 * list, so neither build needs a lock or an atomic.  A float freed by a
 * thread other than the one that made it is parked on the freeing
 * thread's list; the allocator lets any thread free any block, so whoever
 * finally frees it may.  A thread without a thread state frees at once,
 * and a thread at exit gives its list back (tw_float_thread_fini), after
 * which it parks nothing. */
TwObject *tw_float_from_double(double v)
{
    TwThreadState *ts = tw_tstate_fast();
    TwFloatObject *op;
    if (ts != NULL && ts->float_free != NULL) {
        op = (TwFloatObject *)ts->float_free;
        ts->float_free = (TwObject *)op->ob_base.ob_type;
        ts->float_free_len--;
        tw_object_init_head((TwObject *)op, &tw_float_type);
        tw_debug_count_live(1);
    } else {
        op = (TwFloatObject *)tw_object_new(&tw_float_type, 0);
        if (op == NULL)
            return NULL;
    }
    op->value = v;
    return (TwObject *)op;
}

void tw_float_thread_fini(TwThreadState *ts)
{
    TwObject *op = ts->float_free;
    while (op != NULL) {
        TwObject *next = (TwObject *)op->ob_type;
        tw_obj_free(op);
        op = next;
    }
    ts->float_free = NULL;
    ts->float_free_len = TW_FLOAT_FREE_MAX;
}

double tw_float_as_double(TwObject *op)
{
    if (tw_float_check(op))
        return ((TwFloatObject *)op)->value;
    if (tw_int_check(op))
        return tw_int_as_double(op);
    tw_err_format(&tw_exc_TypeError, "must be real number, not %s", TW_TYPE(op)->tp_name);
    return -1.0;
}

static void float_dealloc(TwObject *op)
{
    TwThreadState *ts = tw_tstate_fast();
    if (TW_TYPE(op) == &tw_float_type && ts != NULL && ts->float_free_len < TW_FLOAT_FREE_MAX) {
        op->ob_type = (TwType *)ts->float_free;
        ts->float_free = op;
        ts->float_free_len++;
        tw_debug_count_live(-1);
        return;
    }
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

void tw_float_repr_buf(double x, char out[40])
{
    format_repr(x, out);
}

/* ---- arithmetic ------------------------------------------------------------
 *
 * A binary slot accepts a float or an int on either side (int's own slots
 * decline mixed pairs, so int + float arrives here reflected). */

/* The double value of a float or int operand: 1, or 0 when the operand is
 * neither (the slot answers NotImplemented), or -1 with OverflowError for
 * an int beyond the double range. */
static int operand(TwObject *op, double *out)
{
    if (tw_float_check(op)) {
        *out = ((TwFloatObject *)op)->value;
        return 1;
    }
    if (tw_int_check(op)) {
        *out = tw_int_as_double(op);
        if (*out == -1.0 && tw_err_occurred())
            return -1;
        return 1;
    }
    return 0;
}

#define OPERANDS(a, b, x, y)                                                                       \
    do {                                                                                           \
        int ok_a_ = operand(a, &x);                                                                \
        if (ok_a_ <= 0)                                                                            \
            return ok_a_ < 0 ? NULL : tw_newref(TW_NOTIMPLEMENTED);                                \
        int ok_b_ = operand(b, &y);                                                                \
        if (ok_b_ <= 0)                                                                            \
            return ok_b_ < 0 ? NULL : tw_newref(TW_NOTIMPLEMENTED);                                \
    } while (0)

static TwObject *float_add(TwObject *a, TwObject *b)
{
    double x, y;
    OPERANDS(a, b, x, y);
    return tw_float_from_double(x + y);
}

static TwObject *float_sub(TwObject *a, TwObject *b)
{
    double x, y;
    OPERANDS(a, b, x, y);
    return tw_float_from_double(x - y);
}

static TwObject *float_mul(TwObject *a, TwObject *b)
{
    double x, y;
    OPERANDS(a, b, x, y);
    return tw_float_from_double(x * y);
}

static TwObject *float_div(TwObject *a, TwObject *b)
{
    double x, y;
    OPERANDS(a, b, x, y);
    if (y == 0.0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return tw_float_from_double(x / y);
}

/* Python's floor division and modulo of doubles (y != 0): the remainder
 * takes the divisor's sign (a zero remainder too), and the quotient is
 * (x - mod) / y rounded to the nearest integer, which is exact where
 * floor(x / y) could be off by one from rounding in x / y. */
static void float_divmod_values(double x, double y, double *floordiv, double *mod)
{
    double m = fmod(x, y);
    double div = (x - m) / y;
    if (m != 0.0) {
        if ((y < 0) != (m < 0)) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = copysign(0.0, y);
    }
    double fd;
    if (div != 0.0) {
        fd = floor(div);
        if (div - fd > 0.5)
            fd += 1.0;
    } else {
        fd = copysign(0.0, x / y);
    }
    *floordiv = fd;
    *mod = m;
}

static TwObject *float_floordiv(TwObject *a, TwObject *b)
{
    double x, y, q, m;
    OPERANDS(a, b, x, y);
    if (y == 0.0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float floor division by zero");
        return NULL;
    }
    float_divmod_values(x, y, &q, &m);
    return tw_float_from_double(q);
}

static TwObject *float_mod(TwObject *a, TwObject *b)
{
    double x, y, q, m;
    OPERANDS(a, b, x, y);
    if (y == 0.0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float modulo");
        return NULL;
    }
    float_divmod_values(x, y, &q, &m);
    return tw_float_from_double(m);
}

static TwObject *float_divmod(TwObject *a, TwObject *b)
{
    double x, y, q, m;
    OPERANDS(a, b, x, y);
    if (y == 0.0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float divmod()");
        return NULL;
    }
    float_divmod_values(x, y, &q, &m);
    TwObject *fq = tw_float_from_double(q);
    TwObject *fm = fq == NULL ? NULL : tw_float_from_double(m);
    TwObject *t = fm == NULL ? NULL : tw_tuple_new(2);
    if (t == NULL) {
        tw_xdecref(fq);
        tw_xdecref(fm);
        return NULL;
    }
    tw_tuple_init_item(t, 0, fq);
    tw_tuple_init_item(t, 1, fm);
    return t;
}

/* x ** y with Python's rules on top of C's pow (which already follows
 * IEEE for infinities and NaNs): x ** 0 and 1 ** y are 1.0 even for NaN;
 * 0.0 to a negative power is ZeroDivisionError; a negative base with a
 * non-integral finite exponent has no real result (ValueError, see the
 * file comment); a finite result too large for a double is OverflowError. */
TwObject *tw_float_power_double(double x, double y)
{
    if (y == 0.0 || x == 1.0)
        return tw_float_from_double(1.0);
    if (isnan(x) || isnan(y))
        return tw_float_from_double(NAN);
    if (x == 0.0 && y < 0.0 && !isinf(y)) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return NULL;
    }
    if (x < 0.0 && isfinite(x) && isfinite(y) && floor(y) != y) {
        tw_err_set_string(&tw_exc_ValueError,
                          "negative number cannot be raised to a fractional power");
        return NULL;
    }
    double r = pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y)) {
        tw_err_set_string(&tw_exc_OverflowError, "(34, 'Numerical result out of range')");
        return NULL;
    }
    return tw_float_from_double(r);
}

static TwObject *float_pow(TwObject *a, TwObject *b, TwObject *m)
{
    double x, y;
    OPERANDS(a, b, x, y);
    if (m != TW_NONE) {
        tw_err_set_string(&tw_exc_TypeError,
                          "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    return tw_float_power_double(x, y);
}

static inline double value_of(TwObject *op)
{
    return ((TwFloatObject *)op)->value;
}

static TwObject *float_neg(TwObject *a)
{
    return tw_float_from_double(-value_of(a));
}

/* +x of an exact float is x itself; a subclass instance gives a plain float. */
static TwObject *float_pos(TwObject *a)
{
    if (TW_TYPE(a) == &tw_float_type)
        return tw_newref(a);
    return tw_float_from_double(value_of(a));
}

static TwObject *float_abs(TwObject *a)
{
    return tw_float_from_double(fabs(value_of(a)));
}

static int float_bool(TwObject *a)
{
    return value_of(a) != 0.0;
}

static TwObject *float_int(TwObject *a)
{
    return tw_int_from_double(value_of(a));
}

const TwNumberMethods tw_float_number_methods = {
    .nb_add = float_add,
    .nb_subtract = float_sub,
    .nb_multiply = float_mul,
    .nb_true_divide = float_div,
    .nb_floor_divide = float_floordiv,
    .nb_remainder = float_mod,
    .nb_divmod = float_divmod,
    .nb_power = float_pow,
    .nb_negative = float_neg,
    .nb_positive = float_pos,
    .nb_absolute = float_abs,
    .nb_bool = float_bool,
    .nb_int = float_int,
    .nb_float = float_pos,
};

/* ---- float(...) ----------------------------------------------------------------
 *
 * The text float() accepts: surrounding whitespace, a sign, then "inf",
 * "infinity" or "nan" in any case, or decimal digits with an optional
 * point and exponent, single underscores allowed between digits.  The
 * digits (underscores removed) are converted by strtod, which rounds
 * correctly; hexadecimal text, which strtod would take, is refused first. */

static int float_text_error(const char *s, size_t n, int is_bytes)
{
    TwObject *text = is_bytes ? tw_bytes_from_data(s, n) : tw_str_from_utf8(s, n);
    if (text == NULL)
        return -1;
    TwObject *r = tw_object_repr(text);
    tw_decref(text);
    if (r == NULL)
        return -1;
    tw_err_format(&tw_exc_ValueError, "could not convert string to float: %s", tw_str_utf8(r));
    tw_decref(r);
    return -1;
}

static int ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* Case-insensitive equality of the n bytes at p with the lowercase word w. */
static int word_is(const char *p, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != w[i])
            return 0;
    return 1;
}

/* Copy a run of digits with single inner underscores from *pp (bounded by
 * end) to *oo; returns the number of digits, or -1 for a misplaced
 * underscore. */
static int64_t copy_digits(const char **pp, const char *end, char **oo)
{
    const char *p = *pp;
    char *o = *oo;
    int64_t count = 0;
    while (p < end && ((*p >= '0' && *p <= '9') || *p == '_')) {
        if (*p == '_') {
            if (count == 0 || p + 1 >= end || p[1] < '0' || p[1] > '9')
                return -1;
        } else {
            *o++ = *p;
            count++;
        }
        p++;
    }
    *pp = p;
    *oo = o;
    return count;
}

int tw_float_parse(const char *s, size_t n, int is_bytes, double *out)
{
    const char *p = s, *end = s + n;
    while (p < end && ascii_space((unsigned char)*p))
        p++;
    while (end > p && ascii_space((unsigned char)end[-1]))
        end--;
    int negative = 0;
    const char *body = p;
    if (p < end && (*p == '+' || *p == '-')) {
        negative = *p == '-';
        p++;
    }
    size_t rest = (size_t)(end - p);
    if (word_is(p, rest, "inf") || word_is(p, rest, "infinity")) {
        *out = negative ? -INFINITY : INFINITY;
        return 0;
    }
    if (word_is(p, rest, "nan")) {
        *out = negative ? -NAN : NAN;
        return 0;
    }
    char small[128];
    size_t cap = (size_t)(end - body) + 2;
    char *buf = cap <= sizeof small ? small : tw_mem_malloc(cap);
    if (buf == NULL) {
        tw_err_no_memory();
        return -1;
    }
    char *o = buf;
    if (negative)
        *o++ = '-';
    int ok = 1;
    int64_t int_digits = copy_digits(&p, end, &o), frac_digits = 0;
    if (int_digits < 0)
        ok = 0;
    if (ok && p < end && *p == '.') {
        *o++ = *p++;
        if (p < end && *p == '_')
            ok = 0;
        else if ((frac_digits = copy_digits(&p, end, &o)) < 0)
            ok = 0;
    }
    if (ok && int_digits + frac_digits == 0)
        ok = 0;
    if (ok && p < end && (*p == 'e' || *p == 'E')) {
        *o++ = *p++;
        if (p < end && (*p == '+' || *p == '-'))
            *o++ = *p++;
        if (p < end && *p == '_')
            ok = 0;
        else if (copy_digits(&p, end, &o) <= 0)
            ok = 0;
    }
    if (ok && p != end)
        ok = 0;
    *o = '\0';
    if (ok)
        *out = strtod(buf, NULL);
    if (buf != small)
        tw_mem_free(buf);
    return ok ? 0 : float_text_error(s, n, is_bytes);
}

/* float(x): floats, ints, text, then __float__ / __index__ through the
 * number slots.  A subclass gets an instance of itself. */
static TwObject *float_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"x", NULL};
    TwObject *got[1];
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_set_string(&tw_exc_TypeError, "float() takes no keyword arguments");
        return NULL;
    }
    if (tw_scalar_parse_args("float", args, nargs, NULL, names, 0, 1, 1, got) < 0)
        return NULL;
    TwObject *x = got[0];
    double v = 0.0;
    if (x == NULL) {
        v = 0.0;
    } else if (tw_float_check(x)) {
        if (type == &tw_float_type && TW_TYPE(x) == &tw_float_type)
            return tw_newref(x);
        v = value_of(x);
    } else if (tw_int_check(x)) {
        v = tw_int_as_double(x);
        if (v == -1.0 && tw_err_occurred())
            return NULL;
    } else if (tw_str_check(x)) {
        if (tw_float_parse(tw_str_utf8(x), (size_t)tw_str_byte_size(x), 0, &v) < 0)
            return NULL;
    } else if (tw_bytes_check(x)) {
        if (tw_float_parse(tw_bytes_data(x), (size_t)tw_bytes_size(x), 1, &v) < 0)
            return NULL;
    } else {
        const TwNumberMethods *nb = TW_TYPE(x)->tp_as_number;
        TwObject *r = NULL;
        if (nb != NULL && nb->nb_float != NULL) {
            r = nb->nb_float(x);
            if (r != NULL && !tw_float_check(r)) {
                tw_err_format(&tw_exc_TypeError, "%s.__float__ returned non-float (type %s)",
                              TW_TYPE(x)->tp_name, TW_TYPE(r)->tp_name);
                tw_decref(r);
                return NULL;
            }
        } else if (nb != NULL && nb->nb_index != NULL) {
            r = nb->nb_index(x);
            if (r != NULL) {
                v = tw_float_as_double(r);
                tw_decref(r);
                if (v == -1.0 && tw_err_occurred())
                    return NULL;
                r = tw_float_from_double(v);
            }
        } else {
            tw_err_format(&tw_exc_TypeError,
                          "float() argument must be a string or a real number, not '%s'",
                          TW_TYPE(x)->tp_name);
            return NULL;
        }
        if (r == NULL)
            return NULL;
        v = value_of(r);
        tw_decref(r);
    }
    if (type == &tw_float_type)
        return tw_float_from_double(v);
    TwObject *r = tw_object_new(type, 0);
    if (r != NULL)
        ((TwFloatObject *)r)->value = v;
    return r;
}

/* ---- round --------------------------------------------------------------------
 *
 * round(x, n) rounds the exact binary value of x to n decimal places, ties
 * to even, and reads the decimal result back: round(2.675, 2) is 2.67
 * because the double nearest 2.675 lies just below it.  glibc's printf
 * prints the exact value correctly rounded (ties to even), so "%.*f" does
 * the decimal rounding for n >= 0.  For n < 0 the integer digits are
 * printed exactly and rounded by hand at the 10**-n place.  Beyond
 * 323 places every double is unchanged; below -308 every one rounds to 0. */

#define NDIGITS_MAX 323
#define NDIGITS_MIN (-308)

static TwObject *round_double(double x, int64_t nd)
{
    if (!isfinite(x) || x == 0.0 || nd > NDIGITS_MAX)
        return tw_float_from_double(x);
    if (nd < NDIGITS_MIN)
        return tw_float_from_double(0.0 * x);
    double r;
    if (nd >= 0) {
        int len = snprintf(NULL, 0, "%.*f", (int)nd, x);
        char *buf = tw_mem_malloc((size_t)len + 1);
        if (buf == NULL)
            return tw_err_no_memory();
        snprintf(buf, (size_t)len + 1, "%.*f", (int)nd, x);
        r = strtod(buf, NULL);
        tw_mem_free(buf);
    } else {
        /* Integer digits of |x| (at most 309), rounded at 10**-nd. */
        char buf[400];
        double ip = trunc(fabs(x));
        int frac_nonzero = ip != fabs(x);
        int len = snprintf(buf + 1, sizeof buf - 1, "%.0f", ip);
        buf[0] = '0'; /* room for a carry */
        int keep = len - (int)(-nd); /* digits of buf+1 kept */
        if (keep < 0) {
            r = 0.0;
        } else {
            char *d = buf + 1;
            int first = d[keep] - '0';
            int sticky = frac_nonzero;
            for (int i = keep + 1; i < len; i++)
                sticky |= d[i] != '0';
            int last_odd = keep > 0 ? (d[keep - 1] - '0') & 1 : 0;
            int up = first > 5 || (first == 5 && (sticky || last_odd));
            for (int i = keep; i < len; i++)
                d[i] = '0';
            if (up) {
                int i = keep - 1;
                while (i >= -1 && d[i] == '9')
                    d[i--] = '0';
                d[i]++;
            }
            r = strtod(buf, NULL);
        }
        r = copysign(r, x);
    }
    if (isinf(r)) {
        tw_err_set_string(&tw_exc_OverflowError, "rounded value too large to represent");
        return NULL;
    }
    if (r == 0.0)
        r = copysign(0.0, x);
    return tw_float_from_double(r);
}

/* round(x) with no ndigits: the nearest integer (ties to even) as an int. */
static TwObject *round_to_int(double x)
{
    double r = nearbyint(x); /* the default rounding mode: ties to even */
    return tw_int_from_double(r);
}

TwObject *tw_float_round(TwObject *op, TwObject *ndigits)
{
    double x = value_of(op);
    if (ndigits == NULL || ndigits == TW_NONE)
        return round_to_int(x);
    if (!tw_int_check(ndigits)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(ndigits)->tp_name);
        return NULL;
    }
    int overflow;
    int64_t nd = tw_int_as_i64_overflow(ndigits, &overflow);
    if (overflow)
        nd = overflow > 0 ? INT64_MAX : INT64_MIN;
    return round_double(x, nd);
}

/* ---- methods ---------------------------------------------------------------------- */

static TwObject *float_round_method(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    static const char *const names[] = {"ndigits", NULL};
    TwObject *got[1];
    if (tw_scalar_parse_args("__round__", args, nargs, kwnames, names, 0, 1, 0, got) < 0)
        return NULL;
    return tw_float_round(self, got[0]);
}

static TwObject *float_is_integer(TwObject *self, TwObject *unused)
{
    double x = value_of(self);
    return tw_bool_from_long(isfinite(x) && floor(x) == x);
}

static TwObject *float_trunc(TwObject *self, TwObject *unused)
{
    return tw_int_from_double(value_of(self));
}

static TwObject *float_floor(TwObject *self, TwObject *unused)
{
    return tw_int_from_double(floor(value_of(self)));
}

static TwObject *float_ceil(TwObject *self, TwObject *unused)
{
    return tw_int_from_double(ceil(value_of(self)));
}

static TwObject *float_conjugate(TwObject *self, TwObject *unused)
{
    return float_pos(self);
}

/* x == n / d in lowest terms, d a power of two: x = m * 2**e with m an
 * integer of 53 bits at most. */
static TwObject *float_as_integer_ratio(TwObject *self, TwObject *unused)
{
    double x = value_of(self);
    if (isinf(x)) {
        tw_err_set_string(&tw_exc_OverflowError, "cannot convert Infinity to integer ratio");
        return NULL;
    }
    if (isnan(x)) {
        tw_err_set_string(&tw_exc_ValueError, "cannot convert NaN to integer ratio");
        return NULL;
    }
    int e;
    double m = frexp(x, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) {
        m *= 2.0;
        e--;
    }
    TwObject *num = tw_int_from_double(m), *den = NULL, *t = NULL;
    TwObject *one = tw_int_from_i64(1), *shift = tw_int_from_i64(e < 0 ? -e : e);
    if (num != NULL && shift != NULL) {
        TwObject *pow2 = tw_int_number_methods.nb_lshift(one, shift);
        if (pow2 != NULL) {
            if (e > 0) {
                TwObject *n2 = tw_int_mul(num, pow2);
                tw_decref(num);
                num = n2;
                den = tw_int_from_i64(1);
                tw_decref(pow2);
            } else {
                den = pow2;
            }
        }
    }
    if (num != NULL && den != NULL)
        t = tw_tuple_pack(2, num, den);
    tw_xdecref(num);
    tw_xdecref(den);
    tw_xdecref(shift);
    return t;
}

static TwObject *float_format_method(TwObject *self, TwObject *spec)
{
    if (!tw_str_check(spec)) {
        tw_err_format(&tw_exc_TypeError, "__format__() argument must be str, not %s",
                      TW_TYPE(spec)->tp_name);
        return NULL;
    }
    return tw_format_builtin(self, spec);
}

const TwMethodDef tw_float_methods[] = {
    {"is_integer", (void (*)(void))float_is_integer, TW_METH_NOARGS, NULL},
    {"as_integer_ratio", (void (*)(void))float_as_integer_ratio, TW_METH_NOARGS, NULL},
    {"conjugate", (void (*)(void))float_conjugate, TW_METH_NOARGS, NULL},
    {"__trunc__", (void (*)(void))float_trunc, TW_METH_NOARGS, NULL},
    {"__floor__", (void (*)(void))float_floor, TW_METH_NOARGS, NULL},
    {"__ceil__", (void (*)(void))float_ceil, TW_METH_NOARGS, NULL},
    {"__round__", (void (*)(void))float_round_method, TW_METH_FASTCALL, NULL},
    {"__format__", (void (*)(void))float_format_method, TW_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
