/* set: every operation of set.h, error messages (as python3 prints them),
 * the references it holds, and the iteration order, which must be
 * CPython's for the same operations on the same ints.
 *
 * The expected orders below were printed by python3 (3.11) running the
 * same operations.  Scenarios named lcg(seed, n, modulo, every) replay
 *     x = seed
 *     for _ in range(n):
 *         x = (x * 1103515245 + 12345) % 2**31
 *         v = (x >> 8) % modulo
 *         if (x >> 4) % every == 0: s.discard(v)
 *         else: s.add(v)
 * Long results are checked through their length and a digest:
 *     h = 0;  for v in list(s): h = (h * 1000003 + v) % 2**64 */
#include <criterion/criterion.h>

#include "support.h"

TestSuite(set, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- expected orders (from python3) ----------------------------------------------- */

static const int64_t order_example[] = {64, 33, 3, 100, 5, 1000, 8, 9, 17};
#define ORDER_LCG_SMALL_LEN            32
#define ORDER_LCG_SMALL_DIGEST         UINT64_C(8675029319644478571)
#define ORDER_LCG_MEDIUM_LEN           257
#define ORDER_LCG_MEDIUM_DIGEST        UINT64_C(11570928283854068458)
#define ORDER_LCG_LARGE_LEN            489
#define ORDER_LCG_LARGE_DIGEST         UINT64_C(16056396472427457582)
#define ORDER_DISCARD_THEN_GROW_LEN    31
#define ORDER_DISCARD_THEN_GROW_DIGEST UINT64_C(792602548493005508)
static const int64_t order_wide_values[] = {1099511627776,
                                            -8589934592,
                                            4611686018427387904,
                                            0,
                                            2305843009213693956,
                                            7,
                                            12345678901,
                                            -2,
                                            -5,
                                            -1};
static const int64_t pop_sequence[] = {1538, 519, 4621, 1554, 4116, 3607, 27, 540, 1564, 2076};
#define AFTER_POPS_LEN    158
#define AFTER_POPS_DIGEST UINT64_C(5405149548734710617)
#define UNION_AB_LEN      128
#define UNION_AB_DIGEST   UINT64_C(14591411161480578239)
static const int64_t inter_ab[] = {449, 450, 133, 756, 469, 406};
#define DIFF_AB_LEN           75
#define DIFF_AB_DIGEST        UINT64_C(9671461179897541695)
#define DIFF_BA_LEN           47
#define DIFF_BA_DIGEST        UINT64_C(11676439435758180985)
#define COPY_A_LEN            81
#define COPY_A_DIGEST         UINT64_C(10979936234358502888)
#define DIFF_BIG_SMALL_LEN    375
#define DIFF_BIG_SMALL_DIGEST UINT64_C(4789231291783804511)
static const int64_t update_from_dict[] = {65, 3, 200, 8, 90, 12, 77};
static const int64_t update_from_list[] = {65, 3, 200, 8, 12, 77, 90};
static const int64_t inter_equal_sizes_ab[] = {474, 14};
#define INTER_EQUAL_SIZES_A_LEN    27
#define INTER_EQUAL_SIZES_A_DIGEST UINT64_C(7750787626218284354)
#define INTER_EQUAL_SIZES_B_LEN    27
#define INTER_EQUAL_SIZES_B_DIGEST UINT64_C(12456628463887494956)

/* ---- helpers ---------------------------------------------------------------------- */

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

static void add_int(TwObject *s, int64_t v)
{
    TwObject *o = int_obj(v);
    cr_assert_eq(tw_set_add(s, o), 0);
    tw_decref(o);
}

static int discard_int(TwObject *s, int64_t v)
{
    TwObject *o = int_obj(v);
    int r = tw_set_discard(s, o);
    tw_decref(o);
    return r;
}

static int has_int(TwObject *s, int64_t v)
{
    TwObject *o = int_obj(v);
    int r = tw_set_contains(s, o);
    tw_decref(o);
    return r;
}

static TwObject *set_of(int n, const int64_t *values)
{
    TwObject *s = tw_set_new();
    cr_assert_not_null(s);
    for (int i = 0; i < n; i++)
        add_int(s, values[i]);
    return s;
}
#define SET_OF(...)                                                                                \
    set_of(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t), (int64_t[]){__VA_ARGS__})

