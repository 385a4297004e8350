/* The math module: CPython's functions on floats and integers.
 *
 * Float functions convert their arguments as CPython does (float, int,
 * __float__, then __index__; otherwise TypeError "must be real number, not
 * X"), call the C library and map its outcome onto CPython's errors: a NaN
 * out of a non-NaN argument, or an infinity out of a finite one where the
 * function cannot overflow, is ValueError "math domain error"; an infinity
 * out of a finite argument where it can is OverflowError "math range error";
 * underflow to a tiny result is not an error.  floor, ceil and trunc return
 * ints (any size) and honour __floor__, __ceil__ and __trunc__.  The integer
 * functions (factorial, gcd, lcm, comb, perm, isqrt) use GMP through
 * core/intgmp.h.  fsum is exact: it keeps the running sum as a list of
 * non-overlapping partial sums and rounds once at the end.
 *
 * The module has no state; every function is safe to call from any thread. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/intgmp.h"
#include "core/tstate.h"
#include "core/builtins.h"

#define FN(f) ((void (*)(void))(f))

static TwObject *domain_error(void)
{
    tw_err_set_string(&tw_exc_ValueError, "math domain error");
    return NULL;
}

static TwObject *range_error(void)
{
    tw_err_set_string(&tw_exc_OverflowError, "math range error");
    return NULL;
}

/* type(x).<name> looked up through the MRO and called with x; *found says
 * whether the method exists (0: nothing was called, no exception). */
static TwObject *call_special(TwObject *x, const char *name, int *found)
{
    *found = 0;
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL)
        return NULL;
    TwObject *f = tw_type_lookup_ref(TW_TYPE(x), key);
    tw_decref(key);
    *found = f != NULL;
    if (f == NULL)
        return NULL;
    TwObject *r = tw_object_call_one(f, x);
    tw_decref(f);
    return r;
}

/* The float value of a math argument: float, int, __float__, __index__. */
static int as_double(TwObject *x, double *out)
{
    if (tw_float_check(x)) {
        *out = ((TwFloatObject *)x)->value;
        return 0;
    }
    if (tw_int_check(x)) {
        *out = tw_int_as_double(x);
        return *out == -1.0 && tw_err_occurred() ? -1 : 0;
    }
    int found;
    TwObject *r = call_special(x, "__float__", &found);
    if (found) {
        if (r == NULL)
            return -1;
        if (!tw_float_check(r)) {
            tw_err_format(&tw_exc_TypeError, "%s.__float__ returned non-float (type %s)",
                          TW_TYPE(x)->tp_name, TW_TYPE(r)->tp_name);
            tw_decref(r);
            return -1;
        }
        *out = ((TwFloatObject *)r)->value;
        tw_decref(r);
        return 0;
    }
    if (tw_err_occurred())
        return -1;
    r = call_special(x, "__index__", &found);
    if (found) {
        if (r == NULL)
            return -1;
        if (!tw_int_check(r)) {
            tw_err_format(&tw_exc_TypeError, "__index__ returned non-int (type %s)",
                          TW_TYPE(r)->tp_name);
            tw_decref(r);
            return -1;
        }
        *out = tw_int_as_double(r);
        tw_decref(r);
        return *out == -1.0 && tw_err_occurred() ? -1 : 0;
    }
    if (!tw_err_occurred())
        tw_err_format(&tw_exc_TypeError, "must be real number, not %s", TW_TYPE(x)->tp_name);
    return -1;
}

/* An integer argument through __index__ (new reference). */
static TwObject *as_int(TwObject *x)
{
    return tw_number_index(x);
}

/* ---- functions of one float -------------------------------------------------------- */

/* Map a libm result onto CPython's errors; NULL with the exception. */
static TwObject *float_result(double x, double r, int can_overflow)
{
    if (isnan(r) && !isnan(x))
        return domain_error();
    if (isinf(r) && isfinite(x))
        return can_overflow ? range_error() : domain_error();
    return tw_float_from_double(r);
}

/* A math function of one float, wrapped as a TW_METH_O callable. */
#define MATH_1(name, expr, can_overflow)                                                           \
    static TwObject *math_##name(TwObject *m, TwObject *arg)                                       \
    {                                                                                              \
        double x;                                                                                  \
        if (as_double(arg, &x) < 0)                                                                \
            return NULL;                                                                           \
        return float_result(x, (expr), (can_overflow));                                            \
    }

/* libm's log and friends return -inf at 0 with a pole error and NaN below
 * 0; both are domain errors in Python. */
static double m_log(double x)
{
    return x > 0 || isnan(x) ? log(x) : x == 0 ? -INFINITY : NAN;
}

/* gamma and lgamma: poles at 0 and the negative integers are domain
 * errors; a finite argument with an infinite result is an overflow. */
