/* float: conversion, CPython's repr (shortest round-trip) and hash, and
 * comparisons.  Expected strings and hashes come from python3 (the
 * expression is named beside each). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/scalar.h"

TestSuite(float, .init = tw_test_setup, .fini = tw_test_teardown);

/* repr(float(x)) must equal expected. */
static void assert_float_repr(double x, const char *expected)
{
    TwObject *f = tw_float_from_double(x);
    cr_assert_not_null(f);
    tw_test_assert_repr(f, expected);
    tw_decref(f);
}

static tw_hash_t float_hash(double x)
{
    return tw_test_hash_and_drop(tw_float_from_double(x));
}

Test(float, from_double_and_as_double_round_trip)
{
    TwObject *f = tw_float_from_double(-2.75);
    cr_assert_eq(TW_TYPE(f), &tw_float_type);
    cr_assert_eq(tw_float_as_double(f), -2.75);
    cr_assert_eq(tw_refcount(f), 1);
    tw_decref(f);
}

Test(float, as_double_accepts_ints_and_bools)
{
    TwObject *i = tw_int_from_i64(-12);
    cr_assert_eq(tw_float_as_double(i), -12.0);
    cr_assert_eq(tw_float_as_double(TW_TRUE), 1.0);
    cr_assert_null(tw_err_occurred());
}

Test(float, as_double_rejects_other_types_with_type_error)
{
    TwObject *s = tw_str_from_cstr("1.5");
    cr_assert_eq(tw_float_as_double(s), -1.0);
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    tw_decref(s);
}

Test(float, repr_is_the_shortest_round_trip_string)
{
    assert_float_repr(0.1, "0.1");                       /* repr(0.1) */
    assert_float_repr(0.1 + 0.2, "0.30000000000000004"); /* repr(0.1 + 0.2) */
    assert_float_repr(1.0 / 3.0, "0.3333333333333333");
    assert_float_repr(3.141592653589793, "3.141592653589793");
    assert_float_repr(2.5, "2.5");
}

Test(float, repr_of_powers_of_two_picks_the_shortest_digits_above)
{
    /* A power of two has a narrower rounding interval below it, so its
     * shortest text can lie above the value while the nearest text of that
     * length (below) does not round-trip. */
    assert_float_repr(ldexp(1.0, -140), "7.174648137343064e-43"); /* repr(2.0**-140) */
    assert_float_repr(ldexp(1.0, 305), "6.518515124270356e+91");  /* repr(2.0**305) */
}

Test(float, repr_of_integral_values_keeps_point_zero)
{
    assert_float_repr(100.0, "100.0");
    assert_float_repr(1.0, "1.0");
    assert_float_repr(0.0, "0.0");
    assert_float_repr(-0.0, "-0.0");
    assert_float_repr(1e15, "1000000000000000.0"); /* repr(1e15) */
    assert_float_repr(123456789012345.6, "123456789012345.6");
}

Test(float, repr_uses_exponent_below_1e_minus_4_and_from_1e16)
{
    assert_float_repr(1e16, "1e+16");     /* repr(1e16) */
    assert_float_repr(1.5e-5, "1.5e-05"); /* repr(1.5e-5) */
    assert_float_repr(0.0001, "0.0001");  /* repr(0.0001) */
    assert_float_repr(0.00001, "1e-05");  /* repr(0.00001) */
    assert_float_repr(1.2345e100, "1.2345e+100");
    assert_float_repr(-2.5e-300, "-2.5e-300");
    assert_float_repr(5e-324, "5e-324"); /* repr(5e-324): the smallest subnormal */
    assert_float_repr(1.7976931348623157e308, "1.7976931348623157e+308");
    assert_float_repr(12345678901234567890.0, "1.2345678901234567e+19");
}

Test(float, repr_of_infinities_and_nan)
{
    assert_float_repr(INFINITY, "inf");
    assert_float_repr(-INFINITY, "-inf");
    assert_float_repr(NAN, "nan");
    assert_float_repr(-NAN, "nan");
}

Test(float, str_equals_repr)
{
    TwObject *f = tw_float_from_double(1e16);
    TwObject *s = tw_object_str(f);
    cr_assert_str_eq(tw_str_utf8(s), "1e+16");
    tw_decref(s);
    tw_decref(f);
}