/* Replay python's lcg(seed, n, modulo, every) scenario into s. */
static void lcg_ops(TwObject *s, uint64_t seed, int n, int64_t modulo, int every)
{
    uint64_t x = seed;
    for (int i = 0; i < n; i++) {
        x = (x * 1103515245u + 12345u) % (UINT64_C(1) << 31);
        int64_t v = (int64_t)((x >> 8) % (uint64_t)modulo);
        if ((x >> 4) % (uint64_t)every == 0)
            discard_int(s, v);
        else
            add_int(s, v);
    }
}

static TwObject *lcg_set(uint64_t seed, int n, int64_t modulo, int every)
{
    TwObject *s = tw_set_new();
    lcg_ops(s, seed, n, modulo, every);
    return s;
}

/* Iteration order equals `expected` exactly. */
static void assert_order(TwObject *s, int n, const int64_t *expected)
{
    TwObject *l = tw_set_to_list(s);
    cr_assert_not_null(l);
    cr_assert_eq(tw_list_size(l), n, "%ld elements, expected %d", (long)tw_list_size(l), n);
    for (int i = 0; i < n; i++) {
        TwObject *o = tw_list_get_item(l, i);
        cr_assert_eq(int_value(o), expected[i], "element %d is %lld, CPython has %lld", i,
                     (long long)int_value(o), (long long)expected[i]);
        tw_decref(o);
    }
    tw_decref(l);
}
#define ASSERT_ORDER(s, arr) assert_order((s), (int)(sizeof(arr) / sizeof((arr)[0])), (arr))
#define ASSERT_ORDER_OF(s, ...)                                                                    \
    assert_order((s), sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t), (int64_t[]){__VA_ARGS__})

/* Iteration order has CPython's length and digest. */
static void assert_digest(TwObject *s, intptr_t len, uint64_t digest)
{
    TwObject *l = tw_set_to_list(s);
    cr_assert_not_null(l);
    cr_assert_eq(tw_list_size(l), len, "%ld elements, expected %ld", (long)tw_list_size(l),
                 (long)len);
    uint64_t h = 0;
    for (intptr_t i = 0; i < len; i++) {
        TwObject *o = tw_list_get_item(l, i);
        h = h * 1000003u + (uint64_t)int_value(o);
        tw_decref(o);
    }
    cr_assert_eq(h, digest, "iteration order differs from CPython's");
    tw_decref(l);
}
#define ASSERT_DIGEST(s, NAME) assert_digest((s), NAME##_LEN, NAME##_DIGEST)

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

/* ---- iteration order matches CPython ----------------------------------------------- */

Test(set, order_of_small_int_adds_matches_cpython)
{
    /* s = set(); [s.add(x) for x in (5, 100, 3, 1000, 17, 33, 64, 8, 9)] */
    TwObject *s = SET_OF(5, 100, 3, 1000, 17, 33, 64, 8, 9);
    ASSERT_ORDER(s, order_example);
    tw_decref(s);
}

Test(set, order_with_discards_in_the_small_table_matches_cpython)
{
    TwObject *s = lcg_set(1, 40, 1000, 4);
    ASSERT_DIGEST(s, ORDER_LCG_SMALL);
    tw_decref(s);
}

Test(set, order_after_growth_past_128_matches_cpython)
{
    TwObject *s = lcg_set(7, 400, 10000, 3);
    ASSERT_DIGEST(s, ORDER_LCG_MEDIUM);
    tw_decref(s);
}

Test(set, order_of_a_large_set_with_many_dummies_matches_cpython)
{
    TwObject *s = lcg_set(42, 600, 100000, 5);
    ASSERT_DIGEST(s, ORDER_LCG_LARGE);
    tw_decref(s);
}

Test(set, order_after_discarding_then_growing_matches_cpython)
{
    /* s = set(range(1, 21)); discard 2, 4, ..., 20; add 40..60 */
    TwObject *s = tw_set_new();
    for (int64_t i = 1; i < 21; i++)
        add_int(s, i);
    for (int64_t i = 2; i < 21; i += 2)
        cr_assert_eq(discard_int(s, i), 1);
    for (int64_t i = 40; i < 61; i++)
        add_int(s, i);
    ASSERT_DIGEST(s, ORDER_DISCARD_THEN_GROW);
    tw_decref(s);
}

