/* list: every operation of list.h, its error messages (as python3 prints
 * them), the references it holds, and its behaviour when item code
 * (comparisons, destructors) re-enters the list. */
#include <criterion/criterion.h>

#include "core/list.h"
#include "support.h"

TestSuite(list, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers ---------------------------------------------------------------- */

/* l.append(v) for a new int v: tw_list_append's result. */
static int append_int(TwObject *l, int64_t v)
{
    TwObject *o = tw_test_int(v);
    int r = tw_list_append(l, o);
    tw_decref(o);
    return r;
}

/* A new list of the given ints. */
static TwObject *list_of(int n, const int64_t *values)
{
    TwObject *l = tw_list_new(0);
    cr_assert_not_null(l);
    for (int i = 0; i < n; i++)
        cr_assert_eq(append_int(l, values[i]), 0);
    return l;
}
#define LIST_OF(...) list_of(TW_TEST_INTS(__VA_ARGS__))

static int64_t item_value(TwObject *l, intptr_t i)
{
    TwObject *o = tw_list_get_item(l, i);
    int64_t v = tw_test_int_value(o);
    tw_decref(o);
    return v;
}

/* The list holds exactly these ints, in order. */
#define ASSERT_INTS(l, ...) tw_test_assert_ints((l), TW_TEST_INTS(__VA_ARGS__))

/* ---- construction, append, size ----------------------------------------------------- */

Test(list, new_list_is_empty_whatever_its_preallocation)
{
    TwObject *a = tw_list_new(0), *b = tw_list_new(100);
    cr_assert_eq(tw_list_size(a), 0);
    cr_assert_eq(tw_list_size(b), 0);
    cr_assert(tw_list_check(a));
    cr_assert_str_eq(TW_TYPE(a)->tp_name, "list");
    tw_decref(a);
    tw_decref(b);
}

Test(list, append_adds_at_the_end_in_order)
{
    TwObject *l = tw_list_new(0);
    for (int64_t i = 0; i < 1000; i++)
        cr_assert_eq(append_int(l, i * 3), 0);
    cr_assert_eq(tw_list_size(l), 1000);
    for (int64_t i = 0; i < 1000; i++)
        cr_assert_eq(item_value(l, i), i * 3);
    tw_decref(l);
}

Test(list, growth_over_allocates_like_cpython)
{
    /* CPython: appending to [] gives capacities 4, 8, 16, 24, 32, 40, 52, 64, 76. */
    static const intptr_t caps[] = {4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 24};
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 17; i++) {
        cr_assert_eq(tw_list_append(l, TW_NONE), 0);
        cr_assert_eq(tw_list_allocated((TwListObject *)l), caps[i], "after %d appends: %ld", i + 1,
                     (long)tw_list_allocated((TwListObject *)l));
    }
    tw_decref(l);
}

Test(list, stored_items_hold_one_reference_each)
{
    TwObject *x = tw_test_int(1000000);
    intptr_t before = tw_refcount(x);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, x);
    tw_list_append(l, x);
    tw_list_insert(l, 0, x);
    cr_assert_eq(tw_refcount(x), before + 3);
    tw_decref(l);
    cr_assert_eq(tw_refcount(x), before);
    tw_decref(x);
}

Test(list, freeing_a_list_frees_its_items)
{
    int64_t base = tw_test_live();
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 100; i++)
        append_int(l, 1000000 + i);
    tw_decref(l);
    tw_test_assert_no_leak(base);
}

/* ---- indexing ---------------------------------------------------------------------- */

Test(list, get_item_returns_a_new_reference)
{
    TwObject *x = tw_test_int(5000000);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, x);
    intptr_t before = tw_refcount(x);
    TwObject *got = tw_list_get_item(l, 0);
    cr_assert_eq(got, x);
    cr_assert_eq(tw_refcount(x), before + 1);
    tw_decref(got);
    tw_decref(l);
    tw_decref(x);
}

Test(list, negative_indexes_count_from_the_end)
{
    TwObject *l = LIST_OF(10, 20, 30);
    cr_assert_eq(item_value(l, -1), 30);
    cr_assert_eq(item_value(l, -3), 10);
    TwObject *v = tw_test_int(99);
    cr_assert_eq(tw_list_set_item(l, -2, v), 0);
    tw_decref(v);
    ASSERT_INTS(l, 10, 99, 30);
    cr_assert_eq(tw_list_del_item(l, -1), 0);
    ASSERT_INTS(l, 10, 99);
    tw_decref(l);
}

