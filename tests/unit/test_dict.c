/* dict: every operation of dict.h, insertion order, error messages (as
 * python3 prints them), the references it holds, iteration, and lookups
 * whose key comparisons change the dict. */
#include <criterion/criterion.h>

#include "support.h"

TestSuite(dict, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers ---------------------------------------------------------------- */

static TwObject *int_obj(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

static int64_t int_value(TwObject *o)
{
    cr_assert_not_null(o);
    int64_t v = tw_int_as_i64(o);
    cr_assert_null(tw_err_occurred());
    return v;
}

static void set_ints(TwObject *d, int64_t k, int64_t v)
{
    TwObject *key = int_obj(k), *value = int_obj(v);
    cr_assert_eq(tw_dict_set_item(d, key, value), 0);
    tw_decref(key);
    tw_decref(value);
}

/* d[k] as an int; the key must be present. */
static int64_t get_int(TwObject *d, int64_t k)
{
    TwObject *key = int_obj(k), *value;
    cr_assert_eq(tw_dict_get_item_ref(d, key, &value), 1, "key %lld missing", (long long)k);
    int64_t v = int_value(value);
    tw_decref(value);
    tw_decref(key);
    return v;
}

static int has_int(TwObject *d, int64_t k)
{
    TwObject *key = int_obj(k);
    int r = tw_dict_contains(d, key);
    tw_decref(key);
    return r;
}

/* The keys, in iteration order, are exactly these ints. */
static void assert_keys(TwObject *d, int n, const int64_t *expected)
{
    TwObject *keys = tw_dict_keys(d);
    cr_assert_not_null(keys);
    cr_assert_eq(tw_list_size(keys), n, "%ld keys, expected %d", (long)tw_list_size(keys), n);
    for (int i = 0; i < n; i++) {
        TwObject *k = tw_list_get_item(keys, i);
        cr_assert_eq(int_value(k), expected[i], "key %d is %lld, expected %lld", i,
                     (long long)int_value(k), (long long)expected[i]);
        tw_decref(k);
    }
    tw_decref(keys);
}
#define ASSERT_KEYS(d, ...)                                                                        \
    assert_keys((d), sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t), (int64_t[]){__VA_ARGS__})

static void assert_error(TwType *type, const char *msg)
{
    cr_assert_eq(tw_err_occurred(), type, "expected %s, got %s", type->tp_name,
                 tw_err_occurred() ? tw_err_occurred()->tp_name : "no exception");
    TwObject *e = tw_err_fetch();
    TwObject *s = tw_exception_str(e);
    cr_assert_str_eq(tw_str_utf8(s), msg);
    tw_decref(s);
    tw_decref(e);
}

static void assert_repr(TwObject *o, const char *expected)
{
    TwObject *r = tw_object_repr(o);
    cr_assert_not_null(r);
    cr_assert_str_eq(tw_str_utf8(r), expected);
    tw_decref(r);
}

static int compare(TwObject *a, TwObject *b, int op)
{
    TwObject *r = tw_object_richcompare(a, b, op);
    cr_assert_not_null(r);
    int t = tw_object_is_true(r);
    tw_decref(r);
    return t;
}

/* ---- store and look up ------------------------------------------------------------- */

Test(dict, new_dict_is_empty)
{
    TwObject *d = tw_dict_new();
    cr_assert_eq(tw_dict_size(d), 0);
    cr_assert(tw_dict_check(d));
    cr_assert_str_eq(TW_TYPE(d)->tp_name, "dict");
    cr_assert_eq(has_int(d, 1), 0);
    tw_decref(d);
}

Test(dict, set_then_get_returns_the_value)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 100);
    set_ints(d, 2, 200);
    cr_assert_eq(tw_dict_size(d), 2);
    cr_assert_eq(get_int(d, 1), 100);
    cr_assert_eq(get_int(d, 2), 200);
    tw_decref(d);
}

