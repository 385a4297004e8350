/* range and slice: construction errors, length, indexing and slicing with
 * CPython's results, O(1) membership, equality and CPython's hashes (the
 * expected numbers come from python3.12), iteration forwards and backwards
 * at the edges of int64, and one iterator shared by several threads. */
#include <criterion/criterion.h>

#include "support.h"
#include "core/builtins.h"

TestSuite(range, .init = tw_test_setup, .fini = tw_test_teardown);

static TwObject *num(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

/* range(*args) through the type, as a script calls it. */
static TwObject *make_range(int n, int64_t a, int64_t b, int64_t c)
{
    TwObject *args[3] = {num(a), num(b), num(c)};
    TwObject *r = tw_object_vectorcall((TwObject *)&tw_range_type, args, (size_t)n, NULL);
    for (int i = 0; i < 3; i++)
        tw_decref(args[i]);
    return r;
}

static void assert_repr(TwObject *o, const char *expected)
{
    cr_assert_not_null(o);
    TwObject *r = tw_object_repr(o);
    cr_assert_not_null(r);
    cr_assert_str_eq(tw_str_utf8(r), expected);
    tw_decref(r);
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

static int64_t as_i64(TwObject *o)
{
    cr_assert_not_null(o);
    int64_t v = tw_int_as_i64(o);
    tw_decref(o);
    return v;
}

/* r[slice(start, stop, step)] with C ints, INT64_MIN meaning None. */
static TwObject *slice_of(TwObject *r, int64_t start, int64_t stop, int64_t step)
{
    TwObject *f[3];
    int64_t v[3] = {start, stop, step};
    for (int i = 0; i < 3; i++)
        f[i] = v[i] == INT64_MIN ? tw_newref(TW_NONE) : num(v[i]);
    TwObject *s = tw_slice_new(f[0], f[1], f[2]);
    for (int i = 0; i < 3; i++)
        tw_decref(f[i]);
    cr_assert_not_null(s);
    TwObject *res = tw_object_getitem(r, s);
    tw_decref(s);
    return res;
}

Test(range, repr_shows_step_only_when_not_one)
{
    TwObject *a = make_range(1, 10, 0, 0), *b = make_range(3, 1, 10, 2),
             *c = make_range(2, 5, 2, 0);
    assert_repr(a, "range(0, 10)");
    assert_repr(b, "range(1, 10, 2)");
    assert_repr(c, "range(5, 2)");
    tw_decref(a);
    tw_decref(b);
    tw_decref(c);
}

Test(range, argument_errors_match_cpython)
{
    cr_assert_null(tw_object_vectorcall((TwObject *)&tw_range_type, NULL, 0, NULL));
    assert_raises(&tw_exc_TypeError, "range expected at least 1 argument, got 0");
    cr_assert_null(make_range(3, 1, 2, 0));
    assert_raises(&tw_exc_ValueError, "range() arg 3 must not be zero");
    TwObject *f = tw_float_from_double(1.0);
    cr_assert_null(tw_object_vectorcall((TwObject *)&tw_range_type, &f, 1, NULL));
    assert_raises(&tw_exc_TypeError, "'float' object cannot be interpreted as an integer");
    tw_decref(f);
}

Test(range, length_counts_values_in_either_direction)
{
    TwObject *r;
    cr_assert_eq(tw_object_len(r = make_range(1, 10, 0, 0)), 10);
    tw_decref(r);
    cr_assert_eq(tw_object_len(r = make_range(3, 0, 10, 3)), 4);
    tw_decref(r);
    cr_assert_eq(tw_object_len(r = make_range(3, 10, 0, -3)), 4);
    tw_decref(r);
    cr_assert_eq(tw_object_len(r = make_range(2, 5, 2, 0)), 0);
    tw_decref(r);
    /* len(range(-10**18, 10**18, 3)) == 666666666666666667 */
    cr_assert_eq(tw_object_len(r = make_range(3, -1000000000000000000, 1000000000000000000, 3)),
                 666666666666666667);
    tw_decref(r);
}

Test(range, length_beyond_int64_overflows_like_cpython)
{
    TwObject *r = tw_range_new(INT64_MIN, INT64_MAX, 1);
    cr_assert_eq(tw_object_len(r), -1);
    assert_raises(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
    /* ... but it is still true and iterable. */
    cr_assert_eq(tw_object_is_true(r), 1);
    tw_decref(r);
}

Test(range, indexing_counts_negative_indexes_from_the_end)
{
    TwObject *r = make_range(3, 10, 0, -3); /* 10, 7, 4, 1 */
    TwObject *k;
    cr_assert_eq(as_i64(tw_object_getitem(r, k = num(0))), 10);
    tw_decref(k);
    cr_assert_eq(as_i64(tw_object_getitem(r, k = num(-1))), 1);
    tw_decref(k);
    cr_assert_eq(as_i64(tw_object_getitem(r, TW_TRUE)), 7);
    cr_assert_null(tw_object_getitem(r, k = num(4)));
    tw_decref(k);
    assert_raises(&tw_exc_IndexError, "range object index out of range");
    cr_assert_null(tw_object_getitem(r, k = num(-5)));
    tw_decref(k);
    assert_raises(&tw_exc_IndexError, "range object index out of range");
    TwObject *s = tw_str_from_cstr("a");
    cr_assert_null(tw_object_getitem(r, s));
    assert_raises(&tw_exc_TypeError, "range indices must be integers or slices, not str");
    tw_decref(s);
    tw_decref(r);
}

Test(range, slicing_gives_the_ranges_cpython_gives)
{
    const int64_t N = INT64_MIN;
    TwObject *r10 = make_range(1, 10, 0, 0), *r3 = make_range(3, 0, 10, 3),
             *down = make_range(3, 10, 0, -3), *s;
    assert_repr(s = slice_of(r10, 2, 100, N), "range(2, 10)");
    tw_decref(s);
    assert_repr(s = slice_of(r3, 1, N, N), "range(3, 12, 3)");
    tw_decref(s);
    assert_repr(s = slice_of(r10, N, N, -1), "range(9, -1, -1)");
    tw_decref(s);
    assert_repr(s = slice_of(r10, -3, N, N), "range(7, 10)");
    tw_decref(s);
    assert_repr(s = slice_of(down, 1, 3, N), "range(7, 1, -3)");
    tw_decref(s);
    assert_repr(s = slice_of(r10, 20, 30, N), "range(10, 10)");
    tw_decref(s);
    cr_assert_null(slice_of(r10, N, N, 0));
    assert_raises(&tw_exc_ValueError, "slice step cannot be zero");
    tw_decref(r10);
    tw_decref(r3);
    tw_decref(down);
}

Test(range, membership_of_ints_is_arithmetic)
{
    TwObject *big = tw_range_new(0, INT64_MAX, 7), *k;
    cr_assert_eq(tw_sequence_contains(big, k = num(7000000000000000)), 1);
    tw_decref(k);
    cr_assert_eq(tw_sequence_contains(big, k = num(7000000000000001)), 0);
    tw_decref(k);
    cr_assert_eq(tw_sequence_contains(big, k = num(-7)), 0);
    tw_decref(k);
    tw_decref(big);

    TwObject *down = make_range(3, 10, 0, -3);
    cr_assert_eq(tw_sequence_contains(down, k = num(4)), 1);
    tw_decref(k);
    cr_assert_eq(tw_sequence_contains(down, k = num(0)), 0);
    tw_decref(k);
    cr_assert_eq(tw_sequence_contains(down, TW_TRUE), 1);
    tw_decref(down);
}

Test(range, membership_of_other_objects_compares_each_value)
{
    TwObject *r = make_range(1, 3, 0, 0);
    TwObject *f = tw_float_from_double(1.0), *g = tw_float_from_double(1.5),
             *s = tw_str_from_cstr("1");
    cr_assert_eq(tw_sequence_contains(r, f), 1);
    cr_assert_eq(tw_sequence_contains(r, g), 0);
    cr_assert_eq(tw_sequence_contains(r, s), 0);
    tw_decref(f);
    tw_decref(g);
    tw_decref(s);
    tw_decref(r);
}

Test(range, equal_ranges_yield_the_same_values)
{
    TwObject *e1 = make_range(1, 0, 0, 0), *e2 = make_range(2, 5, 2, 0);
    TwObject *a = make_range(3, 0, 3, 2), *b = make_range(3, 0, 4, 2);
    TwObject *one1 = make_range(3, 5, 6, 1), *one2 = make_range(3, 5, 7, 9);
    cr_assert_eq(tw_object_eq(e1, e2), 1);
    cr_assert_eq(tw_object_eq(a, b), 1);
    cr_assert_eq(tw_object_eq(one1, one2), 1);
    cr_assert_eq(tw_object_eq(a, one1), 0);
    cr_assert_eq(tw_object_hash(e1), tw_object_hash(e2));
    cr_assert_eq(tw_object_hash(a), tw_object_hash(b));
    cr_assert_eq(tw_object_hash(one1), tw_object_hash(one2));
    TwObject *objs[] = {e1, e2, a, b, one1, one2};
    for (size_t i = 0; i < 6; i++)
        tw_decref(objs[i]);
}

Test(range, hashes_match_cpython)
{
    TwObject *r;
    /* hash(range(0)), hash(range(5, 6)), hash(range(1, 10, 2)) in CPython 3.12 */
    cr_assert_eq(tw_object_hash(r = make_range(1, 0, 0, 0)), INT64_C(2676694398852732306));
    tw_decref(r);
    cr_assert_eq(tw_object_hash(r = make_range(2, 5, 6, 0)), INT64_C(-7048428680432378585));
    tw_decref(r);
    cr_assert_eq(tw_object_hash(r = make_range(3, 1, 10, 2)), INT64_C(-8580228179051518038));
    tw_decref(r);
}

/* Collect up to `max` values of an iterator. */
static int collect(TwObject *it, int64_t *out, int max)
{
    int n = 0;
    TwObject *v;
    while ((v = tw_iter_next(it)) != NULL) {
        cr_assert_lt(n, max);
        out[n++] = as_i64(v);
    }
    cr_assert_null(tw_err_occurred());
    return n;
}

Test(range, iteration_reaches_the_edges_of_int64)
{
    int64_t got[8];
    TwObject *r = tw_range_new(INT64_MAX - 2, INT64_MAX, 1), *it = tw_object_iter(r);
    cr_assert_eq(collect(it, got, 8), 2);
    cr_assert_eq(got[0], INT64_MAX - 2);
    cr_assert_eq(got[1], INT64_MAX - 1);
    cr_assert_null(tw_iter_next(it)); /* stays exhausted */
    tw_decref(it);
    tw_decref(r);

    r = tw_range_new(INT64_MAX, INT64_MIN, INT64_MIN); /* INT64_MAX, -1 */
    it = tw_object_iter(r);
    cr_assert_eq(collect(it, got, 8), 2);
    cr_assert_eq(got[0], INT64_MAX);
    cr_assert_eq(got[1], -1);
    tw_decref(it);
    it = tw_range_reversed(r);
    cr_assert_eq(collect(it, got, 8), 2);
    cr_assert_eq(got[0], -1);
    cr_assert_eq(got[1], INT64_MAX);
    tw_decref(it);
    tw_decref(r);
}

Test(range, reversed_walks_from_the_last_value)
{
    int64_t got[8];
    TwObject *r = make_range(3, 1, 10, 4); /* 1, 5, 9 */
    TwObject *it = tw_reversed_of(r);
    cr_assert_not_null(it);
    cr_assert_eq(collect(it, got, 8), 3);
    cr_assert_eq(got[0], 9);
    cr_assert_eq(got[1], 5);
    cr_assert_eq(got[2], 1);
    tw_decref(it);
    tw_decref(r);
}

#define SHARED_N       200000
#define SHARED_THREADS 4

typedef struct {
    TwObject *it;
    _Atomic int64_t sum, count;
} Shared;

static void consume(int index, void *arg)
{
    Shared *sh = arg;
    int64_t sum = 0, count = 0;
    TwObject *v;
    while ((v = tw_iter_next(sh->it)) != NULL) {
        sum += tw_int_as_i64(v);
        count++;
        tw_decref(v);
    }
    atomic_fetch_add(&sh->sum, sum);
    atomic_fetch_add(&sh->count, count);
}

Test(range, a_shared_iterator_hands_out_each_value_once)
{
    TwObject *r = tw_range_new(0, SHARED_N, 1);
    Shared sh = {.it = tw_object_iter(r)};
    tw_test_run_threads(SHARED_THREADS, consume, &sh);
    cr_assert_eq(atomic_load(&sh.count), SHARED_N);
    cr_assert_eq(atomic_load(&sh.sum), (int64_t)SHARED_N * (SHARED_N - 1) / 2);
    tw_decref(sh.it);
    tw_decref(r);
}

Test(range, iteration_does_not_leak)
{
    int64_t base = tw_test_live();
    TwObject *r = tw_range_new(0, 1000, 1), *it = tw_object_iter(r), *v;
    while ((v = tw_iter_next(it)) != NULL)
        tw_decref(v);
    tw_decref(it);
    tw_decref(r);
    tw_test_assert_no_leak(base);
}

/* ---- slices ---------------------------------------------------------------------- */

Test(range, slice_repr_and_indices)
{
    TwObject *one = num(1), *two = num(2);
    TwObject *s = tw_slice_new(one, two, NULL);
    assert_repr(s, "slice(1, 2, None)");
    TwObject *len = num(5);
    TwObject *t = tw_object_call_method(s, "indices", &len, 1);
    assert_repr(t, "(1, 2, 1)");
    tw_decref(t);
    tw_decref(s);

    s = tw_slice_new(NULL, NULL, tw_int_from_i64(-1));
    intptr_t start, stop, step, n;
    cr_assert_eq(tw_slice_indices(s, 5, &start, &stop, &step, &n), 0);
    cr_assert_eq(start, 4);
    cr_assert_eq(stop, -1);
    cr_assert_eq(step, -1);
    cr_assert_eq(n, 5);
    tw_decref(s);
    tw_decref(len);
    tw_decref(one);
    tw_decref(two);
}

Test(range, slice_indices_clamp_out_of_range_bounds)
{
    TwObject *lo = num(-100), *hi = num(100);
    TwObject *s = tw_slice_new(lo, hi, NULL);
    intptr_t start, stop, step, n;
    cr_assert_eq(tw_slice_indices(s, 5, &start, &stop, &step, &n), 0);
    cr_assert_eq(start, 0);
    cr_assert_eq(stop, 5);
    cr_assert_eq(n, 5);
    tw_decref(s);
    tw_decref(lo);
    tw_decref(hi);
}

Test(range, slice_hash_matches_cpython)
{
    TwObject *one = num(1), *two = num(2);
    TwObject *s = tw_slice_new(one, two, NULL), *all = tw_slice_new(NULL, NULL, NULL);
    /* hash(slice(1, 2)) and hash(slice(None)) in CPython 3.12 */
    cr_assert_eq(tw_object_hash(s), INT64_C(-2178470213028018262));
    cr_assert_eq(tw_object_hash(all), INT64_C(4032618106351268893));
    tw_decref(s);
    tw_decref(all);
    tw_decref(one);
    tw_decref(two);
}

Test(range, slice_with_bad_index_type_raises_cpython_message)
{
    TwObject *f = tw_float_from_double(1.0);
    TwObject *s = tw_slice_new(f, NULL, NULL);
    intptr_t start, stop, step, n;
    cr_assert_eq(tw_slice_indices(s, 3, &start, &stop, &step, &n), -1);
    assert_raises(&tw_exc_TypeError,
                  "slice indices must be integers or None or have an __index__ method");
    tw_decref(s);
    tw_decref(f);
}

/* ---- ranges past int64 ------------------------------------------------------------ */

/* 10**20 as an int. */
static TwObject *ten_to_20(void)
{
    TwObject *t = tw_int_from_string("100000000000000000000", 21, 10);
    cr_assert_not_null(t);
    return t;
}

Test(range, bounds_past_int64_compute_exactly)
{
    TwObject *big = ten_to_20();
    TwObject *r = tw_object_vectorcall((TwObject *)&tw_range_type, &big, 1, NULL);
    assert_repr(r, "range(0, 100000000000000000000)");
    TwObject *k = num(-1);
    TwObject *last = tw_object_getitem(r, k);
    assert_repr(last, "99999999999999999999");
    cr_assert_eq(tw_sequence_contains(r, last), 1);
    cr_assert_eq(tw_sequence_contains(r, big), 0);
    cr_assert_eq(tw_object_len(r), -1);
    assert_raises(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
    TwObject *s = slice_of(r, INT64_MIN, INT64_MIN, -1);
    assert_repr(s, "range(99999999999999999999, -1, -1)");
    TwObject *it = tw_object_iter(s);
    assert_repr(tw_iter_next(it), "99999999999999999999");
    assert_repr(tw_iter_next(it), "99999999999999999998");
    tw_decref(it);
    tw_decref(s);
    tw_decref(last);
    tw_decref(k);
    tw_decref(r);
    tw_decref(big);
}

Test(range, a_big_range_equals_the_small_range_of_the_same_values)
{
    TwObject *big = ten_to_20(), *zero = num(0);
    TwObject *args[3] = {zero, big, big};
    TwObject *one_value = tw_object_vectorcall((TwObject *)&tw_range_type, args, 3, NULL);
    TwObject *small = make_range(1, 1, 0, 0);
    cr_assert_eq(tw_object_eq(one_value, small), 1);
    cr_assert_eq(tw_object_hash(one_value), tw_object_hash(small));
    tw_decref(one_value);
    tw_decref(small);
    tw_decref(zero);
    tw_decref(big);
}