Test(set, add_reuses_a_dummy_on_its_probe_path)
{
    /* s = {0, 8, 16, 24, 32} added in order; discard 8, 16; add 40 -> [0, 32, 40, 24] */
    TwObject *s = SET_OF(0, 8, 16, 24, 32);
    discard_int(s, 8);
    discard_int(s, 16);
    add_int(s, 40);
    ASSERT_ORDER_OF(s, 0, 32, 40, 24);
    tw_decref(s);
}

Test(set, add_reuses_the_last_dummy_its_probe_passed)
{
    /* 0, 32, .., 128 share slot 0 of a 32-entry table and sit in a linear
     * run; discard 32, 64; add 160, 192 -> [0, 192, 160, 96, 128] */
    TwObject *s = SET_OF(0, 32, 64, 96, 128);
    discard_int(s, 32);
    discard_int(s, 64);
    add_int(s, 160);
    add_int(s, 192);
    ASSERT_ORDER_OF(s, 0, 192, 160, 96, 128);
    tw_decref(s);
}

Test(set, order_of_wide_and_negative_ints_matches_cpython)
{
    TwObject *s = SET_OF(INT64_C(1) << 40, -(INT64_C(1) << 33), -1, -2, (INT64_C(1) << 61) - 1 + 5,
                         INT64_C(1) << 62, INT64_C(12345678901), -5, 0, 7);
    ASSERT_ORDER(s, order_wide_values);
    tw_decref(s);
}

Test(set, pop_order_matches_cpython)
{
    TwObject *s = lcg_set(3, 200, 5000, 6);
    for (int i = 0; i < 10; i++) {
        TwObject *o = tw_set_pop(s);
        cr_assert_eq(int_value(o), pop_sequence[i], "pop %d", i);
        tw_decref(o);
    }
    ASSERT_DIGEST(s, AFTER_POPS);
    tw_decref(s);
}

Test(set, union_order_matches_cpython)
{
    TwObject *a = lcg_set(11, 100, 1000, 5), *b = lcg_set(12, 60, 1000, 5);
    TwObject *u = tw_set_union(a, b);
    ASSERT_DIGEST(u, UNION_AB);
    tw_decref(u);
    tw_decref(a);
    tw_decref(b);
}

Test(set, intersection_order_matches_cpython_both_ways)
{
    TwObject *a = lcg_set(11, 100, 1000, 5), *b = lcg_set(12, 60, 1000, 5);
    TwObject *i1 = tw_set_intersection(a, b), *i2 = tw_set_intersection(b, a);
    ASSERT_ORDER(i1, inter_ab);
    ASSERT_ORDER(i2, inter_ab);
    tw_decref(i1);
    tw_decref(i2);
    tw_decref(a);
    tw_decref(b);
}

Test(set, intersection_of_equal_sizes_walks_the_second_set)
{
    /* a = {16, 8} (16 added first), b = {8, 16}: a & b -> [8, 16], b & a -> [16, 8] */
    TwObject *a = SET_OF(16, 8), *b = SET_OF(8, 16);
    TwObject *ab = tw_set_intersection(a, b), *ba = tw_set_intersection(b, a);
    ASSERT_ORDER_OF(ab, 8, 16);
    ASSERT_ORDER_OF(ba, 16, 8);
    tw_decref(ab);
    tw_decref(ba);
    tw_decref(a);
    tw_decref(b);
}

Test(set, intersection_of_equal_sized_large_sets_matches_cpython)
{
    TwObject *a = lcg_set(20, 30, 1000, 9), *b = lcg_set(21, 30, 1000, 9);
    while (tw_set_size(b) > tw_set_size(a))
        tw_decref(tw_set_pop(b));
    while (tw_set_size(a) > tw_set_size(b))
        tw_decref(tw_set_pop(a));
    ASSERT_DIGEST(a, INTER_EQUAL_SIZES_A);
    ASSERT_DIGEST(b, INTER_EQUAL_SIZES_B);
    TwObject *i = tw_set_intersection(a, b);
    ASSERT_ORDER(i, inter_equal_sizes_ab);
    tw_decref(i);
    tw_decref(a);
    tw_decref(b);
}