Test(dict, get_of_a_missing_key_returns_zero_without_an_exception)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 1);
    TwObject *key = int_obj(2), *value = TW_NONE;
    cr_assert_eq(tw_dict_get_item_ref(d, key, &value), 0);
    cr_assert_null(value);
    cr_assert_null(tw_err_occurred());
    tw_decref(key);
    tw_decref(d);
}

Test(dict, setting_an_existing_key_replaces_its_value)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 100);
    set_ints(d, 2, 200);
    set_ints(d, 1, 111);
    cr_assert_eq(tw_dict_size(d), 2);
    cr_assert_eq(get_int(d, 1), 111);
    ASSERT_KEYS(d, 1, 2); /* the key keeps its place */
    tw_decref(d);
}

Test(dict, equal_keys_of_different_types_are_one_key)
{
    /* d = {}; d[1] = 'a'; d[1.0] = 'b' -> {1: 'b'} */
    TwObject *d = tw_dict_new();
    TwObject *one = int_obj(1), *one_f = tw_float_from_double(1.0);
    TwObject *a = tw_str_from_cstr("a"), *b = tw_str_from_cstr("b");
    tw_dict_set_item(d, one, a);
    tw_dict_set_item(d, one_f, b);
    cr_assert_eq(tw_dict_size(d), 1);
    assert_repr(d, "{1: 'b'}");
    tw_decref(one);
    tw_decref(one_f);
    tw_decref(a);
    tw_decref(b);
    tw_decref(d);
}

Test(dict, str_keys_compare_by_value)
{
    TwObject *d = tw_dict_new();
    TwObject *v = int_obj(5);
    cr_assert_eq(tw_dict_set_item_cstr(d, "spam", v), 0);
    TwObject *k = tw_str_from_cstr("spam"), *got;
    cr_assert_eq(tw_dict_get_item_ref(d, k, &got), 1);
    cr_assert_eq(got, v);
    tw_decref(got);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "spam", &got), 1);
    cr_assert_eq(got, v);
    tw_decref(got);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "eggs", &got), 0);
    cr_assert_null(got);
    tw_decref(k);
    tw_decref(v);
    tw_decref(d);
}

Test(dict, unhashable_key_raises_type_error)
{
    TwObject *d = tw_dict_new();
    TwObject *l = tw_list_new(0), *got;
    cr_assert_eq(tw_dict_set_item(d, l, TW_NONE), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_dict_get_item_ref(d, l, &got), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_dict_contains(d, l), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_dict_size(d), 0);
    tw_decref(l);
    tw_decref(d);
}

Test(dict, stores_hold_one_reference_to_key_and_value)
{
    TwObject *k = int_obj(1000001), *v = int_obj(2000002);
    intptr_t kb = tw_refcount(k), vb = tw_refcount(v);
    TwObject *d = tw_dict_new();
    tw_dict_set_item(d, k, v);
    cr_assert_eq(tw_refcount(k), kb + 1);
    cr_assert_eq(tw_refcount(v), vb + 1);
    tw_dict_set_item(d, k, v); /* same key again: no extra reference */
    cr_assert_eq(tw_refcount(k), kb + 1);
    cr_assert_eq(tw_refcount(v), vb + 1);
    tw_decref(d);
    cr_assert_eq(tw_refcount(k), kb);
    cr_assert_eq(tw_refcount(v), vb);
    tw_decref(k);
    tw_decref(v);
}

Test(dict, replacing_a_value_releases_the_old_one)
{
    TwObject *k = int_obj(1), *v1 = int_obj(3000001), *v2 = int_obj(3000002);
    TwObject *d = tw_dict_new();
    tw_dict_set_item(d, k, v1);
    intptr_t before = tw_refcount(v1);
    tw_dict_set_item(d, k, v2);
    cr_assert_eq(tw_refcount(v1), before - 1);
    tw_decref(d);
    tw_decref(k);
    tw_decref(v1);
    tw_decref(v2);
}

