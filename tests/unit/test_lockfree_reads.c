/* Dict lookups and list item reads without the container's lock
 * (free-threaded build; see nogil/lockfree.h, core/dict.c and core/list.h):
 * who reads without locking, when a container becomes shared, and that
 * readers racing a writer only ever see a value that was stored, or
 * nothing.
 *
 * The same sources run on both builds; the sharing bit exists only in the
 * free-threaded one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/list.h"
#include "nogil/lockfree.h"
#include <twinpy/abstract.h>
#include <twinpy/slice.h>
#include "support.h"

static void lf_setup(void)
{
    tw_test_setup();
    tw_gil_set_interval_us(50);
}

TestSuite(lockfree_reads, .init = lf_setup, .fini = tw_test_teardown, .timeout = 120);

static _Atomic int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            if (atomic_fetch_add(&failures, 1) == 0)                                               \
                fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                          \
    } while (0)

static TwObject *str_key(const char *prefix, int i)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s%d", prefix, i);
    TwObject *k = tw_str_from_cstr(buf);
    if (k == NULL)
        abort();
    return k;
}

static TwObject *int_obj(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    if (o == NULL)
        abort();
    return o;
}

static void set_int(TwObject *d, TwObject *k, int64_t v)
{
    TwObject *o = int_obj(v);
    cr_assert_eq(tw_dict_set_item(d, k, o), 0);
    tw_decref(o);
}

/* ---- sharing ---------------------------------------------------------------------- */

static void read_key_a(int t, void *arg)
{
    (void)t;
    TwObject *v;
    CHECK(tw_dict_get_item_cstr_ref(arg, "a", &v) == 1);
    tw_xdecref(v);
}

Test(lockfree_reads, a_dict_stays_private_while_only_its_owner_reads_it)
{
    TwObject *d = tw_dict_new();
    set_int(d, TW_NONE, 1); /* a non-str key: lookups of it lock */
    TwObject *k = tw_str_from_cstr("a");
    set_int(d, k, 2);
    TwObject *v;
    cr_assert_eq(tw_dict_get_item_ref(d, k, &v), 1);
    cr_assert_eq(tw_int_as_i64(v), 2);
    tw_decref(v);
    cr_assert_eq(tw_dict_get_item_ref(d, TW_NONE, &v), 1);
    tw_decref(v);
    cr_assert_eq(tw_lf_is_shared(d), 0);
    tw_decref(k);
    tw_decref(d);
}

Test(lockfree_reads, another_threads_first_read_marks_a_dict_shared)
{
    TwObject *d = tw_dict_new();
    TwObject *k = tw_str_from_cstr("a");
    set_int(d, k, 7);
    tw_test_run_threads(1, read_key_a, d);
    cr_assert_eq(atomic_load(&failures), 0);
    cr_assert_eq(tw_lf_is_shared(d), TW_GIL_DISABLED);
    tw_decref(k);
    tw_decref(d);
}

/* ---- readers against a writer ------------------------------------------------------ */

#define NKEYS   64
#define ROUNDS  300
#define READERS 3
/* Stored values encode their key: BASE + generation * NKEYS + key. */
#define BASE    ((int64_t)1 << 40)

typedef struct {
    TwObject *dict;
    TwObject *keys[NKEYS]; /* the stored key objects */
    _Atomic int writer_done;
} Job;

static void reader(Job *job, int t)
{
    TwObject *copies[NKEYS]; /* equal keys that are other objects: the memcmp path */
    for (int i = 0; i < NKEYS; i++)
        copies[i] = str_key("key", i);
    TwObject *intkey = int_obj(12345);
    long n = 0;
    while (!atomic_load_explicit(&job->writer_done, memory_order_acquire) || n < 2000) {
        int i = (int)((n * 7 + t) % NKEYS);
        TwObject *k = (n & 1) ? copies[i] : job->keys[i];
        TwObject *v;
        int r = tw_dict_get_item_ref(job->dict, k, &v);
        CHECK(r == 0 || r == 1);
        if (r == 1) {
            CHECK(tw_int_check(v));
            int64_t x = tw_int_as_i64(v);
            CHECK(x >= BASE && (x - BASE) % NKEYS == i);
            tw_decref(v);
        }
        CHECK(tw_dict_contains(job->dict, copies[(i + 1) % NKEYS]) >= 0);
        r = tw_dict_get_item_ref(job->dict, intkey, &v); /* the locked path */
        CHECK(r == 0);
        if (++n % 16 == 0)
            CHECK(tw_eval_breaker_check() == 0);
    }
    for (int i = 0; i < NKEYS; i++)
        tw_decref(copies[i]);
    tw_decref(intkey);
}