Test(set, difference_order_matches_cpython_both_ways)
{
    TwObject *a = lcg_set(11, 100, 1000, 5), *b = lcg_set(12, 60, 1000, 5);
    TwObject *d1 = tw_set_difference(a, b), *d2 = tw_set_difference(b, a);
    ASSERT_DIGEST(d1, DIFF_AB);
    ASSERT_DIGEST(d2, DIFF_BA);
    tw_decref(d1);
    tw_decref(d2);
    tw_decref(a);
    tw_decref(b);
}

Test(set, difference_of_a_much_larger_set_matches_cpython)
{
    TwObject *big = lcg_set(13, 500, 2000, 7), *small = lcg_set(14, 20, 2000, 7);
    TwObject *d = tw_set_difference(big, small);
    ASSERT_DIGEST(d, DIFF_BIG_SMALL);
    tw_decref(d);
    tw_decref(big);
    tw_decref(small);
}

Test(set, copy_order_matches_cpython)
{
    TwObject *a = lcg_set(11, 100, 1000, 5);
    TwObject *c = tw_set_copy(a);
    ASSERT_DIGEST(c, COPY_A);
    tw_decref(c);
    tw_decref(a);
}

Test(set, update_order_matches_cpython)
{
    /* c = set(a); c.update(b) */
    TwObject *a = lcg_set(11, 100, 1000, 5), *b = lcg_set(12, 60, 1000, 5);
    TwObject *c = tw_set_copy(a);
    cr_assert_eq(tw_set_update(c, b), 0);
    ASSERT_DIGEST(c, UNION_AB);
    tw_decref(c);
    tw_decref(a);
    tw_decref(b);
}

Test(set, update_from_a_dict_and_a_list_matches_cpython)
{
    /* set().update({90: None, 3: None, ...}) and set().update([90, 3, ...]) */
    static const int64_t keys[] = {90, 3, 77, 12, 65, 200, 8};
    TwObject *d = tw_dict_new(), *l = tw_list_new(0);
    for (int i = 0; i < 7; i++) {
        TwObject *k = int_obj(keys[i]);
        tw_dict_set_item(d, k, TW_NONE);
        tw_list_append(l, k);
        tw_decref(k);
    }
    TwObject *from_dict = tw_set_new(), *from_list = tw_set_new();
    cr_assert_eq(tw_set_update(from_dict, d), 0);
    cr_assert_eq(tw_set_update(from_list, l), 0);
    ASSERT_ORDER(from_dict, update_from_dict);
    ASSERT_ORDER(from_list, update_from_list);
    TwObject *t = tw_list_as_tuple(l), *from_tuple = tw_set_new();
    cr_assert_eq(tw_set_update(from_tuple, t), 0);
    ASSERT_ORDER(from_tuple, update_from_list);
    tw_decref(from_tuple);
    tw_decref(t);
    tw_decref(from_dict);
    tw_decref(from_list);
    tw_decref(d);
    tw_decref(l);
}

/* ---- membership ----------------------------------------------------------------------- */

Test(set, new_set_is_empty)
{
    TwObject *s = tw_set_new();
    cr_assert_eq(tw_set_size(s), 0);
    cr_assert(tw_set_check(s));
    cr_assert_str_eq(TW_TYPE(s)->tp_name, "set");
    cr_assert_eq(has_int(s, 0), 0);
    tw_decref(s);
}

Test(set, add_ignores_duplicates)
{
    TwObject *s = SET_OF(1, 2, 1, 2, 3);
    cr_assert_eq(tw_set_size(s), 3);
    TwObject *f = tw_float_from_double(2.0); /* 2.0 == 2 */
    cr_assert_eq(tw_set_add(s, f), 0);
    cr_assert_eq(tw_set_size(s), 3);
    tw_decref(f);
    tw_decref(s);
}

Test(set, contains_finds_every_member_of_a_large_set)
{
    TwObject *s = tw_set_new();
    for (int64_t i = 0; i < 10000; i++)
        add_int(s, i * 31);
    cr_assert_eq(tw_set_size(s), 10000);
    for (int64_t i = 0; i < 10000; i++) {
        cr_assert_eq(has_int(s, i * 31), 1);
        cr_assert_eq(has_int(s, i * 31 + 1), 0);
    }
    tw_decref(s);
}