static TwObject *math_gamma(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    if (isfinite(x) && (x == 0 || (x < 0 && x == floor(x))))
        return domain_error();
    if (isnan(x) || x == INFINITY)
        return tw_float_from_double(x);
    if (x == -INFINITY)
        return domain_error();
    return float_result(x, tgamma(x), 1);
}

static TwObject *math_lgamma(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    if (isfinite(x) && x <= 0 && x == floor(x))
        return domain_error();
    if (!isfinite(x))
        return tw_float_from_double(isnan(x) ? x : INFINITY);
    int sign;
    return float_result(x, lgamma_r(x, &sign), 1);
}

MATH_1(sqrt, sqrt(x), 0)
MATH_1(exp, exp(x), 1)
MATH_1(exp2, exp2(x), 1)
MATH_1(expm1, expm1(x), 1)
MATH_1(log2, x > 0 || isnan(x) ? log2(x) : x == 0 ? -INFINITY : NAN, 0)
MATH_1(log10, x > 0 || isnan(x) ? log10(x) : x == 0 ? -INFINITY : NAN, 0)
MATH_1(log1p, x > -1 || isnan(x) ? log1p(x) : x == -1 ? -INFINITY : NAN, 0)
MATH_1(sin, isinf(x) ? NAN : sin(x), 0)
MATH_1(cos, isinf(x) ? NAN : cos(x), 0)
MATH_1(tan, isinf(x) ? NAN : tan(x), 0)
MATH_1(asin, asin(x), 0)
MATH_1(acos, acos(x), 0)
MATH_1(atan, atan(x), 0)
MATH_1(sinh, sinh(x), 1)
MATH_1(cosh, cosh(x), 1)
MATH_1(tanh, tanh(x), 0)
MATH_1(asinh, asinh(x), 0)
MATH_1(acosh, acosh(x), 0)
MATH_1(atanh, fabs(x) == 1 ? NAN : atanh(x), 0)
MATH_1(erf, erf(x), 0)
MATH_1(erfc, erfc(x), 0)
MATH_1(cbrt, cbrt(x), 0)
MATH_1(fabs, fabs(x), 0)

static TwObject *math_degrees(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    return tw_float_from_double(x * (180.0 / M_PI));
}

static TwObject *math_radians(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    return tw_float_from_double(x * (M_PI / 180.0));
}

static TwObject *bool_result(int v)
{
    return tw_newref(v ? TW_TRUE : TW_FALSE);
}

static TwObject *math_isfinite(TwObject *m, TwObject *arg)
{
    double x;
    return as_double(arg, &x) < 0 ? NULL : bool_result(isfinite(x));
}
static TwObject *math_isinf(TwObject *m, TwObject *arg)
{
    double x;
    return as_double(arg, &x) < 0 ? NULL : bool_result(isinf(x));
}
static TwObject *math_isnan(TwObject *m, TwObject *arg)
{
    double x;
    return as_double(arg, &x) < 0 ? NULL : bool_result(isnan(x));
}

/* ---- logarithms of any size ------------------------------------------------------ */

/* log of an argument for log/log2/log10: ints too large for a double are
 * split into mantissa and power of two.  `f` is the logarithm to use. */
static int log_of(TwObject *arg, double (*f)(double), double *out)
{
    if (tw_int_check(arg)) {
        if (tw_int_sign(arg) <= 0) {
            domain_error();
            return -1;
        }
        double d = tw_int_as_double(arg);
        if (d == -1.0 && tw_err_occurred()) {
            if (!tw_err_matches(&tw_exc_OverflowError))
                return -1;
            tw_err_clear();
            mpz_t z;
            mpz_init(z);
            tw_int_get_mpz(arg, z);
            long e;
            double mant = mpz_get_d_2exp(&e, z);
            mpz_clear(z);
            *out = f(mant) + f(2.0) * (double)e;
            return 0;
        }
        *out = f(d);
        return 0;
    }
    double x;
    if (as_double(arg, &x) < 0)
        return -1;
    if (!(x > 0) && !isnan(x)) {
        domain_error();
        return -1;
    }
    *out = f(x);
    return 0;
}

static TwObject *math_log(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("log", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "log expected %s, got %zu",
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    double num, den;
    if (log_of(args[0], m_log, &num) < 0)
        return NULL;
    if (nargs == 1)
        return tw_float_from_double(num);
    if (log_of(args[1], m_log, &den) < 0)
        return NULL;
    if (den == 0) {
        tw_err_set_string(&tw_exc_ZeroDivisionError, "float division by zero");
        return NULL;
    }
    return tw_float_from_double(num / den);
}

static TwObject *math_log2_any(TwObject *m, TwObject *arg)
{
    if (!tw_int_check(arg))
        return math_log2(m, arg);
    double r;
    return log_of(arg, log2, &r) < 0 ? NULL : tw_float_from_double(r);
}

static TwObject *math_log10_any(TwObject *m, TwObject *arg)
{
    if (!tw_int_check(arg))
        return math_log10(m, arg);
    double r;
    return log_of(arg, log10, &r) < 0 ? NULL : tw_float_from_double(r);
}

/* ---- functions of two floats ------------------------------------------------------- */

/* Two float arguments, positional only. */
static int two_doubles(const char *fname, TwObject *const *args, size_t nargs, TwObject *kwnames,
                       double *x, double *y)
{
    if (tw_arg_no_kwargs(fname, kwnames) < 0)
        return -1;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "%s expected 2 arguments, got %zu", fname, nargs);
        return -1;
    }
    if (as_double(args[0], x) < 0 || as_double(args[1], y) < 0)
        return -1;
    return 0;
}