/* Replace every value, delete and re-insert some keys, and grow and shrink
 * the table with filler keys (resizes and popitem), round after round. */
static void writer(Job *job)
{
    for (int round = 1; round <= ROUNDS; round++) {
        for (int i = 0; i < NKEYS; i++) {
            TwObject *v = int_obj(BASE + (int64_t)round * NKEYS + i);
            CHECK(tw_dict_set_item(job->dict, job->keys[i], v) == 0);
            tw_decref(v);
        }
        for (int i = round % 3; i < NKEYS; i += 3)
            CHECK(tw_dict_del_item(job->dict, job->keys[i]) == 0);
        for (int j = 0; j < 40; j++) {
            TwObject *k = str_key("filler", j);
            TwObject *v = int_obj(-1 - j);
            CHECK(tw_dict_set_item(job->dict, k, v) == 0);
            tw_decref(k);
            tw_decref(v);
        }
        for (int j = 0; j < 20; j++) {
            TwObject *item = tw_dict_popitem(job->dict);
            CHECK(item != NULL);
            tw_xdecref(item);
        }
        if (round % 50 == 0)
            tw_dict_clear(job->dict);
        CHECK(tw_eval_breaker_check() == 0);
    }
    atomic_store_explicit(&job->writer_done, 1, memory_order_release);
}

static void worker(int t, void *arg)
{
    if (t == 0)
        writer(arg);
    else
        reader(arg, t);
}

Test(lockfree_reads, dict_readers_see_a_stored_value_or_nothing_while_a_writer_mutates_and_resizes)
{
    int64_t base = tw_debug_live_objects();
    Job *job = calloc(1, sizeof(Job));
    cr_assert_not_null(job);
    job->dict = tw_dict_new();
    for (int i = 0; i < NKEYS; i++) {
        job->keys[i] = str_key("key", i);
        set_int(job->dict, job->keys[i], BASE + i);
    }
    tw_test_run_threads(1 + READERS, worker, job);
    cr_assert_eq(atomic_load(&failures), 0, "%d checks failed in worker threads",
                 atomic_load(&failures));
    cr_assert_eq(tw_lf_is_shared(job->dict), TW_GIL_DISABLED);
    /* Every key of the last round is present with its last value unless
     * that round deleted it or popitem took it. */
    for (int i = 0; i < NKEYS; i++) {
        TwObject *v;
        int r = tw_dict_get_item_ref(job->dict, job->keys[i], &v);
        cr_assert(r == 0 || r == 1);
        if (r == 1) {
            cr_assert_eq(tw_int_as_i64(v), BASE + (int64_t)ROUNDS * NKEYS + i);
            tw_decref(v);
        }
    }
    for (int i = 0; i < NKEYS; i++)
        tw_decref(job->keys[i]);
    tw_decref(job->dict);
    free(job);
    cr_assert_eq(tw_eval_breaker_check(), 0);
    if (base >= 0)
        tw_test_assert_no_leak(base);
}

/* ---- lists ------------------------------------------------------------------------ */

static void read_item_0(int t, void *arg)
{
    (void)t;
    TwObject *v = tw_list_get_item(arg, 0);
    CHECK(v != NULL);
    tw_xdecref(v);
}

Test(lockfree_reads, a_list_stays_private_while_only_its_owner_reads_it)
{
    TwObject *l = tw_list_new(0);
    TwObject *o = int_obj(BASE);
    cr_assert_eq(tw_list_append(l, o), 0);
    TwObject *v = tw_list_get_item(l, -1);
    cr_assert_eq(v, o);
    tw_decref(v);
    cr_assert_eq(tw_list_size(l), 1);
    cr_assert_eq(tw_lf_is_shared(l), 0);
    tw_decref(o);
    tw_decref(l);
}

Test(lockfree_reads, another_threads_first_read_marks_a_list_shared)
{
    TwObject *l = tw_list_new(0);
    TwObject *o = int_obj(BASE);
    cr_assert_eq(tw_list_append(l, o), 0);
    tw_test_run_threads(1, read_item_0, l);
    cr_assert_eq(atomic_load(&failures), 0);
    cr_assert_eq(tw_lf_is_shared(l), TW_GIL_DISABLED);
    tw_decref(o);
    tw_decref(l);
}

#define LIST_ROUNDS 400

typedef struct {
    TwObject *list;
    _Atomic int writer_done;
} ListJob;

