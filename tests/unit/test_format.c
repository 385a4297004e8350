/* The format-spec mini-language, %-formatting and str.format against
 * CPython: every expected string in the *_table.inc files was produced by
 * running the commented python3 expression (python3 3.11). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/format.h"
#include "core/scalar.h"

TestSuite(format, .init = tw_test_setup, .fini = tw_test_teardown);

/* A value from its encoding: "i:123", "f:1.5", "s:text", "b:1", "n:". */
static TwObject *decode(const char *enc)
{
    const char *t = enc + 2;
    switch (enc[0]) {
    case 'i':
        return tw_int_from_string(t, strlen(t), 10);
    case 'f': {
        double v;
        cr_assert_eq(tw_float_parse(t, strlen(t), 0, &v), 0, "%s", enc);
        return tw_float_from_double(v);
    }
    case 's':
        return tw_str_from_cstr(t);
    case 'b':
        return t[0] == '1' ? TW_TRUE : TW_FALSE;
    default:
        return TW_NONE;
    }
}

/* Check a result against expected: the text, or "!Type: message". */
static void check(TwObject *r, const char *expected, const char *what)
{
    if (expected[0] == '!') {
        if (r != NULL) {
            cr_expect_null(r, "%s: expected %s, got %s", what, expected,
                           tw_str_check(r) ? tw_str_utf8(r) : "?");
            tw_decref(r);
            return;
        }
        TwObject *e = tw_err_fetch();
        TwObject *msg = tw_exception_str(e);
        char buf[400];
        snprintf(buf, sizeof buf, "!%s: %s", TW_TYPE(e)->tp_name, tw_str_utf8(msg));
        cr_expect_str_eq(buf, expected, "%s", what);
        tw_decref(msg);
        tw_decref(e);
        return;
    }
    if (r == NULL) {
        TwObject *e = tw_err_fetch();
        TwObject *msg = tw_exception_str(e);
        cr_expect_not_null(r, "%s failed: %s: %s", what, TW_TYPE(e)->tp_name, tw_str_utf8(msg));
        tw_decref(msg);
        tw_decref(e);
        return;
    }
    cr_assert(tw_str_check(r));
    cr_expect_str_eq(tw_str_utf8(r), expected, "%s", what);
    tw_decref(r);
}

static const struct {
    const char *value, *spec, *expected;
} format_table[] = {
#include "format_table.inc"
};

Test(format, format_spec_mini_language_matches_cpython)
{
    for (size_t i = 0; i < sizeof format_table / sizeof format_table[0]; i++) {
        TwObject *v = decode(format_table[i].value);
        TwObject *spec = tw_str_from_cstr(format_table[i].spec);
        char what[200];
        snprintf(what, sizeof what, "format(%s, '%s')", format_table[i].value, format_table[i].spec);
        check(tw_format_value(v, spec), format_table[i].expected, what);
        tw_decref(spec);
        tw_decref(v);
    }
}

static const struct {
    const char *fmt;
    const char *args[8];
    int nargs;
    const char *expected;
} percent_table[] = {
#include "percent_table.inc"
};

Test(format, percent_formatting_with_a_tuple_matches_cpython)
{
    for (size_t i = 0; i < sizeof percent_table / sizeof percent_table[0]; i++) {
        TwObject *t = tw_tuple_new(percent_table[i].nargs);
        for (int k = 0; k < percent_table[i].nargs; k++)
            tw_tuple_init_item(t, k, decode(percent_table[i].args[k]));
        TwObject *fmt = tw_str_from_cstr(percent_table[i].fmt);
        check(tw_str_percent_format(fmt, t), percent_table[i].expected, percent_table[i].fmt);
        tw_decref(fmt);
        tw_decref(t);
    }
}

static const struct {
    const char *fmt, *arg, *expected;
} percent_single[] = {
#include "percent_single.inc"
};