static TwObject *math_atan2(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("atan2", args, nargs, kw, &y, &x) < 0)
        return NULL;
    return tw_float_from_double(atan2(y, x));
}

static TwObject *math_copysign(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("copysign", args, nargs, kw, &x, &y) < 0)
        return NULL;
    return tw_float_from_double(copysign(x, y));
}

static TwObject *math_fmod(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("fmod", args, nargs, kw, &x, &y) < 0)
        return NULL;
    if (isinf(y) && isfinite(x))
        return tw_float_from_double(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y))
        return domain_error();
    return tw_float_from_double(r);
}

static TwObject *math_remainder(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("remainder", args, nargs, kw, &x, &y) < 0)
        return NULL;
    if (isnan(x) || isnan(y))
        return tw_float_from_double(isnan(x) ? x : y);
    if (isinf(x) || y == 0)
        return domain_error();
    return tw_float_from_double(remainder(x, y));
}

/* x ** y with Python's errors: (-x) ** fraction and 0 ** negative are
 * domain errors, a finite overflow is a range error; the infinite and NaN
 * cases follow C99 Annex F. */
static TwObject *math_pow(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("pow", args, nargs, kw, &x, &y) < 0)
        return NULL;
    if (!isfinite(x) || !isfinite(y))
        return tw_float_from_double(pow(x, y));
    double r = pow(x, y);
    if (isnan(r))
        return domain_error();
    if (isinf(r))
        return x == 0 ? domain_error() : range_error();
    return tw_float_from_double(r);
}

static TwObject *math_nextafter(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    double x, y;
    if (two_doubles("nextafter", args, nargs, kw, &x, &y) < 0)
        return NULL;
    return tw_float_from_double(nextafter(x, y));
}

static TwObject *math_ulp(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    if (isnan(x))
        return tw_float_from_double(x);
    x = fabs(x);
    if (isinf(x))
        return tw_float_from_double(x);
    double up = nextafter(x, INFINITY);
    if (isinf(up))
        return tw_float_from_double(x - nextafter(x, -INFINITY));
    return tw_float_from_double(up - x);
}

/* ldexp(x, i): i is an int of any size; past the exponent range the result
 * is an overflow or a signed zero. */
static TwObject *math_ldexp(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("ldexp", kw) < 0)
        return NULL;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "ldexp expected 2 arguments, got %zu", nargs);
        return NULL;
    }
    double x;
    if (as_double(args[0], &x) < 0)
        return NULL;
    if (!tw_int_check(args[1])) {
        tw_err_set_string(&tw_exc_TypeError, "Expected an int as second argument to ldexp.");
        return NULL;
    }
    int overflow;
    int64_t e = tw_int_as_i64_overflow(args[1], &overflow);
    if (overflow)
        e = overflow > 0 ? INT32_MAX : INT32_MIN;
    else if (e > INT32_MAX)
        e = INT32_MAX;
    else if (e < INT32_MIN)
        e = INT32_MIN;
    if (x == 0 || !isfinite(x))
        return tw_float_from_double(x);
    double r = ldexp(x, (int)e);
    if (isinf(r))
        return range_error();
    return tw_float_from_double(r);
}

static TwObject *math_frexp(TwObject *m, TwObject *arg)
{
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    int e = 0;
    double mant = x;
    if (isfinite(x) && x != 0)
        mant = frexp(x, &e);
    TwObject *a = tw_float_from_double(mant), *b = tw_int_from_i64(e);
    TwObject *t = a && b ? tw_tuple_pack(2, a, b) : NULL;
    tw_xdecref(a);
    tw_xdecref(b);
    return t;
}

