/* Containers shared between threads: no lost or duplicated update, no torn
 * snapshot, no crash, and every object that crossed threads freed.
 *
 * Threads start together at a barrier (tw_test_run_threads).  Each test's
 * outcome is deterministic: threads either own disjoint keys (their final
 * state is exact) or write values that every reader can validate on its
 * own (a value encodes its key).  Workers pass a check point after each
 * operation, so the GIL build switches threads too.  Operation counts are
 * fixed (no timing), small enough to run in about a second under
 * ThreadSanitizer on two cores. */
#include <criterion/criterion.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <twinpy/abstract.h>

#include "support.h"

/* A short GIL switch interval, so that the GIL build (and the free-threaded
 * build when run with its GIL on) hands the GIL between workers many times
 * during these short runs instead of running them one after another. */
static void stress_setup(void)
{
    tw_test_setup();
    tw_gil_set_interval_us(50);
}

TestSuite(container_stress, .init = stress_setup, .fini = tw_test_teardown, .timeout = 120);

/* ---- helpers ---------------------------------------------------------------- */

/* Worker-side failures are counted, not asserted: Criterion's asserts
 * belong to the test's main thread.  The main thread asserts the count. */
static _Atomic int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            if (atomic_fetch_add(&failures, 1) == 0)                                               \
                fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                          \
    } while (0)

static TwObject *int_obj(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    if (o == NULL)
        abort();
    return o;
}

/* The int value, or INT64_MIN for a non-int or NULL (a check then fails). */
static int64_t int_value(TwObject *o)
{
    if (o == NULL || !tw_int_check(o))
        return INT64_MIN;
    return tw_int_as_i64(o);
}

/* A check point: lets the GIL pass to another thread and serves
 * refcount-merge requests. */
static void check_point(void)
{
    CHECK(tw_eval_breaker_check() == 0);
}

/* Live objects now, or -1 in release builds (no leak check there). */
static int64_t live_now(void)
{
    return tw_debug_live_objects();
}

/* Merge what other threads queued for this thread, then compare the
 * live-object count with the baseline (debug builds only). */
static void assert_no_leak_if_counted(int64_t base)
{
    cr_assert_eq(tw_eval_breaker_check(), 0);
    if (base >= 0)
        tw_test_assert_no_leak(base);
}

static void assert_no_worker_failures(void)
{
    cr_assert_eq(atomic_load(&failures), 0, "%d checks failed in worker threads",
                 atomic_load(&failures));
}

/* ---- list: concurrent appends --------------------------------------------------- */

typedef struct {
    TwObject *list;
    int n;
} AppendJob;

/* Values are 1000000 + thread * n + i: heap ints, unique per append. */
static void append_worker(int t, void *arg)
{
    AppendJob *job = arg;
    for (int i = 0; i < job->n; i++) {
        TwObject *o = int_obj(1000000 + (int64_t)t * job->n + i);
        CHECK(tw_list_append(job->list, o) == 0);
        tw_decref(o);
        check_point();
    }
}

static void run_concurrent_appends(int k, int n)
{
    int64_t base = live_now();
    AppendJob job = {tw_list_new(0), n};
    tw_test_run_threads(k, append_worker, &job);
    assert_no_worker_failures();
    cr_assert_eq(tw_list_size(job.list), (intptr_t)k * n);

    /* Every value exactly once, and each thread's values in its order. */
    char *seen = calloc((size_t)k * n, 1);
    int64_t *last = malloc(sizeof(int64_t) * (size_t)k);
    for (int t = 0; t < k; t++)
        last[t] = -1;
    for (intptr_t i = 0; i < (intptr_t)k * n; i++) {
        TwObject *o = tw_list_get_item(job.list, i);
        int64_t v = int_value(o) - 1000000;
        tw_decref(o);
        cr_assert(v >= 0 && v < (int64_t)k * n, "value %lld out of range", (long long)v);
        cr_assert_eq(seen[v], 0, "value %lld appended twice", (long long)v);
        seen[v] = 1;
        int t = (int)(v / n);
        cr_assert_gt(v, last[t], "thread %d's appends out of order", t);
        last[t] = v;
    }
    free(seen);
    free(last);
    tw_decref(job.list);
    assert_no_leak_if_counted(base);
}