Test(set, discard_reports_whether_it_removed)
{
    TwObject *s = SET_OF(1, 2);
    cr_assert_eq(discard_int(s, 1), 1);
    cr_assert_eq(discard_int(s, 1), 0);
    cr_assert_eq(tw_set_size(s), 1);
    cr_assert_eq(has_int(s, 2), 1);
    tw_decref(s);
}

Test(set, remove_of_a_missing_key_raises_key_error)
{
    /* s = {1}; s.remove(5) -> KeyError: 5 */
    TwObject *s = SET_OF(1);
    TwObject *five = int_obj(5), *one = int_obj(1);
    cr_assert_eq(tw_set_remove(s, five), -1);
    assert_error(&tw_exc_KeyError, "5");
    cr_assert_eq(tw_set_remove(s, one), 0);
    cr_assert_eq(tw_set_size(s), 0);
    tw_decref(five);
    tw_decref(one);
    tw_decref(s);
}

Test(set, pop_of_an_empty_set_raises_key_error)
{
    TwObject *s = tw_set_new();
    cr_assert_null(tw_set_pop(s));
    assert_error(&tw_exc_KeyError, "'pop from an empty set'");
    tw_decref(s);
}

Test(set, pop_empties_the_set_one_element_at_a_time)
{
    TwObject *s = tw_set_new();
    for (int64_t i = 0; i < 100; i++)
        add_int(s, i * 13);
    int64_t sum = 0;
    for (int i = 0; i < 100; i++) {
        TwObject *o = tw_set_pop(s);
        cr_assert_not_null(o);
        sum += int_value(o);
        tw_decref(o);
    }
    cr_assert_eq(sum, 13 * 99 * 100 / 2);
    cr_assert_eq(tw_set_size(s), 0);
    tw_decref(s);
}

