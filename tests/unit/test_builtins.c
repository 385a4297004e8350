/* The builtins namespace, the built-in functions on core objects, print's
 * output (also from many threads at once), the iterator types, the module
 * registry and import, and the sys and time modules.  Expected values are
 * what python3.12 prints for the same calls. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"
#include "core/builtins.h"
#include "core/import.h"

TestSuite(builtins, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers ------------------------------------------------------------------------ */

static TwObject *num(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

static TwObject *text(const char *s)
{
    TwObject *o = tw_str_from_cstr(s);
    cr_assert_not_null(o);
    return o;
}

/* builtins.<name> (new reference). */
static TwObject *builtin(const char *name)
{
    TwObject *d = tw_builtins_dict(), *v = NULL;
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, name, &v), 1, "builtins has no %s", name);
    tw_decref(d);
    return v;
}

/* builtins.<name>(*args, **{kwnames: values after args}); the arguments
 * are references the call consumes. */
static TwObject *call_kw(const char *name, TwObject **args, size_t nargs, const char *kw0,
                         const char *kw1)
{
    size_t nkw = kw0 ? (kw1 ? 2 : 1) : 0;
    TwObject *kwnames = NULL;
    if (nkw > 0) {
        kwnames = nkw == 1 ? tw_tuple_pack(1, tw_str_intern_cstr(kw0))
                           : tw_tuple_pack(2, tw_str_intern_cstr(kw0), tw_str_intern_cstr(kw1));
        cr_assert_not_null(kwnames);
    }
    TwObject *f = builtin(name);
    TwObject *res = tw_object_vectorcall(f, args, nargs - nkw, kwnames);
    tw_decref(f);
    tw_xdecref(kwnames);
    for (size_t i = 0; i < nargs; i++)
        tw_decref(args[i]);
    return res;
}

static TwObject *call0(const char *name)
{
    return call_kw(name, NULL, 0, NULL, NULL);
}

static TwObject *call1(const char *name, TwObject *a)
{
    TwObject *args[1] = {a};
    return call_kw(name, args, 1, NULL, NULL);
}

static TwObject *call2(const char *name, TwObject *a, TwObject *b)
{
    TwObject *args[2] = {a, b};
    return call_kw(name, args, 2, NULL, NULL);
}

/* repr(o) == expected; consumes o. */
static void assert_repr(TwObject *o, const char *expected)
{
    cr_assert_not_null(o, "expected %s, got an exception", expected);
    TwObject *r = tw_object_repr(o);
    cr_assert_not_null(r);
    cr_assert_str_eq(tw_str_utf8(r), expected);
    tw_decref(r);
    tw_decref(o);
}

/* list(o) and its repr; consumes o. */
static void assert_list_repr(TwObject *o, const char *expected)
{
    cr_assert_not_null(o);
    TwObject *l = tw_sequence_list(o);
    tw_decref(o);
    assert_repr(l, expected);
}

static void assert_raises(TwType *type, const char *message)
{
    cr_assert_eq(tw_err_occurred(), type, "expected %s", type->tp_name);
    TwObject *exc = tw_err_fetch();
    TwObject *s = tw_object_str(exc);
    cr_assert_not_null(s);
    cr_assert_str_eq(tw_str_utf8(s), message);
    tw_decref(s);
    tw_decref(exc);
}

/* A list of small ints. */
static TwObject *ints(int n, const int64_t *v)
{
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < n; i++) {
        TwObject *x = num(v[i]);
        cr_assert_eq(tw_list_append(l, x), 0);
        tw_decref(x);
    }
    return l;
}

/* ---- the namespace ---------------------------------------------------------------------- */

