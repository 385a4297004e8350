/* bytes: creation, concatenation, hashing, the six comparisons and
 * CPython's repr (expected strings from python3, named beside each). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/scalar.h"
#include <twinpy/slice.h>

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

/* ---- methods and protocol slots ------------------------------------------- */

static TwObject *arg_decode(const char *enc)
{
    const char *t = enc + 2;
    switch (enc[0]) {
    case 's':
        return tw_str_from_cstr(t);
    case 'y':
        return tw_bytes_from_data(t, strlen(t));
    case 'i':
        return tw_int_from_string(t, strlen(t), 10);
    default: {
        /* "U:a|b" tuple or "M:a|b" list of bytes */
        TwObject *list = tw_list_new(0);
        const char *p = t;
        for (;;) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            TwObject *item = tw_bytes_from_data(p, n);
            tw_list_append(list, item);
            tw_decref(item);
            if (bar == NULL)
                break;
            p = bar + 1;
        }
        if (enc[0] == 'M')
            return list;
        TwObject *tuple = tw_tuple_new(tw_list_size(list));
        for (intptr_t i = 0; i < tw_list_size(list); i++)
            tw_tuple_init_item(tuple, i, tw_list_get_item(list, i));
        tw_decref(list);
        return tuple;
    }
    }
}

static void expect_result(TwObject *r, const char *expected, const char *what)
{
    char buf[400];
    if (r == NULL) {
        TwObject *e = tw_err_fetch();
        TwObject *msg = tw_exception_str(e);
        snprintf(buf, sizeof buf, "!%s: %s", TW_TYPE(e)->tp_name, tw_str_utf8(msg));
        tw_decref(msg);
        tw_decref(e);
    } else {
        TwObject *s = tw_object_repr(r);
        snprintf(buf, sizeof buf, "%s", tw_str_utf8(s));
        tw_decref(s);
        tw_decref(r);
    }
    cr_expect_str_eq(buf, expected, "%s: got %s, expected %s", what, buf, expected);
}

/* Generated by running each commented expression in python3. */
static const struct {
    const char *self;
    size_t size;
    const char *method;
    const char *args[4];
    int nargs;
    const char *expected;
} method_table[] = {
#include "bytes_table.inc"
};

Test(bytes, methods_match_cpython)
{
    for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++) {
        TwObject *self = tw_bytes_from_data(method_table[i].self, method_table[i].size);
        const TwMethodDef *m = tw_bytes_methods;
        while (strcmp(m->name, method_table[i].method) != 0)
            m++;
        TwObject *args[4];
        for (int k = 0; k < method_table[i].nargs; k++)
            args[k] = arg_decode(method_table[i].args[k]);
        TwObject *r;
        if (m->flags & TW_METH_FASTCALL)
            r = ((TwObject * (*)(TwObject *, TwObject *const *, size_t, TwObject *)) m->func)(
                self, args, (size_t)method_table[i].nargs, NULL);
        else if (m->flags & TW_METH_O)
            r = ((TwObject * (*)(TwObject *, TwObject *)) m->func)(self, args[0]);
        else
            r = ((TwObject * (*)(TwObject *, TwObject *)) m->func)(self, NULL);
        expect_result(r, method_table[i].expected, method_table[i].method);
        for (int k = 0; k < method_table[i].nargs; k++)
            tw_decref(args[k]);
        tw_decref(self);
    }
}

Test(bytes, indexing_gives_ints_and_slicing_gives_bytes)
{
    TwObject *b = tw_bytes_from_data("hello", 5);
    TwObject *i = tw_int_from_i64(-1);
    expect_result(tw_bytes_type.tp_getitem(b, i), "111", "b'hello'[-1]");
    TwObject *one = tw_int_from_i64(1), *none = TW_NONE, *two = tw_int_from_i64(2);
    TwObject *sl = tw_slice_new(one, none, two);
    expect_result(tw_bytes_type.tp_getitem(b, sl), "b'el'", "b'hello'[1::2]");
    TwObject *big = tw_int_from_i64(5);
    expect_result(tw_bytes_type.tp_getitem(b, big), "!IndexError: index out of range", "b'hello'[5]");
    cr_assert_eq(tw_bytes_type.tp_contains(b, tw_int_from_i64(108)), 1);
    TwObject *it = tw_bytes_type.tp_iter(b);
    expect_result(TW_TYPE(it)->tp_iternext(it), "104", "next(iter(b'hello'))");
    tw_decref(it);
    tw_decref(sl);
    tw_decref(b);
}

Test(bytes, constructor_follows_cpython)
{
    TwObject *three = tw_int_from_i64(3);
    TwObject *args[2] = {three, NULL};
    expect_result(tw_bytes_type.tp_new(&tw_bytes_type, args, 1, NULL), "b'\\x00\\x00\\x00'", "bytes(3)");
    TwObject *s = tw_str_from_cstr("hé"), *enc = tw_str_from_cstr("utf-8");
    args[0] = s;
    args[1] = enc;
    expect_result(tw_bytes_type.tp_new(&tw_bytes_type, args, 2, NULL), "b'h\\xc3\\xa9'",
                  "bytes('hé', 'utf-8')");
    expect_result(tw_bytes_type.tp_new(&tw_bytes_type, args, 1, NULL),
                  "!TypeError: string argument without an encoding", "bytes('hé')");
    TwObject *list = tw_list_new(0);
    tw_list_append(list, tw_int_from_i64(65));
    tw_list_append(list, tw_int_from_i64(256));
    args[0] = list;
    expect_result(tw_bytes_type.tp_new(&tw_bytes_type, args, 1, NULL),
                  "!ValueError: bytes must be in range(0, 256)", "bytes([65, 256])");
    tw_decref(list);
    tw_decref(s);
    tw_decref(enc);
}

Test(bytes, concat_and_repeat)
{
    TwObject *a = tw_bytes_from_data("ab", 2), *n = tw_int_from_i64(2), *s = tw_str_from_cstr("x");
    expect_result(tw_bytes_number_methods.nb_multiply(a, n), "b'abab'", "b'ab' * 2");
    expect_result(tw_bytes_number_methods.nb_add(a, a), "b'abab'", "b'ab' + b'ab'");
    expect_result(tw_bytes_number_methods.nb_add(a, s), "!TypeError: can't concat str to bytes",
                  "b'ab' + 'x'");
    tw_decref(a);
    tw_decref(s);
}