Test(format, percent_formatting_with_a_single_value_matches_cpython)
{
    for (size_t i = 0; i < sizeof percent_single / sizeof percent_single[0]; i++) {
        TwObject *v = decode(percent_single[i].arg);
        TwObject *fmt = tw_str_from_cstr(percent_single[i].fmt);
        check(tw_str_percent_format(fmt, v), percent_single[i].expected, percent_single[i].fmt);
        tw_decref(fmt);
        tw_decref(v);
    }
}

Test(format, percent_formatting_with_a_mapping)
{
    TwObject *d = tw_dict_new();
    TwObject *v = tw_int_from_i64(42);
    tw_dict_set_item_cstr(d, "name", v);
    TwObject *fmt = tw_str_from_cstr("%(name)s=%(name)05d");
    check(tw_str_percent_format(fmt, d), "42=00042", "'%(name)s=%(name)05d' % {'name': 42}");
    tw_decref(fmt);
    fmt = tw_str_from_cstr("%(other)s");
    check(tw_str_percent_format(fmt, d), "!KeyError: 'other'", "'%(other)s' % {'name': 42}");
    tw_decref(fmt);
    tw_decref(d);
}

static const struct {
    const char *fmt;
    const char *args[8];
    int nargs;
    const char *expected;
} strformat_table[] = {
#include "strformat_table.inc"
};

Test(format, str_format_matches_cpython)
{
    for (size_t i = 0; i < sizeof strformat_table / sizeof strformat_table[0]; i++) {
        TwObject *args[8];
        TwObject *names[8];
        size_t npos = 0, nkw = 0;
        for (int k = 0; k < strformat_table[i].nargs; k++) {
            const char *a = strformat_table[i].args[k];
            if (a[0] == 'k') {
                const char *eq = strchr(a, '=');
                names[nkw++] = tw_str_from_utf8(a + 2, (size_t)(eq - a - 2));
                args[npos + nkw - 1] = decode(eq + 1);
            } else {
                args[npos++] = decode(a);
            }
        }
        /* Keyword values follow the positional ones. */
        TwObject *kwnames = NULL;
        if (nkw > 0) {
            kwnames = tw_tuple_new((intptr_t)nkw);
            for (size_t k = 0; k < nkw; k++)
                tw_tuple_init_item(kwnames, (intptr_t)k, names[k]);
        }
        TwObject *fmt = tw_str_from_cstr(strformat_table[i].fmt);
        check(tw_str_format_call(fmt, args, npos, kwnames), strformat_table[i].expected,
              strformat_table[i].fmt);
        tw_decref(fmt);
        tw_xdecref(kwnames);
        for (size_t k = 0; k < npos + nkw; k++)
            tw_decref(args[k]);
    }
}

Test(format, format_map_looks_names_up_in_the_mapping)
{
    TwObject *d = tw_dict_new();
    TwObject *v = tw_str_from_cstr("world");
    tw_dict_set_item_cstr(d, "who", v);
    tw_decref(v);
    TwObject *fmt = tw_str_from_cstr("hello {who:>6}");
    check(tw_str_format_map(fmt, d), "hello  world", "'hello {who:>6}'.format_map({'who': 'world'})");
    tw_decref(fmt);
    fmt = tw_str_from_cstr("{0}");
    check(tw_str_format_map(fmt, d), "!ValueError: Format string contains positional fields",
          "'{0}'.format_map({})");
    tw_decref(fmt);
    tw_decref(d);
}

Test(format, ascii_escapes_non_ascii_characters)
{
    TwObject *s = tw_str_from_cstr("é\xe2\x82\xac\xf0\x9f\x98\x80"); /* 'é€😀' */
    /* python3: ascii('é€😀') */
    check(tw_format_ascii(s), "'\\xe9\\u20ac\\U0001f600'", "ascii('é€😀')");
    tw_decref(s);
}

Test(format, formatting_does_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *v = tw_float_from_double(1234.5);
    TwObject *spec = tw_str_from_cstr("*^+20,.3f");
    TwObject *r = tw_format_value(v, spec);
    cr_assert_str_eq(tw_str_utf8(r), "*****+1,234.500*****"); /* format(1234.5, '*^+20,.3f') */
    tw_decref(r);
    tw_decref(spec);
    tw_decref(v);
    tw_test_assert_no_leak(base);
}