Test(dict, get_returns_a_new_reference)
{
    TwObject *k = int_obj(1), *v = int_obj(4000001), *got;
    TwObject *d = tw_dict_new();
    tw_dict_set_item(d, k, v);
    intptr_t before = tw_refcount(v);
    cr_assert_eq(tw_dict_get_item_ref(d, k, &got), 1);
    cr_assert_eq(tw_refcount(v), before + 1);
    tw_decref(got);
    tw_decref(d);
    tw_decref(k);
    tw_decref(v);
}

Test(dict, many_keys_grow_the_table_and_stay_reachable)
{
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 20000; i++)
        set_ints(d, i * 7919, i);
    cr_assert_eq(tw_dict_size(d), 20000);
    for (int64_t i = 0; i < 20000; i++)
        cr_assert_eq(get_int(d, i * 7919), i);
    cr_assert_eq(has_int(d, 3), 0);
    tw_decref(d);
}

Test(dict, freeing_a_dict_frees_its_keys_and_values)
{
    int64_t base = tw_test_live();
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 500; i++)
        set_ints(d, 1000000 + i, 2000000 + i);
    for (int64_t i = 0; i < 500; i += 2) {
        TwObject *k = int_obj(1000000 + i);
        tw_dict_del_item(d, k);
        tw_decref(k);
    }
    tw_decref(d);
    tw_test_assert_no_leak(base);
}

/* ---- delete, pop, setdefault, popitem ------------------------------------------------- */

Test(dict, del_item_removes_the_key)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 10);
    set_ints(d, 2, 20);
    TwObject *k = int_obj(1);
    cr_assert_eq(tw_dict_del_item(d, k), 0);
    cr_assert_eq(tw_dict_size(d), 1);
    cr_assert_eq(has_int(d, 1), 0);
    cr_assert_eq(get_int(d, 2), 20);
    tw_decref(k);
    tw_decref(d);
}

Test(dict, del_of_a_missing_key_raises_key_error_with_the_key)
{
    /* del {}['missing'] -> KeyError: 'missing' */
    TwObject *d = tw_dict_new();
    TwObject *k = tw_str_from_cstr("missing");
    cr_assert_eq(tw_dict_del_item(d, k), -1);
    cr_assert_eq(tw_err_occurred(), &tw_exc_KeyError);
    TwObject *e = tw_err_fetch();
    TwObject *args = ((TwBaseException *)e)->args;
    cr_assert_eq(tw_tuple_size(args), 1);
    cr_assert_eq(tw_tuple_get_item_borrowed(args, 0), k);
    tw_err_restore(e);
    assert_error(&tw_exc_KeyError, "'missing'");
    tw_decref(k);
    tw_decref(d);
}

Test(dict, deletion_releases_key_and_value)
{
    TwObject *k = int_obj(5000001), *v = int_obj(5000002);
    TwObject *d = tw_dict_new();
    tw_dict_set_item(d, k, v);
    intptr_t kb = tw_refcount(k), vb = tw_refcount(v);
    tw_dict_del_item(d, k);
    cr_assert_eq(tw_refcount(k), kb - 1);
    cr_assert_eq(tw_refcount(v), vb - 1);
    tw_decref(d);
    tw_decref(k);
    tw_decref(v);
}

Test(dict, deleted_then_reinserted_key_moves_to_the_end)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 0);
    set_ints(d, 2, 0);
    set_ints(d, 3, 0);
    TwObject *k = int_obj(1);
    tw_dict_del_item(d, k);
    tw_decref(k);
    set_ints(d, 1, 0);
    ASSERT_KEYS(d, 2, 3, 1);
    tw_decref(d);
}

Test(dict, insertion_order_survives_deletions_and_growth)
{
    /* Insert 0..99, delete the multiples of 3, insert 200..209: keys in that order. */
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 100; i++)
        set_ints(d, i, i);
    for (int64_t i = 0; i < 100; i += 3) {
        TwObject *k = int_obj(i);
        cr_assert_eq(tw_dict_del_item(d, k), 0);
        tw_decref(k);
    }
    for (int64_t i = 200; i < 210; i++)
        set_ints(d, i, i);
    TwObject *keys = tw_dict_keys(d);
    intptr_t n = tw_list_size(keys), at = 0;
    cr_assert_eq(n, 66 + 10);
    for (int64_t i = 0; i < 100; i++) {
        if (i % 3 == 0)
            continue;
        TwObject *k = tw_list_get_item(keys, at++);
        cr_assert_eq(int_value(k), i);
        tw_decref(k);
    }
    for (int64_t i = 200; i < 210; i++) {
        TwObject *k = tw_list_get_item(keys, at++);
        cr_assert_eq(int_value(k), i);
        tw_decref(k);
    }
    tw_decref(keys);
    tw_decref(d);
}