Test(float, hash_matches_cpython)
{
    cr_assert_eq(float_hash(1.5), INT64_C(1152921504606846977));              /* hash(1.5) */
    cr_assert_eq(float_hash(-1.5), -INT64_C(1152921504606846977));            /* hash(-1.5) */
    cr_assert_eq(float_hash(0.5), INT64_C(1152921504606846976));              /* hash(0.5) */
    cr_assert_eq(float_hash(0.1), INT64_C(230584300921369408));               /* hash(0.1) */
    cr_assert_eq(float_hash(1e300), INT64_C(1224995262755759164));            /* hash(1e300) */
    cr_assert_eq(float_hash(1e-300), INT64_C(482449582752280463));            /* hash(1e-300) */
    cr_assert_eq(float_hash(5e-324), 16777216);                               /* hash(5e-324) */
    cr_assert_eq(float_hash(3.141592653589793), INT64_C(326490430436040707)); /* hash(math.pi) */
    cr_assert_eq(float_hash(INFINITY), 314159); /* hash(float('inf')) */
    cr_assert_eq(float_hash(-INFINITY), -314159);
}

Test(float, hash_of_integral_values_equals_int_hash)
{
    static const double xs[] = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                1e16,
                                4611686018427387904.0 /* 2**62 */,
                                -9223372036854775808.0 /* -2**63 */,
                                2305843009213693951.0};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        TwObject *n = tw_int_from_i64((int64_t)xs[i]);
        cr_assert_eq(float_hash(xs[i]), tw_object_hash(n), "hash(%.17g)", xs[i]);
        tw_decref(n);
    }
    cr_assert_eq(float_hash(-1.0), -2);                 /* hash(-1.0) */
    cr_assert_eq(float_hash(4611686018427387904.0), 2); /* hash(2.0**62) */
}

Test(float, nan_hashes_by_identity)
{
    TwObject *a = tw_float_from_double(NAN), *b = tw_float_from_double(NAN);
    tw_hash_t ha = tw_object_hash(a);
    cr_assert_eq(tw_object_hash(a), ha, "a NaN's hash is stable");
    cr_assert_neq(ha, tw_object_hash(b));
    cr_assert_neq(ha, -1);
    tw_decref(a);
    tw_decref(b);
}

Test(float, compares_with_floats)
{
    TwObject *a = tw_float_from_double(1.5), *b = tw_float_from_double(2.0);
    cr_assert(tw_test_compare(a, b, TW_LT));
    cr_assert(tw_test_compare(a, b, TW_LE));
    cr_assert(tw_test_compare(a, b, TW_NE));
    cr_assert_not(tw_test_compare(a, b, TW_EQ));
    cr_assert(tw_test_compare(b, a, TW_GT));
    cr_assert(tw_test_compare(b, b, TW_GE));
    tw_decref(a);
    tw_decref(b);
}

Test(float, nan_is_unordered_and_unequal_even_to_itself)
{
    TwObject *n = tw_float_from_double(NAN), *one = tw_float_from_double(1.0);
    cr_assert_not(tw_test_compare(n, n, TW_EQ));
    cr_assert(tw_test_compare(n, n, TW_NE));
    cr_assert_not(tw_test_compare(n, one, TW_LT));
    cr_assert_not(tw_test_compare(n, one, TW_GE));
    tw_decref(n);
    tw_decref(one);
}

Test(float, compares_exactly_with_ints)
{
    TwObject *f = tw_float_from_double(9007199254740992.0); /* 2**53 */
    TwObject *i = tw_int_from_i64((INT64_C(1) << 53) + 1);
    cr_assert(tw_test_compare(f, i, TW_LT)); /* python3: 2.0**53 < 2**53 + 1 */
    cr_assert(tw_test_compare(f, i, TW_NE));
    TwObject *half = tw_float_from_double(0.5);
    cr_assert(tw_test_compare(half, TW_TRUE, TW_LT));
    cr_assert(tw_test_compare(half, TW_FALSE, TW_GT));
    TwObject *one = tw_float_from_double(1.0);
    cr_assert(tw_test_compare(one, TW_TRUE, TW_EQ));
    tw_decref(f);
    tw_decref(i);
    tw_decref(half);
    tw_decref(one);
}

