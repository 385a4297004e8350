/* int: small-int cache, floor arithmetic, overflow, hashing, comparison
 * with ints and floats, repr.  Expected hashes come from CPython (the
 * python3 expression is named beside each). */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>

#include "support.h"

TestSuite(int, .init = tw_test_setup, .fini = tw_test_teardown);

/* Apply a binary int operation to two fresh ints and return the int64 result. */
static int64_t binop(TwObject *(*fn)(TwObject *, TwObject *), int64_t a, int64_t b)
{
    TwObject *x = tw_int_from_i64(a), *y = tw_int_from_i64(b);
    TwObject *r = fn(x, y);
    cr_assert_not_null(r, "operation on %lld and %lld failed", (long long)a, (long long)b);
    int64_t v = tw_test_int_value(r);
    tw_decref(r);
    tw_decref(x);
    tw_decref(y);
    return v;
}

/* Expect fn(a, b) to fail with exception type `exc` and message `msg`. */
static void expect_error(TwObject *(*fn)(TwObject *, TwObject *), int64_t a, int64_t b, TwType *exc,
                         const char *msg)
{
    TwObject *x = tw_int_from_i64(a), *y = tw_int_from_i64(b);
    cr_assert_null(fn(x, y));
    if (msg != NULL) {
        tw_test_assert_error(exc, msg);
    } else {
        cr_assert_eq(tw_err_occurred(), exc, "expected %s", exc->tp_name);
        tw_err_clear();
    }
    tw_decref(x);
    tw_decref(y);
}

static tw_hash_t hash_of(int64_t v)
{
    return tw_test_hash_and_drop(tw_int_from_i64(v));
}

Test(int, small_ints_are_one_shared_immortal_object)
{
    for (int64_t v = TW_SMALL_INT_MIN; v <= TW_SMALL_INT_MAX; v++) {
        TwObject *a = tw_int_from_i64(v), *b = tw_int_from_i64(v);
        cr_assert_eq(a, b, "%lld is not cached", (long long)v);
        cr_assert(tw_is_immortal(a));
        cr_assert_eq(tw_test_int_value(a), v);
        cr_assert_eq(TW_TYPE(a), &tw_int_type);
    }
}

Test(int, small_ints_refcount_is_inert)
{
    TwObject *a = tw_int_from_i64(42);
    intptr_t before = tw_refcount(a);
    for (int i = 0; i < 1000; i++)
        tw_incref(a);
    cr_assert_eq(tw_refcount(a), before);
    for (int i = 0; i < 2000; i++)
        tw_decref(a);
    cr_assert_eq(tw_refcount(a), before);
    cr_assert_eq(tw_test_int_value(a), 42);
}