Test(dict, pop_returns_the_value_and_removes_the_key)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 10);
    TwObject *k = int_obj(1);
    TwObject *v = tw_dict_pop(d, k, NULL);
    cr_assert_eq(int_value(v), 10);
    cr_assert_eq(tw_dict_size(d), 0);
    tw_decref(v);
    tw_decref(k);
    tw_decref(d);
}

Test(dict, pop_of_a_missing_key_returns_the_default_or_raises)
{
    TwObject *d = tw_dict_new();
    TwObject *k = int_obj(7), *dflt = int_obj(-1);
    TwObject *v = tw_dict_pop(d, k, dflt);
    cr_assert_eq(v, dflt);
    tw_decref(v);
    cr_assert_null(tw_dict_pop(d, k, NULL));
    assert_error(&tw_exc_KeyError, "7");
    tw_decref(k);
    tw_decref(dflt);
    tw_decref(d);
}

Test(dict, setdefault_inserts_only_when_absent)
{
    TwObject *d = tw_dict_new();
    TwObject *k = int_obj(1), *a = int_obj(10), *b = int_obj(20), *got;
    cr_assert_eq(tw_dict_set_default_ref(d, k, a, &got), 1);
    cr_assert_eq(got, a);
    tw_decref(got);
    cr_assert_eq(tw_dict_set_default_ref(d, k, b, &got), 0);
    cr_assert_eq(got, a);
    tw_decref(got);
    cr_assert_eq(tw_dict_size(d), 1);
    cr_assert_eq(get_int(d, 1), 10);
    tw_decref(k);
    tw_decref(a);
    tw_decref(b);
    tw_decref(d);
}

Test(dict, popitem_removes_the_last_inserted_pair)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 10);
    set_ints(d, 2, 20);
    set_ints(d, 3, 30);
    for (int64_t expect = 3; expect >= 1; expect--) {
        TwObject *t = tw_dict_popitem(d);
        cr_assert_not_null(t);
        cr_assert_eq(tw_tuple_size(t), 2);
        cr_assert_eq(int_value(tw_tuple_get_item_borrowed(t, 0)), expect);
        cr_assert_eq(int_value(tw_tuple_get_item_borrowed(t, 1)), expect * 10);
        tw_decref(t);
    }
    cr_assert_null(tw_dict_popitem(d));
    assert_error(&tw_exc_KeyError, "'popitem(): dictionary is empty'");
    tw_decref(d);
}

Test(dict, popitem_then_insert_keeps_order_and_lookups)
{
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 5; i++)
        set_ints(d, i, i);
    for (int r = 0; r < 50; r++) {
        TwObject *t = tw_dict_popitem(d);
        tw_decref(t);
        set_ints(d, 100 + r, r);
    }
    ASSERT_KEYS(d, 0, 1, 2, 3, 149);
    for (int64_t i = 0; i < 4; i++)
        cr_assert_eq(get_int(d, i), i);
    cr_assert_eq(get_int(d, 149), 49);
    tw_decref(d);
}

/* ---- whole-dict operations ------------------------------------------------------------ */

Test(dict, clear_empties_and_releases)
{
    TwObject *v = int_obj(6000001);
    TwObject *d = tw_dict_new();
    tw_dict_set_item_cstr(d, "a", v);
    tw_dict_set_item_cstr(d, "b", v);
    intptr_t before = tw_refcount(v);
    tw_dict_clear(d);
    cr_assert_eq(tw_dict_size(d), 0);
    cr_assert_eq(tw_refcount(v), before - 2);
    set_ints(d, 1, 1); /* usable again */
    cr_assert_eq(get_int(d, 1), 1);
    tw_decref(d);
    tw_decref(v);
}