static TwObject *math_modf(TwObject *m, TwObject *arg)
{
    double x, ip, fp;
    if (as_double(arg, &x) < 0)
        return NULL;
    if (isinf(x)) {
        ip = x;
        fp = copysign(0.0, x);
    } else {
        fp = modf(x, &ip);
    }
    TwObject *a = tw_float_from_double(fp), *b = tw_float_from_double(ip);
    TwObject *t = a && b ? tw_tuple_pack(2, a, b) : NULL;
    tw_xdecref(a);
    tw_xdecref(b);
    return t;
}

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0) */
static TwObject *math_isclose(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    static const TwArgSpec spec = {"isclose", names, 0, 2, 2};
    TwObject *got[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    double a, b, rel = 1e-09, abs_tol = 0.0;
    if (as_double(got[0], &a) < 0 || as_double(got[1], &b) < 0 ||
        (got[2] && as_double(got[2], &rel) < 0) || (got[3] && as_double(got[3], &abs_tol) < 0))
        return NULL;
    if (rel < 0 || abs_tol < 0) {
        tw_err_set_string(&tw_exc_ValueError, "tolerances must be non-negative");
        return NULL;
    }
    if (a == b)
        return bool_result(1);
    if (isinf(a) || isinf(b))
        return bool_result(0);
    double diff = fabs(b - a);
    return bool_result((diff <= fabs(rel * b)) || (diff <= fabs(rel * a)) || diff <= abs_tol);
}

/* ---- floor, ceil, trunc ------------------------------------------------------------ */

/* floor/ceil/trunc: exact floats and ints directly, then the special
 * method, then the float value. */
static TwObject *rounding(TwObject *arg, const char *special, double (*f)(double))
{
    if (TW_TYPE(arg) == &tw_float_type)
        return tw_int_from_double(f(((TwFloatObject *)arg)->value));
    if (TW_TYPE(arg) == &tw_int_type)
        return tw_newref(arg);
    int found;
    TwObject *r = call_special(arg, special, &found);
    if (found || tw_err_occurred())
        return r;
    if (f == trunc) {
        tw_err_format(&tw_exc_TypeError, "type %s doesn't define __trunc__ method",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    double x;
    if (as_double(arg, &x) < 0)
        return NULL;
    return tw_int_from_double(f(x));
}

static TwObject *math_floor(TwObject *m, TwObject *arg)
{
    return rounding(arg, "__floor__", floor);
}
static TwObject *math_ceil(TwObject *m, TwObject *arg)
{
    return rounding(arg, "__ceil__", ceil);
}
static TwObject *math_trunc(TwObject *m, TwObject *arg)
{
    return rounding(arg, "__trunc__", trunc);
}

/* ---- sums and norms ------------------------------------------------------------------ */

/* Exact summation: `partials` holds non-overlapping doubles, smallest
 * first, whose exact sum is the sum so far (Shewchuk's algorithm).  The
 * result is that sum rounded once, to nearest even. */
typedef struct {
    double *p;
    size_t n, cap;
    double small[32];
} Partials;

static int partials_add(Partials *s, double x)
{
    size_t i = 0;
    for (size_t j = 0; j < s->n; j++) {
        double y = s->p[j];
        if (fabs(x) < fabs(y)) {
            double t = x;
            x = y;
            y = t;
        }
        double hi = x + y;
        double lo = y - (hi - x);
        if (lo != 0.0)
            s->p[i++] = lo;
        x = hi;
    }
    if (i >= s->cap) {
        size_t cap = s->cap * 2;
        double *np = tw_mem_malloc(cap * sizeof(double));
        if (np == NULL) {
            tw_err_no_memory();
            return -1;
        }
        memcpy(np, s->p, i * sizeof(double));
        if (s->p != s->small)
            tw_mem_free(s->p);
        s->p = np;
        s->cap = cap;
    }
    s->p[i] = x;
    s->n = i + 1;
    return 0;
}

/* The correctly rounded sum of the partials. */
static double partials_total(const Partials *s)
{
    if (s->n == 0)
        return 0.0;
    size_t n = s->n;
    double hi = s->p[--n], lo = 0;
    while (n > 0) {
        double x = hi;
        double y = s->p[--n];
        hi = x + y;
        double yr = hi - x;
        lo = y - yr;
        if (lo != 0.0)
            break;
    }
    /* Round half to even correctly: if the remainder lo sits exactly half
     * way and the next partial pushes in the same direction, step once. */
    if (n > 0 && ((lo < 0.0 && s->p[n - 1] < 0.0) || (lo > 0.0 && s->p[n - 1] > 0.0))) {
        double y = lo * 2.0;
        double x = hi + y;
        double yr = x - hi;
        if (y == yr)
            hi = x;
    }
    return hi;
}

static TwObject *math_fsum(TwObject *m, TwObject *iterable)
{
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL)
        return NULL;
    Partials s = {.n = 0, .cap = 32};
    s.p = s.small;
    double special = 0.0, inf_sum = 0.0;
    int ok = 0;
    for (;;) {
        TwObject *item = tw_iter_next(it);
        if (item == NULL) {
            ok = tw_err_occurred() == NULL;
            break;
        }
        double x;
        int rc = as_double(item, &x);
        tw_decref(item);
        if (rc < 0)
            break;
        if (!isfinite(x)) {
            /* Infinities and NaNs do not take part in the exact sum. */
            if (isinf(x))
                inf_sum += x;
            special += x;
            continue;
        }
        if (partials_add(&s, x) < 0)
            break;
        if (s.n > 0 && !isfinite(s.p[s.n - 1])) {
            tw_err_set_string(&tw_exc_OverflowError, "intermediate overflow in fsum");
            break;
        }
    }
    tw_decref(it);
    double total = 0.0;
    if (ok) {
        if (special != 0.0) {
            if (isnan(inf_sum)) {
                tw_err_set_string(&tw_exc_ValueError, "-inf + inf in fsum");
                ok = 0;
            } else {
                total = special;
            }
        } else {
            total = partials_total(&s);
        }
    }
    if (s.p != s.small)
        tw_mem_free(s.p);
    return ok ? tw_float_from_double(total) : NULL;
}

/* sqrt(sum(x*x)) of finite values, accurately: scale by a power of two so
 * the largest is near 1, sum the exact squares (each split into a rounded
 * square and its error by fma) exactly, and correct the square root once. */
static double vector_norm(const double *v, size_t n, double max, int found_nan)
{
    if (isinf(max))
        return max;
    if (found_nan)
        return NAN;
    if (max == 0 || n <= 1)
        return max;
    int e;
    frexp(max, &e);
    Partials s = {.n = 0, .cap = 32};
    s.p = s.small;
    for (size_t i = 0; i < n; i++) {
        double x = ldexp(v[i], -e);
        double sq = x * x;
        if (partials_add(&s, sq) < 0 || partials_add(&s, fma(x, x, -sq)) < 0) {
            if (s.p != s.small)
                tw_mem_free(s.p);
            return -1;
        }
    }
    double total = partials_total(&s);
    double h = sqrt(total);
    /* One Newton step on the exact residual total - h*h. */
    if (partials_add(&s, -h * h) == 0 && partials_add(&s, -fma(h, h, -h * h)) == 0)
        h += partials_total(&s) / (2.0 * h);
    if (s.p != s.small)
        tw_mem_free(s.p);
    return ldexp(h, e);
}

static TwObject *math_hypot(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("hypot", kwnames) < 0)
        return NULL;
    double stack[16], *v = nargs <= 16 ? stack : tw_mem_malloc(nargs * sizeof(double));
    if (v == NULL)
        return tw_err_no_memory();
    double max = 0.0;
    int found_nan = 0;
    TwObject *res = NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (as_double(args[i], &v[i]) < 0)
            goto done;
        v[i] = fabs(v[i]);
        found_nan |= isnan(v[i]);
        if (v[i] > max)
            max = v[i];
    }
    double r = nargs == 2 && !found_nan ? hypot(v[0], v[1]) : vector_norm(v, nargs, max, found_nan);
    if (r == -1 && tw_err_occurred())
        goto done;
    res = tw_float_from_double(r);
done:
    if (v != stack)
        tw_mem_free(v);
    return res;
}