Test(container_stress, two_threads_appending_lose_no_item)
{
    run_concurrent_appends(2, 20000);
}

Test(container_stress, three_threads_appending_lose_no_item)
{
    run_concurrent_appends(3, 15000);
}

Test(container_stress, four_threads_appending_lose_no_item)
{
    run_concurrent_appends(4, 10000);
}

/* ---- list: mixed mutation with snapshots ------------------------------------------ */

/* The list keeps M "slots" at its front: slot i always holds a value
 * congruent to i mod M.  Writers rewrite slots and push/pop TAIL values
 * behind them (each writer pops only after its own push, so the front is
 * never popped).  The reader (thread 0) takes copies and tuples and checks
 * that invariant on each. */
#define SLOTS     64
#define TAIL      777777777
#define LIST_OPS  4000
#define LIST_SNAP 300

typedef struct {
    TwObject *list;
} ListMixJob;

static void check_list_snapshot(TwObject *snap, int is_tuple)
{
    intptr_t n = is_tuple ? tw_tuple_size(snap) : tw_list_size(snap);
    CHECK(n >= SLOTS);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *o =
            is_tuple ? tw_newref(tw_tuple_get_item_borrowed(snap, i)) : tw_list_get_item(snap, i);
        int64_t v = int_value(o);
        tw_xdecref(o);
        if (i < SLOTS)
            CHECK(v >= 0 && v % SLOTS == i);
        else
            CHECK(v == TAIL);
    }
}

static void list_mix_worker(int t, void *arg)
{
    ListMixJob *job = arg;
    if (t == 0) {
        for (int r = 0; r < LIST_SNAP; r++) {
            TwObject *c = tw_list_copy(job->list);
            check_list_snapshot(c, 0);
            tw_decref(c);
            TwObject *tup = tw_list_as_tuple(job->list);
            check_list_snapshot(tup, 1);
            tw_decref(tup);
            TwObject *tail = int_obj(TAIL);
            CHECK(tw_list_count(job->list, tail) >= 0);
            tw_decref(tail);
            check_point();
        }
        return;
    }
    TwObject *tail = int_obj(TAIL);
    for (int r = 0; r < LIST_OPS; r++) {
        intptr_t slot = (r * 7 + t) % SLOTS;
        TwObject *v = int_obj(slot + SLOTS * (1000 + r));
        CHECK(tw_list_set_item(job->list, slot, v) == 0);
        tw_decref(v);
        TwObject *got = tw_list_get_item(job->list, slot);
        CHECK(int_value(got) % SLOTS == slot);
        tw_xdecref(got);
        CHECK(tw_list_append(job->list, tail) == 0);
        if (r % 2 == 0) {
            TwObject *p = tw_list_pop(job->list, -1);
            CHECK(int_value(p) == TAIL);
            tw_xdecref(p);
        } else {
            CHECK(tw_list_remove(job->list, tail) == 0);
        }
        check_point();
    }
    tw_decref(tail);
}

Test(container_stress, list_snapshots_stay_consistent_under_mutation)
{
    int64_t base = live_now();
    ListMixJob job = {tw_list_new(0)};
    for (int64_t i = 0; i < SLOTS; i++) {
        TwObject *o = int_obj(i + SLOTS * 100);
        tw_list_append(job.list, o);
        tw_decref(o);
    }
    tw_test_run_threads(3, list_mix_worker, &job);
    assert_no_worker_failures();
    cr_assert_eq(tw_list_size(job.list), SLOTS, "every pushed tail was popped");
    TwObject *c = tw_list_copy(job.list);
    check_list_snapshot(c, 0);
    tw_decref(c);
    assert_no_worker_failures();
    tw_decref(job.list);
    assert_no_leak_if_counted(base);
}