Test(list, get_item_out_of_range_raises_index_error)
{
    TwObject *l = LIST_OF(1, 2);
    cr_assert_null(tw_list_get_item(l, 2));
    tw_test_assert_error(&tw_exc_IndexError, "list index out of range");
    cr_assert_null(tw_list_get_item(l, -3));
    tw_test_assert_error(&tw_exc_IndexError, "list index out of range");
    tw_decref(l);
}

Test(list, set_item_replaces_and_releases_the_old_item)
{
    TwObject *old = tw_test_int(7000001), *new = tw_test_int(7000002);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, old);
    intptr_t old_before = tw_refcount(old), new_before = tw_refcount(new);
    cr_assert_eq(tw_list_set_item(l, 0, new), 0);
    cr_assert_eq(tw_refcount(old), old_before - 1);
    cr_assert_eq(tw_refcount(new), new_before + 1);
    tw_decref(l);
    tw_decref(old);
    tw_decref(new);
}

Test(list, set_item_out_of_range_raises_index_error)
{
    TwObject *l = LIST_OF(1);
    cr_assert_eq(tw_list_set_item(l, 1, TW_NONE), -1);
    tw_test_assert_error(&tw_exc_IndexError, "list assignment index out of range");
    ASSERT_INTS(l, 1);
    tw_decref(l);
}

Test(list, del_item_removes_and_shifts)
{
    TwObject *l = LIST_OF(1, 2, 3, 4);
    cr_assert_eq(tw_list_del_item(l, 1), 0);
    ASSERT_INTS(l, 1, 3, 4);
    cr_assert_eq(tw_list_del_item(l, 5), -1);
    tw_test_assert_error(&tw_exc_IndexError, "list assignment index out of range");
    tw_decref(l);
}

/* ---- insert, extend ------------------------------------------------------------------ */

Test(list, insert_clamps_the_index_like_python)
{
    /* l = [1, 2]; l.insert(-100, 0); l.insert(100, 9); l.insert(-1, 5) -> [0, 1, 2, 5, 9] */
    TwObject *l = LIST_OF(1, 2);
    TwObject *zero = tw_test_int(0), *nine = tw_test_int(9), *five = tw_test_int(5);
    cr_assert_eq(tw_list_insert(l, -100, zero), 0);
    cr_assert_eq(tw_list_insert(l, 100, nine), 0);
    cr_assert_eq(tw_list_insert(l, -1, five), 0);
    ASSERT_INTS(l, 0, 1, 2, 5, 9);
    tw_decref(zero);
    tw_decref(nine);
    tw_decref(five);
    tw_decref(l);
}

Test(list, extend_appends_a_list_a_tuple_a_set_and_dict_keys)
{
    TwObject *l = LIST_OF(1);
    TwObject *src = LIST_OF(2, 3);
    cr_assert_eq(tw_list_extend(l, src), 0);
    TwObject *four = tw_test_int(4), *five = tw_test_int(5);
    TwObject *t = tw_tuple_pack(2, four, five);
    cr_assert_eq(tw_list_extend(l, t), 0);
    TwObject *s = tw_set_new();
    TwObject *six = tw_test_int(6);
    tw_set_add(s, six);
    cr_assert_eq(tw_list_extend(l, s), 0);
    TwObject *d = tw_dict_new();
    TwObject *seven = tw_test_int(7);
    tw_dict_set_item(d, seven, TW_NONE);
    cr_assert_eq(tw_list_extend(l, d), 0);
    ASSERT_INTS(l, 1, 2, 3, 4, 5, 6, 7);
    ASSERT_INTS(src, 2, 3);
    tw_decref(d);
    tw_decref(s);
    tw_decref(t);
    tw_decref(src);
    tw_decref(four);
    tw_decref(five);
    tw_decref(six);
    tw_decref(seven);
    tw_decref(l);
}

Test(list, extend_with_itself_doubles_the_list)
{
    TwObject *l = LIST_OF(1, 2, 3);
    cr_assert_eq(tw_list_extend(l, l), 0);
    ASSERT_INTS(l, 1, 2, 3, 1, 2, 3);
    tw_decref(l);
}

Test(list, extend_with_a_non_iterable_raises_type_error)
{
    TwObject *l = LIST_OF(1);
    TwObject *x = tw_test_int(5);
    cr_assert_eq(tw_list_extend(l, x), -1);
    tw_test_assert_error(&tw_exc_TypeError, "'int' object is not iterable");
    ASSERT_INTS(l, 1);
    tw_decref(x);
    tw_decref(l);
}

