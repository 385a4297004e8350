/* str: UTF-8 validation, code-point length and indexing, formatting,
 * concatenation, comparison, hashing, CPython's repr and interning.
 * Expected reprs come from python3 (the expression is named beside each). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/scalar.h"
#include <twinpy/slice.h>

TestSuite(str, .init = tw_test_setup, .fini = tw_test_teardown);

static TwObject *str(const char *s)
{
    TwObject *o = tw_str_from_cstr(s);
    cr_assert_not_null(o, "tw_str_from_cstr(\"%s\")", s);
    return o;
}

/* repr(text) must equal expected. */
static void assert_str_repr(const char *text, const char *expected)
{
    TwObject *s = str(text);
    tw_test_assert_repr(s, expected);
    tw_decref(s);
}

Test(str, ascii_text_has_byte_length_equal_to_code_point_length)
{
    TwObject *s = str("hello");
    cr_assert_eq(TW_TYPE(s), &tw_str_type);
    cr_assert_eq(tw_str_length(s), 5);
    cr_assert_eq(tw_str_byte_size(s), 5);
    cr_assert_eq(((TwStrObject *)s)->ascii, 1);
    cr_assert_str_eq(tw_str_utf8(s), "hello");
    tw_decref(s);
}

Test(str, length_counts_code_points_not_bytes)
{
    TwObject *s = str("h\xc3\xa9llo"); /* "héllo" */
    cr_assert_eq(tw_str_length(s), 5);
    cr_assert_eq(tw_str_byte_size(s), 6);
    cr_assert_eq(((TwStrObject *)s)->ascii, 0);
    TwObject *e = str("\xe2\x82\xac\xf0\x9f\x98\x80"); /* "€😀": 3 + 4 bytes */
    cr_assert_eq(tw_str_length(e), 2);
    cr_assert_eq(tw_str_byte_size(e), 7);
    tw_decref(s);
    tw_decref(e);
}

Test(str, from_utf8_keeps_embedded_nul_and_terminates)
{
    TwObject *s = tw_str_from_utf8("a\0b", 3);
    cr_assert_not_null(s);
    cr_assert_eq(tw_str_length(s), 3);
    cr_assert_eq(memcmp(tw_str_utf8(s), "a\0b\0", 4), 0);
    tw_decref(s);
}

Test(str, empty_string_has_length_zero)
{
    TwObject *s = tw_str_from_utf8(NULL, 0);
    cr_assert_not_null(s);
    cr_assert_eq(tw_str_length(s), 0);
    cr_assert_str_eq(tw_str_utf8(s), "");
    tw_decref(s);
}