/* ---- dict: owned ranges and a shared key set -------------------------------------- */

/* Thread t owns keys OWN_BASE(t) .. + DICT_OWN - 1 and knows their exact
 * values.  All threads also write the COMMON shared keys with values
 * key * 16 + thread, which anyone can validate. */
#define DICT_OWN    600
#define DICT_ROUNDS 6
#define COMMON      32
#define COMMON_BASE 5000000
#define OWN_BASE(t) (10000000 + (int64_t)(t)*100000)

typedef struct {
    TwObject *dict;
    int threads;
} DictJob;

static int valid_common(int64_t key, TwObject *value, int threads)
{
    int64_t v = int_value(value);
    return v != INT64_MIN && v / 16 == key && v % 16 < threads;
}

static void hammer_common(TwObject *d, int t, int threads, int step)
{
    int64_t k = COMMON_BASE + (step * 5 + t) % COMMON;
    TwObject *key = int_obj(k), *value = int_obj(k * 16 + t), *got = NULL;
    switch (step % 4) {
    case 0:
        CHECK(tw_dict_set_item(d, key, value) == 0);
        break;
    case 1: {
        int r = tw_dict_get_item_ref(d, key, &got);
        CHECK(r >= 0);
        if (r == 1)
            CHECK(valid_common(k, got, threads));
        break;
    }
    case 2:
        got = tw_dict_pop(d, key, TW_NONE);
        CHECK(got == TW_NONE || valid_common(k, got, threads));
        break;
    default:
        CHECK(tw_dict_set_default_ref(d, key, value, &got) >= 0);
        CHECK(valid_common(k, got, threads));
        break;
    }
    tw_xdecref(got);
    tw_decref(key);
    tw_decref(value);
}

static void dict_worker(int t, void *arg)
{
    DictJob *job = arg;
    TwObject *d = job->dict;
    int step = 0;
    for (int r = 0; r < DICT_ROUNDS; r++) {
        for (int64_t j = 0; j < DICT_OWN; j++) {
            TwObject *key = int_obj(OWN_BASE(t) + j), *value = int_obj(j * 100 + r), *got;
            CHECK(tw_dict_set_item(d, key, value) == 0);
            CHECK(tw_dict_get_item_ref(d, key, &got) == 1 && got == value);
            tw_xdecref(got);
            if ((j + r) % 3 == 0) {
                CHECK(tw_dict_del_item(d, key) == 0);
                CHECK(tw_dict_contains(d, key) == 0);
            }
            tw_decref(key);
            tw_decref(value);
            hammer_common(d, t, job->threads, step++);
            check_point();
        }
    }
}

Test(container_stress, dict_updates_from_several_threads_stay_consistent)
{
    int64_t base = live_now();
    enum { K = 3 };
    DictJob job = {tw_dict_new(), K};
    tw_test_run_threads(K, dict_worker, &job);
    assert_no_worker_failures();

    /* Owned keys: exactly those not deleted in the last round, with its value. */
    intptr_t own_present = 0;
    for (int t = 0; t < K; t++) {
        for (int64_t j = 0; j < DICT_OWN; j++) {
            TwObject *key = int_obj(OWN_BASE(t) + j), *got;
            int r = tw_dict_get_item_ref(job.dict, key, &got);
            int deleted = (j + DICT_ROUNDS - 1) % 3 == 0;
            cr_assert_eq(r, !deleted, "thread %d key %lld", t, (long long)j);
            if (r == 1) {
                cr_assert_eq(int_value(got), j * 100 + DICT_ROUNDS - 1);
                own_present++;
            }
            tw_xdecref(got);
            tw_decref(key);
        }
    }
    intptr_t common_present = 0;
    for (int64_t k = COMMON_BASE; k < COMMON_BASE + COMMON; k++) {
        TwObject *key = int_obj(k), *got;
        if (tw_dict_get_item_ref(job.dict, key, &got) == 1) {
            cr_assert(valid_common(k, got, K), "common key %lld holds an invalid value",
                      (long long)k);
            common_present++;
        }
        tw_xdecref(got);
        tw_decref(key);
    }
    cr_assert_eq(tw_dict_size(job.dict), own_present + common_present);
    tw_decref(job.dict);
    assert_no_leak_if_counted(base);
}