Test(dict, copy_is_equal_and_independent)
{
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 30; i++)
        set_ints(d, i, i * i);
    TwObject *k = int_obj(4);
    tw_dict_del_item(d, k);
    TwObject *c = tw_dict_copy(d);
    cr_assert_eq(tw_dict_size(c), 29);
    cr_assert(compare(c, d, TW_EQ));
    tw_dict_clear(d);
    cr_assert_eq(tw_dict_size(c), 29);
    cr_assert_eq(get_int(c, 29), 29 * 29);
    set_ints(c, 500, 1);
    cr_assert_eq(tw_dict_size(c), 30);
    tw_decref(k);
    tw_decref(c);
    tw_decref(d);
}

Test(dict, update_overwrites_and_appends_in_order)
{
    /* d = {1: 1, 2: 2}; d.update({2: 20, 3: 30}) -> {1: 1, 2: 20, 3: 30} */
    TwObject *d = tw_dict_new(), *o = tw_dict_new();
    set_ints(d, 1, 1);
    set_ints(d, 2, 2);
    set_ints(o, 2, 20);
    set_ints(o, 3, 30);
    cr_assert_eq(tw_dict_update(d, o), 0);
    assert_repr(d, "{1: 1, 2: 20, 3: 30}");
    assert_repr(o, "{2: 20, 3: 30}");
    cr_assert_eq(tw_dict_update(d, d), 0);
    cr_assert_eq(tw_dict_size(d), 3);
    tw_decref(o);
    tw_decref(d);
}

Test(dict, update_with_a_non_dict_raises_type_error)
{
    TwObject *d = tw_dict_new();
    TwObject *x = int_obj(1);
    cr_assert_eq(tw_dict_update(d, x), -1);
    assert_error(&tw_exc_TypeError, "'int' object is not iterable");
    tw_decref(x);
    tw_decref(d);
}

Test(dict, update_does_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *d = tw_dict_new(), *o = tw_dict_new();
    for (int64_t i = 0; i < 50; i++) {
        set_ints(d, 1000000 + i, 1000000 + i);
        set_ints(o, 1000025 + i, 2000000 + i);
    }
    tw_dict_update(d, o);
    cr_assert_eq(tw_dict_size(d), 75);
    tw_decref(o);
    tw_decref(d);
    tw_test_assert_no_leak(base);
}

Test(dict, keys_values_items_are_snapshots_in_insertion_order)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 3, 30);
    set_ints(d, 1, 10);
    set_ints(d, 2, 20);
    TwObject *keys = tw_dict_keys(d), *values = tw_dict_values(d), *items = tw_dict_items(d);
    assert_repr(keys, "[3, 1, 2]");
    assert_repr(values, "[30, 10, 20]");
    assert_repr(items, "[(3, 30), (1, 10), (2, 20)]");
    tw_dict_clear(d);
    cr_assert_eq(tw_list_size(keys), 3);
    tw_decref(keys);
    tw_decref(values);
    tw_decref(items);
    tw_decref(d);
}

/* ---- iteration ---------------------------------------------------------------------------- */

Test(dict, next_ref_walks_every_pair_in_order)
{
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 10; i++)
        set_ints(d, i, -i);
    TwObject *k = int_obj(5);
    tw_dict_del_item(d, k);
    tw_decref(k);
    intptr_t pos = 0;
    TwObject *key, *value;
    int64_t expect = 0, seen = 0;
    while (tw_dict_next_ref(d, &pos, &key, &value) == 1) {
        if (expect == 5)
            expect++;
        cr_assert_eq(int_value(key), expect);
        cr_assert_eq(int_value(value), -expect);
        tw_decref(key);
        tw_decref(value);
        expect++;
        seen++;
    }
    cr_assert_eq(seen, 9);
    cr_assert_null(tw_err_occurred());
    tw_decref(d);
}

