/* tuple: the empty singleton, filling and packing, indexing, item release,
 * CPython's hash (expected numbers from python3, named beside each),
 * lexicographic comparison and repr. */
#include <criterion/criterion.h>

#include "support.h"

TestSuite(tuple, .init = tw_test_setup, .fini = tw_test_teardown);

/* A tuple of two fresh ints. */
static TwObject *pair(int64_t a, int64_t b)
{
    TwObject *t = tw_tuple_new(2);
    cr_assert_not_null(t);
    tw_tuple_init_item(t, 0, tw_test_int(a));
    tw_tuple_init_item(t, 1, tw_test_int(b));
    return t;
}

Test(tuple, empty_tuple_is_one_immortal_singleton)
{
    TwObject *a = tw_tuple_new(0), *b = tw_tuple_pack(0);
    cr_assert_eq(a, b);
    cr_assert(tw_is_immortal(a));
    cr_assert_eq(tw_tuple_size(a), 0);
    cr_assert_eq(TW_TYPE(a), &tw_tuple_type);
    tw_decref(a);
    tw_decref(b);
    cr_assert(tw_is_immortal(tw_tuple_new(0)));
}

Test(tuple, negative_size_raises_system_error)
{
    cr_assert_null(tw_tuple_new(-1));
    cr_assert_eq(tw_err_occurred(), &tw_exc_SystemError);
    tw_err_clear();
}

Test(tuple, init_item_steals_the_reference)
{
    TwObject *item = tw_str_from_cstr("owned");
    TwObject *t = tw_tuple_new(1);
    tw_tuple_init_item(t, 0, item);
    cr_assert_eq(tw_refcount(item), 1);
    cr_assert_eq(tw_tuple_get_item_borrowed(t, 0), item);
    tw_decref(t);
}

Test(tuple, pack_takes_new_references)
{
    TwObject *s = tw_str_from_cstr("shared");
    TwObject *t = tw_tuple_pack(3, s, TW_NONE, s);
    cr_assert_not_null(t);
    cr_assert_eq(tw_tuple_size(t), 3);
    cr_assert_eq(tw_refcount(s), 3);
    cr_assert_eq(tw_tuple_get_item_borrowed(t, 1), TW_NONE);
    tw_decref(t);
    cr_assert_eq(tw_refcount(s), 1, "dealloc released both items");
    tw_decref(s);
}

Test(tuple, get_item_returns_a_new_reference_and_counts_negative_from_the_end)
{
    TwObject *s = tw_str_from_cstr("x");
    TwObject *t = tw_tuple_pack(2, TW_NONE, s);
    TwObject *last = tw_tuple_get_item(t, -1);
    cr_assert_eq(last, s);
    cr_assert_eq(tw_refcount(s), 3);
    TwObject *first = tw_tuple_get_item(t, -2);
    cr_assert_eq(first, TW_NONE);
    tw_decref(last);
    tw_decref(t);
    tw_decref(s);
}

Test(tuple, get_item_out_of_range_raises_index_error)
{
    TwObject *t = pair(1, 2);
    cr_assert_null(tw_tuple_get_item(t, 2));
    tw_test_assert_error(&tw_exc_IndexError, "tuple index out of range");
    cr_assert_null(tw_tuple_get_item(t, -3));
    cr_assert_eq(tw_err_occurred(), &tw_exc_IndexError);
    tw_err_clear();
    tw_decref(t);
}

Test(tuple, dealloc_of_a_partly_filled_tuple_is_safe)
{
    int64_t base = tw_test_live();
    TwObject *t = tw_tuple_new(3);
    tw_tuple_init_item(t, 0, tw_test_int(100000));
    tw_decref(t); /* slots 1 and 2 are still NULL */
    tw_test_assert_no_leak(base);
}

Test(tuple, hash_matches_cpython)
{
    cr_assert_eq(tw_test_hash_and_drop(pair(1, 2)),
                 INT64_C(-3550055125485641917)); /* hash((1, 2)) */
    cr_assert_eq(tw_test_hash_and_drop(tw_tuple_new(0)),
                 INT64_C(5740354900026072187)); /* hash(()) */
    cr_assert_eq(tw_test_hash_and_drop(tw_tuple_pack(1, tw_test_int(1))),
                 INT64_C(-6644214454873602895)); /* hash((1,)) */
    cr_assert_eq(
        tw_test_hash_and_drop(tw_tuple_pack(3, tw_test_int(1), tw_test_int(2), tw_test_int(3))),
        INT64_C(529344067295497451)); /* hash((1, 2, 3)) */
    cr_assert_eq(tw_test_hash_and_drop(tw_tuple_pack(1, tw_test_int(-1))),
                 INT64_C(8078679518589016365)); /* hash((-1,)) */
    cr_assert_eq(tw_test_hash_and_drop(tw_tuple_pack(2, TW_TRUE, TW_FALSE)),
                 INT64_C(-5164621852614943976)); /* hash((True, False)) */
}

Test(tuple, hash_of_nested_and_float_items_matches_cpython)
{
    TwObject *inner = pair(1, 2);
    TwObject *t = tw_tuple_pack(2, inner, tw_test_int(3));
    cr_assert_eq(tw_test_hash_and_drop(t), INT64_C(-333907151259015829)); /* hash(((1, 2), 3)) */
    tw_decref(inner);
    TwObject *f = tw_float_from_double(1.5);
    cr_assert_eq(tw_test_hash_and_drop(tw_tuple_pack(2, f, tw_test_int(2))),
                 INT64_C(8274728468405361693)); /* hash((1.5, 2)) */
    tw_decref(f);
}