/* ---- dict: snapshots and iteration under mutation ---------------------------------- */

/* Writers insert and delete their own keys (resizing the table) and rewrite
 * the shared keys; every value is key * 16 + thread.  The reader checks
 * items(), keys() + copy(), and a next_ref walk (which may stop with
 * RuntimeError when the size changes, and is then restarted). */
#define SNAP_WRITES 3000
#define SNAP_READS  200

static int valid_pair(TwObject *key, TwObject *value)
{
    int64_t k = int_value(key), v = int_value(value);
    return k != INT64_MIN && v != INT64_MIN && v / 16 == k && v % 16 < 4;
}

static void dict_snapshot_worker(int t, void *arg)
{
    TwObject *d = ((DictJob *)arg)->dict;
    if (t == 0) {
        for (int r = 0; r < SNAP_READS; r++) {
            TwObject *items = tw_dict_items(d);
            CHECK(items != NULL);
            for (intptr_t i = 0; items != NULL && i < tw_list_size(items); i++) {
                TwObject *pair = tw_list_get_item(items, i);
                CHECK(tw_tuple_size(pair) == 2);
                CHECK(valid_pair(tw_tuple_get_item_borrowed(pair, 0),
                                 tw_tuple_get_item_borrowed(pair, 1)));
                tw_decref(pair);
            }
            tw_xdecref(items);

            TwObject *copy = tw_dict_copy(d);
            TwObject *keys = tw_dict_keys(copy);
            CHECK(tw_list_size(keys) == tw_dict_size(copy));
            for (intptr_t i = 0; i < tw_list_size(keys); i++) {
                TwObject *k = tw_list_get_item(keys, i), *v;
                CHECK(tw_dict_get_item_ref(copy, k, &v) == 1 && valid_pair(k, v));
                tw_xdecref(v);
                tw_decref(k);
            }
            tw_decref(keys);
            tw_decref(copy);

            intptr_t pos = 0;
            TwObject *k, *v;
            int rc;
            while ((rc = tw_dict_next_ref(d, &pos, &k, &v)) == 1) {
                CHECK(valid_pair(k, v));
                tw_decref(k);
                tw_decref(v);
            }
            if (rc < 0) {
                CHECK(tw_err_matches(&tw_exc_RuntimeError));
                tw_err_clear();
            }
            check_point();
        }
        return;
    }
    for (int r = 0; r < SNAP_WRITES; r++) {
        int64_t own = 100000 * t + r % 500;
        TwObject *key = int_obj(own), *value = int_obj(own * 16 + t);
        if ((r / 500) % 2 == 0)
            CHECK(tw_dict_set_item(d, key, value) == 0);
        else
            CHECK(tw_dict_del_item(d, key) == 0);
        tw_decref(key);
        tw_decref(value);
        int64_t shared = 1000 + r % 50;
        key = int_obj(shared);
        value = int_obj(shared * 16 + t);
        CHECK(tw_dict_set_item(d, key, value) == 0);
        tw_decref(key);
        tw_decref(value);
        check_point();
    }
}

Test(container_stress, dict_snapshots_and_iteration_stay_consistent_under_mutation)
{
    int64_t base = live_now();
    DictJob job = {tw_dict_new(), 3};
    tw_test_run_threads(3, dict_snapshot_worker, &job);
    assert_no_worker_failures();
    /* Each writer's 3000 steps are six phases of 500 that alternately
     * insert and delete its own keys, ending with a delete: only the 50
     * shared keys remain. */
    cr_assert_eq(tw_dict_size(job.dict), 50);
    tw_decref(job.dict);
    assert_no_leak_if_counted(base);
}

/* ---- set: owned ranges and shared elements ----------------------------------------- */