Test(list, extend_takes_one_reference_per_item)
{
    TwObject *x = tw_test_int(8000000);
    TwObject *src = tw_list_new(0);
    tw_list_append(src, x);
    tw_list_append(src, x);
    intptr_t before = tw_refcount(x);
    TwObject *l = tw_list_new(0);
    tw_list_extend(l, src);
    cr_assert_eq(tw_refcount(x), before + 2);
    tw_decref(l);
    cr_assert_eq(tw_refcount(x), before);
    tw_decref(src);
    tw_decref(x);
}

/* ---- pop, remove, index, count, contains -------------------------------------------- */

Test(list, pop_returns_the_item_and_transfers_its_reference)
{
    TwObject *x = tw_test_int(9000000);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, x);
    intptr_t before = tw_refcount(x);
    TwObject *got = tw_list_pop(l, -1);
    cr_assert_eq(got, x);
    cr_assert_eq(tw_refcount(x), before); /* the list's reference became ours */
    cr_assert_eq(tw_list_size(l), 0);
    tw_decref(got);
    tw_decref(l);
    tw_decref(x);
}

Test(list, pop_with_an_index_removes_that_item)
{
    TwObject *l = LIST_OF(1, 2, 3);
    TwObject *got = tw_list_pop(l, 0);
    cr_assert_eq(tw_test_int_value(got), 1);
    tw_decref(got);
    ASSERT_INTS(l, 2, 3);
    tw_decref(l);
}

Test(list, pop_errors_match_python)
{
    TwObject *l = tw_list_new(0);
    cr_assert_null(tw_list_pop(l, -1));
    tw_test_assert_error(&tw_exc_IndexError, "pop from empty list");
    tw_list_append(l, TW_NONE);
    cr_assert_null(tw_list_pop(l, 5));
    tw_test_assert_error(&tw_exc_IndexError, "pop index out of range");
    tw_decref(l);
}

Test(list, pop_shrinks_the_array_when_mostly_empty)
{
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 100; i++)
        tw_list_append(l, TW_NONE);
    intptr_t full = tw_list_allocated((TwListObject *)l);
    for (int i = 0; i < 95; i++)
        tw_decref(tw_list_pop(l, -1));
    cr_assert_lt(tw_list_allocated((TwListObject *)l), full / 2);
    cr_assert_eq(tw_list_size(l), 5);
    tw_decref(l);
}

Test(list, remove_deletes_the_first_equal_item)
{
    TwObject *l = LIST_OF(1, 2, 3, 2);
    TwObject *two = tw_test_int(2);
    cr_assert_eq(tw_list_remove(l, two), 0);
    ASSERT_INTS(l, 1, 3, 2);
    tw_decref(two);
    tw_decref(l);
}

Test(list, remove_compares_by_equality_not_identity)
{
    TwObject *l = LIST_OF(1000001, 1000002);
    TwObject *key = tw_test_int(1000002); /* a different object, equal value */
    cr_assert_neq(((TwListObject *)l)->items[1], key);
    cr_assert_eq(tw_list_remove(l, key), 0);
    ASSERT_INTS(l, 1000001);
    tw_decref(key);
    tw_decref(l);
}

Test(list, remove_of_a_missing_item_raises_value_error)
{
    TwObject *l = LIST_OF(1);
    TwObject *x = tw_test_int(2);
    cr_assert_eq(tw_list_remove(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "list.remove(x): x not in list");
    tw_decref(x);
    tw_decref(l);
}

Test(list, remove_releases_the_list_reference)
{
    TwObject *x = tw_test_int(9100000);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, x);
    intptr_t before = tw_refcount(x);
    cr_assert_eq(tw_list_remove(l, x), 0);
    cr_assert_eq(tw_refcount(x), before - 1);
    tw_decref(l);
    tw_decref(x);
}

Test(list, index_finds_the_first_equal_item)
{
    TwObject *l = LIST_OF(5, 6, 7, 6);
    TwObject *six = tw_test_int(6);
    cr_assert_eq(tw_list_index(l, six), 1);
    tw_decref(six);
    tw_decref(l);
}