Test(dict, next_ref_may_skip_keys_or_values)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 2);
    intptr_t pos = 0;
    TwObject *value;
    cr_assert_eq(tw_dict_next_ref(d, &pos, NULL, &value), 1);
    cr_assert_eq(int_value(value), 2);
    tw_decref(value);
    cr_assert_eq(tw_dict_next_ref(d, &pos, NULL, NULL), 0);
    tw_decref(d);
}

Test(dict, next_ref_on_an_empty_dict_ends_at_once)
{
    TwObject *d = tw_dict_new();
    intptr_t pos = 0;
    TwObject *key, *value;
    cr_assert_eq(tw_dict_next_ref(d, &pos, &key, &value), 0);
    cr_assert_null(key);
    cr_assert_null(value);
    tw_decref(d);
}

Test(dict, next_ref_detects_a_size_change)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 1);
    set_ints(d, 2, 2);
    intptr_t pos = 0;
    TwObject *key;
    cr_assert_eq(tw_dict_next_ref(d, &pos, &key, NULL), 1);
    tw_decref(key);
    set_ints(d, 3, 3);
    cr_assert_eq(tw_dict_next_ref(d, &pos, &key, NULL), -1);
    assert_error(&tw_exc_RuntimeError, "dictionary changed size during iteration");
    tw_decref(d);
}

Test(dict, next_ref_allows_replacing_values)
{
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 1);
    set_ints(d, 2, 2);
    intptr_t pos = 0;
    TwObject *key;
    int n = 0;
    while (tw_dict_next_ref(d, &pos, &key, NULL) == 1) {
        cr_assert_eq(tw_dict_set_item(d, key, TW_NONE), 0);
        tw_decref(key);
        n++;
    }
    cr_assert_eq(n, 2);
    cr_assert_null(tw_err_occurred());
    tw_decref(d);
}

/* ---- comparison, hash, repr ---------------------------------------------------------------- */

