/* int: small-int cache, floor arithmetic, overflow, hashing, comparison
 * with ints and floats, repr.  Expected hashes come from CPython (the
 * python3 expression is named beside each). */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/scalar.h"

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

/* Results beyond int64 become big ints instead of overflowing. */
static void expect_repr(TwObject *(*fn)(TwObject *, TwObject *), int64_t a, int64_t b,
                        const char *expected)
{
    TwObject *x = tw_int_from_i64(a), *y = tw_int_from_i64(b);
    TwObject *r = fn(x, y);
    cr_assert_not_null(r);
    tw_test_assert_repr(r, expected);
    tw_decref(r);
    tw_decref(x);
    tw_decref(y);
}

Test(int, results_beyond_int64_become_big_ints)
{
    expect_repr(tw_int_add, INT64_MAX, 1, "9223372036854775808");   /* 2**63-1 + 1 */
    expect_repr(tw_int_sub, INT64_MIN, 1, "-9223372036854775809");  /* -2**63 - 1 */
    expect_repr(tw_int_mul, INT64_C(1) << 32, INT64_C(1) << 31, "9223372036854775808");
    expect_repr(tw_int_floordiv, INT64_MIN, -1, "9223372036854775808"); /* -2**63 // -1 */
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

/* ---- arbitrary precision ---------------------------------------------------- */

static TwObject *parse(const char *s)
{
    TwObject *r = tw_int_from_string(s, strlen(s), 0);
    cr_assert_not_null(r, "parse %s", s);
    return r;
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

static const struct {
    const char *name;
    size_t offset;
} slot_names[] = {
    {"nb_add", offsetof(TwNumberMethods, nb_add)},
    {"nb_subtract", offsetof(TwNumberMethods, nb_subtract)},
    {"nb_multiply", offsetof(TwNumberMethods, nb_multiply)},
    {"nb_floor_divide", offsetof(TwNumberMethods, nb_floor_divide)},
    {"nb_remainder", offsetof(TwNumberMethods, nb_remainder)},
    {"nb_true_divide", offsetof(TwNumberMethods, nb_true_divide)},
    {"nb_and", offsetof(TwNumberMethods, nb_and)},
    {"nb_or", offsetof(TwNumberMethods, nb_or)},
    {"nb_xor", offsetof(TwNumberMethods, nb_xor)},
    {"nb_divmod", offsetof(TwNumberMethods, nb_divmod)},
    {"nb_lshift", offsetof(TwNumberMethods, nb_lshift)},
    {"nb_rshift", offsetof(TwNumberMethods, nb_rshift)},
};

static TwObject *apply_slot(const char *name, TwObject *a, TwObject *b)
{
    const TwNumberMethods *nb = TW_TYPE(a)->tp_as_number;
    if (strcmp(name, "nb_power") == 0)
        return nb->nb_power(a, b, TW_NONE);
    for (size_t i = 0; i < sizeof slot_names / sizeof slot_names[0]; i++)
        if (strcmp(slot_names[i].name, name) == 0)
            return (*(tw_binaryfunc *)((const char *)nb + slot_names[i].offset))(a, b);
    cr_assert_fail("no slot %s", name);
    return NULL;
}

/* Generated by running each commented expression in python3. */
static const struct {
    const char *a, *slot, *b, *expected;
} binop_table[] = {
#include "int_table.inc"
};

Test(int, binary_operators_match_cpython)
{
    for (size_t i = 0; i < sizeof binop_table / sizeof binop_table[0]; i++) {
        TwObject *a = parse(binop_table[i].a), *b = parse(binop_table[i].b);
        char what[300];
        snprintf(what, sizeof what, "%s %s %s", binop_table[i].a, binop_table[i].slot,
                 binop_table[i].b);
        check_result(apply_slot(binop_table[i].slot, a, b), binop_table[i].expected, what);
        tw_decref(a);
        tw_decref(b);
    }
}

Test(int, from_string_follows_int_literal_rules)
{
    static const struct {
        const char *text;
        int base;
        const char *expected;
    } cases[] = {
        {"0x_ff", 0, "255"},             /* int('0x_ff', 0) */
        {"  -0b1010 ", 0, "-10"},        /* int('  -0b1010 ', 0) */
        {"0o777", 0, "511"},             /* int('0o777', 0) */
        {"1_000_000", 0, "1000000"},     /* int('1_000_000', 0) */
        {"000", 0, "0"},                 /* int('000', 0) */
        {"ff", 16, "255"},               /* int('ff', 16) */
        {"0xff", 16, "255"},             /* int('0xff', 16) */
        {"zz", 36, "1295"},              /* int('zz', 36) */
        {"+12", 10, "12"},               /* int('+12') */
        {"99999999999999999999999", 10, "99999999999999999999999"},
        {"-0x8000000000000000", 0, "-9223372036854775808"},
        {"010", 0, "!ValueError: invalid literal for int() with base 0: '010'"},
        {"1__0", 10, "!ValueError: invalid literal for int() with base 10: '1__0'"},
        {"_1", 10, "!ValueError: invalid literal for int() with base 10: '_1'"},
        {"1_", 10, "!ValueError: invalid literal for int() with base 10: '1_'"},
        {"", 10, "!ValueError: invalid literal for int() with base 10: ''"},
        {"12a", 10, "!ValueError: invalid literal for int() with base 10: '12a'"},
        {"0x", 16, "!ValueError: invalid literal for int() with base 16: '0x'"},
        {"1", 1, "!ValueError: int() base must be >= 2 and <= 36, or 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_result(tw_int_from_string(cases[i].text, strlen(cases[i].text), cases[i].base),
                     cases[i].expected, cases[i].text);
}

Test(int, hex_oct_bin_and_decimal_text)
{
    TwObject *x = parse("-123456789012345678901234567890");
    TwObject *s = tw_int_to_hex(x);
    cr_assert_str_eq(tw_str_utf8(s), "-0x18ee90ff6c373e0ee4e3f0ad2"); /* hex(-1234...890) */
    tw_decref(s);
    s = tw_int_to_oct(x);
    cr_assert_str_eq(tw_str_utf8(s), "-0o143564417755415637016711617605322"); /* oct(...) */
    tw_decref(s);
    tw_decref(x);
    x = tw_int_from_i64(-5);
    s = tw_int_to_bin(x);
    cr_assert_str_eq(tw_str_utf8(s), "-0b101"); /* bin(-5) */
    tw_decref(s);
    x = tw_int_from_i64(0);
    s = tw_int_to_hex(x);
    cr_assert_str_eq(tw_str_utf8(s), "0x0"); /* hex(0) */
    tw_decref(s);
}

Test(int, decimal_text_beyond_the_digit_limit_raises_value_error)
{
    TwObject *ten = tw_int_from_i64(10), *e = tw_int_from_i64(5000);
    TwObject *big = tw_int_number_methods.nb_power(ten, e, TW_NONE);
    cr_assert_not_null(big);
    /* python3: str(10**5000) */
    check_result(tw_object_repr(big),
                 "!ValueError: Exceeds the limit (4300 digits) for integer string conversion; "
                 "use sys.set_int_max_str_digits() to increase the limit",
                 "str(10**5000)");
    tw_decref(big);
    tw_decref(e);
}

Test(int, big_int_hash_matches_cpython)
{
    TwObject *x = parse("123456789012345678901234567890");
    cr_assert_eq(tw_object_hash(x), INT64_C(248789772095949448));
    tw_decref(x);
    x = parse("-123456789012345678901234567890");
    cr_assert_eq(tw_object_hash(x), -INT64_C(248789772095949448));
    tw_decref(x);
    x = parse("18446744073709551616"); /* hash(2**64) */
    cr_assert_eq(tw_object_hash(x), 8);
    tw_decref(x);
    x = parse("-9223372036854775809"); /* hash(-2**63-1) */
    cr_assert_eq(tw_object_hash(x), -5);
    tw_decref(x);
}

Test(int, big_ints_compare_exactly_with_floats)
{
    TwObject *x = parse("18446744073709551617"); /* 2**64 + 1 */
    TwObject *f = tw_float_from_double(18446744073709551616.0);
    cr_assert_not(tw_test_compare(x, f, TW_EQ)); /* 2**64+1 == 2.0**64 is False */
    cr_assert(tw_test_compare(x, f, TW_GT));
    cr_assert(tw_test_compare(f, x, TW_LT));
    tw_decref(x);
    x = parse("18446744073709551616");
    cr_assert(tw_test_compare(x, f, TW_EQ));
    tw_decref(x);
    tw_decref(f);
}

Test(int, conversion_to_float_rounds_to_nearest_even)
{
    TwObject *x = parse("9007199254740993"); /* 2**53 + 1: a tie, rounds to even 2**53 */
    cr_assert_eq(tw_int_as_double(x), 9007199254740992.0);
    tw_decref(x);
    x = parse("9007199254740995"); /* 2**53 + 3: rounds up to 2**53 + 4 */
    cr_assert_eq(tw_int_as_double(x), 9007199254740996.0);
    tw_decref(x);
    x = parse("0x1fffffffffffff800000000000000000"); /* a tie at 2**125: float(x) == 2.0**125 */
    cr_assert_eq(tw_int_as_double(x), ldexp(1.0, 125));
    tw_decref(x);
    x = parse("2_" "0000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000"
              "0000000000000000000000000000000000000000000000000000000000000000000000000000"
              "00000000000000");
    cr_assert_eq(tw_int_as_double(x), -1.0);
    check_result(NULL, "!OverflowError: int too large to convert to float", "float(2*10**318)");
    tw_decref(x);
}

Test(int, as_i64_raises_overflow_error_beyond_int64)
{
    TwObject *x = parse("9223372036854775808");
    cr_assert_eq(tw_int_as_i64(x), -1);
    check_result(NULL, "!OverflowError: Python int too large to convert to C long", "as_i64");
    int overflow;
    cr_assert_eq(tw_int_as_i64_overflow(x, &overflow), -1);
    cr_assert_eq(overflow, 1);
    tw_decref(x);
}

Test(int, pow_with_modulus_matches_cpython)
{
    static const struct {
        const char *a, *b, *m, *expected;
    } cases[] = {
        {"3", "4", "5", "1"},                       /* pow(3, 4, 5) */
        {"3", "4", "-5", "-4"},                     /* pow(3, 4, -5) */
        {"-3", "3", "7", "1"},                      /* pow(-3, 3, 7) */
        {"3", "-1", "7", "5"},                      /* pow(3, -1, 7) */
        {"2", "-1", "4", "!ValueError: base is not invertible for the given modulus"},
        {"2", "5", "0", "!ValueError: pow() 3rd argument cannot be 0"},
        {"12345678901234567890", "98765432109876543210", "1000000007", "577648646"},
        {"5", "0", "1", "0"},                       /* pow(5, 0, 1) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TwObject *a = parse(cases[i].a), *b = parse(cases[i].b), *m = parse(cases[i].m);
        check_result(tw_int_number_methods.nb_power(a, b, m), cases[i].expected, cases[i].a);
        tw_decref(a);
        tw_decref(b);
        tw_decref(m);
    }
}

Test(int, unary_operators)
{
    TwObject *x = parse("-9223372036854775808");
    check_result(tw_int_number_methods.nb_negative(x), "9223372036854775808", "-x");
    check_result(tw_int_number_methods.nb_absolute(x), "9223372036854775808", "abs(x)");
    check_result(tw_int_number_methods.nb_invert(x), "9223372036854775807", "~x");
    tw_decref(x);
    x = parse("9223372036854775808");
    check_result(tw_int_number_methods.nb_negative(x), "-9223372036854775808", "-x");
    tw_decref(x);
    check_result(tw_bool_number_methods.nb_negative(TW_TRUE), "-1", "-True");
    check_result(tw_bool_number_methods.nb_invert(TW_TRUE), "-2", "~True");
    check_result(tw_bool_number_methods.nb_positive(TW_TRUE), "1", "+True");
}

Test(int, bitwise_operators_on_bools_return_bools)
{
    cr_assert_eq(tw_bool_number_methods.nb_and(TW_TRUE, TW_FALSE), TW_FALSE);
    cr_assert_eq(tw_bool_number_methods.nb_or(TW_TRUE, TW_FALSE), TW_TRUE);
    cr_assert_eq(tw_bool_number_methods.nb_xor(TW_TRUE, TW_TRUE), TW_FALSE);
    TwObject *one = tw_int_from_i64(1);
    check_result(tw_bool_number_methods.nb_and(TW_TRUE, one), "1", "True & 1");
}

Test(int, round_with_negative_ndigits_ties_to_even)
{
    static const struct {
        int64_t v, nd;
        const char *expected;
    } cases[] = {
        {1250, -2, "1200"}, /* round(1250, -2) */
        {1350, -2, "1400"}, /* round(1350, -2) */
        {-1250, -2, "-1200"},
        {-1251, -2, "-1300"},
        {49, -2, "0"},
        {51, -2, "100"},
        {12345, 2, "12345"},
        {5, -30, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TwObject *x = tw_int_from_i64(cases[i].v);
        check_result(tw_int_round(x, cases[i].nd), cases[i].expected, cases[i].expected);
        tw_decref(x);
    }
}

Test(int, constructor_follows_cpython)
{
    TwObject *s = tw_str_from_cstr(" 0x1F ");
    TwObject *zero = tw_int_from_i64(0);
    TwObject *args[2] = {s, zero};
    check_result(tw_int_type.tp_new(&tw_int_type, args, 2, NULL), "31", "int(' 0x1F ', 0)");
    check_result(tw_int_type.tp_new(&tw_int_type, args, 1, NULL),
                 "!ValueError: invalid literal for int() with base 10: ' 0x1F '", "int(' 0x1F ')");
    tw_decref(s);
    TwObject *f = tw_float_from_double(-3.99);
    args[0] = f;
    check_result(tw_int_type.tp_new(&tw_int_type, args, 1, NULL), "-3", "int(-3.99)");
    tw_decref(f);
    f = tw_float_from_double(1e30);
    args[0] = f;
    check_result(tw_int_type.tp_new(&tw_int_type, args, 1, NULL), "1000000000000000019884624838656",
                 "int(1e30)");
    tw_decref(f);
    f = tw_float_from_double(NAN);
    args[0] = f;
    check_result(tw_int_type.tp_new(&tw_int_type, args, 1, NULL),
                 "!ValueError: cannot convert float NaN to integer", "int(nan)");
    tw_decref(f);
    check_result(tw_int_type.tp_new(&tw_int_type, args, 0, NULL), "0", "int()");
}

Test(int, shift_by_a_negative_count_raises_value_error)
{
    TwObject *one = tw_int_from_i64(1), *neg = tw_int_from_i64(-1);
    check_result(tw_int_number_methods.nb_lshift(one, neg), "!ValueError: negative shift count",
                 "1 << -1");
    check_result(tw_int_number_methods.nb_rshift(one, neg), "!ValueError: negative shift count",
                 "1 >> -1");
}

Test(int, negative_power_gives_a_float)
{
    TwObject *two = tw_int_from_i64(2), *m3 = tw_int_from_i64(-3), *zero = tw_int_from_i64(0);
    check_result(tw_int_number_methods.nb_power(two, m3, TW_NONE), "0.125", "2 ** -3");
    check_result(tw_int_number_methods.nb_power(zero, m3, TW_NONE),
                 "!ZeroDivisionError: 0.0 cannot be raised to a negative power", "0 ** -3");
}

Test(int, mixed_operands_are_declined_for_the_other_type)
{
    TwObject *one = tw_int_from_i64(1), *f = tw_float_from_double(2.5);
    TwObject *r = tw_int_number_methods.nb_add(one, f);
    cr_assert_eq(r, TW_NOTIMPLEMENTED);
    check_result(tw_float_type.tp_as_number->nb_add(one, f), "3.5", "1 + 2.5");
    tw_decref(f);
}

Test(int, big_ints_do_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *x = parse("123456789012345678901234567890");
    TwObject *y = tw_int_mul(x, x);
    TwObject *z = tw_int_floordiv(y, x);
    cr_assert_eq(tw_int_compare(z, x), 0);
    tw_decref(x);
    tw_decref(y);
    tw_decref(z);
    tw_test_assert_no_leak(base);
}