Test(set, unhashable_element_raises_type_error)
{
    TwObject *s = tw_set_new();
    TwObject *l = tw_list_new(0);
    cr_assert_eq(tw_set_add(s, l), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_set_contains(s, l), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_set_discard(s, l), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'list'");
    cr_assert_eq(tw_set_size(s), 0);
    tw_decref(l);
    tw_decref(s);
}

/* ---- references ------------------------------------------------------------------------ */

Test(set, members_hold_one_reference_each)
{
    TwObject *x = int_obj(7000001);
    intptr_t before = tw_refcount(x);
    TwObject *s = tw_set_new();
    tw_set_add(s, x);
    tw_set_add(s, x);
    cr_assert_eq(tw_refcount(x), before + 1);
    TwObject *c = tw_set_copy(s);
    cr_assert_eq(tw_refcount(x), before + 2);
    tw_decref(c);
    tw_set_discard(s, x);
    cr_assert_eq(tw_refcount(x), before);
    tw_set_add(s, x);
    TwObject *p = tw_set_pop(s);
    cr_assert_eq(p, x);
    cr_assert_eq(tw_refcount(x), before + 1); /* the set's reference is now ours */
    tw_decref(p);
    tw_decref(s);
    tw_decref(x);
}

Test(set, clear_releases_every_member_and_the_set_stays_usable)
{
    TwObject *x = int_obj(7000002);
    TwObject *s = tw_set_new();
    tw_set_add(s, x);
    for (int64_t i = 0; i < 100; i++)
        add_int(s, i);
    intptr_t before = tw_refcount(x);
    tw_set_clear(s);
    cr_assert_eq(tw_set_size(s), 0);
    cr_assert_eq(tw_refcount(x), before - 1);
    add_int(s, 5);
    cr_assert_eq(has_int(s, 5), 1);
    tw_decref(s);
    tw_decref(x);
}

Test(set, operations_do_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *a = tw_set_new(), *b = tw_set_new();
    for (int64_t i = 0; i < 300; i++) {
        add_int(a, 1000000 + i);
        add_int(b, 1000000 + 2 * i);
    }
    for (int64_t i = 0; i < 300; i += 3)
        discard_int(a, 1000000 + i);
    TwObject *r[5] = {tw_set_union(a, b), tw_set_intersection(a, b), tw_set_difference(a, b),
                      tw_set_difference(b, a), tw_set_copy(a)};
    tw_set_update(a, b);
    for (int i = 0; i < 5; i++)
        tw_decref(r[i]);
    tw_decref(tw_set_pop(a));
    tw_set_clear(b);
    tw_decref(a);
    tw_decref(b);
    tw_test_assert_no_leak(base);
}

/* ---- set algebra ------------------------------------------------------------------------- */

Test(set, union_holds_the_elements_of_both)
{
    TwObject *a = SET_OF(1, 2), *b = SET_OF(2, 3);
    TwObject *u = tw_set_union(a, b);
    cr_assert_eq(tw_set_size(u), 3);
    cr_assert(has_int(u, 1) && has_int(u, 2) && has_int(u, 3));
    TwObject *self = tw_set_union(a, a);
    cr_assert_eq(tw_set_size(self), 2);
    cr_assert_eq(tw_set_size(a), 2);
    tw_decref(self);
    tw_decref(u);
    tw_decref(a);
    tw_decref(b);
}

Test(set, intersection_holds_the_common_elements)
{
    TwObject *a = SET_OF(1, 2, 3, 4), *b = SET_OF(3, 4, 5);
    TwObject *i = tw_set_intersection(a, b);
    cr_assert_eq(tw_set_size(i), 2);
    cr_assert(has_int(i, 3) && has_int(i, 4));
    TwObject *self = tw_set_intersection(a, a);
    cr_assert_eq(tw_set_size(self), 4);
    tw_decref(self);
    tw_decref(i);
    tw_decref(a);
    tw_decref(b);
}

Test(set, difference_removes_the_other_sets_elements)
{
    TwObject *a = SET_OF(1, 2, 3), *b = SET_OF(2, 9);
    TwObject *d = tw_set_difference(a, b);
    ASSERT_ORDER_OF(d, 1, 3);
    TwObject *self = tw_set_difference(a, a);
    cr_assert_eq(tw_set_size(self), 0);
    tw_decref(self);
    tw_decref(d);
    tw_decref(a);
    tw_decref(b);
}

Test(set, update_adds_in_place_and_with_itself_is_a_no_op)
{
    TwObject *a = SET_OF(1), *b = SET_OF(2, 3);
    cr_assert_eq(tw_set_update(a, b), 0);
    cr_assert_eq(tw_set_size(a), 3);
    cr_assert_eq(tw_set_update(a, a), 0);
    cr_assert_eq(tw_set_size(a), 3);
    tw_decref(a);
    tw_decref(b);
}

Test(set, update_with_a_non_iterable_raises_type_error)
{
    TwObject *s = tw_set_new();
    TwObject *x = int_obj(3);
    cr_assert_eq(tw_set_update(s, x), -1);
    assert_error(&tw_exc_TypeError, "'int' object is not iterable");
    tw_decref(x);
    tw_decref(s);
}

Test(set, issubset_tests_inclusion)
{
    TwObject *a = SET_OF(1, 2), *b = SET_OF(1, 2, 3), *e = tw_set_new();
    cr_assert_eq(tw_set_issubset(a, b), 1);
    cr_assert_eq(tw_set_issubset(b, a), 0);
    cr_assert_eq(tw_set_issubset(a, a), 1);
    cr_assert_eq(tw_set_issubset(e, a), 1);
    TwObject *c = SET_OF(1, 4);
    cr_assert_eq(tw_set_issubset(c, b), 0);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(e);
}

/* ---- comparison, hash, repr ---------------------------------------------------------------- */

Test(set, comparisons_are_subset_tests)
{
    TwObject *a = SET_OF(1, 2), *b = SET_OF(1, 2, 3), *a2 = SET_OF(2, 1), *c = SET_OF(7, 8);
    cr_assert(compare(a, a2, TW_EQ));
    cr_assert_not(compare(a, b, TW_EQ));
    cr_assert(compare(a, c, TW_NE));
    cr_assert(compare(a, b, TW_LT));
    cr_assert(compare(a, b, TW_LE));
    cr_assert_not(compare(a, a2, TW_LT));
    cr_assert(compare(a, a2, TW_LE));
    cr_assert(compare(b, a, TW_GT));
    cr_assert(compare(b, a, TW_GE));
    cr_assert_not(compare(a, c, TW_LE));
    cr_assert_not(compare(a, c, TW_GE));
    TwObject *x = int_obj(1);
    cr_assert_not(compare(a, x, TW_EQ));
    cr_assert(compare(a, x, TW_NE));
    cr_assert_null(tw_object_richcompare(a, x, TW_LT));
    assert_error(&tw_exc_TypeError, "'<' not supported between instances of 'set' and 'int'");
    tw_decref(x);
    tw_decref(a);
    tw_decref(a2);
    tw_decref(b);
    tw_decref(c);
}

Test(set, is_unhashable)
{
    TwObject *s = tw_set_new();
    cr_assert_eq(tw_object_hash(s), -1);
    assert_error(&tw_exc_TypeError, "unhashable type: 'set'");
    tw_decref(s);
}

Test(set, repr_matches_python)
{
    TwObject *s = tw_set_new();
    assert_repr(s, "set()");
    tw_decref(s);
    s = SET_OF(5, 100, 3, 1000, 17, 33, 64, 8, 9);
    assert_repr(s, "{64, 33, 3, 100, 5, 1000, 8, 9, 17}");
    tw_decref(s);
    s = tw_set_new();
    TwObject *str = tw_str_from_cstr("x");
    tw_set_add(s, str);
    assert_repr(s, "{'x'}");
    tw_decref(str);
    tw_decref(s);
}

Test(set, to_list_is_a_snapshot)
{
    TwObject *s = SET_OF(1, 2, 3);
    TwObject *l = tw_set_to_list(s);
    tw_set_clear(s);
    cr_assert_eq(tw_list_size(l), 3);
    tw_decref(l);
    tw_decref(s);
}

/* ---- element code that changes the set ------------------------------------------------------ */

/* Shaker: hashes to a constant so elements collide; its first == comparison
 * adds 100 ints to a target set (forcing a resize mid-lookup). */
typedef struct {
    TwObject ob_base;
    int id;
    TwObject *target; /* borrowed; NULL: plain comparison */
} Shaker;

static tw_hash_t shaker_hash(TwObject *op)
{
    return 777777;
}

static TwObject *shaker_richcompare(TwObject *a, TwObject *b, int op)
{
    Shaker *sa = (Shaker *)a;
    if (sa->target != NULL) {
        TwObject *t = sa->target;
        sa->target = NULL;
        for (int64_t i = 0; i < 100; i++)
            add_int(t, 50000 + i);
    }
    int same = TW_TYPE(b) == TW_TYPE(a) && ((Shaker *)b)->id == sa->id;
    return tw_newref(tw_bool_from_long(op == TW_EQ ? same : !same));
}

static void shaker_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static TwType shaker_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Shaker",
    .tp_basicsize = sizeof(Shaker),
    .tp_base = &tw_object_type,
    .tp_dealloc = shaker_dealloc,
    .tp_hash = shaker_hash,
    .tp_richcompare = shaker_richcompare,
};