Test(dict, equality_ignores_insertion_order)
{
    TwObject *a = tw_dict_new(), *b = tw_dict_new(), *c = tw_dict_new();
    set_ints(a, 1, 10);
    set_ints(a, 2, 20);
    set_ints(b, 2, 20);
    set_ints(b, 1, 10);
    set_ints(c, 1, 10);
    set_ints(c, 2, 21);
    cr_assert(compare(a, b, TW_EQ));
    cr_assert_not(compare(a, b, TW_NE));
    cr_assert_not(compare(a, c, TW_EQ));
    cr_assert(compare(a, c, TW_NE));
    set_ints(b, 3, 30);
    cr_assert_not(compare(a, b, TW_EQ));
    TwObject *x = int_obj(1);
    cr_assert_not(compare(a, x, TW_EQ));
    cr_assert(compare(a, x, TW_NE));
    tw_decref(x);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(dict, ordering_raises_type_error)
{
    TwObject *a = tw_dict_new(), *b = tw_dict_new();
    cr_assert_null(tw_object_richcompare(a, b, TW_LT));
    assert_error(&tw_exc_TypeError, "'<' not supported between instances of 'dict' and 'dict'");
    tw_decref(a);
    tw_decref(b);
}

Test(dict, is_unhashable)
{
    TwObject *d = tw_dict_new();
    cr_assert_eq(tw_object_hash(d), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'dict'");
    tw_decref(d);
}

Test(dict, repr_matches_python)
{
    TwObject *d = tw_dict_new();
    assert_repr(d, "{}");
    TwObject *one = int_obj(1), *l = tw_list_new(0);
    tw_dict_set_item_cstr(d, "a", one);
    tw_list_append(l, one);
    TwObject *two = int_obj(2);
    tw_dict_set_item(d, two, l);
    tw_dict_set_item_cstr(d, "n", TW_NONE);
    assert_repr(d, "{'a': 1, 2: [1], 'n': None}");
    tw_decref(two);
    tw_decref(l);
    tw_decref(one);
    tw_decref(d);
}

Test(dict, repr_of_a_self_containing_dict_prints_an_ellipsis)
{
    /* d = {}; d['self'] = d -> "{'self': {...}}" */
    TwObject *d = tw_dict_new();
    tw_dict_set_item_cstr(d, "self", d);
    assert_repr(d, "{'self': {...}}");
    tw_dict_clear(d);
    tw_decref(d);
}

/* ---- key code that changes the dict ---------------------------------------------------------- */

/* Collider: hashes to a fixed value so keys collide; its == comparison can
 * insert new keys into a target dict (forcing resizes mid-lookup). */
typedef struct {
    TwObject ob_base;
    int id;
    TwObject *target; /* borrowed; NULL: plain comparison */
} Collider;

static int collider_compares;

static tw_hash_t collider_hash(TwObject *op)
{
    return 1234567;
}

static TwObject *collider_richcompare(TwObject *a, TwObject *b, int op)
{
    Collider *ca = (Collider *)a;
    collider_compares++;
    if (ca->target != NULL) {
        TwObject *t = ca->target;
        ca->target = NULL; /* once */
        for (int64_t i = 0; i < 100; i++)
            set_ints(t, 10000 + i, i);
    }
    int same = TW_TYPE(b) == TW_TYPE(a) && ((Collider *)b)->id == ca->id;
    return tw_newref(tw_bool_from_long(op == TW_EQ ? same : !same));
}

static void collider_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static TwType collider_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Collider",
    .tp_basicsize = sizeof(Collider),
    .tp_base = &tw_object_type,
    .tp_dealloc = collider_dealloc,
    .tp_hash = collider_hash,
    .tp_richcompare = collider_richcompare,
};

static TwObject *collider(int id, TwObject *target)
{
    Collider *c = (Collider *)tw_object_new(&collider_type, 0);
    cr_assert_not_null(c);
    c->id = id;
    c->target = target;
    return (TwObject *)c;
}

Test(dict, colliding_keys_are_told_apart_by_equality)
{
    TwObject *d = tw_dict_new();
    TwObject *c[20];
    for (int i = 0; i < 20; i++) {
        c[i] = collider(i, NULL);
        TwObject *v = int_obj(i);
        tw_dict_set_item(d, c[i], v);
        tw_decref(v);
    }
    cr_assert_eq(tw_dict_size(d), 20);
    TwObject *probe = collider(13, NULL), *got;
    cr_assert_eq(tw_dict_get_item_ref(d, probe, &got), 1);
    cr_assert_eq(int_value(got), 13);
    tw_decref(got);
    tw_decref(probe);
    for (int i = 0; i < 20; i++)
        tw_decref(c[i]);
    tw_decref(d);
}

Test(dict, lookup_restarts_when_a_comparison_resizes_the_dict)
{
    TwObject *d = tw_dict_new();
    TwObject *a = collider(1, d); /* its first comparison inserts 100 keys */
    TwObject *b = collider(2, NULL);
    TwObject *va = int_obj(-1), *vb = int_obj(-2);
    tw_dict_set_item(d, a, va);
    tw_dict_set_item(d, b, vb); /* compares a with b: a grows the dict */
    cr_assert_eq(tw_dict_size(d), 102);
    TwObject *got;
    cr_assert_eq(tw_dict_get_item_ref(d, b, &got), 1);
    cr_assert_eq(got, vb);
    tw_decref(got);
    cr_assert_eq(tw_dict_get_item_ref(d, a, &got), 1);
    cr_assert_eq(got, va);
    tw_decref(got);
    cr_assert_eq(get_int(d, 10099), 99);
    tw_decref(a);
    tw_decref(b);
    tw_decref(va);
    tw_decref(vb);
    tw_decref(d);
}

Test(dict, key_comparisons_happen_only_for_equal_hashes)
{
    TwObject *d = tw_dict_new();
    TwObject *a = collider(1, NULL);
    tw_dict_set_item(d, a, TW_NONE);
    for (int64_t i = 0; i < 50; i++)
        set_ints(d, i, i);
    collider_compares = 0;
    for (int64_t i = 0; i < 50; i++)
        cr_assert_eq(get_int(d, i), i);
    cr_assert_eq(collider_compares, 0);
    tw_decref(a);
    tw_decref(d);
}

Test(dict, tables_past_65536_slots_use_wider_indexes)
{
    /* 50000 entries need a 131072-slot table: 32-bit index slots. */
    TwObject *d = tw_dict_new();
    for (int64_t i = 0; i < 50000; i++)
        set_ints(d, i * 13, i);
    for (int64_t i = 0; i < 50000; i += 7)
        cr_assert_eq(get_int(d, i * 13), i);
    TwObject *k = int_obj(49999 * 13);
    cr_assert_eq(tw_dict_del_item(d, k), 0);
    tw_decref(k);
    cr_assert_eq(has_int(d, 49999 * 13), 0);
    cr_assert_eq(tw_dict_size(d), 49999);
    tw_decref(d);
}

Test(dict, popitem_skips_entries_deleted_at_the_end)
{
    /* d = {'x': 1, 'y': 2}; del d['y']; d.popitem() -> ('x', 1) */
    TwObject *d = tw_dict_new();
    set_ints(d, 1, 10);
    set_ints(d, 2, 20);
    TwObject *k = int_obj(2);
    tw_dict_del_item(d, k);
    tw_decref(k);
    TwObject *t = tw_dict_popitem(d);
    assert_repr(t, "(1, 10)");
    cr_assert_eq(tw_dict_size(d), 0);
    tw_decref(t);
    tw_decref(d);
}

Test(dict, dicts_of_equal_size_with_different_keys_are_not_equal)
{
    TwObject *a = tw_dict_new(), *b = tw_dict_new();
    set_ints(a, 1, 1);
    set_ints(b, 2, 1);
    cr_assert_not(compare(a, b, TW_EQ));
    cr_assert(compare(a, b, TW_NE));
    tw_decref(a);
    tw_decref(b);
}

/* Raising: hashes like Collider, but every comparison raises ValueError("boom"). */
static TwObject *raising_richcompare(TwObject *a, TwObject *b, int op)
{
    tw_err_set_string(&tw_exc_ValueError, "boom");
    return NULL;
}

static TwType raising_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Raising",
    .tp_basicsize = sizeof(Collider),
    .tp_base = &tw_object_type,
    .tp_dealloc = collider_dealloc,
    .tp_hash = collider_hash,
    .tp_richcompare = raising_richcompare,
};