#define SET_OWN    1500
#define SET_COMMON 40

typedef struct {
    TwObject *set;
} SetJob;

static void set_worker(int t, void *arg)
{
    TwObject *s = ((SetJob *)arg)->set;
    int64_t base = 2000000 + (int64_t)t * 100000;
    for (int64_t j = 0; j < SET_OWN; j++) {
        TwObject *o = int_obj(base + j);
        CHECK(tw_set_add(s, o) == 0);
        CHECK(tw_set_contains(s, o) == 1);
        if (j % 2 == 1) {
            CHECK(tw_set_discard(s, o) == 1);
            CHECK(tw_set_contains(s, o) == 0);
        }
        tw_decref(o);
        TwObject *c = int_obj(9000000 + (j * 3 + t) % SET_COMMON);
        if (j % 3 == 0)
            CHECK(tw_set_discard(s, c) >= 0);
        else
            CHECK(tw_set_add(s, c) == 0);
        tw_decref(c);
        if (j % 100 == 0) {
            /* A snapshot: no duplicates, every element in a known range. */
            TwObject *l = tw_set_to_list(s);
            TwObject *again = tw_set_new();
            for (intptr_t i = 0; i < tw_list_size(l); i++) {
                TwObject *e = tw_list_get_item(l, i);
                int64_t v = int_value(e);
                CHECK((v >= 2000000 && v < 2000000 + 4 * 100000) ||
                      (v >= 9000000 && v < 9000000 + SET_COMMON));
                CHECK(tw_set_contains(again, e) == 0);
                tw_set_add(again, e);
                tw_decref(e);
            }
            tw_decref(again);
            tw_decref(l);
        }
        check_point();
    }
}

Test(container_stress, set_adds_and_discards_from_several_threads_stay_consistent)
{
    int64_t base = live_now();
    enum { K = 4 };
    SetJob job = {tw_set_new()};
    tw_test_run_threads(K, set_worker, &job);
    assert_no_worker_failures();
    intptr_t common = 0;
    for (int64_t c = 9000000; c < 9000000 + SET_COMMON; c++) {
        TwObject *o = int_obj(c);
        common += tw_set_contains(job.set, o);
        tw_decref(o);
    }
    for (int t = 0; t < K; t++) {
        for (int64_t j = 0; j < SET_OWN; j++) {
            TwObject *o = int_obj(2000000 + (int64_t)t * 100000 + j);
            cr_assert_eq(tw_set_contains(job.set, o), j % 2 == 0, "thread %d element %lld", t,
                         (long long)j);
            tw_decref(o);
        }
    }
    cr_assert_eq(tw_set_size(job.set), K * SET_OWN / 2 + common);
    tw_decref(job.set);
    assert_no_leak_if_counted(base);
}

/* pop() against owners' removals.  Each thread adds its element j, then
 * removes j - 1, so the set holds about two elements per thread and every
 * pop() takes an element whose owner is about to remove it.  Each element
 * must leave the set exactly once: the owner's removal finds it (and then
 * no pop returned it) or finds it gone (and then exactly one pop did).
 * Readers iterate the set meanwhile. */
#define POP_K     4
#define POP_STEPS 3000

typedef struct {
    TwObject *set;
    signed char owner_result[POP_K][POP_STEPS]; /* tw_set_discard's result; -2 not removed */
    _Atomic int popped[POP_K][POP_STEPS];        /* how many pops returned the element */
} PopJob;