Test(list, index_of_a_missing_item_names_its_repr)
{
    TwObject *l = LIST_OF(1);
    TwObject *x = tw_test_int(2);
    cr_assert_eq(tw_list_index(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "2 is not in list");
    TwObject *s = tw_str_from_cstr("b");
    cr_assert_eq(tw_list_index(l, s), -1);
    tw_test_assert_error(&tw_exc_ValueError, "'b' is not in list");
    tw_decref(s);
    tw_decref(x);
    tw_decref(l);
}

Test(list, count_counts_equal_items)
{
    TwObject *l = LIST_OF(1, 2, 1, 3, 1);
    TwObject *one = tw_test_int(1), *four = tw_test_int(4);
    cr_assert_eq(tw_list_count(l, one), 3);
    cr_assert_eq(tw_list_count(l, four), 0);
    tw_decref(one);
    tw_decref(four);
    tw_decref(l);
}

Test(list, contains_tests_equality)
{
    TwObject *l = LIST_OF(1, 2);
    TwObject *two = tw_test_int(2), *three = tw_test_int(3);
    TwObject *two_f = tw_float_from_double(2.0);
    cr_assert_eq(tw_list_contains(l, two), 1);
    cr_assert_eq(tw_list_contains(l, three), 0);
    cr_assert_eq(tw_list_contains(l, two_f), 1); /* 2 == 2.0 */
    tw_decref(two);
    tw_decref(three);
    tw_decref(two_f);
    tw_decref(l);
}

Test(list, searches_do_not_leak_references)
{
    TwObject *x = tw_test_int(9200000);
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 10; i++)
        tw_list_append(l, x);
    intptr_t before = tw_refcount(x);
    TwObject *y = tw_test_int(9200000);
    tw_list_contains(l, y);
    tw_list_count(l, y);
    tw_list_index(l, y);
    cr_assert_eq(tw_refcount(x), before);
    tw_decref(y);
    tw_decref(l);
    tw_decref(x);
}

/* ---- reverse, sort ------------------------------------------------------------------- */

Test(list, reverse_reverses_in_place)
{
    TwObject *l = LIST_OF(1, 2, 3, 4, 5);
    cr_assert_eq(tw_list_reverse(l), 0);
    ASSERT_INTS(l, 5, 4, 3, 2, 1);
    tw_decref(l);
}

Test(list, sort_orders_ints)
{
    TwObject *l = LIST_OF(5, -1, 3, 3, 0, 100, -50);
    cr_assert_eq(tw_list_sort(l, 0), 0);
    ASSERT_INTS(l, -50, -1, 0, 3, 3, 5, 100);
    cr_assert_eq(tw_list_sort(l, 1), 0);
    ASSERT_INTS(l, 100, 5, 3, 3, 0, -1, -50);
    tw_decref(l);
}

Test(list, sort_orders_a_large_shuffled_list)
{
    enum { N = 5000 };
    TwObject *l = tw_list_new(0);
    uint64_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        append_int(l, (int64_t)(x >> 40) % 1000);
    }
    int64_t sum_before = 0;
    for (int i = 0; i < N; i++)
        sum_before += item_value(l, i);
    cr_assert_eq(tw_list_sort(l, 0), 0);
    int64_t sum_after = item_value(l, 0);
    for (int i = 1; i < N; i++) {
        cr_assert_leq(item_value(l, i - 1), item_value(l, i), "unsorted at %d", i);
        sum_after += item_value(l, i);
    }
    cr_assert_eq(sum_before, sum_after);
    tw_decref(l);
}

/* Keyed: an object that compares by `key` only, tagged to check stability. */
typedef struct {
    TwObject ob_base;
    int key, tag;
} Keyed;

static TwObject *keyed_richcompare(TwObject *a, TwObject *b, int op)
{
    int ka = ((Keyed *)a)->key, kb = ((Keyed *)b)->key;
    int r = op == TW_LT ? ka < kb : op == TW_EQ ? ka == kb : op == TW_NE ? ka != kb : 0;
    return tw_newref(tw_bool_from_long(r));
}

static TwType keyed_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Keyed",
    .tp_basicsize = sizeof(Keyed),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_richcompare = keyed_richcompare,
};

static TwObject *keyed(int key, int tag)
{
    Keyed *k = (Keyed *)tw_object_new(&keyed_type, 0);
    cr_assert_not_null(k);
    k->key = key;
    k->tag = tag;
    return (TwObject *)k;
}

static void check_stable(int reverse)
{
    /* 60 items, keys cycling 0..4: long enough to take the merge path. */
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 60; i++) {
        TwObject *k = keyed((i * 3) % 5, i);
        tw_list_append(l, k);
        tw_decref(k);
    }
    cr_assert_eq(tw_list_sort(l, reverse), 0);
    for (int i = 1; i < 60; i++) {
        Keyed *p = (Keyed *)((TwListObject *)l)->items[i - 1];
        Keyed *q = (Keyed *)((TwListObject *)l)->items[i];
        if (reverse)
            cr_assert_geq(p->key, q->key);
        else
            cr_assert_leq(p->key, q->key);
        if (p->key == q->key)
            cr_assert_lt(p->tag, q->tag, "equal keys out of their original order at %d", i);
    }
    tw_decref(l);
}