Test(float, ordering_with_unrelated_types_raises_type_error)
{
    TwObject *f = tw_float_from_double(1.0);
    cr_assert_null(tw_object_richcompare(f, TW_NONE, TW_GE));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'>=' not supported between instances of 'float' and 'NoneType'");
    cr_assert_not(tw_test_compare(f, TW_NONE, TW_EQ));
    tw_decref(f);
}

Test(float, creating_and_dropping_many_floats_leaks_nothing)
{
    int64_t base = tw_test_live();
    for (int i = 0; i < 20000; i++) {
        TwObject *f = tw_float_from_double(i * 0.37 - 1000.0);
        TwObject *r = tw_object_repr(f);
        cr_assert_not_null(r);
        tw_decref(r);
        tw_decref(f);
    }
    tw_test_assert_no_leak(base);
}

/* ---- arithmetic (the number slots) ------------------------------------------- */

/* An operand from its text: an int unless it looks like a float. */
static TwObject *operand(const char *text)
{
    if (strpbrk(text, ".ei") == NULL)
        return tw_int_from_string(text, strlen(text), 10);
    double v;
    cr_assert_eq(tw_float_parse(text, strlen(text), 0, &v), 0);
    return tw_float_from_double(v);
}

/* Check a result against expected: a repr, or "!Type: message" for an error. */
static void check_result(TwObject *r, const char *expected, const char *what)
{
    if (expected[0] == '!') {
        cr_assert_null(r, "%s: expected %s", what, expected);
        TwObject *e = tw_err_fetch();
        TwObject *msg = tw_exception_str(e);
        char buf[300];
        snprintf(buf, sizeof buf, "!%s: %s", TW_TYPE(e)->tp_name, tw_str_utf8(msg));
        cr_assert_str_eq(buf, expected, "%s", what);
        tw_decref(msg);
        tw_decref(e);
        return;
    }
    cr_assert_not_null(r, "%s failed", what);
    TwObject *s = tw_object_repr(r);
    cr_assert_str_eq(tw_str_utf8(s), expected, "%s", what);
    tw_decref(s);
    tw_decref(r);
}

/* Apply a slot the way the protocol does: the left operand's type, then
 * the right one's when the left declines. */
static TwObject *apply(const char *slot, TwObject *a, TwObject *b)
{
    const TwNumberMethods *nbs[2] = {TW_TYPE(a)->tp_as_number, TW_TYPE(b)->tp_as_number};
    for (int i = 0; i < 2; i++) {
        const TwNumberMethods *nb = nbs[i];
        TwObject *r;
        if (strcmp(slot, "nb_add") == 0)
            r = nb->nb_add(a, b);
        else if (strcmp(slot, "nb_subtract") == 0)
            r = nb->nb_subtract(a, b);
        else if (strcmp(slot, "nb_multiply") == 0)
            r = nb->nb_multiply(a, b);
        else if (strcmp(slot, "nb_true_divide") == 0)
            r = nb->nb_true_divide(a, b);
        else if (strcmp(slot, "nb_floor_divide") == 0)
            r = nb->nb_floor_divide(a, b);
        else if (strcmp(slot, "nb_remainder") == 0)
            r = nb->nb_remainder(a, b);
        else if (strcmp(slot, "nb_divmod") == 0)
            r = nb->nb_divmod(a, b);
        else
            r = nb->nb_power(a, b, TW_NONE);
        if (r != TW_NOTIMPLEMENTED)
            return r;
    }
    cr_assert_fail("both operands declined %s", slot);
    return NULL;
}

/* Generated by running each commented expression in python3. */
static const struct {
    const char *a, *slot, *b, *expected;
} binop_table[] = {
#include "float_table.inc"
};

Test(float, binary_operators_match_cpython)
{
    for (size_t i = 0; i < sizeof binop_table / sizeof binop_table[0]; i++) {
        TwObject *a = operand(binop_table[i].a), *b = operand(binop_table[i].b);
        char what[200];
        snprintf(what, sizeof what, "%s %s %s", binop_table[i].a, binop_table[i].slot,
                 binop_table[i].b);
        check_result(apply(binop_table[i].slot, a, b), binop_table[i].expected, what);
        tw_decref(a);
        tw_decref(b);
    }
}