Test(builtins, namespace_binds_functions_types_constants_and_exceptions)
{
    static const char *const names[] = {"print",
                                        "input",
                                        "len",
                                        "range",
                                        "int",
                                        "float",
                                        "str",
                                        "repr",
                                        "bool",
                                        "list",
                                        "tuple",
                                        "dict",
                                        "set",
                                        "frozenset",
                                        "bytes",
                                        "type",
                                        "object",
                                        "isinstance",
                                        "issubclass",
                                        "id",
                                        "hash",
                                        "abs",
                                        "min",
                                        "max",
                                        "sum",
                                        "round",
                                        "divmod",
                                        "pow",
                                        "ord",
                                        "chr",
                                        "hex",
                                        "oct",
                                        "bin",
                                        "format",
                                        "sorted",
                                        "reversed",
                                        "enumerate",
                                        "zip",
                                        "map",
                                        "filter",
                                        "any",
                                        "all",
                                        "iter",
                                        "next",
                                        "getattr",
                                        "setattr",
                                        "hasattr",
                                        "delattr",
                                        "callable",
                                        "vars",
                                        "dir",
                                        "open",
                                        "super",
                                        "property",
                                        "staticmethod",
                                        "classmethod",
                                        "NotImplemented",
                                        "Ellipsis",
                                        "__build_class__",
                                        "ValueError",
                                        "KeyError",
                                        "StopIteration",
                                        "SystemExit",
                                        "ImportError",
                                        "ModuleNotFoundError",
                                        "SyntaxError",
                                        "IndentationError",
                                        "Exception",
                                        "BaseException",
                                        NULL};
    for (int i = 0; names[i] != NULL; i++)
        tw_decref(builtin(names[i]));
    TwObject *r = builtin("range"), *n = builtin("NotImplemented"), *v = builtin("ValueError");
    cr_assert_eq(r, (TwObject *)&tw_range_type);
    cr_assert_eq(n, TW_NOTIMPLEMENTED);
    cr_assert_eq(v, (TwObject *)&tw_exc_ValueError);
    tw_decref(r);
    tw_decref(n);
    tw_decref(v);
}

Test(builtins, namespace_keys_are_interned)
{
    TwObject *d = tw_builtins_dict(), *k;
    intptr_t pos = 0;
    int n = 0;
    while (tw_dict_next_ref(d, &pos, &k, NULL) > 0) {
        cr_assert(((TwStrObject *)k)->interned, "%s is not interned", tw_str_utf8(k));
        tw_decref(k);
        n++;
    }
    cr_assert_gt(n, 100);
    tw_decref(d);
}

Test(builtins, functions_repr_as_builtin_functions)
{
    assert_repr(builtin("len"), "<built-in function len>");
}

Test(builtins, argument_count_errors_name_the_function)
{
    cr_assert_null(call0("len"));
    assert_raises(&tw_exc_TypeError, "len() takes exactly one argument (0 given)");
    cr_assert_null(call1("divmod", num(1)));
    assert_raises(&tw_exc_TypeError, "divmod expected 2 arguments, got 1");
}

/* ---- functions on core objects ------------------------------------------------------------ */

Test(builtins, len_abs_id_hash)
{
    int64_t v[3] = {1, 2, 3};
    cr_assert_eq(tw_int_as_i64(call1("len", ints(3, v))), 3);
    assert_repr(call1("abs", num(-5)), "5");
    cr_assert_null(call1("len", num(1)));
    assert_raises(&tw_exc_TypeError, "object of type 'int' has no len()");
    assert_repr(call1("hash", num(-1)), "-2");
    TwObject *l = tw_list_new(0);
    cr_assert_null(call1("hash", l));
    assert_raises(&tw_exc_TypeError, "unhashable type: 'list'");
}

Test(builtins, min_and_max)
{
    int64_t v[3] = {3, 1, 2};
    assert_repr(call1("max", ints(3, v)), "3");
    assert_repr(call1("min", ints(3, v)), "1");
    TwObject *args[3] = {num(4), num(9), num(2)};
    assert_repr(call_kw("max", args, 3, NULL, NULL), "9");
    /* min(["aaa", "b", "cc"], key=len) */
    TwObject *words = tw_list_new(0);
    const char *w[3] = {"aaa", "b", "cc"};
    for (int i = 0; i < 3; i++) {
        TwObject *s = text(w[i]);
        tw_list_append(words, s);
        tw_decref(s);
    }
    TwObject *kargs[2] = {words, builtin("len")};
    assert_repr(call_kw("min", kargs, 2, "key", NULL), "'b'");
    /* max([], default=None) */
    TwObject *dargs[2] = {tw_list_new(0), tw_newref(TW_NONE)};
    assert_repr(call_kw("max", dargs, 2, "default", NULL), "None");
}