/* dist(p, q): the Euclidean distance between two points of equal dimension. */
static TwObject *math_dist(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("dist", kwnames) < 0)
        return NULL;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "dist expected 2 arguments, got %zu", nargs);
        return NULL;
    }
    TwObject *p = tw_sequence_tuple(args[0]);
    TwObject *q = p ? tw_sequence_tuple(args[1]) : NULL;
    TwObject *res = NULL;
    double *v = NULL;
    if (q == NULL)
        goto done;
    size_t n = (size_t)tw_tuple_size(p);
    if ((size_t)tw_tuple_size(q) != n) {
        tw_err_set_string(&tw_exc_ValueError, "both points must have the same number of dimensions");
        goto done;
    }
    v = tw_mem_malloc((n ? n : 1) * sizeof(double));
    if (v == NULL) {
        tw_err_no_memory();
        goto done;
    }
    double max = 0.0;
    int found_nan = 0;
    for (size_t i = 0; i < n; i++) {
        double a, b;
        if (as_double(tw_tuple_get_item_borrowed(p, (intptr_t)i), &a) < 0 ||
            as_double(tw_tuple_get_item_borrowed(q, (intptr_t)i), &b) < 0)
            goto done;
        v[i] = fabs(a - b);
        found_nan |= isnan(v[i]);
        if (v[i] > max)
            max = v[i];
    }
    double r = vector_norm(v, n, max, found_nan);
    if (!(r == -1 && tw_err_occurred()))
        res = tw_float_from_double(r);
done:
    tw_mem_free(v);
    tw_xdecref(p);
    tw_xdecref(q);
    return res;
}

