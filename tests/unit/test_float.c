/* float: conversion, CPython's repr (shortest round-trip) and hash, and
 * comparisons.  Expected strings and hashes come from python3 (the
 * expression is named beside each). */
#include <criterion/criterion.h>
#include <math.h>

#include "support.h"

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
