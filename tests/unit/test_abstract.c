/* The object protocol of abstract.h on built-in objects: CPython's error
 * messages for unsupported operations, sequence concatenation and
 * repetition, indexing and extended slices, `in`, iteration (with the
 * "changed size" errors of dicts and sets), calls with keyword arguments,
 * isinstance/issubclass, format(), argument parsing, and the Python
 * methods of list, tuple, dict (with its views) and set/frozenset.
 * Expected strings are what python3 prints for the same code. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

#include "support.h"
#include <twinpy/abstract.h>
#include <twinpy/module.h>
#include <twinpy/slice.h>

TestSuite(abstract, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers --------------------------------------------------------------------- */

static TwObject *num(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

static TwObject *str(const char *s)
{
    TwObject *o = tw_str_from_cstr(s);
    cr_assert_not_null(o);
    return o;
}

static void assert_error(TwType *type, const char *msg)
{
    TwType *t = tw_err_occurred();
    cr_assert_not_null(t, "expected %s(%s), no exception set", type->tp_name, msg);
    TwObject *exc = tw_err_fetch();
    cr_assert(tw_type_is_subtype(t, type), "expected %s, got %s", type->tp_name, t->tp_name);
    TwObject *s = tw_object_str(exc);
    cr_assert_str_eq(tw_str_utf8(s), msg);
    tw_decref(s);
    tw_decref(exc);
}

/* repr(o) == expected; consumes o. */
static void check_repr(TwObject *o, const char *expected)
{
    cr_assert_not_null(o, "expected %s, got an error", expected);
    TwObject *s = tw_object_repr(o);
    cr_assert_not_null(s);
    cr_assert_str_eq(tw_str_utf8(s), expected);
    tw_decref(s);
    tw_decref(o);
}

/* A list of the given ints. */
static TwObject *ints(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < n; i++) {
        TwObject *v = num(va_arg(ap, int));
        tw_list_append(l, v);
        tw_decref(v);
    }
    va_end(ap);
    return l;
}

static TwObject *call_method(TwObject *obj, const char *name, int nargs, ...)
{
    TwObject *args[8];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++)
        args[i] = va_arg(ap, TwObject *);
    va_end(ap);
    return tw_object_call_method(obj, name, args, (size_t)nargs);
}

/* obj.name(*args, **{kw: kwval}) with one keyword argument. */
static TwObject *call_kw(TwObject *obj, const char *name, const char *kw, TwObject *kwval)
{
    TwObject *m = tw_object_getattr_cstr(obj, name);
    cr_assert_not_null(m);
    TwObject *kwnames = tw_tuple_pack(1, tw_str_intern_cstr(kw));
    TwObject *r = tw_object_vectorcall(m, &kwval, 0, kwnames);
    tw_decref(kwnames);
    tw_decref(m);
    return r;
}

static TwObject *slice(TwObject *start, TwObject *stop, TwObject *step)
{
    TwObject *s = tw_slice_new(start, stop, step);
    cr_assert_not_null(s);
    return s;
}

/* ---- operator errors ------------------------------------------------------------------ */

Test(abstract, unsupported_operands_name_both_types)
{
    TwObject *one = num(1), *s = str("a"), *l = ints(1, 1), *t = tw_tuple_pack(1, one);
    cr_assert_null(tw_number_subtract(one, s));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for -: 'int' and 'str'");
    cr_assert_null(tw_number_add(l, t));
    assert_error(&tw_exc_TypeError, "can only concatenate list (not \"tuple\") to list");
    cr_assert_null(tw_number_add(t, l));
    assert_error(&tw_exc_TypeError, "can only concatenate tuple (not \"list\") to tuple");
    TwObject *d = tw_dict_new();
    cr_assert_null(tw_number_multiply(l, d));
    assert_error(&tw_exc_TypeError, "can't multiply sequence by non-int of type 'dict'");
    cr_assert_null(tw_number_multiply(d, t));
    assert_error(&tw_exc_TypeError, "can't multiply sequence by non-int of type 'dict'");
    tw_decref(d);
    cr_assert_null(tw_number_negative(s));
    assert_error(&tw_exc_TypeError, "bad operand type for unary -: 'str'");
    cr_assert_null(tw_number_absolute(s));
    assert_error(&tw_exc_TypeError, "bad operand type for abs(): 'str'");
    cr_assert_null(tw_number_power(one, s, NULL));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for ** or pow(): 'int' and 'str'");
    cr_assert_null(tw_number_power(one, s, one));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for ** or pow(): 'int', 'str', 'int'");
    cr_assert_null(tw_number_divmod(one, s));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for divmod(): 'int' and 'str'");
    cr_assert_null(tw_number_binop(1 /* TW_OP_SUB */, l, one, 1));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for -=: 'list' and 'int'");
    cr_assert_null(tw_number_index(s));
    assert_error(&tw_exc_TypeError, "'str' object cannot be interpreted as an integer");
    tw_decref(one);
    tw_decref(s);
    tw_decref(l);
    tw_decref(t);
}