Test(int, values_outside_the_cache_are_fresh_objects)
{
    TwObject *a = tw_int_from_i64(257), *b = tw_int_from_i64(257);
    TwObject *c = tw_int_from_i64(-6);
    cr_assert_neq(a, b);
    cr_assert_not(tw_is_immortal(a));
    cr_assert_eq(tw_refcount(a), 1);
    cr_assert_eq(tw_test_int_value(a), 257);
    cr_assert_eq(tw_test_int_value(c), -6);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(int, int64_extremes_round_trip)
{
    TwObject *lo = tw_int_from_i64(INT64_MIN), *hi = tw_int_from_i64(INT64_MAX);
    cr_assert_eq(tw_test_int_value(lo), INT64_MIN);
    cr_assert_eq(tw_test_int_value(hi), INT64_MAX);
    tw_decref(lo);
    tw_decref(hi);
}

Test(int, as_i64_rejects_non_ints_with_type_error)
{
    TwObject *f = tw_float_from_double(1.0);
    cr_assert_eq(tw_int_as_i64(f), -1);
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    tw_decref(f);
}

Test(int, bools_are_ints_with_values_one_and_zero)
{
    cr_assert(tw_int_check(TW_TRUE));
    cr_assert_eq(tw_test_int_value(TW_TRUE), 1);
    cr_assert_eq(tw_test_int_value(TW_FALSE), 0);
    TwObject *r = tw_int_add(TW_TRUE, TW_TRUE);
    cr_assert_eq(tw_test_int_value(r), 2);
    cr_assert_eq(TW_TYPE(r), &tw_int_type);
    tw_decref(r);
}

Test(int, add_sub_mul)
{
    cr_assert_eq(binop(tw_int_add, 2, 3), 5);
    cr_assert_eq(binop(tw_int_add, -7, 3), -4);
    cr_assert_eq(binop(tw_int_sub, 2, 300), -298);
    cr_assert_eq(binop(tw_int_mul, -6, 7), -42);
    cr_assert_eq(binop(tw_int_mul, 1 << 20, 1 << 20), INT64_C(1) << 40);
}

Test(int, floordiv_rounds_toward_negative_infinity)
{
    cr_assert_eq(binop(tw_int_floordiv, 7, 2), 3);
    cr_assert_eq(binop(tw_int_floordiv, -7, 2), -4);
    cr_assert_eq(binop(tw_int_floordiv, 7, -2), -4);
    cr_assert_eq(binop(tw_int_floordiv, -7, -2), 3);
    cr_assert_eq(binop(tw_int_floordiv, -6, 2), -3);
    cr_assert_eq(binop(tw_int_floordiv, INT64_MIN, 1), INT64_MIN);
    cr_assert_eq(binop(tw_int_floordiv, INT64_MIN, 2), INT64_MIN / 2);
}

Test(int, mod_takes_the_sign_of_the_divisor)
{
    cr_assert_eq(binop(tw_int_mod, 7, 2), 1);
    cr_assert_eq(binop(tw_int_mod, -7, 2), 1);
    cr_assert_eq(binop(tw_int_mod, 7, -2), -1);
    cr_assert_eq(binop(tw_int_mod, -7, -2), -1);
    cr_assert_eq(binop(tw_int_mod, -6, 3), 0);
    cr_assert_eq(binop(tw_int_mod, INT64_MIN, -1), 0);
    cr_assert_eq(binop(tw_int_mod, INT64_MIN, 3), 1); /* python3: -2**63 % 3 */
}

Test(int, floordiv_and_mod_satisfy_the_division_identity)
{
    static const int64_t xs[] = {-17, -9, -1, 0, 1, 8, 23, INT64_MAX, INT64_MIN + 1};
    static const int64_t ys[] = {-5, -3, -1, 1, 2, 7, 1000};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (size_t j = 0; j < sizeof ys / sizeof ys[0]; j++) {
            int64_t q = binop(tw_int_floordiv, xs[i], ys[j]);
            int64_t r = binop(tw_int_mod, xs[i], ys[j]);
            cr_assert_eq(q * ys[j] + r, xs[i], "%lld, %lld", (long long)xs[i], (long long)ys[j]);
            cr_assert(r == 0 || (r < 0) == (ys[j] < 0));
        }
}

Test(int, overflow_raises_overflow_error)
{
    expect_error(tw_int_add, INT64_MAX, 1, &tw_exc_OverflowError, NULL);
    expect_error(tw_int_sub, INT64_MIN, 1, &tw_exc_OverflowError, NULL);
    expect_error(tw_int_mul, INT64_C(1) << 32, INT64_C(1) << 31, &tw_exc_OverflowError, NULL);
    expect_error(tw_int_floordiv, INT64_MIN, -1, &tw_exc_OverflowError, NULL);
}

Test(int, division_by_zero_raises_zero_division_error_with_cpythons_message)
{
    /* python3 -c '1 // 0'  and  python3 -c '1 % 0' */
    expect_error(tw_int_floordiv, 1, 0, &tw_exc_ZeroDivisionError,
                 "integer division or modulo by zero");
    expect_error(tw_int_mod, 1, 0, &tw_exc_ZeroDivisionError, "integer modulo by zero");
}

Test(int, arithmetic_on_non_int_raises_type_error)
{
    TwObject *one = tw_int_from_i64(1), *s = tw_str_from_cstr("x");
    cr_assert_null(tw_int_add(one, s));
    tw_test_assert_error(&tw_exc_TypeError, "unsupported operand type(s) for +: 'int' and 'str'");
    tw_decref(s);
}

Test(int, hash_matches_cpython)
{
    cr_assert_eq(hash_of(0), 0);
    cr_assert_eq(hash_of(1), 1);
    cr_assert_eq(hash_of(-1), -2); /* hash(-1) */
    cr_assert_eq(hash_of(-2), -2); /* hash(-2) */
    cr_assert_eq(hash_of(INT64_C(2305843009213693950)), INT64_C(2305843009213693950)); /* 2**61-2 */
    cr_assert_eq(hash_of(INT64_C(2305843009213693951)), 0);  /* hash(2**61-1) */
    cr_assert_eq(hash_of(INT64_C(2305843009213693952)), 1);  /* hash(2**61) */
    cr_assert_eq(hash_of(INT64_C(4611686018427387904)), 2);  /* hash(2**62) */
    cr_assert_eq(hash_of(INT64_MAX), 3);                     /* hash(2**63-1) */
    cr_assert_eq(hash_of(INT64_MIN), -4);                    /* hash(-2**63) */
    cr_assert_eq(hash_of(-INT64_C(2305843009213693951)), 0); /* hash(-2**61+1) */
}

Test(int, bool_hashes_like_its_int_value)
{
    cr_assert_eq(tw_object_hash(TW_TRUE), 1);
    cr_assert_eq(tw_object_hash(TW_FALSE), 0);
}

Test(int, compares_with_ints_and_bools)
{
    TwObject *a = tw_int_from_i64(-3), *b = tw_int_from_i64(1000);
    cr_assert(tw_test_compare(a, b, TW_LT));
    cr_assert(tw_test_compare(a, b, TW_LE));
    cr_assert(tw_test_compare(a, b, TW_NE));
    cr_assert_not(tw_test_compare(a, b, TW_EQ));
    cr_assert_not(tw_test_compare(a, b, TW_GT));
    cr_assert_not(tw_test_compare(a, b, TW_GE));
    TwObject *one = tw_int_from_i64(1);
    cr_assert(tw_test_compare(one, TW_TRUE, TW_EQ));
    cr_assert(tw_test_compare(TW_FALSE, one, TW_LT));
    tw_decref(a);
    tw_decref(b);
}

Test(int, compares_exactly_with_floats)
{
    TwObject *big = tw_int_from_i64((INT64_C(1) << 53) + 1);
    TwObject *fbig = tw_float_from_double(9007199254740992.0); /* 2**53 */
    /* python3: 2**53 + 1 == float(2**53 + 1) is False; 2**53 + 1 > 2.0**53 */
    cr_assert_not(tw_test_compare(big, fbig, TW_EQ));
    cr_assert(tw_test_compare(big, fbig, TW_GT));
    cr_assert(tw_test_compare(fbig, big, TW_LT));
    TwObject *two = tw_int_from_i64(2), *f25 = tw_float_from_double(2.5),
             *f2 = tw_float_from_double(2.0);
    cr_assert(tw_test_compare(two, f25, TW_LT));
    cr_assert(tw_test_compare(two, f2, TW_EQ));
    cr_assert(tw_test_compare(f2, two, TW_EQ));
    TwObject *max = tw_int_from_i64(INT64_MAX), *f63 = tw_float_from_double(9223372036854775808.0);
    cr_assert(tw_test_compare(max, f63, TW_LT)); /* python3: 2**63-1 < 2.0**63 */
    cr_assert_not(tw_test_compare(max, f63, TW_EQ));
    TwObject *inf = tw_float_from_double(INFINITY), *nan = tw_float_from_double(NAN);
    cr_assert(tw_test_compare(max, inf, TW_LT));
    cr_assert_not(tw_test_compare(two, nan, TW_EQ));
    cr_assert_not(tw_test_compare(two, nan, TW_LT));
    cr_assert_not(tw_test_compare(two, nan, TW_GE));
    cr_assert(tw_test_compare(two, nan, TW_NE));
    TwObject *objs[] = {big, fbig, f25, f2, max, f63, inf, nan};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(int, equality_with_unrelated_types_is_false)
{
    TwObject *one = tw_int_from_i64(1), *s = tw_str_from_cstr("1");
    cr_assert_not(tw_test_compare(one, s, TW_EQ));
    cr_assert(tw_test_compare(one, s, TW_NE));
    tw_decref(s);
}

Test(int, ordering_with_unrelated_types_raises_type_error)
{
    TwObject *one = tw_int_from_i64(1), *s = tw_str_from_cstr("1");
    cr_assert_null(tw_object_richcompare(one, s, TW_LT));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'<' not supported between instances of 'int' and 'str'");
    tw_decref(s);
}

Test(int, repr_is_decimal)
{
    TwObject *vals[] = {tw_int_from_i64(0), tw_int_from_i64(-5), tw_int_from_i64(123456789),
                        tw_int_from_i64(INT64_MIN)};
    tw_test_assert_repr(vals[0], "0");
    tw_test_assert_repr(vals[1], "-5");
    tw_test_assert_repr(vals[2], "123456789");
    tw_test_assert_repr(vals[3], "-9223372036854775808");
    for (int i = 0; i < 4; i++)
        tw_decref(vals[i]);
}

Test(int, bool_repr_is_true_and_false)
{
    tw_test_assert_repr(TW_TRUE, "True");
    tw_test_assert_repr(TW_FALSE, "False");
}

Test(int, creating_and_dropping_many_ints_leaks_nothing)
{
    int64_t base = tw_test_live();
    for (int64_t i = -1000; i < 100000; i += 7) {
        TwObject *a = tw_int_from_i64(i * 1000003);
        TwObject *b = tw_int_from_i64(i);
        TwObject *s = tw_int_add(a, b);
        TwObject *q = tw_int_floordiv(s, tw_int_from_i64(3));
        TwObject *r = tw_object_repr(q);
        cr_assert(s && q && r);
        tw_decref(r);
        tw_decref(q);
        tw_decref(s);
        tw_decref(b);
        tw_decref(a);
    }
    tw_test_assert_no_leak(base);
}