static TwType unhashable_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "unhashable",
    .tp_basicsize = sizeof(TwObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = tw_object_free,
    .tp_hash = NULL,
};

Test(tuple, hash_of_a_tuple_with_an_unhashable_item_raises_type_error)
{
    TwObject *u = tw_object_new(&unhashable_type, 0);
    TwObject *t = tw_tuple_pack(2, tw_test_int(1), u);
    cr_assert_eq(tw_object_hash(t), -1);
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    tw_decref(t);
    tw_decref(u);
}

Test(tuple, equal_tuples_compare_equal_and_hash_alike)
{
    TwObject *a = pair(7, 8), *b = pair(7, 8);
    TwObject *f = tw_float_from_double(8.0);
    TwObject *c = tw_tuple_pack(2, tw_test_int(7), f);
    cr_assert(tw_test_compare(a, b, TW_EQ));
    cr_assert_not(tw_test_compare(a, b, TW_NE));
    cr_assert(tw_test_compare(a, c, TW_EQ)); /* (7, 8) == (7, 8.0) */
    cr_assert_eq(tw_object_hash(a), tw_object_hash(b));
    cr_assert_eq(tw_object_hash(a), tw_object_hash(c));
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(f);
}

Test(tuple, comparison_is_lexicographic)
{
    TwObject *a = pair(1, 2), *b = pair(1, 3),
             *longer = tw_tuple_pack(3, tw_test_int(1), tw_test_int(2), tw_test_int(0));
    TwObject *empty = tw_tuple_new(0);
    cr_assert(tw_test_compare(a, b, TW_LT));
    cr_assert(tw_test_compare(a, b, TW_LE));
    cr_assert(tw_test_compare(b, a, TW_GT));
    cr_assert(tw_test_compare(b, a, TW_GE));
    cr_assert(tw_test_compare(a, b, TW_NE));
    cr_assert_not(tw_test_compare(a, b, TW_EQ));
    cr_assert(tw_test_compare(a, longer, TW_LT)); /* a prefix sorts first */
    cr_assert_not(tw_test_compare(a, longer, TW_EQ));
    cr_assert(tw_test_compare(empty, a, TW_LT));
    cr_assert(tw_test_compare(a, a, TW_LE));
    cr_assert(tw_test_compare(a, a, TW_GE));
    tw_decref(a);
    tw_decref(b);
    tw_decref(longer);
}

Test(tuple, ordering_with_incomparable_items_raises_type_error)
{
    TwObject *s = tw_str_from_cstr("a");
    TwObject *a = tw_tuple_pack(2, tw_test_int(1), s), *b = pair(1, 2);
    cr_assert_null(tw_object_richcompare(a, b, TW_LT));
    tw_test_assert_error(&tw_exc_TypeError,
                         "'<' not supported between instances of 'str' and 'int'");
    cr_assert_not(tw_test_compare(a, b, TW_EQ), "== needs no ordering");
    tw_decref(a);
    tw_decref(b);
    tw_decref(s);
}

Test(tuple, comparison_with_non_tuple)
{
    TwObject *t = pair(1, 2);
    cr_assert_not(tw_test_compare(t, TW_NONE, TW_EQ));
    cr_assert(tw_test_compare(t, TW_NONE, TW_NE));
    cr_assert_null(tw_object_richcompare(t, TW_NONE, TW_LT));
    cr_assert_eq(tw_err_occurred(), &tw_exc_TypeError);
    tw_err_clear();
    tw_decref(t);
}

Test(tuple, repr_matches_cpython)
{
    TwObject *empty = tw_tuple_new(0);
    tw_test_assert_repr(empty, "()"); /* repr(()) */
    TwObject *one = tw_tuple_pack(1, tw_test_int(1));
    tw_test_assert_repr(one, "(1,)"); /* repr((1,)) */
    TwObject *two = pair(1, 2);
    tw_test_assert_repr(two, "(1, 2)"); /* repr((1, 2)) */
    TwObject *s = tw_str_from_cstr("it's");
    TwObject *f = tw_float_from_double(0.5);
    TwObject *mixed = tw_tuple_pack(5, s, f, TW_NONE, TW_TRUE, two);
    tw_test_assert_repr(
        mixed, "(\"it's\", 0.5, None, True, (1, 2))"); /* repr(("it's", 0.5, None, True, (1, 2))) */
    TwObject *nested = tw_tuple_pack(1, one);
    tw_test_assert_repr(nested, "((1,),)"); /* repr(((1,),)) */
    TwObject *objs[] = {one, two, s, f, mixed, nested};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++)
        tw_decref(objs[i]);
}

Test(tuple, creating_and_dropping_many_tuples_leaks_nothing)
{
    int64_t base = tw_test_live();
    for (int i = 0; i < 3000; i++) {
        TwObject *s = tw_str_from_format("item %d", i);
        TwObject *big = tw_test_int(1000000 + i);
        TwObject *inner = tw_tuple_pack(2, big, s);
        TwObject *t = tw_tuple_pack(3, inner, big, TW_NONE);
        TwObject *r = tw_object_repr(t);
        cr_assert(r && tw_object_hash(t) != -1);
        tw_decref(r);
        tw_decref(t);
        tw_decref(inner);
        tw_decref(big);
        tw_decref(s);
    }
    tw_test_assert_no_leak(base);
}