static TwObject *shaker(int id, TwObject *target)
{
    Shaker *s = (Shaker *)tw_object_new(&shaker_type, 0);
    cr_assert_not_null(s);
    s->id = id;
    s->target = target;
    return (TwObject *)s;
}

Test(set, add_restarts_when_a_comparison_resizes_the_set)
{
    TwObject *s = tw_set_new();
    TwObject *a = shaker(1, s), *b = shaker(2, NULL);
    cr_assert_eq(tw_set_add(s, a), 0);
    cr_assert_eq(tw_set_add(s, b), 0); /* compares a with b: a grows the set */
    cr_assert_eq(tw_set_size(s), 102);
    cr_assert_eq(tw_set_contains(s, a), 1);
    cr_assert_eq(tw_set_contains(s, b), 1);
    cr_assert_eq(has_int(s, 50099), 1);
    TwObject *b2 = shaker(2, NULL);
    cr_assert_eq(tw_set_add(s, b2), 0); /* equal to b: not added */
    cr_assert_eq(tw_set_size(s), 102);
    tw_decref(b2);
    tw_set_clear(s);
    tw_decref(a);
    tw_decref(b);
    tw_decref(s);
}

Test(set, small_table_full_of_dummies_is_rebuilt_in_place)
{
    /* s = {1, 2, 3, 4}; discard all; add 5, 9, 13 -> [9, 13, 5] */
    TwObject *s = SET_OF(1, 2, 3, 4);
    for (int64_t i = 1; i <= 4; i++)
        discard_int(s, i);
    add_int(s, 5);
    add_int(s, 9);
    add_int(s, 13);
    ASSERT_ORDER_OF(s, 9, 13, 5);
    cr_assert(((TwSetObject *)s)->table == ((TwSetObject *)s)->smalltable);
    tw_decref(s);
}

