/* bytes: creation, concatenation, hashing, the six comparisons and
 * CPython's repr (expected strings from python3, named beside each). */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

TestSuite(bytes, .init = tw_test_setup, .fini = tw_test_teardown);

static TwObject *bytes(const char *data, size_t n)
{
    TwObject *b = tw_bytes_from_data(data, n);
    cr_assert_not_null(b);
    return b;
}

static void assert_bytes_repr(const char *data, size_t n, const char *expected)
{
    TwObject *b = bytes(data, n);
    tw_test_assert_repr(b, expected);
    tw_decref(b);
}

Test(bytes, from_data_copies_and_nul_terminates)
{
    char src[4] = {'a', '\0', (char)0xff, 'z'};
    TwObject *b = bytes(src, 4);
    src[0] = 'X';
    cr_assert_eq(TW_TYPE(b), &tw_bytes_type);
    cr_assert_eq(tw_bytes_size(b), 4);
    cr_assert_eq(memcmp(tw_bytes_data(b), "a\0\xffz\0", 5), 0);
    tw_decref(b);
}

Test(bytes, empty_bytes_have_size_zero)
{
    TwObject *b = tw_bytes_from_data(NULL, 0);
    cr_assert_not_null(b);
    cr_assert_eq(tw_bytes_size(b), 0);
    cr_assert_eq(tw_bytes_data(b)[0], '\0');
    tw_decref(b);
}

Test(bytes, concat_joins_the_bytes)
{
    TwObject *a = bytes("ab", 2), *b = bytes("\0c", 2);
    TwObject *c = tw_bytes_concat(a, b);
    cr_assert_not_null(c);
    cr_assert_eq(tw_bytes_size(c), 4);
    cr_assert_eq(memcmp(tw_bytes_data(c), "ab\0c\0", 5), 0);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(bytes, concat_with_str_raises_type_error)
{
    TwObject *a = bytes("ab", 2), *s = tw_str_from_cstr("c");
    cr_assert_null(tw_bytes_concat(a, s));
    tw_test_assert_error(&tw_exc_TypeError, "can't concat str to bytes"); /* b'ab' + 'c' */
    tw_decref(a);
    tw_decref(s);
}

Test(bytes, equal_bytes_hash_alike_and_the_hash_is_cached)
{
    TwObject *a = bytes("payload", 7), *b = bytes("payload", 7), *c = bytes("payloaD", 7);
    tw_hash_t h = tw_object_hash(a);
    cr_assert_neq(h, -1);
    cr_assert_eq(tw_atomic_load_relaxed(&((TwBytesObject *)a)->hash), h);
    cr_assert_eq(tw_object_hash(b), h);
    cr_assert_neq(tw_object_hash(c), h);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(bytes, comparisons_are_lexicographic_by_unsigned_byte)
{
    TwObject *a = bytes("abc", 3), *b = bytes("abd", 3), *ab = bytes("ab", 2);
    TwObject *hi = bytes("\xff", 1), *lo = bytes("\x01", 1);
    cr_assert(tw_test_compare(a, b, TW_LT));
    cr_assert(tw_test_compare(a, b, TW_LE));
    cr_assert_not(tw_test_compare(a, b, TW_EQ));
    cr_assert(tw_test_compare(a, b, TW_NE));
    cr_assert(tw_test_compare(b, a, TW_GT));
    cr_assert(tw_test_compare(b, a, TW_GE));
    cr_assert(tw_test_compare(ab, a, TW_LT));  /* a prefix sorts first */
    cr_assert(tw_test_compare(hi, lo, TW_GT)); /* 0xff is above 0x01, not negative */
    TwObject *a2 = bytes("abc", 3);
    cr_assert(tw_test_compare(a, a2, TW_EQ));
    cr_assert(tw_test_compare(a, a2, TW_LE));
    cr_assert(tw_test_compare(a, a2, TW_GE));
    TwObject *objs[] = {a, b, ab, hi, lo, a2};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(bytes, equality_with_str_is_false_and_ordering_raises)
{
    TwObject *b = bytes("a", 1), *s = tw_str_from_cstr("a");
    cr_assert_not(tw_test_compare(b, s, TW_EQ));
    cr_assert(tw_test_compare(b, s, TW_NE));
    cr_assert_null(tw_object_richcompare(b, s, TW_GT));
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    tw_decref(b);
    tw_decref(s);
}

Test(bytes, repr_matches_cpython)
{
    assert_bytes_repr("abc", 3, "b'abc'");               /* repr(b'abc') */
    assert_bytes_repr("", 0, "b''");                     /* repr(b'') */
    assert_bytes_repr("it's", 4, "b\"it's\"");           /* repr(b"it's") */
    assert_bytes_repr("both ' \"", 8, "b'both \\' \"'"); /* repr(b'both \' "') */
    assert_bytes_repr("\x00\xff\t\n\r\\", 6,
                      "b'\\x00\\xff\\t\\n\\r\\\\'");   /* repr(b'\x00\xff\t\n\r\\') */
    assert_bytes_repr("\x7f\x80", 2, "b'\\x7f\\x80'"); /* repr(b'\x7f\x80') */
    assert_bytes_repr("\xc3\xa9", 2, "b'\\xc3\\xa9'"); /* repr('é'.encode()) */
}

Test(bytes, creating_and_dropping_many_bytes_leaks_nothing)
{
    int64_t base = tw_test_live();
    for (int i = 0; i < 5000; i++) {
        char buf[8] = {(char)i, (char)(i >> 8), 'x'};
        TwObject *a = bytes(buf, 3), *b = bytes("tail", 4);
        TwObject *c = tw_bytes_concat(a, b);
        TwObject *r = tw_object_repr(c);
        cr_assert(c && r);
        tw_object_hash(c);
        tw_decref(r);
        tw_decref(c);
        tw_decref(b);
        tw_decref(a);
    }
    tw_test_assert_no_leak(base);
}