Test(builtins, min_and_max_errors_match_cpython_312)
{
    cr_assert_null(call1("max", tw_list_new(0)));
    assert_raises(&tw_exc_ValueError, "max() arg is an empty sequence");
    cr_assert_null(call1("min", tw_tuple_new(0)));
    assert_raises(&tw_exc_ValueError, "min() arg is an empty sequence");
    cr_assert_null(call0("max"));
    assert_raises(&tw_exc_TypeError, "max expected at least 1 argument, got 0");
    TwObject *args[3] = {num(1), num(2), num(3)};
    cr_assert_null(call_kw("max", args, 3, "default", NULL));
    assert_raises(&tw_exc_TypeError,
                  "Cannot specify a default for max() with multiple positional arguments");
}

Test(builtins, sum_of_ints_grows_past_int64)
{
    int64_t v[4] = {1, INT64_C(1) << 62, INT64_C(1) << 62, INT64_C(1) << 62};
    assert_repr(call1("sum", ints(4, v)), "13835058055282163713");
    int64_t w[3] = {1, 2, 3};
    TwObject *args[2] = {ints(3, w), num(10)};
    assert_repr(call_kw("sum", args, 2, "start", NULL), "16");
}

Test(builtins, sum_of_floats_is_compensated_as_in_cpython_312)
{
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 10; i++) {
        TwObject *f = tw_float_from_double(0.1);
        tw_list_append(l, f);
        tw_decref(f);
    }
    assert_repr(call1("sum", l), "1.0");
    /* sum([1, 0.1, 0.2, 0.3]) == 1.6 */
    l = tw_list_new(0);
    TwObject *items[4] = {num(1), tw_float_from_double(0.1), tw_float_from_double(0.2),
                          tw_float_from_double(0.3)};
    for (int i = 0; i < 4; i++) {
        tw_list_append(l, items[i]);
        tw_decref(items[i]);
    }
    assert_repr(call1("sum", l), "1.6");
}