Test(set, pop_finger_wraps_around_the_table)
{
    /* s = {3, 5}; s.pop(); s.add(1); s.pop(); s.pop() -> 3, 5, 1 */
    TwObject *s = SET_OF(3, 5);
    TwObject *a = tw_set_pop(s);
    add_int(s, 1);
    TwObject *b = tw_set_pop(s), *c = tw_set_pop(s);
    cr_assert_eq(int_value(a), 3);
    cr_assert_eq(int_value(b), 5);
    cr_assert_eq(int_value(c), 1);
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
    tw_decref(s);
}

Test(set, issubset_of_a_non_set_raises_type_error)
{
    TwObject *s = tw_set_new();
    TwObject *x = int_obj(3);
    cr_assert_eq(tw_set_issubset(s, x), -1);
    assert_error(&tw_exc_TypeError, "'int' object is not iterable");
    tw_decref(x);
    tw_decref(s);
}

/* Echo: its repr is the repr of a target set, so a set holding one prints
 * itself recursively. */
typedef struct {
    TwObject ob_base;
    TwObject *target; /* borrowed */
} Echo;

static TwObject *echo_repr(TwObject *op)
{
    return tw_object_repr(((Echo *)op)->target);
}

static void echo_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static TwType echo_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Echo",
    .tp_basicsize = sizeof(Echo),
    .tp_base = &tw_object_type,
    .tp_dealloc = echo_dealloc,
    .tp_hash = shaker_hash,
    .tp_repr = echo_repr,
};

Test(set, repr_of_a_set_reached_from_its_own_element_prints_an_ellipsis)
{
    /* class A: __repr__ = lambda self: repr(s);  s = {A()} -> "{set(...)}" */
    TwObject *s = tw_set_new();
    Echo *e = (Echo *)tw_object_new(&echo_type, 0);
    e->target = s;
    tw_set_add(s, (TwObject *)e);
    assert_repr(s, "{set(...)}");
    tw_decref((TwObject *)e);
    tw_decref(s);
}

Test(set, contains_restarts_when_a_comparison_resizes_the_set)
{
    TwObject *s = tw_set_new();
    TwObject *a = shaker(1, NULL), *b = shaker(2, NULL);
    tw_set_add(s, a);
    ((Shaker *)a)->target = s; /* a's next comparison grows the set */
    cr_assert_eq(tw_set_contains(s, b), 0);
    cr_assert_eq(tw_set_size(s), 101);
    cr_assert_eq(tw_set_contains(s, a), 1);
    tw_set_clear(s);
    tw_decref(a);
    tw_decref(b);
    tw_decref(s);
}

/* Raising elements: same hash as Shaker, every comparison raises. */
static TwObject *boom_richcompare(TwObject *a, TwObject *b, int op)
{
    tw_err_set_string(&tw_exc_ValueError, "boom");
    return NULL;
}

static TwType boom_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "Boom",
    .tp_basicsize = sizeof(Shaker),
    .tp_base = &tw_object_type,
    .tp_dealloc = shaker_dealloc,
    .tp_hash = shaker_hash,
    .tp_richcompare = boom_richcompare,
};

Test(set, comparison_errors_propagate_from_every_operation)
{
    TwObject *s = tw_set_new();
    TwObject *bad = tw_object_new(&boom_type, 0);
    tw_set_add(s, bad);
    TwObject *probe = shaker(1, NULL);
    cr_assert_eq(tw_set_add(s, probe), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_set_contains(s, probe), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_set_discard(s, probe), -1);
    assert_error(&tw_exc_ValueError, "boom");
    /* Binary operations walk `other` and look its element up in s. */
    add_int(s, 1);
    add_int(s, 2);
    TwObject *other = tw_set_new();
    tw_set_add(other, probe);
    cr_assert_null(tw_set_intersection(s, other));
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_null(tw_set_difference(other, s));
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_null(tw_set_union(s, other));
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_set_issubset(other, s), -1);
    assert_error(&tw_exc_ValueError, "boom");
    cr_assert_eq(tw_set_size(s), 3);
    tw_decref(other);
    tw_decref(probe);
    tw_decref(bad);
    tw_decref(s);
}