static void pop_worker(int t, void *arg)
{
    PopJob *job = arg;
    TwObject *s = job->set;
    for (int j = 0; j < POP_STEPS; j++) {
        TwObject *o = int_obj((int64_t)t * 100000 + j);
        CHECK(tw_set_add(s, o) == 0);
        tw_decref(o);
        if (j > 0) {
            TwObject *prev = int_obj((int64_t)t * 100000 + j - 1);
            int r = tw_set_discard(s, prev);
            CHECK(r == 0 || r == 1);
            job->owner_result[t][j - 1] = (signed char)r;
            tw_decref(prev);
        }
        if (j % 3 == (t & 1) + 1) {
            TwObject *p = tw_set_pop(s);
            if (p == NULL) {
                CHECK(tw_err_matches(&tw_exc_KeyError));
                tw_err_clear();
            } else {
                int64_t v = int_value(p);
                int owner = (int)(v / 100000), k = (int)(v % 100000);
                CHECK(v >= 0 && owner < POP_K && k < POP_STEPS);
                if (v >= 0 && owner < POP_K && k < POP_STEPS)
                    atomic_fetch_add(&job->popped[owner][k], 1);
                tw_decref(p);
            }
        } else if (j % 7 == 0) {
            TwObject *it = tw_object_iter(s);
            CHECK(it != NULL);
            TwObject *x;
            while (it != NULL && (x = tw_iter_next(it)) != NULL) {
                int64_t v = int_value(x);
                CHECK(v >= 0 && v / 100000 < POP_K && v % 100000 < POP_STEPS);
                tw_decref(x);
            }
            if (tw_err_occurred()) {
                CHECK(tw_err_matches(&tw_exc_RuntimeError)); /* changed size */
                tw_err_clear();
            }
            tw_xdecref(it);
        }
        check_point();
    }
}

Test(container_stress, set_pop_and_owners_removals_take_each_element_once)
{
    int64_t base = live_now();
    PopJob *job = calloc(1, sizeof(PopJob));
    cr_assert_not_null(job);
    job->set = tw_set_new();
    memset(job->owner_result, -2, sizeof(job->owner_result));
    tw_test_run_threads(POP_K, pop_worker, job);
    assert_no_worker_failures();
    intptr_t left = 0;
    for (int t = 0; t < POP_K; t++) {
        for (int j = 0; j < POP_STEPS; j++) {
            int popped = atomic_load(&job->popped[t][j]);
            cr_assert_leq(popped, 1, "element %d/%d popped %d times", t, j, popped);
            if (j < POP_STEPS - 1) {
                cr_assert_eq(job->owner_result[t][j], popped ? 0 : 1,
                             "element %d/%d: removal returned %d, popped %d times", t, j,
                             job->owner_result[t][j], popped);
            } else {
                TwObject *o = int_obj((int64_t)t * 100000 + j);
                cr_assert_eq(tw_set_contains(job->set, o), !popped, "last element of %d", t);
                tw_decref(o);
                left += !popped;
            }
        }
    }
    cr_assert_eq(tw_set_size(job->set), left);
    tw_decref(job->set);
    free(job);
    assert_no_leak_if_counted(base);
}

/* Two threads run binary operations on sets that two others mutate: the
 * results must be made of elements that were in the operands. */
typedef struct {
    TwObject *a, *b;
} SetPairJob;

/* Every element of s is a shared element, or one of a's own (may_a), or
 * one of b's own (may_b). */
static void check_members(TwObject *s, int may_a, int may_b)
{
    TwObject *l = tw_set_to_list(s);
    for (intptr_t k = 0; k < tw_list_size(l); k++) {
        TwObject *e = tw_list_get_item(l, k);
        int64_t v = int_value(e);
        CHECK((v >= 8000000 && v < 8000020) || (may_a && v >= 3000000 && v < 3000300) ||
              (may_b && v >= 4000000 && v < 4000300));
        tw_decref(e);
    }
    tw_decref(l);
}

