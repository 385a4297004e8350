/* Limits that keep the runtime alive where CPython itself would crash or
 * run for ever, so that no script test can compare with it: hashing a
 * tuple nested far beyond the recursion limit, a big-int power whose
 * result would not fit in memory, freeing structures nested a million
 * deep (core/object.c's deferred destructors), and the recursion guard's
 * accounting. */
#include <criterion/criterion.h>

#include <twinpy/abstract.h>

#include "support.h"

TestSuite(limits, .init = tw_test_setup, .fini = tw_test_teardown);

#define DEEP 1000000

/* (((...(),),),) nested `depth` times. */
static TwObject *nested_tuples(int depth)
{
    TwObject *t = tw_tuple_new(0);
    for (int i = 0; i < depth; i++) {
        TwObject *outer = tw_tuple_pack(1, t);
        cr_assert_not_null(outer);
        tw_decref(t);
        t = outer;
    }
    return t;
}

/* [[...[]...]] nested `depth` times. */
static TwObject *nested_lists(int depth)
{
    TwObject *l = tw_list_new(0);
    cr_assert_not_null(l);
    for (int i = 0; i < depth; i++) {
        TwObject *outer = tw_list_new(0);
        cr_assert_not_null(outer);
        cr_assert_eq(tw_list_append(outer, l), 0);
        tw_decref(l);
        l = outer;
    }
    return l;
}

Test(limits, hash_of_a_deeply_nested_tuple_raises_recursion_error)
{
    TwObject *t = nested_tuples(100000);
    cr_assert_eq(tw_object_hash(t), -1);
    tw_test_assert_error(&tw_exc_RecursionError, "maximum recursion depth exceeded");
    tw_decref(t);
}

Test(limits, hash_of_a_shallow_nested_tuple_works)
{
    TwObject *a = nested_tuples(500), *b = nested_tuples(500);
    tw_hash_t ha = tw_object_hash(a);
    cr_assert_neq(ha, -1);
    cr_assert_eq(ha, tw_object_hash(b));
    tw_decref(a);
    tw_decref(b);
}

Test(limits, a_failed_guard_leaves_no_level_behind)
{
    TwObject *a = nested_lists(5000), *b = nested_lists(5000);
    for (int round = 0; round < 3; round++) {
        cr_assert_null(tw_object_richcompare(a, b, TW_EQ));
        tw_test_assert_error(&tw_exc_RecursionError,
                             "maximum recursion depth exceeded in comparison");
    }
    /* 900 levels still fit under the limit of 1000. */
    TwObject *c = nested_lists(900), *d = nested_lists(900);
    cr_assert(tw_test_compare(c, d, TW_EQ));
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(d);
}

Test(limits, freeing_a_million_nested_lists_does_not_recurse)
{
    int64_t base = tw_test_live();
    TwObject *l = nested_lists(DEEP);
    tw_decref(l);
    tw_test_assert_no_leak(base);
}

Test(limits, freeing_a_million_nested_tuples_does_not_recurse)
{
    int64_t base = tw_test_live();
    TwObject *t = nested_tuples(DEEP);
    tw_decref(t);
    tw_test_assert_no_leak(base);
}

Test(limits, freeing_a_million_nested_dicts_does_not_recurse)
{
    int64_t base = tw_test_live();
    TwObject *d = tw_dict_new();
    TwObject *key = tw_str_from_cstr("k");
    for (int i = 0; i < DEEP; i++) {
        TwObject *outer = tw_dict_new();
        cr_assert_not_null(outer);
        cr_assert_eq(tw_dict_set_item(outer, key, d), 0);
        tw_decref(d);
        d = outer;
    }
    tw_decref(d);
    tw_decref(key);
    tw_test_assert_no_leak(base);
}

Test(limits, power_with_a_result_beyond_the_limit_raises_memory_error)
{
    /* 3 ** 2**40 has about 1.7 * 2**40 bits; CPython tries to compute it. */
    TwObject *base = tw_test_int(3), *e = tw_test_int(INT64_C(1) << 40);
    cr_assert_null(tw_number_power(base, e, TW_NONE));
    tw_test_assert_error(&tw_exc_MemoryError, "");
    tw_decref(base);
    tw_decref(e);
}

Test(limits, power_with_a_big_exponent_raises_memory_error)
{
    TwObject *base = tw_test_int(2), *one = tw_test_int(1), *shift = tw_test_int(100);
    TwObject *e = tw_number_lshift(one, shift); /* 2**100 */
    cr_assert_not_null(e);
    cr_assert_null(tw_number_power(base, e, TW_NONE));
    tw_test_assert_error(&tw_exc_MemoryError, "");
    tw_decref(base);
    tw_decref(one);
    tw_decref(shift);
    tw_decref(e);
}