Test(abstract, container_errors)
{
    TwObject *one = num(1);
    cr_assert_eq(tw_object_len(one), -1);
    assert_error(&tw_exc_TypeError, "object of type 'int' has no len()");
    cr_assert_null(tw_object_getitem(one, one));
    assert_error(&tw_exc_TypeError, "'int' object is not subscriptable");
    cr_assert_eq(tw_object_setitem(one, one, one), -1);
    assert_error(&tw_exc_TypeError, "'int' object does not support item assignment");
    cr_assert_eq(tw_object_delitem(one, one), -1);
    assert_error(&tw_exc_TypeError, "'int' object doesn't support item deletion");
    cr_assert_null(tw_object_iter(one));
    assert_error(&tw_exc_TypeError, "'int' object is not iterable");
    cr_assert_null(tw_iter_next(one));
    assert_error(&tw_exc_TypeError, "'int' object is not an iterator");
    cr_assert_eq(tw_sequence_contains(one, one), -1);
    assert_error(&tw_exc_TypeError, "argument of type 'int' is not iterable");
    cr_assert_null(tw_object_call_noargs(one));
    assert_error(&tw_exc_TypeError, "'int' object is not callable");
    cr_assert_null(tw_object_getitem((TwObject *)&tw_int_type, one));
    assert_error(&tw_exc_TypeError, "type 'int' is not subscriptable");
    cr_assert_eq(tw_object_isinstance(one, one), -1);
    assert_error(&tw_exc_TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
    cr_assert_eq(tw_object_issubclass(one, (TwObject *)&tw_int_type), -1);
    assert_error(&tw_exc_TypeError, "issubclass() arg 1 must be a class");
    cr_assert_eq(tw_object_issubclass((TwObject *)&tw_int_type, one), -1);
    assert_error(&tw_exc_TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    tw_decref(one);
}

Test(abstract, isinstance_with_nested_tuples)
{
    TwObject *one = num(1);
    TwObject *inner = tw_tuple_pack(2, (TwObject *)&tw_str_type, (TwObject *)&tw_int_type);
    TwObject *outer = tw_tuple_pack(2, (TwObject *)&tw_list_type, inner);
    cr_assert_eq(tw_object_isinstance(one, outer), 1);
    cr_assert_eq(tw_object_isinstance(TW_TRUE, (TwObject *)&tw_int_type), 1);
    cr_assert_eq(tw_object_issubclass((TwObject *)&tw_bool_type, outer), 1);
    cr_assert_eq(tw_object_issubclass((TwObject *)&tw_float_type, outer), 0);
    tw_decref(outer);
    tw_decref(inner);
    tw_decref(one);
}

/* ---- sequences ---------------------------------------------------------------------------- */

Test(abstract, list_and_tuple_concatenate_and_repeat)
{
    TwObject *a = ints(2, 1, 2), *b = ints(1, 3), *three = num(3);
    check_repr(tw_number_add(a, b), "[1, 2, 3]");
    check_repr(tw_number_multiply(b, three), "[3, 3, 3]");
    check_repr(tw_number_multiply(three, b), "[3, 3, 3]");
    TwObject *r = tw_number_binop(0 /* TW_OP_ADD */, a, b, 1); /* a += b */
    cr_assert_eq(r, a);
    tw_decref(r);
    check_repr(tw_newref(a), "[1, 2, 3]");
    TwObject *t = tw_tuple_pack(2, three, three);
    r = tw_number_binop(0, a, t, 1); /* list += tuple extends */
    tw_decref(r);
    check_repr(tw_newref(a), "[1, 2, 3, 3, 3]");
    check_repr(tw_number_add(t, t), "(3, 3, 3, 3)");
    TwObject *zero = num(0);
    check_repr(tw_number_multiply(t, zero), "()");
    tw_decref(zero);
    tw_decref(t);
    tw_decref(a);
    tw_decref(b);
    tw_decref(three);
}

Test(abstract, list_indexing_and_extended_slices)
{
    TwObject *l = ints(6, 0, 1, 2, 3, 4, 5);
    TwObject *m1 = num(-1), *two = num(2), *seven = num(7), *m2 = num(-2);
    check_repr(tw_object_getitem(l, m1), "5");
    cr_assert_null(tw_object_getitem(l, seven));
    assert_error(&tw_exc_IndexError, "list index out of range");
    TwObject *s = str("x");
    cr_assert_null(tw_object_getitem(l, s));
    assert_error(&tw_exc_TypeError, "list indices must be integers or slices, not str");
    TwObject *sl = slice(NULL, NULL, m1);
    check_repr(tw_object_getitem(l, sl), "[5, 4, 3, 2, 1, 0]");
    tw_decref(sl);
    sl = slice(NULL, NULL, two);
    check_repr(tw_object_getitem(l, sl), "[0, 2, 4]");
    /* l[::2] = [9, 9] is the wrong size. */
    TwObject *two_items = ints(2, 9, 9);
    cr_assert_eq(tw_object_setitem(l, sl, two_items), -1);
    assert_error(&tw_exc_ValueError, "attempt to assign sequence of size 2 to extended slice of size 3");
    TwObject *three_items = ints(3, 7, 8, 9);
    cr_assert_eq(tw_object_setitem(l, sl, three_items), 0);
    check_repr(tw_newref(l), "[7, 1, 8, 3, 9, 5]");
    tw_decref(sl);
    /* l[1:3] = 'ab' (any iterable, any length) */
    TwObject *one = num(1), *three = num(3);
    sl = slice(one, three, NULL);
    TwObject *ab = str("ab");
    cr_assert_eq(tw_object_setitem(l, sl, ab), 0);
    check_repr(tw_newref(l), "[7, 'a', 'b', 3, 9, 5]");
    cr_assert_eq(tw_object_setitem(l, sl, one), -1);
    assert_error(&tw_exc_TypeError, "can only assign an iterable");
    tw_decref(sl);
    /* del l[::-2] */
    sl = slice(NULL, NULL, m2);
    cr_assert_eq(tw_object_delitem(l, sl), 0);
    check_repr(tw_newref(l), "[7, 'b', 9]");
    tw_decref(sl);
    /* l[:] = l */
    sl = slice(NULL, NULL, NULL);
    cr_assert_eq(tw_object_setitem(l, sl, l), 0);
    check_repr(tw_newref(l), "[7, 'b', 9]");
    tw_decref(sl);
    sl = slice(NULL, NULL, tw_int_from_i64(0));
    cr_assert_null(tw_object_getitem(l, sl));
    assert_error(&tw_exc_ValueError, "slice step cannot be zero");
    tw_decref(sl);
    TwObject *objs[] = {l, m1, two, seven, m2, s, two_items, three_items, one, three, ab};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(abstract, tuple_indexing_slicing_and_methods)
{
    TwObject *one = num(1), *two = num(2), *m1 = num(-1), *five = num(5);
    TwObject *t = tw_tuple_pack(4, one, two, one, two);
    check_repr(tw_object_getitem(t, m1), "2");
    cr_assert_null(tw_object_getitem(t, five));
    assert_error(&tw_exc_IndexError, "tuple index out of range");
    TwObject *sl = slice(one, NULL, two);
    check_repr(tw_object_getitem(t, sl), "(2, 2)");
    tw_decref(sl);
    check_repr(call_method(t, "index", 1, two), "1");
    check_repr(call_method(t, "count", 1, one), "2");
    cr_assert_null(call_method(t, "index", 1, five));
    assert_error(&tw_exc_ValueError, "tuple.index(x): x not in tuple");
    cr_assert_eq(tw_sequence_contains(t, two), 1);
    cr_assert_eq(tw_sequence_contains(t, five), 0);
    TwObject *l = ints(2, 4, 5);
    check_repr(tw_object_call_one((TwObject *)&tw_tuple_type, l), "(4, 5)");
    tw_decref(l);
    TwObject *objs[] = {one, two, m1, five, t};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

/* ---- list methods -------------------------------------------------------------------------------- */

static TwObject *neg_key(TwObject *self, TwObject *x) { return tw_number_negative(x); }
static const TwMethodDef neg_key_def = {"neg", (void (*)(void))neg_key, TW_METH_O, NULL};

Test(abstract, list_sort_with_key_and_reverse_is_stable)
{
    /* words sorted by length keep their order among equal lengths. */
    TwObject *l = tw_list_new(0);
    const char *words[] = {"ccc", "a", "bb", "dd", "e", "fff"};
    for (int i = 0; i < 6; i++) {
        TwObject *w = str(words[i]);
        tw_list_append(l, w);
        tw_decref(w);
    }
    TwObject *len = tw_object_getattr_cstr((TwObject *)&tw_str_type, "__len__");
    TwObject *r = call_kw(l, "sort", "key", len);
    cr_assert_not_null(r);
    tw_decref(r);
    check_repr(tw_newref(l), "['a', 'e', 'bb', 'dd', 'ccc', 'fff']");
    /* reverse=True keeps equal keys in their original order. */
    r = call_kw(l, "sort", "reverse", TW_TRUE);
    tw_decref(r);
    check_repr(tw_newref(l), "['fff', 'e', 'dd', 'ccc', 'bb', 'a']");
    cr_assert_eq(tw_list_sort_key(l, len, 1), 0);
    check_repr(tw_newref(l), "['fff', 'ccc', 'dd', 'bb', 'e', 'a']");
    tw_decref(len);
    TwObject *n = ints(4, 3, 1, 2, 5);
    TwObject *nk = tw_cfunction_new(&neg_key_def, NULL, NULL);
    r = call_kw(n, "sort", "key", nk);
    tw_decref(r);
    check_repr(tw_newref(n), "[5, 3, 2, 1]");
    tw_decref(nk);
    /* Errors. */
    TwObject *one = num(1);
    cr_assert_null(call_method(n, "sort", 1, one));
    assert_error(&tw_exc_TypeError, "sort() takes no positional arguments");
    cr_assert_null(call_kw(n, "sort", "x", one));
    assert_error(&tw_exc_TypeError, "'x' is an invalid keyword argument for sort()");
    TwObject *mixed = ints(2, 1, 2);
    TwObject *s = str("a");
    tw_list_append(mixed, s);
    cr_assert_null(call_method(mixed, "sort", 0));
    assert_error(&tw_exc_TypeError, "'<' not supported between instances of 'str' and 'int'");
    tw_decref(s);
    tw_decref(mixed);
    tw_decref(one);
    tw_decref(n);
    tw_decref(l);
}

Test(abstract, list_methods_errors_and_results)
{
    TwObject *l = ints(3, 1, 2, 3);
    TwObject *zero = num(0), *nine = num(9), *m1 = num(-1), *one = num(1);
    check_repr(call_method(l, "pop", 0), "3");
    check_repr(call_method(l, "pop", 1, zero), "1");
    TwObject *r = call_method(l, "insert", 2, m1, nine);
    tw_decref(r);
    check_repr(tw_newref(l), "[9, 2]");
    cr_assert_null(call_method(l, "insert", 1, one));
    assert_error(&tw_exc_TypeError, "insert expected 2 arguments, got 1");
    cr_assert_null(call_method(l, "pop", 2, one, one));
    assert_error(&tw_exc_TypeError, "pop expected at most 1 argument, got 2");
    cr_assert_null(call_method(l, "index", 1, one));
    assert_error(&tw_exc_ValueError, "1 is not in list");
    cr_assert_null(call_method(l, "remove", 1, one));
    assert_error(&tw_exc_ValueError, "list.remove(x): x not in list");
    check_repr(call_method(l, "index", 2, nine, zero), "0");
    check_repr(call_method(l, "copy", 0), "[9, 2]");
    r = call_method(l, "reverse", 0);
    tw_decref(r);
    check_repr(tw_newref(l), "[2, 9]");
    r = call_method(l, "extend", 1, l);
    tw_decref(r);
    check_repr(tw_newref(l), "[2, 9, 2, 9]");
    check_repr(call_method(l, "count", 1, nine), "2");
    r = call_method(l, "clear", 0);
    tw_decref(r);
    cr_assert_null(call_method(l, "pop", 0));
    assert_error(&tw_exc_IndexError, "pop from empty list");
    TwObject *objs[] = {l, zero, nine, m1, one};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(abstract, list_iterator_and_reversed)
{
    TwObject *l = ints(3, 1, 2, 3);
    TwObject *it = tw_object_iter(l);
    check_repr(tw_iter_next(it), "1");
    TwObject *four = num(4);
    tw_list_append(l, four); /* lists may grow under an iterator */
    check_repr(tw_iter_next(it), "2");
    check_repr(tw_iter_next(it), "3");
    check_repr(tw_iter_next(it), "4");
    cr_assert_null(tw_iter_next(it));
    cr_assert_null(tw_err_occurred());
    tw_decref(it);
    TwObject *rev = call_method(l, "__reversed__", 0);
    check_repr(tw_sequence_list(rev), "[4, 3, 2, 1]");
    tw_decref(rev);
    tw_decref(four);
    tw_decref(l);
}

/* ---- dict ---------------------------------------------------------------------------------------- */

static TwObject *dict_of(int n, ...)
{
    TwObject *d = tw_dict_new();
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        TwObject *v = num(va_arg(ap, int));
        tw_dict_set_item_cstr(d, k, v);
        tw_decref(v);
    }
    va_end(ap);
    return d;
}

Test(abstract, dict_views_are_live_and_print_like_cpython)
{
    TwObject *d = dict_of(2, "a", 1, "b", 2);
    TwObject *keys = call_method(d, "keys", 0);
    TwObject *values = call_method(d, "values", 0);
    TwObject *items = call_method(d, "items", 0);
    check_repr(tw_newref(keys), "dict_keys(['a', 'b'])");
    check_repr(tw_newref(values), "dict_values([1, 2])");
    check_repr(tw_newref(items), "dict_items([('a', 1), ('b', 2)])");
    TwObject *three = num(3);
    tw_dict_set_item_cstr(d, "c", three);
    cr_assert_eq(tw_object_len(keys), 3);
    check_repr(tw_sequence_list(values), "[1, 2, 3]");
    TwObject *c = str("c");
    cr_assert_eq(tw_sequence_contains(keys, c), 1);
    TwObject *pair = tw_tuple_pack(2, c, three);
    cr_assert_eq(tw_sequence_contains(items, pair), 1);
    tw_decref(pair);
    /* keys() & set and == set */
    TwObject *s = tw_set_new();
    tw_set_add(s, c);
    check_repr(tw_number_and(keys, s), "{'c'}");
    cr_assert_eq(tw_object_richcompare_bool(keys, s, TW_EQ), 0);
    cr_assert_eq(tw_object_richcompare_bool(keys, s, TW_GT), 1);
    tw_decref(s);
    tw_decref(c);
    tw_decref(three);
    tw_decref(keys);
    tw_decref(values);
    tw_decref(items);
    tw_decref(d);
}

Test(abstract, dict_iteration_fails_when_the_size_changes)
{
    TwObject *d = dict_of(2, "a", 1, "b", 2);
    TwObject *it = tw_object_iter(d);
    check_repr(tw_iter_next(it), "'a'");
    TwObject *one = num(1);
    tw_dict_set_item_cstr(d, "z", one);
    cr_assert_null(tw_iter_next(it));
    assert_error(&tw_exc_RuntimeError, "dictionary changed size during iteration");
    tw_decref(it);
    /* Replacing values is allowed. */
    TwObject *items = call_method(d, "items", 0);
    it = tw_object_iter(items);
    check_repr(tw_iter_next(it), "('a', 1)");
    tw_dict_set_item_cstr(d, "b", one);
    check_repr(tw_iter_next(it), "('b', 1)");
    tw_decref(it);
    tw_decref(items);
    tw_decref(one);
    tw_decref(d);
}

Test(abstract, dict_methods)
{
    TwObject *d = dict_of(1, "a", 1);
    TwObject *a = str("a"), *x = str("x"), *five = num(5);
    check_repr(call_method(d, "get", 1, x), "None");
    check_repr(call_method(d, "get", 2, x, five), "5");
    cr_assert_null(call_method(d, "get", 0));
    assert_error(&tw_exc_TypeError, "get expected at least 1 argument, got 0");
    cr_assert_null(call_method(d, "get", 3, a, a, a));
    assert_error(&tw_exc_TypeError, "get expected at most 2 arguments, got 3");
    check_repr(call_method(d, "setdefault", 2, x, five), "5");
    check_repr(call_method(d, "pop", 1, x), "5");
    cr_assert_null(call_method(d, "pop", 1, x));
    assert_error(&tw_exc_KeyError, "'x'");
    cr_assert_null(tw_object_getitem(d, x));
    assert_error(&tw_exc_KeyError, "'x'");
    /* update from pairs and keywords */
    TwObject *pairs = tw_list_new(0);
    TwObject *p = tw_tuple_pack(2, x, five);
    tw_list_append(pairs, p);
    tw_decref(p);
    TwObject *r = call_method(d, "update", 1, pairs);
    tw_decref(r);
    r = call_kw(d, "update", "k", five);
    tw_decref(r);
    check_repr(tw_newref(d), "{'a': 1, 'x': 5, 'k': 5}");
    TwObject *bad = tw_list_new(0);
    tw_list_append(bad, a);
    cr_assert_null(call_method(d, "update", 1, bad));
    assert_error(&tw_exc_ValueError, "dictionary update sequence element #0 has length 1; 2 is required");
    tw_decref(bad);
    check_repr(call_method(d, "popitem", 0), "('k', 5)");
    /* fromkeys is a classmethod */
    TwObject *keys = tw_tuple_pack(2, a, x);
    check_repr(call_method((TwObject *)&tw_dict_type, "fromkeys", 2, keys, five), "{'a': 5, 'x': 5}");
    tw_decref(keys);
    /* dict | dict, dict(**kw) */
    TwObject *d2 = dict_of(1, "z", 0);
    check_repr(tw_number_or(d, d2), "{'a': 1, 'x': 5, 'z': 0}");
    tw_decref(d2);
    TwObject *kwnames = tw_tuple_pack(1, tw_str_intern_cstr("q"));
    check_repr(tw_object_vectorcall((TwObject *)&tw_dict_type, &five, 0, kwnames), "{'q': 5}");
    tw_decref(kwnames);
    TwObject *empty = call_method(d, "copy", 0);
    r = call_method(empty, "clear", 0);
    tw_decref(r);
    cr_assert_null(call_method(empty, "popitem", 0));
    assert_error(&tw_exc_KeyError, "'popitem(): dictionary is empty'");
    tw_decref(empty);
    TwObject *objs[] = {d, a, x, five, pairs};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

/* ---- set and frozenset ---------------------------------------------------------------------------- */

static TwObject *set_of(int n, ...)
{
    TwObject *s = tw_set_new();
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        TwObject *v = num(va_arg(ap, int));
        tw_set_add(s, v);
        tw_decref(v);
    }
    va_end(ap);
    return s;
}

Test(abstract, set_operators_and_methods)
{
    TwObject *a = set_of(3, 1, 2, 3), *b = set_of(3, 3, 4, 5);
    check_repr(tw_number_or(a, b), "{1, 2, 3, 4, 5}");
    check_repr(tw_number_and(a, b), "{3}");
    check_repr(tw_number_subtract(a, b), "{1, 2}");
    check_repr(tw_number_xor(a, b), "{1, 2, 4, 5}");
    TwObject *l = ints(2, 3, 9);
    cr_assert_null(tw_number_or(a, l));
    assert_error(&tw_exc_TypeError, "unsupported operand type(s) for |: 'set' and 'list'");
    cr_assert_eq(tw_object_richcompare_bool(a, l, TW_LT), -1);
    assert_error(&tw_exc_TypeError, "'<' not supported between instances of 'set' and 'list'");
    check_repr(call_method(a, "union", 2, b, l), "{1, 2, 3, 4, 5, 9}");
    check_repr(call_method(a, "intersection", 1, l), "{3}");
    check_repr(call_method(a, "difference", 1, l), "{1, 2}");
    check_repr(call_method(a, "issubset", 1, l), "False");
    check_repr(call_method(a, "isdisjoint", 1, l), "False");
    TwObject *r = tw_number_binop(9 /* TW_OP_BITOR */, a, b, 1);
    cr_assert_eq(r, a);
    tw_decref(r);
    check_repr(tw_newref(a), "{1, 2, 3, 4, 5}");
    r = call_method(a, "difference_update", 1, l);
    tw_decref(r);
    check_repr(tw_newref(a), "{1, 2, 4, 5}");
    TwObject *seven = num(7);
    cr_assert_null(call_method(a, "remove", 1, seven));
    assert_error(&tw_exc_KeyError, "7");
    tw_decref(seven);
    cr_assert_null(call_method(tw_set_new(), "pop", 0));
    assert_error(&tw_exc_KeyError, "'pop from an empty set'");
    tw_decref(l);
    tw_decref(a);
    tw_decref(b);
}

Test(abstract, frozenset_is_hashable_and_mixes_with_set)
{
    TwObject *l = ints(3, 1, 2, 3);
    TwObject *f = tw_object_call_one((TwObject *)&tw_frozenset_type, l);
    cr_assert_not_null(f);
    check_repr(tw_newref(f), "frozenset({1, 2, 3})");
    /* hash(frozenset([1, 2, 3])) in CPython */
    cr_assert_eq(tw_object_hash(f), INT64_C(-272375401224217160));
    TwObject *empty = tw_frozenset_new(NULL);
    cr_assert_eq(tw_object_hash(empty), INT64_C(133146708735736));
    check_repr(tw_newref(empty), "frozenset()");
    TwObject *s = set_of(3, 3, 2, 1);
    cr_assert_eq(tw_object_richcompare_bool(s, f, TW_EQ), 1);
    cr_assert_eq(tw_object_richcompare_bool(f, s, TW_EQ), 1);
    check_repr(tw_number_or(f, s), "frozenset({1, 2, 3})");
    check_repr(tw_number_and(s, f), "{1, 2, 3}");
    /* A set containing a frozenset; `set in set` looks it up as a frozenset. */
    TwObject *outer = tw_set_new();
    cr_assert_eq(tw_set_add(outer, f), 0);
    cr_assert_eq(tw_sequence_contains(outer, s), 1);
    cr_assert_eq(tw_object_hash(s), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'set'");
    cr_assert_null(tw_object_getattr_cstr(f, "add"));
    assert_error(&tw_exc_AttributeError, "'frozenset' object has no attribute 'add'");
    tw_decref(outer);
    tw_decref(s);
    tw_decref(empty);
    tw_decref(f);
    tw_decref(l);
}

Test(abstract, set_iteration_fails_when_the_size_changes)
{
    TwObject *s = set_of(2, 1, 2);
    TwObject *it = tw_object_iter(s);
    check_repr(tw_iter_next(it), "1");
    TwObject *nine = num(9);
    tw_set_add(s, nine);
    cr_assert_null(tw_iter_next(it));
    assert_error(&tw_exc_RuntimeError, "Set changed size during iteration");
    tw_decref(nine);
    tw_decref(it);
    tw_decref(s);
}

/* ---- calls, format, arguments --------------------------------------------------------------------- */

Test(abstract, call_with_a_kwargs_dict)
{
    TwObject *kw = dict_of(1, "b", 2);
    TwObject *args = tw_tuple_pack(0);
    TwObject *d = tw_object_call((TwObject *)&tw_dict_type, args, kw);
    check_repr(d, "{'b': 2}");
    TwObject *one = num(1);
    tw_decref(args);
    args = tw_tuple_pack(1, one);
    cr_assert_null(tw_object_call((TwObject *)&tw_list_type, args, kw));
    assert_error(&tw_exc_TypeError, "list() takes no keyword arguments");
    tw_decref(args);
    tw_decref(one);
    tw_decref(kw);
}

Test(abstract, format_uses_dunder_format)
{
    TwObject *s = str("abc");
    TwObject *r = tw_object_format(s, NULL);
    cr_assert_eq(r, s);
    tw_decref(r);
    TwObject *obj = tw_object_call_noargs((TwObject *)&tw_object_type);
    TwObject *spec = str("x");
    cr_assert_null(tw_object_format(obj, spec));
    assert_error(&tw_exc_TypeError, "unsupported format string passed to object.__format__");
    tw_decref(spec);
    tw_decref(obj);
    tw_decref(s);
}

Test(abstract, argument_parser_messages)
{
    static const char *const names[] = {"", "key", "reverse", NULL};
    static const TwArgSpec spec = {"f", names, 1, 1, 2};
    TwObject *out[3];
    TwObject *one = num(1);
    TwObject *args[4] = {one, one, one, one};
    cr_assert_eq(tw_arg_parse(&spec, args, 1, NULL, out), 0);
    cr_assert_eq(out[0], one);
    cr_assert_null(out[1]);
    cr_assert_eq(tw_arg_parse(&spec, args, 3, NULL, out), -1);
    assert_error(&tw_exc_TypeError, "f() takes at most 2 positional arguments (3 given)");
    cr_assert_eq(tw_arg_parse(&spec, args, 0, NULL, out), -1);
    assert_error(&tw_exc_TypeError, "f() missing required argument '' (pos 1)");
    TwObject *kw = tw_tuple_pack(1, tw_str_intern_cstr("key"));
    cr_assert_eq(tw_arg_parse(&spec, args, 2, kw, out), -1);
    assert_error(&tw_exc_TypeError, "argument for f() given by name ('key') and position (2)");
    cr_assert_eq(tw_arg_parse(&spec, args, 1, kw, out), 0);
    cr_assert_eq(out[1], one);
    tw_decref(kw);
    tw_decref(one);
}

Test(abstract, repr_guard_marks_objects_per_thread)
{
    TwObject *l = tw_list_new(0);
    cr_assert_eq(tw_repr_enter(l), 0);
    cr_assert_eq(tw_repr_enter(l), 1);
    tw_repr_leave(l);
    cr_assert_eq(tw_repr_enter(l), 0);
    tw_repr_leave(l);
    tw_decref(l);
}

Test(abstract, notimplemented_and_ellipsis_singletons)
{
    check_repr(tw_newref(TW_NOTIMPLEMENTED), "NotImplemented");
    check_repr(tw_newref(TW_ELLIPSIS), "Ellipsis");
    check_repr(tw_object_call_noargs((TwObject *)&tw_ellipsis_type), "Ellipsis");
    cr_assert(tw_is_immortal(TW_NOTIMPLEMENTED));
}

Test(abstract, operations_do_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *l = ints(3, 1, 2, 3);
    TwObject *sl = slice(NULL, NULL, tw_int_from_i64(-1));
    TwObject *r = tw_object_getitem(l, sl);
    tw_decref(r);
    cr_assert_eq(tw_object_delitem(l, sl), 0);
    tw_decref(sl);
    TwObject *d = dict_of(2, "a", 1, "b", 2);
    TwObject *items = call_method(d, "items", 0);
    TwObject *lst = tw_sequence_list(items);
    tw_decref(lst);
    tw_decref(items);
    TwObject *s = set_of(3, 1, 2, 3);
    TwObject *f = tw_frozenset_new(s);
    r = tw_number_xor(f, s);
    tw_decref(r);
    tw_decref(f);
    tw_decref(s);
    tw_decref(d);
    tw_decref(l);
    tw_test_assert_no_leak(base);
}