Test(dict, comparison_errors_propagate_from_every_lookup)
{
    TwObject *d = tw_dict_new();
    TwObject *r = tw_object_new(&raising_type, 0);
    cr_assert_eq(tw_dict_set_item(d, r, TW_NONE), 0); /* empty: nothing to compare */
    TwObject *c = collider(1, NULL), *got;
    cr_assert_eq(tw_dict_set_item(d, c, TW_NONE), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_dict_get_item_ref(d, c, &got), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_dict_del_item(d, c), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_null(tw_dict_pop(d, c, TW_NONE));
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_dict_set_default_ref(d, c, TW_NONE, &got), -1);
    assert_error(&tw_exc_ValueError, "boom");
    TwObject *o = tw_dict_new();
    tw_dict_set_item(o, c, TW_NONE);
    cr_assert_eq(tw_dict_update(d, o), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_dict_size(d), 1);
    tw_decref(o);
    tw_decref(c);
    tw_decref(r);
    tw_decref(d);
}

Test(dict, repr_of_very_deep_nesting_raises_recursion_error)
{
    TwObject *outer = tw_dict_new();
    TwObject *cur = outer;
    for (int i = 0; i < 2000; i++) {
        TwObject *inner = tw_dict_new();
        tw_dict_set_item_cstr(cur, "d", inner);
        tw_decref(inner);
        cur = inner;
    }
    cr_assert_null(tw_object_repr(outer));
    cr_assert_eq(tw_err_occurred(), &tw_exc_RecursionError);
    tw_err_clear();
    tw_decref(outer);
}