Test(list, sort_is_stable)
{
    check_stable(0);
}

Test(list, reverse_sort_keeps_equal_items_in_original_order)
{
    check_stable(1);
}

Test(list, sort_comparison_error_propagates_and_keeps_the_items)
{
    TwObject *l = LIST_OF(3, 1, 2);
    TwObject *s = tw_str_from_cstr("x");
    tw_list_append(l, s);
    cr_assert_eq(tw_list_sort(l, 0), -1);
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    cr_assert_eq(tw_list_size(l), 4);
    cr_assert_eq(tw_list_contains(l, s), 1);
    tw_decref(s);
    tw_decref(l);
}

/* Mutator: compares like an int key, but its first comparison appends to a
 * target list (simulating code that changes the list being sorted). */
typedef struct {
    TwObject ob_base;
    int key;
    TwObject *target; /* borrowed */
} Mutator;

static TwObject *mutator_richcompare(TwObject *a, TwObject *b, int op)
{
    Mutator *m = (Mutator *)a;
    if (m->target != NULL) {
        TwObject *t = m->target;
        m->target = NULL;
        tw_list_append(t, TW_NONE);
    }
    int kb = TW_TYPE(b) == TW_TYPE(a) ? ((Mutator *)b)->key : 0;
    int r = op == TW_LT ? m->key < kb : op == TW_EQ ? m->key == kb : m->key != kb;
    return tw_newref(tw_bool_from_long(r));
}

static TwType mutator_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Mutator",
    .tp_basicsize = sizeof(Mutator),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_richcompare = mutator_richcompare,
};

static TwObject *mutator(int key, TwObject *target)
{
    Mutator *m = (Mutator *)tw_object_new(&mutator_type, 0);
    cr_assert_not_null(m);
    m->key = key;
    m->target = target;
    return (TwObject *)m;
}

Test(list, sort_detects_a_list_modified_during_sort)
{
    TwObject *l = tw_list_new(0);
    TwObject *a = mutator(2, NULL), *b = mutator(1, l); /* b is compared first */
    tw_list_append(l, a);
    tw_list_append(l, b);
    cr_assert_eq(tw_list_sort(l, 0), -1);
    tw_test_assert_error(&tw_exc_ValueError, "list modified during sort");
    cr_assert_eq(tw_list_size(l), 3); /* what the mutation left */
    tw_decref(a);
    tw_decref(b);
    tw_decref(l);
}

Test(list, sort_does_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 100; i++)
        append_int(l, 1000000 - i * 7);
    cr_assert_eq(tw_list_sort(l, 0), 0);
    tw_decref(l);
    tw_test_assert_no_leak(base);
}

/* ---- re-entrancy ----------------------------------------------------------------------- */

/* Clearer: its == comparison empties the target list (dropping every item,
 * including itself when the list held the last reference). */
typedef struct {
    TwObject ob_base;
    TwObject *target; /* borrowed */
} Clearer;

static int clearer_frees;

static TwObject *clearer_richcompare(TwObject *a, TwObject *b, int op)
{
    tw_list_clear(((Clearer *)a)->target);
    return tw_newref(tw_bool_from_long(op == TW_NE));
}

static void clearer_dealloc(TwObject *op)
{
    clearer_frees++;
    tw_object_free(op);
}

static TwType clearer_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Clearer",
    .tp_basicsize = sizeof(Clearer),
    .tp_base = &tw_object_type,
    .tp_dealloc = clearer_dealloc,
    .tp_richcompare = clearer_richcompare,
};

Test(list, item_dropped_by_its_own_comparison_is_freed_once_the_search_ends)
{
    TwObject *l = tw_list_new(0);
    Clearer *c = (Clearer *)tw_object_new(&clearer_type, 0);
    c->target = l;
    tw_list_append(l, (TwObject *)c);
    tw_decref((TwObject *)c); /* the list holds the only reference */
    TwObject *x = tw_test_int(3);
    clearer_frees = 0;
    cr_assert_eq(tw_list_contains(l, x), 0);
    cr_assert_eq(clearer_frees, 1);
    cr_assert_eq(tw_list_size(l), 0);
    tw_decref(x);
    tw_decref(l);
}

/* Appender: its destructor appends to a list, so it re-enters the list that
 * is dropping it. */
typedef struct {
    TwObject ob_base;
    TwObject *target; /* a strong reference */
} Appender;

static void appender_dealloc(TwObject *op)
{
    Appender *a = (Appender *)op;
    append_int(a->target, -7);
    tw_decref(a->target);
    tw_object_free(op);
}