Test(builtins, sum_refuses_strings)
{
    TwObject *args[2] = {tw_list_new(0), text("")};
    cr_assert_null(call_kw("sum", args, 2, NULL, NULL));
    assert_raises(&tw_exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
}

Test(builtins, ord_chr_hex_oct_bin)
{
    assert_repr(call1("ord", text("\xc3\xa9")), "233");
    assert_repr(call1("chr", num(233)), "'\xc3\xa9'");
    assert_repr(call1("chr", num(0x1F600)), "'\xf0\x9f\x98\x80'");
    assert_repr(call1("hex", num(-255)), "'-0xff'");
    assert_repr(call1("oct", num(8)), "'0o10'");
    assert_repr(call1("bin", num(5)), "'0b101'");
    cr_assert_null(call1("ord", text("ab")));
    assert_raises(&tw_exc_TypeError, "ord() expected a character, but string of length 2 found");
    cr_assert_null(call1("chr", num(0x110000)));
    assert_raises(&tw_exc_ValueError, "chr() arg not in range(0x110000)");
}

Test(builtins, divmod_and_pow)
{
    assert_repr(call2("divmod", num(-7), num(2)), "(-4, 1)");
    TwObject *args[3] = {num(2), num(3), num(5)};
    assert_repr(call_kw("pow", args, 3, NULL, NULL), "3");
}

Test(builtins, sorted_with_reverse)
{
    int64_t v[3] = {3, 1, 2};
    TwObject *args[2] = {ints(3, v), tw_newref(TW_TRUE)};
    assert_repr(call_kw("sorted", args, 2, "reverse", NULL), "[3, 2, 1]");
    assert_repr(call1("sorted", text("bca")), "['a', 'b', 'c']");
}

Test(builtins, any_and_all)
{
    int64_t v[3] = {0, 0, 3};
    assert_repr(call1("any", ints(3, v)), "True");
    assert_repr(call1("all", ints(3, v)), "False");
    assert_repr(call1("all", tw_list_new(0)), "True");
}

Test(builtins, isinstance_and_callable)
{
    assert_repr(call2("isinstance", tw_newref(TW_TRUE), builtin("int")), "True");
    assert_repr(call1("callable", builtin("len")), "True");
    assert_repr(call1("callable", num(1)), "False");
}

Test(builtins, getattr_default_and_hasattr)
{
    TwObject *sys = tw_import_module_cstr("sys");
    cr_assert_not_null(sys);
    TwObject *args[3] = {tw_newref(sys), text("nope"), num(7)};
    assert_repr(call_kw("getattr", args, 3, NULL, NULL), "7");
    assert_repr(call2("hasattr", tw_newref(sys), text("path")), "True");
    assert_repr(call2("hasattr", tw_newref(sys), text("nope")), "False");
    cr_assert_null(call2("getattr", tw_newref(sys), num(1)));
    assert_raises(&tw_exc_TypeError, "attribute name must be string, not 'int'");
    tw_decref(sys);
}

Test(builtins, open_missing_file_raises_file_not_found)
{
    cr_assert_null(call1("open", text("/nonexistent-twinpy-dir/x")));
    assert_raises(&tw_exc_FileNotFoundError,
                  "[Errno 2] No such file or directory: '/nonexistent-twinpy-dir/x'");
}

/* ---- iterators ------------------------------------------------------------------------------ */

Test(builtins, enumerate_zip_map_filter)
{
    TwObject *args[2] = {text("ab"), num(5)};
    assert_list_repr(call_kw("enumerate", args, 2, NULL, NULL), "[(5, 'a'), (6, 'b')]");
    int64_t v[3] = {1, 2, 3};
    assert_list_repr(call2("zip", text("ab"), ints(3, v)), "[('a', 1), ('b', 2)]");
    int64_t b[2] = {2, 3}, e[2] = {3, 2};
    TwObject *margs[3] = {builtin("pow"), ints(2, b), ints(2, e)};
    assert_list_repr(call_kw("map", margs, 3, NULL, NULL), "[8, 9]");
    int64_t f[4] = {0, 1, 0, 2};
    assert_list_repr(call2("filter", tw_newref(TW_NONE), ints(4, f)), "[1, 2]");
}

Test(builtins, enumerate_counts_past_int64)
{
    TwObject *args[2] = {text("ab"), num(INT64_MAX)};
    assert_list_repr(call_kw("enumerate", args, 2, NULL, NULL),
                     "[(9223372036854775807, 'a'), (9223372036854775808, 'b')]");
}

Test(builtins, zip_strict_reports_the_shorter_argument)
{
    int64_t two[2] = {1, 2}, one[1] = {1};
    TwObject *args[3] = {ints(2, two), ints(1, one), tw_newref(TW_TRUE)};
    TwObject *z = call_kw("zip", args, 3, "strict", NULL);
    cr_assert_not_null(z);
    cr_assert_null(tw_sequence_list(z));
    assert_raises(&tw_exc_ValueError, "zip() argument 2 is shorter than argument 1");
    tw_decref(z);
    TwObject *args2[4] = {ints(1, one), ints(1, one), ints(2, two), tw_newref(TW_TRUE)};
    z = call_kw("zip", args2, 4, "strict", NULL);
    cr_assert_null(tw_sequence_list(z));
    assert_raises(&tw_exc_ValueError, "zip() argument 3 is longer than arguments 1-2");
    tw_decref(z);
}

Test(builtins, reversed_sequences)
{
    int64_t v[3] = {1, 2, 3};
    assert_list_repr(call1("reversed", ints(3, v)), "[3, 2, 1]");
    assert_list_repr(call1("reversed", tw_list_as_tuple(ints(3, v))), "[3, 2, 1]");
    assert_list_repr(call1("reversed", text("ab\xc3\xa9")), "['\xc3\xa9', 'b', 'a']");
    cr_assert_null(call1("reversed", num(1)));
    assert_raises(&tw_exc_TypeError, "'int' object is not reversible");
}

Test(builtins, iter_next_and_sentinels)
{
    int64_t v[1] = {1};
    TwObject *it = call1("iter", ints(1, v));
    assert_repr(call1("next", tw_newref(it)), "1");
    assert_repr(call2("next", tw_newref(it), num(9)), "9");
    cr_assert_null(call1("next", tw_newref(it)));
    cr_assert_eq(tw_err_occurred(), &tw_exc_StopIteration);
    tw_err_clear();
    tw_decref(it);
    cr_assert_null(call1("next", num(1)));
    assert_raises(&tw_exc_TypeError, "'int' object is not an iterator");
    /* iter(lst.pop, 1) over [1, 2, 3] yields 3, 2 */
    int64_t w[3] = {1, 2, 3};
    TwObject *lst = ints(3, w);
    TwObject *pop = tw_object_getattr_cstr(lst, "pop");
    cr_assert_not_null(pop);
    assert_list_repr(call2("iter", pop, num(1)), "[3, 2]");
    tw_decref(lst);
}

/* ---- print ------------------------------------------------------------------------------ */

typedef void (*capture_fn)(void *arg);

/* Run fn with file descriptor 1 redirected to a temporary file; returns
 * what was written (malloc'd). */
static char *capture_stdout(capture_fn fn, void *arg)
{
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    tw_sys_flush_stdio();
    int saved = dup(1);
    dup2(fileno(tmp), 1);
    fn(arg);
    tw_sys_flush_stdio();
    dup2(saved, 1);
    close(saved);
    off_t n = lseek(fileno(tmp), 0, SEEK_END);
    cr_assert_geq(n, 0);
    char *out = calloc(1, (size_t)n + 1);
    lseek(fileno(tmp), 0, SEEK_SET);
    cr_assert_eq(read(fileno(tmp), out, (size_t)n), (ssize_t)n);
    fclose(tmp);
    return out;
}

static void print_some(void *arg)
{
    TwObject *a[3] = {num(1), text("two"), tw_float_from_double(3.5)};
    tw_decref(call_kw("print", a, 3, NULL, NULL));
    TwObject *b[4] = {num(1), num(2), text("-"), text("!\n")};
    tw_decref(call_kw("print", b, 4, "sep", "end"));
    tw_decref(call0("print"));
    TwObject *c[2] = {text("x"), tw_newref(TW_NONE)};
    tw_decref(call_kw("print", c, 2, "end", NULL));
}

Test(builtins, print_formats_like_cpython)
{
    char *out = capture_stdout(print_some, NULL);
    cr_assert_str_eq(out, "1 two 3.5\n1-2!\n\nx\n");
    free(out);
}

Test(builtins, print_rejects_bad_separators)
{
    TwObject *args[2] = {num(1), num(2)};
    cr_assert_null(call_kw("print", args, 2, "sep", NULL));
    assert_raises(&tw_exc_TypeError, "sep must be None or a string, not int");
}

#define PRINT_THREADS 8
#define PRINT_LINES   2000

static void print_lines(int index, void *arg)
{
    for (int i = 0; i < PRINT_LINES; i++) {
        TwObject *a[4] = {text("thread"), num(index), num(i),
                          text("abcdefghijklmnopqrstuvwxyz0123456789")};
        TwObject *r = call_kw("print", a, 4, NULL, NULL);
        cr_assert_not_null(r);
        tw_decref(r);
    }
}

static void print_from_threads(void *arg)
{
    tw_test_run_threads(PRINT_THREADS, print_lines, NULL);
}

Test(builtins, print_lines_from_many_threads_never_interleave)
{
    char *out = capture_stdout(print_from_threads, NULL);
    int next[PRINT_THREADS] = {0};
    int lines = 0;
    for (char *line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        int t, i, used = 0;
        cr_assert_eq(
            sscanf(line, "thread %d %d abcdefghijklmnopqrstuvwxyz0123456789%n", &t, &i, &used), 2,
            "torn line: %s", line);
        cr_assert_eq((size_t)used, strlen(line), "torn line: %s", line);
        cr_assert(t >= 0 && t < PRINT_THREADS);
        cr_assert_eq(i, next[t], "thread %d's lines out of order", t);
        next[t]++;
        lines++;
    }
    cr_assert_eq(lines, PRINT_THREADS * PRINT_LINES);
    free(out);
}

/* ---- modules and import ------------------------------------------------------------------- */

static _Atomic int demo_creations;

static TwObject *create_demo(void)
{
    atomic_fetch_add(&demo_creations, 1);
    tw_test_sleep_ms(50); /* let the other importers arrive and wait */
    TwObject *m = tw_module_new_cstr("tw_demo");
    if (m != NULL && tw_module_add_int(m, "answer", 42) < 0)
        TW_CLEAR(m);
    return m;
}

Test(builtins, builtin_modules_are_created_once_and_cached)
{
    cr_assert_eq(tw_module_register_builtin("tw_demo", create_demo), 0);
    TwObject *a = tw_import_module_cstr("tw_demo"), *b = tw_import_module_cstr("tw_demo");
    cr_assert_not_null(a);
    cr_assert_eq(a, b);
    cr_assert_eq(atomic_load(&demo_creations), 1);
    assert_repr(tw_object_getattr_cstr(a, "answer"), "42");
    assert_repr(tw_newref(a), "<module 'tw_demo' (built-in)>");
    tw_decref(a);
    tw_decref(b);
}

static TwObject *imported[8];

static void import_demo(int index, void *arg)
{
    imported[index] = tw_import_module_cstr("tw_demo");
}

Test(builtins, concurrent_imports_run_the_module_once)
{
    cr_assert_eq(tw_module_register_builtin("tw_demo", create_demo), 0);
    tw_test_run_threads(8, import_demo, NULL);
    cr_assert_eq(atomic_load(&demo_creations), 1);
    for (int i = 0; i < 8; i++) {
        cr_assert_not_null(imported[i]);
        cr_assert_eq(imported[i], imported[0]);
    }
    for (int i = 0; i < 8; i++)
        tw_decref(imported[i]);
}

Test(builtins, missing_modules_raise_module_not_found)
{
    cr_assert_null(tw_import_module_cstr("tw_no_such_module"));
    assert_raises(&tw_exc_ModuleNotFoundError, "No module named 'tw_no_such_module'");
}

Test(builtins, from_import_of_a_missing_name_names_the_module)
{
    TwObject *sys = tw_import_module_cstr("sys"), *name = text("foo");
    cr_assert_null(tw_import_from(sys, name));
    assert_raises(&tw_exc_ImportError, "cannot import name 'foo' from 'sys' (unknown location)");
    tw_decref(sys);
    tw_decref(name);
}

Test(builtins, module_attribute_errors_name_the_module)
{
    TwObject *sys = tw_import_module_cstr("sys");
    cr_assert_null(tw_object_getattr_cstr(sys, "nope"));
    assert_raises(&tw_exc_AttributeError, "module 'sys' has no attribute 'nope'");
    tw_decref(sys);
}

/* ---- sys and time ----------------------------------------------------------------------- */

static TwObject *sys_attr(const char *name)
{
    TwObject *v = tw_sys_get_object(name);
    cr_assert_not_null(v, "sys.%s missing", name);
    return v;
}

Test(builtins, sys_describes_the_build)
{
    TwObject *version = sys_attr("version");
    cr_assert_not_null(strstr(tw_str_utf8(version), TW_BUILD_NAME));
    cr_assert_eq(strncmp(tw_str_utf8(version), "3.12", 4), 0);
    tw_decref(version);
    TwObject *impl = sys_attr("implementation");
    assert_repr(tw_object_getattr_cstr(impl, "name"), "'twinpy'");
    tw_decref(impl);
    assert_repr(sys_attr("maxsize"), "9223372036854775807");
    assert_repr(sys_attr("platform"), "'linux'");
    TwObject *vi = sys_attr("version_info");
    assert_repr(tw_tuple_get_item(vi, 0), "3");
    assert_repr(tw_object_getattr_cstr(vi, "minor"), "12");
    tw_decref(vi);
    TwObject *gil = sys_attr("_is_gil_enabled");
    assert_repr(tw_object_call_noargs(gil), tw_gil_is_enabled() ? "True" : "False");
    tw_decref(gil);
}

Test(builtins, sys_switch_interval_round_trips_and_rejects_zero)
{
    TwObject *set = sys_attr("setswitchinterval"), *get = sys_attr("getswitchinterval");
    TwObject *v = tw_float_from_double(0.002);
    tw_decref(tw_object_call_one(set, v));
    assert_repr(tw_object_call_noargs(get), "0.002");
    TwObject *zero = num(0);
    cr_assert_null(tw_object_call_one(set, zero));
    assert_raises(&tw_exc_ValueError, "switch interval must be strictly positive");
    tw_decref(v);
    tw_decref(set);
    tw_decref(get);
}

Test(builtins, sys_exit_raises_system_exit)
{
    TwObject *exit = sys_attr("exit"), *code = num(3);
    cr_assert_null(tw_object_call_one(exit, code));
    cr_assert_eq(tw_err_occurred(), &tw_exc_SystemExit);
    TwObject *exc = tw_err_fetch();
    assert_repr(tw_systemexit_code(exc), "3");
    tw_decref(exc);
    tw_decref(code);
    tw_decref(exit);
}

Test(builtins, sys_stdout_write_returns_the_length)
{
    TwObject *out = sys_attr("stdout");
    TwObject *s = text("");
    assert_repr(tw_object_call_method(out, "write", &s, 1), "0");
    cr_assert_null(tw_object_call_method(out, "write", (TwObject *[]){TW_NONE}, 1));
    assert_raises(&tw_exc_TypeError, "write() argument must be str, not NoneType");
    tw_decref(s);
    tw_decref(out);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(builtins, time_sleep_waits_and_rejects_negative_lengths)
{
    TwObject *time = tw_import_module_cstr("time");
    cr_assert_not_null(time);
    TwObject *sleep = tw_object_getattr_cstr(time, "sleep");
    TwObject *len = tw_float_from_double(0.02);
    double t0 = now_s();
    tw_decref(tw_object_call_one(sleep, len));
    cr_assert_geq(now_s() - t0, 0.02);
    TwObject *neg = num(-1);
    cr_assert_null(tw_object_call_one(sleep, neg));
    assert_raises(&tw_exc_ValueError, "sleep length must be non-negative");
    tw_decref(neg);
    tw_decref(len);
    tw_decref(sleep);
    tw_decref(time);
}

static void sleep_100ms(int index, void *arg)
{
    TwObject *time = tw_import_module_cstr("time");
    TwObject *sleep = tw_object_getattr_cstr(time, "sleep");
    TwObject *len = tw_float_from_double(0.1);
    TwObject *r = tw_object_call_one(sleep, len);
    cr_assert_not_null(r);
    tw_decref(r);
    tw_decref(len);
    tw_decref(sleep);
    tw_decref(time);
}

Test(builtins, time_sleep_lets_other_threads_run)
{
    tw_decref(tw_import_module_cstr("time"));
    double t0 = now_s();
    tw_test_run_threads(4, sleep_100ms, NULL);
    cr_assert_lt(now_s() - t0, 0.3, "the sleeps ran one after another");
}

Test(builtins, time_clocks_advance)
{
    TwObject *time = tw_import_module_cstr("time");
    TwObject *mono = tw_object_getattr_cstr(time, "monotonic_ns");
    TwObject *a = tw_object_call_noargs(mono), *b = tw_object_call_noargs(mono);
    cr_assert_leq(tw_int_as_i64(a), tw_int_as_i64(b));
    tw_decref(a);
    tw_decref(b);
    tw_decref(mono);
    tw_decref(time);
}

/* ---- bytearray --------------------------------------------------------------------------- */

Test(builtins, bytearray_builds_and_mutates_like_cpython)
{
    TwObject *ba = call1("bytearray", tw_bytes_from_data("abc", 3));
    cr_assert_not_null(ba);
    TwObject *k = num(0), *v = num(65);
    cr_assert_eq(tw_object_setitem(ba, k, v), 0);
    TwObject *d = num(100);
    tw_decref(tw_object_call_method(ba, "append", &d, 1));
    assert_repr(tw_newref(ba), "bytearray(b'Abcd')");
    cr_assert_eq(tw_object_delitem(ba, k), 0);
    assert_repr(tw_newref(ba), "bytearray(b'bcd')");
    TwObject *big = num(256);
    cr_assert_null(tw_object_call_method(ba, "append", &big, 1));
    assert_raises(&tw_exc_ValueError, "byte must be in range(0, 256)");
    tw_decref(ba);
    tw_decref(k);
    tw_decref(v);
    tw_decref(d);
    tw_decref(big);
}

#define APPEND_THREADS 4
#define APPENDS        5000

static void append_bytes(int index, void *arg)
{
    TwObject *b = num(index);
    for (int i = 0; i < APPENDS; i++)
        tw_decref(tw_object_call_method(arg, "append", &b, 1));
    tw_decref(b);
}

Test(builtins, bytearray_appends_from_many_threads_are_all_kept)
{
    TwObject *ba = call0("bytearray");
    tw_test_run_threads(APPEND_THREADS, append_bytes, ba);
    cr_assert_eq(tw_object_len(ba), APPEND_THREADS * APPENDS);
    tw_decref(ba);
}

/* ---- importing source files from several threads ------------------------------------- */

static TwObject *counter_module;

static TwObject *create_counter(void)
{
    return tw_newref(counter_module);
}

static TwObject *imported_src[8];

static void import_slow_module(int index, void *arg)
{
    imported_src[index] = tw_import_module_cstr("tw_slow_mod");
}

Test(builtins, a_source_module_imported_by_many_threads_runs_once)
{
    char dir[] = "/tmp/tw_import_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof(path), "%s/tw_slow_mod.py", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("import time, tw_counter\ntw_counter.hits.append(1)\ntime.sleep(0.05)\nVALUE = 42\n", f);
    fclose(f);

    counter_module = tw_module_new_cstr("tw_counter");
    TwObject *hits = tw_list_new(0);
    cr_assert_eq(tw_module_add_object(counter_module, "hits", hits), 0);
    cr_assert_eq(tw_module_register_builtin("tw_counter", create_counter), 0);
    TwObject *syspath = tw_sys_get_path(), *d = text(dir);
    cr_assert_eq(tw_list_insert(syspath, 0, d), 0);

    tw_test_run_threads(8, import_slow_module, NULL);
    cr_assert_eq(tw_list_size(hits), 1, "the module ran %zd times", (size_t)tw_list_size(hits));
    for (int i = 0; i < 8; i++) {
        cr_assert_not_null(imported_src[i]);
        cr_assert_eq(imported_src[i], imported_src[0]);
    }
    assert_repr(tw_object_getattr_cstr(imported_src[0], "VALUE"), "42");
    for (int i = 0; i < 8; i++)
        tw_decref(imported_src[i]);
    unlink(path);
    rmdir(dir);
    tw_decref(d);
    tw_decref(syspath);
    tw_decref(hits);
    tw_decref(counter_module);
}