Test(float, parse_accepts_python_float_syntax)
{
    static const struct {
        const char *text, *expected;
    } cases[] = {
        {"  1e5 ", "100000.0"},         /* float('  1e5 ') */
        {"-inf", "-inf"},               /* float('-inf') */
        {"InFiNiTy", "inf"},            /* float('InFiNiTy') */
        {"nan", "nan"},                 /* float('nan') */
        {"1_000.000_1", "1000.0001"},   /* float('1_000.000_1') */
        {".5", "0.5"},                  /* float('.5') */
        {"5.", "5.0"},                  /* float('5.') */
        {"1e-400", "0.0"},              /* float('1e-400') */
        {"x", "!ValueError: could not convert string to float: 'x'"},
        {"0x10", "!ValueError: could not convert string to float: '0x10'"},
        {"1__0", "!ValueError: could not convert string to float: '1__0'"},
        {"1e", "!ValueError: could not convert string to float: '1e'"},
        {"", "!ValueError: could not convert string to float: ''"},
        {".", "!ValueError: could not convert string to float: '.'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TwObject *s = tw_str_from_cstr(cases[i].text);
        TwObject *args[1] = {s};
        check_result(tw_float_type.tp_new(&tw_float_type, args, 1, NULL), cases[i].expected,
                     cases[i].text);
        tw_decref(s);
    }
}

Test(float, round_matches_cpython)
{
    static const struct {
        double x;
        int64_t nd;
        const char *expected;
    } cases[] = {
        {2.675, 2, "2.67"},          /* round(2.675, 2) */
        {0.125, 2, "0.12"},          /* round(0.125, 2) */
        {0.375, 2, "0.38"},          /* round(0.375, 2) */
        {-2.5, 0, "-2.0"},           /* round(-2.5, 0) */
        {12345.678, -2, "12300.0"},  /* round(12345.678, -2) */
        {150.0, -2, "200.0"},        /* round(150.0, -2) */
        {250.0, -2, "200.0"},        /* round(250.0, -2) */
        {250.0001, -2, "300.0"},     /* round(250.0001, -2) */
        {-50.0, -2, "-0.0"},         /* round(-50.0, -2) */
        {1e300, -301, "0.0"},        /* round(1e300, -301) */
        {5e-324, 400, "5e-324"},     /* round(5e-324, 400) */
        {1.7976931348623157e308, -308, "!OverflowError: rounded value too large to represent"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TwObject *x = tw_float_from_double(cases[i].x), *nd = tw_int_from_i64(cases[i].nd);
        check_result(tw_float_round(x, nd), cases[i].expected, cases[i].expected);
        tw_decref(x);
        tw_decref(nd);
    }
    TwObject *x = tw_float_from_double(2.5);
    check_result(tw_float_round(x, NULL), "2", "round(2.5)");
    tw_decref(x);
    x = tw_float_from_double(-3.5);
    check_result(tw_float_round(x, TW_NONE), "-4", "round(-3.5)");
    tw_decref(x);
}

Test(float, int_operand_too_large_raises_overflow_error)
{
    TwObject *big = tw_int_from_string("1" "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000"
                                       "0000000000" "0000000000" "0000000000" "0000000000",
                                       321, 10);
    cr_assert_not_null(big);
    TwObject *f = tw_float_from_double(1.0);
    /* python3: 1.0 + 10**320 */
    check_result(apply("nb_add", f, big), "!OverflowError: int too large to convert to float",
                 "1.0 + 10**320");
    tw_decref(f);
    tw_decref(big);
}

Test(float, methods)
{
    TwObject *x = tw_float_from_double(-0.75);
    const TwMethodDef *m = tw_float_methods;
    for (; m->name != NULL; m++) {
        if (strcmp(m->name, "as_integer_ratio") == 0)
            check_result(((TwObject * (*)(TwObject *, TwObject *)) m->func)(x, NULL), "(-3, 4)",
                         "(-0.75).as_integer_ratio()");
        if (strcmp(m->name, "is_integer") == 0)
            check_result(((TwObject * (*)(TwObject *, TwObject *)) m->func)(x, NULL), "False",
                         "(-0.75).is_integer()");
        if (strcmp(m->name, "__floor__") == 0)
            check_result(((TwObject * (*)(TwObject *, TwObject *)) m->func)(x, NULL), "-1",
                         "math.floor(-0.75)");
    }
    tw_decref(x);
}