static void set_pair_worker(int t, void *arg)
{
    SetPairJob *job = arg;
    for (int r = 0; r < 1500; r++) {
        if (t < 2) {
            TwObject *s = t == 0 ? job->a : job->b;
            TwObject *o = int_obj(3000000 + (int64_t)t * 1000000 + r % 300);
            if ((r / 300) % 2 == 0)
                CHECK(tw_set_add(s, o) == 0);
            else
                CHECK(tw_set_discard(s, o) == 1);
            tw_decref(o);
            TwObject *both = int_obj(8000000 + r % 20);
            CHECK(tw_set_add(s, both) == 0);
            tw_decref(both);
        } else if (r % 10 == 0) {
            /* Thread 2 computes on (a, b), thread 3 on (b, a): the
             * two-object sections meet in both orders. */
            int x_is_a = t == 2;
            TwObject *x = x_is_a ? job->a : job->b, *y = x_is_a ? job->b : job->a;
            TwObject *u = tw_set_union(x, y);
            TwObject *i = tw_set_intersection(x, y);
            TwObject *d = tw_set_difference(x, y);
            CHECK(u != NULL && i != NULL && d != NULL);
            /* Shared elements are never discarded: once in the
             * intersection, always in both operands. */
            CHECK(tw_set_issubset(i, x) == 1);
            CHECK(tw_set_issubset(i, y) == 1);
            check_members(i, 0, 0);
            check_members(d, x_is_a, !x_is_a);
            check_members(u, 1, 1);
            CHECK(tw_set_update(u, d) == 0);
            tw_decref(u);
            tw_decref(i);
            tw_decref(d);
        }
        check_point();
    }
}

Test(container_stress, set_algebra_on_sets_under_mutation_stays_consistent)
{
    int64_t base = live_now();
    SetPairJob job = {tw_set_new(), tw_set_new()};
    tw_test_run_threads(4, set_pair_worker, &job);
    assert_no_worker_failures();
    /* 1500 ops = 5 phases of 300: add, discard, add, discard, add. */
    cr_assert_eq(tw_set_size(job.a), 300 + 20);
    cr_assert_eq(tw_set_size(job.b), 300 + 20);
    tw_decref(job.a);
    tw_decref(job.b);
    assert_no_leak_if_counted(base);
}

/* ---- objects handed between threads ------------------------------------------------ */

/* Producers build small containers (a list holding a tuple of heap ints)
 * and post them in a shared dict under keys they own; consumers (one per
 * producer) pop each key, check the contents, and drop the object, so
 * every object is created by one thread and freed by another. */
#define HANDOFFS 1500

typedef struct {
    TwObject *mailbox;
} HandoffJob;

static void handoff_worker(int t, void *arg)
{
    TwObject *box = ((HandoffJob *)arg)->mailbox;
    int producer = t % 2 == 0;
    int64_t lane = t / 2;
    for (int64_t i = 0; i < HANDOFFS; i++) {
        TwObject *key = int_obj(lane * 1000000 + i + 1000);
        if (producer) {
            TwObject *a = int_obj(i * 3 + 100000), *b = int_obj(i * 3 + 100001);
            TwObject *tup = tw_tuple_pack(2, a, b);
            TwObject *l = tw_list_new(0);
            tw_list_append(l, tup);
            CHECK(tw_dict_set_item(box, key, l) == 0);
            tw_decref(l);
            tw_decref(tup);
            tw_decref(a);
            tw_decref(b);
        } else {
            TwObject *got;
            while ((got = tw_dict_pop(box, key, TW_NONE)) == TW_NONE) {
                tw_decref(got);
                TW_BEGIN_ALLOW_THREADS
                sched_yield();
                TW_END_ALLOW_THREADS
            }
            CHECK(got != NULL && tw_list_check(got) && tw_list_size(got) == 1);
            TwObject *tup = tw_list_get_item(got, 0);
            CHECK(int_value(tw_tuple_get_item_borrowed(tup, 1)) == i * 3 + 100001);
            tw_decref(tup);
            tw_xdecref(got);
        }
        tw_decref(key);
        check_point();
    }
}

Test(container_stress, objects_created_and_freed_on_different_threads_are_all_freed)
{
    int64_t base = live_now();
    HandoffJob job = {tw_dict_new()};
    tw_test_run_threads(4, handoff_worker, &job);
    assert_no_worker_failures();
    cr_assert_eq(tw_dict_size(job.mailbox), 0);
    tw_decref(job.mailbox);
    assert_no_leak_if_counted(base);
}