/* prod(iterable, *, start=1) with the operands' own multiplication. */
static TwObject *math_prod(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"iterable", "start", NULL};
    static const TwArgSpec spec = {"prod", names, 1, 1, 1};
    TwObject *got[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, got) < 0)
        return NULL;
    TwObject *it = tw_object_iter(got[0]);
    if (it == NULL)
        return NULL;
    TwObject *acc = got[1] ? tw_newref(got[1]) : tw_int_from_i64(1);
    for (;;) {
        TwObject *item = tw_iter_next(it);
        if (item == NULL) {
            if (tw_err_occurred())
                TW_CLEAR(acc);
            break;
        }
        TwObject *next = tw_number_multiply(acc, item);
        tw_decref(item);
        tw_decref(acc);
        acc = next;
        if (acc == NULL)
            break;
    }
    tw_decref(it);
    return acc;
}

/* ---- integer functions ------------------------------------------------------------------ */

/* An int argument as a GMP integer in z (initialised by the caller). */
static int get_mpz(TwObject *arg, mpz_ptr z)
{
    TwObject *i = as_int(arg);
    if (i == NULL)
        return -1;
    tw_int_get_mpz(i, z);
    tw_decref(i);
    return 0;
}

static TwObject *result_mpz(mpz_ptr z)
{
    TwObject *r = tw_int_from_mpz(z);
    mpz_clear(z);
    return r;
}

/* Estimated bits of a product of k factors each below 2**bits_each, checked
 * against the int size limit before GMP is asked to build it. */
static int too_big(double bits)
{
    if (bits > (double)TW_INT_MAX_RESULT_BITS) {
        tw_err_no_memory();
        return 1;
    }
    return 0;
}

static TwObject *math_factorial(TwObject *m, TwObject *arg)
{
    TwObject *i = as_int(arg);
    if (i == NULL)
        return NULL;
    int overflow;
    int64_t n = tw_int_as_i64_overflow(i, &overflow);
    int neg = overflow < 0 || (overflow == 0 && n < 0);
    tw_decref(i);
    if (neg) {
        tw_err_set_string(&tw_exc_ValueError, "factorial() not defined for negative values");
        return NULL;
    }
    if (overflow) {
        tw_err_set_string(&tw_exc_OverflowError,
                          "factorial() argument should not exceed 9223372036854775807");
        return NULL;
    }
    if (n > 2 && too_big((double)n * log2((double)n)))
        return NULL;
    mpz_t z;
    mpz_init(z);
    mpz_fac_ui(z, (unsigned long)n);
    return result_mpz(z);
}

/* gcd(*integers) and lcm(*integers). */
static TwObject *gcd_lcm(TwObject *const *args, size_t nargs, TwObject *kwnames, int lcm)
{
    if (tw_arg_no_kwargs(lcm ? "lcm" : "gcd", kwnames) < 0)
        return NULL;
    mpz_t acc, x;
    mpz_init_set_ui(acc, lcm ? 1 : 0);
    mpz_init(x);
    for (size_t i = 0; i < nargs; i++) {
        if (get_mpz(args[i], x) < 0) {
            mpz_clear(acc);
            mpz_clear(x);
            return NULL;
        }
        if (lcm) {
            if (mpz_sizeinbase(acc, 2) + mpz_sizeinbase(x, 2) > TW_INT_MAX_RESULT_BITS) {
                mpz_clear(acc);
                mpz_clear(x);
                return tw_err_no_memory();
            }
            mpz_lcm(acc, acc, x);
        } else {
            mpz_gcd(acc, acc, x);
        }
    }
    mpz_clear(x);
    return result_mpz(acc);
}

static TwObject *math_gcd(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return gcd_lcm(args, nargs, kw, 0);
}
static TwObject *math_lcm(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return gcd_lcm(args, nargs, kw, 1);
}

static TwObject *math_isqrt(TwObject *m, TwObject *arg)
{
    mpz_t z;
    mpz_init(z);
    if (get_mpz(arg, z) < 0) {
        mpz_clear(z);
        return NULL;
    }
    if (mpz_sgn(z) < 0) {
        mpz_clear(z);
        tw_err_set_string(&tw_exc_ValueError, "isqrt() argument must be nonnegative");
        return NULL;
    }
    mpz_sqrt(z, z);
    return result_mpz(z);
}

/* The n and k of comb/perm as GMP integers; ValueError for negatives. */
static int n_and_k(TwObject *narg, TwObject *karg, mpz_ptr n, mpz_ptr k)
{
    if (get_mpz(narg, n) < 0 || get_mpz(karg, k) < 0)
        return -1;
    if (mpz_sgn(n) < 0) {
        tw_err_set_string(&tw_exc_ValueError, "n must be a non-negative integer");
        return -1;
    }
    if (mpz_sgn(k) < 0) {
        tw_err_set_string(&tw_exc_ValueError, "k must be a non-negative integer");
        return -1;
    }
    return 0;
}