static TwType appender_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Appender",
    .tp_basicsize = sizeof(Appender),
    .tp_base = &tw_object_type,
    .tp_dealloc = appender_dealloc,
};

static void add_appender(TwObject *l)
{
    Appender *a = (Appender *)tw_object_new(&appender_type, 0);
    a->target = tw_newref(l);
    tw_list_append(l, (TwObject *)a);
    tw_decref((TwObject *)a);
}

Test(list, destructor_run_by_a_removal_may_append_to_the_same_list)
{
    TwObject *l = LIST_OF(1);
    add_appender(l);
    cr_assert_eq(tw_list_del_item(l, 1), 0);
    ASSERT_INTS(l, 1, -7);
    add_appender(l);
    tw_decref(tw_list_pop(l, 2));
    ASSERT_INTS(l, 1, -7, -7);
    add_appender(l);
    tw_list_set_item(l, 3, TW_NONE);
    cr_assert_eq(tw_list_size(l), 5);
    cr_assert_eq(item_value(l, 4), -7);
    tw_decref(l);
}

Test(list, destructor_run_by_clear_may_append_to_the_same_list)
{
    TwObject *l = LIST_OF(1, 2);
    add_appender(l);
    add_appender(l);
    tw_list_clear(l);
    ASSERT_INTS(l, -7, -7);
    tw_decref(l);
}

/* ---- copies ----------------------------------------------------------------------------- */

Test(list, copy_is_a_new_independent_list)
{
    TwObject *l = LIST_OF(1, 2, 3);
    TwObject *c = tw_list_copy(l);
    cr_assert_neq(c, l);
    ASSERT_INTS(c, 1, 2, 3);
    tw_list_clear(l);
    ASSERT_INTS(c, 1, 2, 3);
    cr_assert_eq(append_int(c, 4), 0);
    cr_assert_eq(tw_list_size(c), 4);
    tw_decref(c);
    tw_decref(l);
}

Test(list, copy_of_an_empty_list_is_empty)
{
    TwObject *l = tw_list_new(0);
    TwObject *c = tw_list_copy(l);
    cr_assert_eq(tw_list_size(c), 0);
    tw_decref(c);
    tw_decref(l);
}

Test(list, as_tuple_snapshots_the_items)
{
    TwObject *l = LIST_OF(4, 5);
    TwObject *t = tw_list_as_tuple(l);
    cr_assert(tw_tuple_check(t));
    cr_assert_eq(tw_tuple_size(t), 2);
    cr_assert_eq(tw_test_int_value(tw_tuple_get_item_borrowed(t, 1)), 5);
    tw_list_clear(l);
    cr_assert_eq(tw_tuple_size(t), 2);
    tw_decref(t);
    tw_decref(l);
}

Test(list, clear_releases_every_item)
{
    TwObject *x = tw_test_int(9300000);
    TwObject *l = tw_list_new(0);
    tw_list_append(l, x);
    tw_list_append(l, x);
    intptr_t before = tw_refcount(x);
    tw_list_clear(l);
    cr_assert_eq(tw_list_size(l), 0);
    cr_assert_eq(tw_refcount(x), before - 2);
    tw_decref(l);
    tw_decref(x);
}

/* ---- comparison, hash, repr ---------------------------------------------------------- */

Test(list, equality_compares_items)
{
    TwObject *a = LIST_OF(1, 2, 3), *b = LIST_OF(1, 2, 3), *c = LIST_OF(1, 2, 4),
             *d = LIST_OF(1, 2);
    cr_assert(tw_test_compare(a, b, TW_EQ));
    cr_assert_not(tw_test_compare(a, b, TW_NE));
    cr_assert_not(tw_test_compare(a, c, TW_EQ));
    cr_assert(tw_test_compare(a, c, TW_NE));
    cr_assert_not(tw_test_compare(a, d, TW_EQ));
    TwObject *one = tw_test_int(1);
    cr_assert_not(tw_test_compare(a, one, TW_EQ));
    cr_assert(tw_test_compare(a, one, TW_NE));
    tw_decref(one);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(d);
}

Test(list, ordering_is_lexicographic)
{
    TwObject *a = LIST_OF(1, 2, 3), *b = LIST_OF(1, 3), *c = LIST_OF(1, 2), *e = tw_list_new(0);
    cr_assert(tw_test_compare(a, b, TW_LT)); /* [1, 2, 3] < [1, 3] */
    cr_assert(tw_test_compare(c, a, TW_LT)); /* a prefix is smaller */
    cr_assert(tw_test_compare(a, c, TW_GT));
    cr_assert(tw_test_compare(a, a, TW_LE));
    cr_assert(tw_test_compare(a, a, TW_GE));
    cr_assert_not(tw_test_compare(a, a, TW_LT));
    cr_assert(tw_test_compare(e, c, TW_LT));
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(e);
}