Test(str, getitem_indexes_by_code_point)
{
    TwObject *s = str("h\xc3\xa9llo");
    TwObject *c = tw_str_getitem(s, 1);
    cr_assert_not_null(c);
    cr_assert_str_eq(tw_str_utf8(c), "\xc3\xa9");
    cr_assert_eq(tw_str_length(c), 1);
    TwObject *l = tw_str_getitem(s, 2);
    cr_assert_str_eq(tw_str_utf8(l), "l");
    TwObject *last = tw_str_getitem(s, -1);
    cr_assert_str_eq(tw_str_utf8(last), "o");
    TwObject *e = str("\xe2\x82\xac\xf0\x9f\x98\x80");
    TwObject *emoji = tw_str_getitem(e, 1);
    cr_assert_str_eq(tw_str_utf8(emoji), "\xf0\x9f\x98\x80");
    TwObject *objs[] = {s, c, l, last, e, emoji};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(str, getitem_out_of_range_raises_index_error)
{
    TwObject *s = str("abc");
    cr_assert_null(tw_str_getitem(s, 3));
    tw_test_assert_error(&tw_exc_IndexError, "string index out of range");
    cr_assert_null(tw_str_getitem(s, -4));
    tw_test_assert_error(&tw_exc_IndexError, "string index out of range");
    tw_decref(s);
}

Test(str, invalid_utf8_is_rejected_with_unicode_error)
{
    static const struct {
        const char *bytes;
        size_t n;
    } bad[] = {
        {"\xff", 1},             /* never a UTF-8 byte */
        {"a\x80", 2},            /* stray continuation byte */
        {"\xc3", 1},             /* truncated sequence */
        {"\xc3(", 2},            /* bad continuation */
        {"\xc0\xaf", 2},         /* overlong '/' */
        {"\xe0\x80\xaf", 3},     /* overlong, three bytes */
        {"\xed\xa0\x80", 3},     /* surrogate U+D800 */
        {"\xf4\x90\x80\x80", 4}, /* above U+10FFFF */
        {"\xf8\x88\x80\x80\x80", 5},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_null(tw_str_from_utf8(bad[i].bytes, bad[i].n), "case %zu accepted", i);
        cr_assert_eq(tw_err_occurred(), &tw_exc_UnicodeDecodeError, "case %zu", i);
        tw_err_clear();
    }
}

Test(str, invalid_utf8_error_names_the_byte_and_position)
{
    cr_assert_null(tw_str_from_cstr("ab\xff"));
    tw_test_assert_error(&tw_exc_UnicodeDecodeError,
                         "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
}

Test(str, boundary_code_points_are_accepted)
{
    /* U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF */
    TwObject *s = str("\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"
                      "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
    cr_assert_eq(tw_str_length(s), 9);
    tw_decref(s);
}

Test(str, from_format_formats_like_printf)
{
    TwObject *s = tw_str_from_format("%s=%d (%.2f)", "x", 42, 1.5);
    cr_assert_not_null(s);
    cr_assert_str_eq(tw_str_utf8(s), "x=42 (1.50)");
    cr_assert_eq(tw_str_length(s), 11);
    tw_decref(s);
}

Test(str, from_format_handles_long_output)
{
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    TwObject *s = tw_str_from_format("<%s>", big);
    cr_assert_not_null(s);
    cr_assert_eq(tw_str_length(s), 1001);
    cr_assert_eq(tw_str_utf8(s)[1000], '>');
    tw_decref(s);
}

Test(str, concat_joins_text_and_lengths)
{
    TwObject *a = str("h\xc3\xa9"), *b = str("llo");
    TwObject *c = tw_str_concat(a, b);
    cr_assert_not_null(c);
    cr_assert_str_eq(tw_str_utf8(c), "h\xc3\xa9llo");
    cr_assert_eq(tw_str_length(c), 5);
    cr_assert_eq(((TwStrObject *)c)->ascii, 0);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(str, concat_with_non_str_raises_type_error)
{
    TwObject *a = str("a"), *one = tw_int_from_i64(1);
    cr_assert_null(tw_str_concat(a, one));
    tw_test_assert_error(&tw_exc_TypeError, "can only concatenate str (not \"int\") to str");
    tw_decref(a);
}

Test(str, compare_orders_by_code_point)
{
    TwObject *a = str("abc"), *b = str("abd"), *ab = str("ab"), *e = str("\xc3\xa9"), *z = str("z");
    cr_assert_lt(tw_str_compare(a, b), 0);
    cr_assert_gt(tw_str_compare(b, a), 0);
    cr_assert_lt(tw_str_compare(ab, a), 0); /* a prefix sorts first */
    cr_assert_eq(tw_str_compare(a, a), 0);
    cr_assert_gt(tw_str_compare(e, z), 0); /* U+00E9 > U+007A */
    cr_assert(tw_test_compare(a, b, TW_LT));
    cr_assert(tw_test_compare(a, b, TW_LE));
    cr_assert(tw_test_compare(b, a, TW_GT));
    cr_assert(tw_test_compare(b, a, TW_GE));
    cr_assert_not(tw_test_compare(a, b, TW_EQ));
    cr_assert(tw_test_compare(a, b, TW_NE));
    TwObject *objs[] = {a, b, ab, e, z};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(str, equal_strings_compare_equal_and_hash_alike)
{
    TwObject *a = str("same text"), *b = str("same text"), *c = str("same texT");
    cr_assert_neq(a, b);
    cr_assert(tw_test_compare(a, b, TW_EQ));
    cr_assert_eq(tw_object_eq(a, b), 1);
    cr_assert_eq(tw_object_hash(a), tw_object_hash(b));
    cr_assert_neq(tw_object_hash(a), tw_object_hash(c));
    cr_assert_not(tw_test_compare(a, c, TW_EQ)); /* both hashes now cached, and they differ */
    cr_assert_neq(tw_object_hash(a), -1);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(str, hash_is_cached_in_the_object)
{
    TwObject *s = str("cache me");
    cr_assert_eq(tw_atomic_load_relaxed(&((TwStrObject *)s)->hash), -1);
    tw_hash_t h = tw_object_hash(s);
    cr_assert_eq(tw_atomic_load_relaxed(&((TwStrObject *)s)->hash), h);
    tw_decref(s);
}

Test(str, equal_cstr_compares_whole_text)
{
    TwObject *s = str("abc");
    cr_assert(tw_str_equal_cstr(s, "abc"));
    cr_assert_not(tw_str_equal_cstr(s, "ab"));
    cr_assert_not(tw_str_equal_cstr(s, "abcd"));
    tw_decref(s);
}

Test(str, equality_with_non_str_is_false_and_ordering_raises)
{
    TwObject *s = str("1"), *bytes = tw_bytes_from_data("1", 1);
    cr_assert_not(tw_test_compare(s, bytes, TW_EQ));
    cr_assert(tw_test_compare(s, bytes, TW_NE));
    cr_assert_null(tw_object_richcompare(s, bytes, TW_LE));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'<=' not supported between instances of 'str' and 'bytes'");
    tw_decref(s);
    tw_decref(bytes);
}

Test(str, str_returns_the_same_object)
{
    TwObject *s = str("x");
    TwObject *t = tw_object_str(s);
    cr_assert_eq(t, s);
    cr_assert_eq(tw_refcount(s), 2);
    tw_decref(t);
    tw_decref(s);
}

Test(str, repr_quotes_with_single_quotes_by_default)
{
    assert_str_repr("hello", "'hello'"); /* repr('hello') */
    assert_str_repr("", "''");
    assert_str_repr("say \"hi\"", "'say \"hi\"'"); /* repr('say "hi"') */
}

Test(str, repr_uses_double_quotes_for_text_with_only_single_quotes)
{
    assert_str_repr("it's", "\"it's\"");                   /* repr("it's") */
    assert_str_repr("both ' and \"", "'both \\' and \"'"); /* repr('both \' and "') */
}

Test(str, repr_escapes_backslash_and_control_characters)
{
    assert_str_repr("tab\there", "'tab\\there'");      /* repr('tab\there') */
    assert_str_repr("nl\ncr\r", "'nl\\ncr\\r'");       /* repr('nl\ncr\r') */
    assert_str_repr("back\\slash", "'back\\\\slash'"); /* repr('back\\slash') */
    TwObject *s = tw_str_from_utf8("\x00\x01\x1f\x7f", 4);
    TwObject *r = tw_object_repr(s);
    cr_assert_str_eq(tw_str_utf8(r), "'\\x00\\x01\\x1f\\x7f'"); /* repr('\x00\x01\x1f\x7f') */
    tw_decref(r);
    tw_decref(s);
}

Test(str, repr_keeps_printable_non_ascii_and_escapes_the_rest)
{
    assert_str_repr("h\xc3\xa9llo", "'h\xc3\xa9llo'");         /* repr('héllo') */
    assert_str_repr("\xc3\xbf", "'\xc3\xbf'");                 /* repr('\xff') is 'ÿ' */
    assert_str_repr("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"); /* repr('\U0001F600') */
    assert_str_repr("\xc2\x80", "'\\x80'");                    /* repr('\x80') */
    assert_str_repr("\xc2\xa0\xc2\xad", "'\\xa0\\xad'");       /* repr('\xa0\xad') */
    assert_str_repr("\xe2\x80\xa8", "'\\u2028'");              /* repr('\u2028') */
    assert_str_repr("\xee\x80\x80", "'\\ue000'");              /* repr('\ue000') */
    assert_str_repr("\xf3\xb0\x80\x80", "'\\U000f0000'");      /* repr('\U000f0000') */
}

Test(str, interning_returns_one_immortal_object_per_value)
{
    TwObject *a = str("interned-value"), *b = str("interned-value");
    TwObject *ia = tw_str_intern(a), *ib = tw_str_intern(b);
    cr_assert_not_null(ia);
    cr_assert_eq(ia, ib);
    cr_assert(tw_is_immortal(ia));
    cr_assert_eq(((TwStrObject *)ia)->interned, 1);
    cr_assert_str_eq(tw_str_utf8(ia), "interned-value");
    TwObject *ic = tw_str_intern_cstr("interned-value");
    cr_assert_eq(ic, ia);
    TwObject *again = tw_str_intern(ia);
    cr_assert_eq(again, ia);
    tw_decref(a);
    tw_decref(b);
}

Test(str, interning_leaves_the_callers_object_alone)
{
    TwObject *a = str("mine");
    TwObject *ia = tw_str_intern(a);
    cr_assert_neq(ia, a, "the canonical string is a fresh copy");
    cr_assert_not(tw_is_immortal(a));
    cr_assert_eq(((TwStrObject *)a)->interned, 0);
    cr_assert_eq(tw_refcount(a), 1);
    tw_decref(a);
}

Test(str, different_values_intern_to_different_objects)
{
    TwObject *x = tw_str_intern_cstr("x"), *y = tw_str_intern_cstr("y");
    cr_assert_neq(x, y);
    cr_assert_str_eq(tw_str_utf8(x), "x");
    cr_assert_str_eq(tw_str_utf8(y), "y");
}

Test(str, interning_thousands_of_strings_keeps_each_unique)
{
    /* Enough values to grow the table several times. */
    enum { N = 5000 };
    static TwObject *first[N];
    for (int i = 0; i < N; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        first[i] = tw_str_intern_cstr(key);
        cr_assert_not_null(first[i]);
    }
    for (int i = 0; i < N; i++) {
        TwObject *s = tw_str_from_format("k%d", i);
        TwObject *again = tw_str_intern(s);
        cr_assert_eq(again, first[i], "k%d", i);
        tw_decref(s);
    }
}

Test(str, interning_an_existing_value_allocates_nothing)
{
    TwObject *ia = tw_str_intern_cstr("steady");
    int64_t base = tw_test_live();
    for (int i = 0; i < 1000; i++) {
        TwObject *s = str("steady");
        cr_assert_eq(tw_str_intern(s), ia);
        tw_decref(s);
    }
    tw_test_assert_no_leak(base);
}

Test(str, intern_rejects_invalid_utf8)
{
    cr_assert_null(tw_str_intern_cstr("\xff"));
    cr_assert_eq(tw_err_occurred(), &tw_exc_UnicodeDecodeError);
    tw_err_clear();
}

/* Threads intern the same values at once; each value must still end up as
 * exactly one canonical object. */
enum { RACE_THREADS = 8, RACE_VALUES = 200 };
static TwObject *race_result[RACE_THREADS][RACE_VALUES];

static void intern_race(int index, void *arg)
{
    for (int i = 0; i < RACE_VALUES; i++) {
        TwObject *s = tw_str_from_format("race-%d", i);
        race_result[index][i] = tw_str_intern(s);
        tw_decref(s);
    }
}

Test(str, concurrent_interning_yields_one_object_per_value)
{
    tw_test_run_threads(RACE_THREADS, intern_race, NULL);
    for (int i = 0; i < RACE_VALUES; i++) {
        cr_assert_not_null(race_result[0][i]);
        for (int t = 1; t < RACE_THREADS; t++)
            cr_assert_eq(race_result[t][i], race_result[0][i], "value %d, thread %d", i, t);
        cr_assert(tw_is_immortal(race_result[0][i]));
    }
}

/* Threads hash one shared string at once: the cached value must agree. */
static TwObject *shared_str;
static tw_hash_t hash_seen[RACE_THREADS];

static void hash_race(int index, void *arg)
{
    hash_seen[index] = tw_object_hash(shared_str);
}

Test(str, concurrent_hashing_caches_one_value)
{
    shared_str = str("hashed by many threads at once");
    tw_test_run_threads(RACE_THREADS, hash_race, NULL);
    for (int t = 1; t < RACE_THREADS; t++)
        cr_assert_eq(hash_seen[t], hash_seen[0]);
    cr_assert_eq(tw_object_hash(shared_str), hash_seen[0]);
    tw_decref(shared_str);
}

Test(str, creating_and_dropping_many_strings_leaks_nothing)
{
    int64_t base = tw_test_live();
    for (int i = 0; i < 5000; i++) {
        TwObject *a = tw_str_from_format("n\xc3\xa9%d", i);
        TwObject *b = str("-\xe2\x82\xac");
        TwObject *c = tw_str_concat(a, b);
        TwObject *ch = tw_str_getitem(c, 1);
        TwObject *r = tw_object_repr(c);
        cr_assert(a && b && c && ch && r);
        tw_object_hash(c);
        TwObject *objs[] = {a, b, c, ch, r};
        for (size_t k = 0; k < sizeof objs / sizeof objs[0]; k++)
            tw_decref(objs[k]);
    }
    tw_test_assert_no_leak(base);
}

/* ---- methods and protocol slots ------------------------------------------- */

/* An argument from its encoding: "s:text", "i:12", "b:1", "n:" (None),
 * "T:a|b" (tuple of str), "L:a|b" (list of str), "y:bytes", "U:a|b" (tuple
 * of bytes), "M:a|b" (list of bytes). */
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
    case 'b':
        return t[0] == '1' ? TW_TRUE : TW_FALSE;
    case 'n':
        return TW_NONE;
    default: {
        int bytes = enc[0] == 'U' || enc[0] == 'M';
        TwObject *list = tw_list_new(0);
        const char *p = t;
        while (*t != '\0') {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            TwObject *item = bytes ? tw_bytes_from_data(p, n) : tw_str_from_utf8(p, n);
            tw_list_append(list, item);
            tw_decref(item);
            if (bar == NULL)
                break;
            p = bar + 1;
        }
        if (enc[0] == 'L' || enc[0] == 'M')
            return list;
        TwObject *tuple = tw_tuple_new(tw_list_size(list));
        for (intptr_t i = 0; i < tw_list_size(list); i++)
            tw_tuple_init_item(tuple, i, tw_list_get_item(list, i));
        tw_decref(list);
        return tuple;
    }
    }
}

/* Call the method `name` of self from a method table with encoded
 * arguments ("k:name=value" entries are keywords). */
static TwObject *call_method(const TwMethodDef *table, TwObject *self, const char *name,
                             const char *const *encs, int n)
{
    const TwMethodDef *m = table;
    while (m->name != NULL && strcmp(m->name, name) != 0)
        m++;
    cr_assert_not_null(m->name, "no method %s", name);
    TwObject *args[8], *names[8];
    size_t npos = 0, nkw = 0;
    for (int i = 0; i < n; i++) {
        if (encs[i][0] == 'k') {
            const char *eq = strchr(encs[i], '=');
            names[nkw++] = tw_str_from_utf8(encs[i] + 2, (size_t)(eq - encs[i] - 2));
            args[npos + nkw - 1] = arg_decode(eq + 1);
        } else {
            args[npos++] = arg_decode(encs[i]);
        }
    }
    TwObject *kwnames = NULL;
    if (nkw > 0) {
        kwnames = tw_tuple_new((intptr_t)nkw);
        for (size_t k = 0; k < nkw; k++)
            tw_tuple_init_item(kwnames, (intptr_t)k, names[k]);
    }
    TwObject *r;
    if (m->flags & TW_METH_FASTCALL)
        r = ((TwObject * (*)(TwObject *, TwObject *const *, size_t, TwObject *)) m->func)(
            self, args, npos, kwnames);
    else if (m->flags & TW_METH_O)
        r = ((TwObject * (*)(TwObject *, TwObject *)) m->func)(self, args[0]);
    else
        r = ((TwObject * (*)(TwObject *, TwObject *)) m->func)(self, NULL);
    for (size_t k = 0; k < npos + nkw; k++)
        tw_decref(args[k]);
    tw_xdecref(kwnames);
    return r;
}

/* Compare repr(r) (or "!Type: message") with expected, without stopping. */
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
    const char *self, *method;
    const char *args[4];
    int nargs;
    const char *expected;
} method_table[] = {
#include "str_table.inc"
};

Test(str, methods_match_cpython)
{
    for (size_t i = 0; i < sizeof method_table / sizeof method_table[0]; i++) {
        TwObject *self = tw_str_from_cstr(method_table[i].self);
        char what[200];
        snprintf(what, sizeof what, "'%s'.%s", method_table[i].self, method_table[i].method);
        expect_result(call_method(tw_str_methods, self, method_table[i].method,
                                  method_table[i].args, method_table[i].nargs),
                      method_table[i].expected, what);
        tw_decref(self);
    }
}

static void expect_slice(const char *text, intptr_t start, intptr_t stop, intptr_t step,
                         const char *expected)
{
    TwObject *s = tw_str_from_cstr(text);
    TwObject *a = tw_int_from_i64(start), *b = tw_int_from_i64(stop), *c = tw_int_from_i64(step);
    TwObject *sl = tw_slice_new(a, b, c);
    TwObject *r = tw_str_subscript(s, sl);
    cr_assert_not_null(r);
    cr_expect_str_eq(tw_str_utf8(r), expected, "'%s'[%zd:%zd:%zd]", text, (size_t)start,
                     (size_t)stop, (size_t)step);
    tw_decref(r);
    tw_decref(sl);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(s);
}

Test(str, slicing_by_code_point_with_steps)
{
    expect_slice("hello", 1, 4, 1, "ell");      /* 'hello'[1:4] */
    expect_slice("hello", -4, -1, 2, "el");     /* 'hello'[-4:-1:2] */
    expect_slice("hello", 4, -6, -1, "olleh");  /* 'hello'[4:-6:-1] */
    expect_slice("héllo wörld", 1, 9, 3, "éoö"); /* 'héllo wörld'[1:9:3] */
    expect_slice("日本語テキスト", -1, -8, -2, "トキ語日"); /* '日本語テキスト'[-1:-8:-2] */
    expect_slice("héllo", 10, 20, 1, "");       /* 'héllo'[10:20] */
}

Test(str, indexing_non_ascii_text_uses_the_stride_index)
{
    /* 'é' * 100 + 'x' + 'ü' * 100: every index answers correctly, from
     * both ends. */
    char text[500];
    size_t o = 0;
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "é");
    text[o++] = 'x';
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, "ü");
    text[o] = '\0';
    TwObject *s = tw_str_from_cstr(text);
    cr_assert_eq(tw_str_length(s), 201);
    for (intptr_t i = 0; i < 201; i++) {
        TwObject *c = tw_str_getitem(s, i);
        const char *want = i < 100 ? "é" : i == 100 ? "x" : "ü";
        cr_assert_str_eq(tw_str_utf8(c), want, "index %zd", (size_t)i);
        tw_decref(c);
    }
    TwObject *c = tw_str_getitem(s, -101);
    cr_assert_str_eq(tw_str_utf8(c), "x");
    tw_decref(c);
    cr_assert_null(tw_str_getitem(s, 201));
    cr_assert_eq(tw_err_occurred(), &tw_exc_IndexError);
    tw_err_clear();
    cr_assert_not_null(tw_atomic_load_relaxed(&((TwStrObject *)s)->cp_index));
    tw_decref(s);
}

Test(str, iteration_yields_characters)
{
    TwObject *s = tw_str_from_cstr("aé日");
    TwObject *it = tw_str_type.tp_iter(s);
    const char *want[] = {"a", "é", "日"};
    for (int i = 0; i < 3; i++) {
        TwObject *c = TW_TYPE(it)->tp_iternext(it);
        cr_assert_str_eq(tw_str_utf8(c), want[i]);
        tw_decref(c);
    }
    cr_assert_null(TW_TYPE(it)->tp_iternext(it));
    cr_assert_null(tw_err_occurred());
    tw_decref(it);
    tw_decref(s);
}

Test(str, contains_concat_repeat_and_percent)
{
    TwObject *s = tw_str_from_cstr("héllo"), *sub = tw_str_from_cstr("él");
    cr_assert_eq(tw_str_type.tp_contains(s, sub), 1);
    TwObject *three = tw_int_from_i64(3);
    expect_result(tw_str_number_methods.nb_multiply(sub, three), "'élélél'", "'él' * 3");
    expect_result(tw_str_number_methods.nb_multiply(three, sub), "'élélél'", "3 * 'él'");
    expect_result(tw_str_number_methods.nb_add(s, sub), "'héllo\xc3\xa9l'", "'héllo' + 'él'");
    expect_result(tw_str_number_methods.nb_add(s, three),
                  "!TypeError: can only concatenate str (not \"int\") to str", "'héllo' + 3");
    TwObject *fmt = tw_str_from_cstr("%d%%");
    expect_result(tw_str_number_methods.nb_remainder(fmt, three), "'3%'", "'%d%%' % 3");
    cr_assert_eq(tw_str_type.tp_contains(s, three), -1);
    expect_result(NULL, "!TypeError: 'in <string>' requires string as left operand, not int",
                  "3 in 'héllo'");
    tw_decref(fmt);
    tw_decref(s);
    tw_decref(sub);
}

Test(str, constructor_and_chr_ord)
{
    TwObject *b = tw_bytes_from_data("h\xc3\xa9", 3), *enc = tw_str_from_cstr("utf-8");
    TwObject *args[2] = {b, enc};
    expect_result(tw_str_type.tp_new(&tw_str_type, args, 2, NULL), "'hé'", "str(b'h\\xc3\\xa9', 'utf-8')");
    expect_result(tw_str_type.tp_new(&tw_str_type, args, 1, NULL), "\"b'h\\\\xc3\\\\xa9'\"",
                  "str(b'h\\xc3\\xa9')");
    TwObject *i = tw_int_from_i64(-12);
    args[0] = i;
    expect_result(tw_str_type.tp_new(&tw_str_type, args, 1, NULL), "'-12'", "str(-12)");
    expect_result(tw_str_from_codepoint(0x20AC), "'€'", "chr(0x20ac)");
    expect_result(tw_str_from_codepoint(0x110000), "!ValueError: chr() arg not in range(0x110000)",
                  "chr(0x110000)");
    TwObject *e = tw_str_from_cstr("€");
    cr_assert_eq(tw_str_ord(e), 0x20AC);
    tw_decref(e);
    tw_decref(b);
    tw_decref(enc);
}

Test(str, join_reports_the_bad_item)
{
    TwObject *sep = tw_str_from_cstr(",");
    TwObject *list = tw_list_new(0);
    TwObject *a = tw_str_from_cstr("a"), *one = tw_int_from_i64(1);
    tw_list_append(list, a);
    tw_list_append(list, one);
    /* python3: ','.join(['a', 1]) */
    expect_result(tw_str_join(sep, list), "!TypeError: sequence item 1: expected str instance, int found",
                  "join");
    tw_decref(a);
    tw_decref(list);
    tw_decref(sep);
}