static TwObject *math_comb(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("comb", kw) < 0)
        return NULL;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "comb expected 2 arguments, got %zu", nargs);
        return NULL;
    }
    mpz_t n, k;
    mpz_init(n);
    mpz_init(k);
    TwObject *res = NULL;
    if (n_and_k(args[0], args[1], n, k) < 0)
        goto done;
    if (mpz_cmp(k, n) > 0) {
        res = tw_int_from_i64(0);
        goto done;
    }
    mpz_sub(n, n, k); /* n - k: use the smaller of k and n - k */
    if (mpz_cmp(n, k) < 0)
        mpz_swap(n, k);
    mpz_add(n, n, k); /* n again */
    if (!mpz_fits_ulong_p(k)) {
        tw_err_set_string(&tw_exc_OverflowError,
                          "min(n - k, k) must not exceed 9223372036854775807");
        goto done;
    }
    unsigned long kk = mpz_get_ui(k);
    if (kk > 1 && too_big((double)kk * (double)mpz_sizeinbase(n, 2)))
        goto done;
    mpz_bin_ui(n, n, kk);
    res = tw_int_from_mpz(n);
done:
    mpz_clear(n);
    mpz_clear(k);
    return res;
}

/* out = low * (low+1) * ... * (low+count-1), multiplied as a balanced
 * tree so that large counts cost about one big multiplication per level. */
static void range_product(mpz_ptr out, mpz_srcptr low, unsigned long count)
{
    if (count <= 16) {
        mpz_set_ui(out, 1);
        mpz_t f;
        mpz_init_set(f, low);
        for (unsigned long i = 0; i < count; i++) {
            mpz_mul(out, out, f);
            mpz_add_ui(f, f, 1);
        }
        mpz_clear(f);
        return;
    }
    unsigned long half = count / 2;
    mpz_t mid, right;
    mpz_init(right);
    mpz_init(mid);
    mpz_add_ui(mid, low, half);
    range_product(out, low, half);
    range_product(right, mid, count - half);
    mpz_mul(out, out, right);
    mpz_clear(mid);
    mpz_clear(right);
}