Test(list, ordering_against_a_non_list_raises_type_error)
{
    TwObject *a = LIST_OF(1);
    TwObject *one = tw_test_int(1);
    cr_assert_null(tw_object_richcompare(a, one, TW_LT));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'<' not supported between instances of 'list' and 'int'");
    tw_decref(one);
    tw_decref(a);
}

Test(list, is_unhashable)
{
    TwObject *l = tw_list_new(0);
    cr_assert_eq(tw_object_hash(l), -1);
    tw_test_assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    tw_decref(l);
}

Test(list, repr_matches_python)
{
    TwObject *e = tw_list_new(0);
    tw_test_assert_repr(e, "[]");
    TwObject *l = LIST_OF(1, -2);
    TwObject *s = tw_str_from_cstr("a");
    tw_list_append(l, s);
    tw_list_append(l, TW_NONE);
    tw_list_append(l, e);
    tw_test_assert_repr(l, "[1, -2, 'a', None, []]");
    tw_decref(s);
    tw_decref(e);
    tw_decref(l);
}

Test(list, repr_of_a_self_containing_list_prints_an_ellipsis)
{
    /* l = [1]; l.append(l); m = [l, l] -> "[1, [...]]", "[[1, [...]], [1, [...]]]" */
    TwObject *l = LIST_OF(1);
    tw_list_append(l, l);
    tw_test_assert_repr(l, "[1, [...]]");
    TwObject *m = tw_list_new(0);
    tw_list_append(m, l);
    tw_list_append(m, l);
    tw_test_assert_repr(m, "[[1, [...]], [1, [...]]]");
    tw_decref(m);
    tw_list_clear(l); /* break the cycle */
    tw_decref(l);
}

Test(list, repr_recursion_through_a_dict_prints_an_ellipsis)
{
    /* l = []; l.append({'l': l}) -> "[{'l': [...]}]" */
    TwObject *l = tw_list_new(0);
    TwObject *d = tw_dict_new();
    tw_dict_set_item_cstr(d, "l", l);
    tw_list_append(l, d);
    tw_test_assert_repr(l, "[{'l': [...]}]");
    tw_test_assert_repr(d, "{'l': [{...}]}");
    tw_dict_clear(d);
    tw_decref(d);
    tw_decref(l);
}

Test(list, repr_of_very_deep_nesting_raises_recursion_error)
{
    TwObject *outer = tw_list_new(0);
    TwObject *cur = outer;
    for (int i = 0; i < 2000; i++) {
        TwObject *inner = tw_list_new(0);
        tw_list_append(cur, inner);
        tw_decref(inner);
        cur = inner;
    }
    cr_assert_null(tw_object_repr(outer));
    cr_assert_eq(tw_err_occurred(), &tw_exc_RecursionError);
    tw_err_clear();
    tw_decref(outer);
}

/* ---- comparisons that fail or move items ---------------------------------------------- */

/* Raiser: every comparison raises ValueError("boom"). */
static TwType raiser_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Raiser",
    .tp_basicsize = sizeof(TwObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_richcompare = tw_test_compare_raises,
};