/* Every item the writer stores is a fresh int >= BASE (never a small int,
 * so a freed one would not pass for a live one). */
static int valid_item(TwObject *v) { return tw_int_check(v) && tw_int_as_i64(v) >= BASE; }

static void list_reader(ListJob *job)
{
    long n = 0;
    while (!atomic_load_explicit(&job->writer_done, memory_order_acquire) || n < 2000) {
        intptr_t size = tw_list_size(job->list);
        CHECK(size >= 0);
        intptr_t i = (intptr_t)(n % 97) - 48; /* negative indexes too */
        TwObject *v = tw_list_item_ref(job->list, i);
        if (v != NULL) {
            CHECK(valid_item(v));
            tw_decref(v);
        }
        if (n % 8 == 0) {
            TwObject *it = tw_object_iter(job->list);
            CHECK(it != NULL);
            TwObject *x;
            int count = 0;
            while (it != NULL && count < 1000 && (x = tw_iter_next(it)) != NULL) {
                CHECK(valid_item(x));
                tw_decref(x);
                count++;
            }
            CHECK(!tw_err_occurred());
            tw_xdecref(it);
        }
        if (++n % 16 == 0)
            CHECK(tw_eval_breaker_check() == 0);
    }
}

static void append_fresh(TwObject *l, int64_t v)
{
    TwObject *o = int_obj(BASE + v);
    CHECK(tw_list_append(l, o) == 0);
    tw_decref(o);
}

/* Grow and shrink the list through every writer: append, insert, pop,
 * item and slice assignment, del, remove, reverse, sort, *= and clear. */
static void list_writer(ListJob *job)
{
    TwObject *l = job->list;
    TwObject *two = int_obj(2);
    TwObject *five = int_obj(5);
    TwObject *slice = tw_slice_new(TW_NONE, five, TW_NONE);
    tw_decref(five);
    for (int round = 1; round <= LIST_ROUNDS; round++) {
        for (int i = 0; i < 60; i++)
            append_fresh(l, round * 100 + i);
        TwObject *o = int_obj(BASE + round);
        CHECK(tw_list_insert(l, 3, o) == 0);
        CHECK(tw_list_set_item(l, 1, o) == 0);
        CHECK(tw_list_remove(l, o) == 0);
        tw_decref(o);
        for (int i = 0; i < 25; i++)
            tw_xdecref(tw_list_pop(l, (i & 1) ? -1 : 0));
        CHECK(tw_list_del_item(l, 2) == 0);
        CHECK(tw_list_reverse(l) == 0);
        CHECK(tw_list_sort(l, round & 1) == 0);
        TwObject *sub = tw_list_get_slice(l, slice);
        CHECK(sub != NULL && tw_list_set_slice(l, slice, sub) == 0);
        CHECK(tw_list_set_slice(l, slice, NULL) == 0);
        tw_xdecref(sub);
        if (round % 10 == 0) {
            TwObject *r = tw_list_type.tp_as_number->nb_inplace_multiply(l, two); /* l *= 2 */
            CHECK(r == l);
            tw_xdecref(r);
        }
        if (round % 25 == 0)
            tw_list_clear(l);
        CHECK(tw_eval_breaker_check() == 0);
    }
    tw_decref(slice);
    tw_decref(two);
    atomic_store_explicit(&job->writer_done, 1, memory_order_release);
}

static void list_worker(int t, void *arg)
{
    if (t == 0)
        list_writer(arg);
    else
        list_reader(arg);
}

Test(lockfree_reads, list_readers_see_a_stored_item_or_nothing_while_a_writer_mutates_and_resizes)
{
    int64_t base = tw_debug_live_objects();
    ListJob *job = calloc(1, sizeof(ListJob));
    cr_assert_not_null(job);
    job->list = tw_list_new(0);
    for (int i = 0; i < 10; i++)
        append_fresh(job->list, i);
    tw_test_run_threads(1 + READERS, list_worker, job);
    cr_assert_eq(atomic_load(&failures), 0, "%d checks failed in worker threads",
                 atomic_load(&failures));
    cr_assert_eq(tw_lf_is_shared(job->list), TW_GIL_DISABLED);
    intptr_t n = tw_list_size(job->list);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *v = tw_list_get_item(job->list, i);
        cr_assert(v != NULL && valid_item(v));
        tw_decref(v);
    }
    tw_decref(job->list);
    free(job);
    cr_assert_eq(tw_eval_breaker_check(), 0);
    if (base >= 0)
        tw_test_assert_no_leak(base);
}