static TwObject *math_perm(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    if (tw_arg_no_kwargs("perm", kw) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "perm expected %s, got %zu",
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    if (nargs == 1 || args[1] == TW_NONE)
        return math_factorial(m, args[0]);
    mpz_t n, k, acc;
    mpz_init(n);
    mpz_init(k);
    mpz_init_set_ui(acc, 1);
    TwObject *res = NULL;
    if (n_and_k(args[0], args[1], n, k) < 0)
        goto done;
    if (mpz_cmp(k, n) > 0) {
        res = tw_int_from_i64(0);
        goto done;
    }
    if (!mpz_fits_slong_p(k)) {
        tw_err_set_string(&tw_exc_OverflowError, "k must not exceed 9223372036854775807");
        goto done;
    }
    unsigned long kk = mpz_get_ui(k);
    if (kk > 1 && too_big((double)kk * (double)mpz_sizeinbase(n, 2)))
        goto done;
    /* n * (n-1) * ... * (n-k+1) */
    mpz_sub_ui(n, n, kk);
    mpz_add_ui(n, n, 1);
    range_product(acc, n, kk);
    res = tw_int_from_mpz(acc);
done:
    mpz_clear(n);
    mpz_clear(k);
    mpz_clear(acc);
    return res;
}

static const TwMethodDef math_functions[] = {
    {"sqrt", FN(math_sqrt), TW_METH_O, "Return the square root of x."},
    {"exp", FN(math_exp), TW_METH_O, "Return e raised to the power of x."},
    {"exp2", FN(math_exp2), TW_METH_O, "Return 2 raised to the power of x."},
    {"expm1", FN(math_expm1), TW_METH_O, "Return exp(x)-1."},
    {"log", FN(math_log), TW_METH_FASTCALL, "log(x[, base]): the logarithm of x to base."},
    {"log2", FN(math_log2_any), TW_METH_O, "Return the base 2 logarithm of x."},
    {"log10", FN(math_log10_any), TW_METH_O, "Return the base 10 logarithm of x."},
    {"log1p", FN(math_log1p), TW_METH_O, "Return the natural logarithm of 1+x."},
    {"pow", FN(math_pow), TW_METH_FASTCALL, "Return x**y (x to the power of y)."},
    {"sin", FN(math_sin), TW_METH_O, "Return the sine of x (radians)."},
    {"cos", FN(math_cos), TW_METH_O, "Return the cosine of x (radians)."},
    {"tan", FN(math_tan), TW_METH_O, "Return the tangent of x (radians)."},
    {"asin", FN(math_asin), TW_METH_O, "Return the arc sine of x, in radians."},
    {"acos", FN(math_acos), TW_METH_O, "Return the arc cosine of x, in radians."},
    {"atan", FN(math_atan), TW_METH_O, "Return the arc tangent of x, in radians."},
    {"atan2", FN(math_atan2), TW_METH_FASTCALL, "Return the arc tangent of y/x, in radians."},
    {"sinh", FN(math_sinh), TW_METH_O, "Return the hyperbolic sine of x."},
    {"cosh", FN(math_cosh), TW_METH_O, "Return the hyperbolic cosine of x."},
    {"tanh", FN(math_tanh), TW_METH_O, "Return the hyperbolic tangent of x."},
    {"asinh", FN(math_asinh), TW_METH_O, "Return the inverse hyperbolic sine of x."},
    {"acosh", FN(math_acosh), TW_METH_O, "Return the inverse hyperbolic cosine of x."},
    {"atanh", FN(math_atanh), TW_METH_O, "Return the inverse hyperbolic tangent of x."},
    {"erf", FN(math_erf), TW_METH_O, "Error function at x."},
    {"erfc", FN(math_erfc), TW_METH_O, "Complementary error function at x."},
    {"gamma", FN(math_gamma), TW_METH_O, "Gamma function at x."},
    {"lgamma", FN(math_lgamma), TW_METH_O, "Natural logarithm of |gamma(x)|."},
    {"cbrt", FN(math_cbrt), TW_METH_O, "Return the cube root of x."},
    {"fabs", FN(math_fabs), TW_METH_O, "Return the absolute value of the float x."},
    {"floor", FN(math_floor), TW_METH_O, "Return the floor of x as an Integral."},
    {"ceil", FN(math_ceil), TW_METH_O, "Return the ceiling of x as an Integral."},
    {"trunc", FN(math_trunc), TW_METH_O, "Truncates the Real x to the nearest Integral."},
    {"degrees", FN(math_degrees), TW_METH_O, "Convert angle x from radians to degrees."},
    {"radians", FN(math_radians), TW_METH_O, "Convert angle x from degrees to radians."},
    {"isfinite", FN(math_isfinite), TW_METH_O, "Return True if x is neither inf nor NaN."},
    {"isinf", FN(math_isinf), TW_METH_O, "Return True if x is a positive or negative infinity."},
    {"isnan", FN(math_isnan), TW_METH_O, "Return True if x is a NaN (not a number)."},
    {"isclose", FN(math_isclose), TW_METH_FASTCALL, "Determine whether two numbers are close."},
    {"copysign", FN(math_copysign), TW_METH_FASTCALL, "x with the sign of y."},
    {"fmod", FN(math_fmod), TW_METH_FASTCALL, "Return fmod(x, y), as the C library."},
    {"remainder", FN(math_remainder), TW_METH_FASTCALL, "IEEE 754-style remainder of x by y."},
    {"modf", FN(math_modf), TW_METH_O, "The fractional and integer parts of x."},
    {"frexp", FN(math_frexp), TW_METH_O, "Mantissa and exponent of x, as pair (m, e)."},
    {"ldexp", FN(math_ldexp), TW_METH_FASTCALL, "Return x * (2**i)."},
    {"nextafter", FN(math_nextafter), TW_METH_FASTCALL, "The next float after x towards y."},
    {"ulp", FN(math_ulp), TW_METH_O, "Return the value of the least significant bit of x."},
    {"hypot", FN(math_hypot), TW_METH_FASTCALL, "The Euclidean norm, sqrt(sum(x**2 ...))."},
    {"dist", FN(math_dist), TW_METH_FASTCALL, "The Euclidean distance between two points."},
    {"fsum", FN(math_fsum), TW_METH_O, "An accurate floating point sum of an iterable."},
    {"prod", FN(math_prod), TW_METH_FASTCALL, "The product of a 'start' value and an iterable."},
    {"factorial", FN(math_factorial), TW_METH_O, "Find n!."},
    {"gcd", FN(math_gcd), TW_METH_FASTCALL, "Greatest Common Divisor."},
    {"lcm", FN(math_lcm), TW_METH_FASTCALL, "Least Common Multiple."},
    {"isqrt", FN(math_isqrt), TW_METH_O, "The integer part of the square root of n."},
    {"comb", FN(math_comb), TW_METH_FASTCALL, "Ways to choose k items from n without order."},
    {"perm", FN(math_perm), TW_METH_FASTCALL, "Ways to choose k items from n with order."},
    {NULL, NULL, 0, NULL},
};

static int add_float(TwObject *m, const char *name, double v)
{
    TwObject *f = tw_float_from_double(v);
    if (f == NULL)
        return -1;
    int r = tw_module_add_object(m, name, f);
    tw_decref(f);
    return r;
}

static TwObject *math_module_create(void)
{
    TwObject *m = tw_module_new_cstr("math");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, math_functions) < 0 || add_float(m, "pi", M_PI) < 0 ||
        add_float(m, "e", M_E) < 0 || add_float(m, "tau", 2 * M_PI) < 0 ||
        add_float(m, "inf", INFINITY) < 0 || add_float(m, "nan", NAN) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_math_init(void)
{
    if (tw_module_register_builtin("math", math_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