Test(list, comparison_errors_propagate_from_searches)
{
    TwObject *l = LIST_OF(1);
    TwObject *r = tw_object_new(&raiser_type, 0);
    tw_list_append(l, r);
    TwObject *x = tw_test_int(5);
    cr_assert_eq(tw_list_contains(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_list_count(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_list_index(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_list_remove(l, x), -1);
    tw_test_assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_list_size(l), 2);
    tw_decref(x);
    tw_decref(r);
    tw_decref(l);
}

Test(list, comparison_errors_propagate_from_list_equality)
{
    TwObject *a = tw_list_new(0), *b = LIST_OF(1);
    TwObject *r = tw_object_new(&raiser_type, 0);
    tw_list_append(a, r);
    cr_assert_null(tw_object_richcompare(a, b, TW_EQ));
    tw_test_assert_error(&tw_exc_ValueError, "boom");
    tw_decref(r);
    tw_decref(a);
    tw_decref(b);
}

/* Shifter: its == comparison inserts None at the front of a target list
 * (moving every item one place), then reports equality. */
typedef struct {
    TwObject ob_base;
    TwObject *target; /* borrowed */
} Shifter;

static TwObject *shifter_richcompare(TwObject *a, TwObject *b, int op)
{
    tw_list_insert(((Shifter *)a)->target, 0, TW_NONE);
    return tw_newref(tw_bool_from_long(op == TW_EQ));
}

static TwType shifter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Shifter",
    .tp_basicsize = sizeof(Shifter),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_richcompare = shifter_richcompare,
};

Test(list, index_and_remove_act_on_the_found_item_where_it_is_now)
{
    TwObject *l = tw_list_new(0);
    Shifter *s = (Shifter *)tw_object_new(&shifter_type, 0);
    s->target = l;
    tw_list_append(l, (TwObject *)s);
    TwObject *x = tw_test_int(5);
    /* The comparison moved the match from index 0 to index 1. */
    cr_assert_eq(tw_list_index(l, x), 1);
    cr_assert_eq(tw_list_size(l), 2);
    cr_assert_eq(tw_list_remove(l, x), 0);
    cr_assert_eq(tw_list_size(l), 2); /* one None inserted, the match removed */
    TwObject *first = tw_list_get_item(l, 0), *second = tw_list_get_item(l, 1);
    cr_assert_eq(first, TW_NONE);
    cr_assert_eq(second, TW_NONE);
    tw_decref(first);
    tw_decref(second);
    tw_decref(x);
    tw_decref((TwObject *)s);
    tw_decref(l);
}

Test(list, sort_error_while_merging_runs_keeps_the_items)
{
    /* 16 ints then 16 strs: each run sorts, merging them compares str < int. */
    TwObject *l = tw_list_new(0);
    for (int i = 0; i < 16; i++)
        append_int(l, 16 - i);
    for (int i = 0; i < 16; i++) {
        TwObject *s = tw_str_from_format("s%02d", 16 - i);
        tw_list_append(l, s);
        tw_decref(s);
    }
    TwObject *before = tw_list_copy(l);
    cr_assert_eq(tw_list_sort(l, 0), -1);
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    cr_assert(tw_test_compare(l, before, TW_EQ), "a failed sort leaves the list as it was");
    tw_decref(before);
    tw_decref(l);
}

/* Replacer: compares like Mutator but its first comparison replaces item 0
 * of a target list: same size, different items. */
static TwObject *replacer_richcompare(TwObject *a, TwObject *b, int op)
{
    Mutator *m = (Mutator *)a;
    if (m->target != NULL) {
        TwObject *t = m->target;
        m->target = NULL;
        tw_list_set_item(t, 0, TW_NONE);
    }
    int kb = TW_TYPE(b) == TW_TYPE(a) ? ((Mutator *)b)->key : 0;
    int r = op == TW_LT ? m->key < kb : op == TW_EQ ? m->key == kb : m->key != kb;
    return tw_newref(tw_bool_from_long(r));
}

static TwType replacer_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Replacer",
    .tp_basicsize = sizeof(Mutator),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_richcompare = replacer_richcompare,
};

Test(list, sort_detects_an_item_replaced_during_sort)
{
    TwObject *l = tw_list_new(0);
    Mutator *a = (Mutator *)tw_object_new(&replacer_type, 0);
    Mutator *b = (Mutator *)tw_object_new(&replacer_type, 0);
    a->key = 2;
    a->target = NULL;
    b->key = 1;
    b->target = l; /* b is compared first */
    tw_list_append(l, (TwObject *)a);
    tw_list_append(l, (TwObject *)b);
    cr_assert_eq(tw_list_sort(l, 0), -1);
    tw_test_assert_error(&tw_exc_ValueError, "list modified during sort");
    cr_assert_eq(tw_list_size(l), 2);
    TwObject *first = tw_list_get_item(l, 0);
    cr_assert_eq(first, TW_NONE, "the replacement stays");
    tw_decref(first);
    tw_decref((TwObject *)a);
    tw_decref((TwObject *)b);
    tw_decref(l);
}

Test(list, extend_by_many_items_allocates_just_enough)
{
    /* A jump far past the over-allocation gets the size rounded up to 4. */
    TwObject *src = tw_list_new(0);
    for (int i = 0; i < 101; i++)
        tw_list_append(src, TW_NONE);
    TwObject *l = tw_list_new(0);
    cr_assert_eq(tw_list_extend(l, src), 0);
    cr_assert_eq(tw_list_size(l), 101);
    cr_assert_eq(tw_list_allocated((TwListObject *)l), 104);
    tw_decref(src);
    tw_decref(l);
}

Test(list, negative_preallocation_raises_system_error)
{
    cr_assert_null(tw_list_new(-1));
    cr_assert_eq(tw_err_occurred(), &tw_exc_SystemError);
    tw_err_clear();
}
