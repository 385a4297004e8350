/* Reference counting: the owner, non-owner, queue-and-merge and owner-exit
 * paths of biased reference counting, immortal objects, and refcount storms
 * across threads.  The same tests run on the GIL build, where every path is
 * the plain count and the assertions on counts and frees still hold. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include "support.h"

TestSuite(refcount, .init = tw_test_setup, .fini = tw_test_teardown);

static TwObject *new_plain(void)
{
    TwObject *op = tw_object_new(&tw_object_type, 0);
    cr_assert_not_null(op);
    return op;
}

/* Run fn(arg) in a second thread with its own thread state; the caller
 * stays detached meanwhile. */
typedef struct {
    void (*fn)(void *);
    void *arg;
} Call;

static void *call_main(void *p)
{
    Call *c = p;
    TwGILState g = tw_gilstate_ensure();
    c->fn(c->arg);
    tw_gilstate_release(g);
    return NULL;
}

static void in_other_thread(void (*fn)(void *), void *arg)
{
    Call c = {fn, arg};
    pthread_t t;
    TW_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, call_main, &c);
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
}

static void do_incref(void *op) { tw_incref(op); }
static void do_decref(void *op) { tw_decref(op); }

Test(refcount, new_object_has_count_one)
{
    TwObject *op = new_plain();
    cr_assert_eq(tw_refcount(op), 1);
    tw_decref(op);
}

Test(refcount, owner_incref_decref_counts_locally)
{
    int64_t base = tw_debug_live_objects();
    TwObject *op = new_plain();
    tw_incref(op);
    tw_incref(op);
    cr_assert_eq(tw_refcount(op), 3);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_local), 3);
    cr_assert_eq(atomic_load(&op->ob_ref_shared), 0, "the owner never touches the shared count");
    cr_assert_eq(atomic_load(&op->ob_tid), tw_thread_state_serial(tw_thread_state_get()));
#endif
    tw_decref(op);
    tw_decref(op);
    cr_assert_eq(tw_refcount(op), 1);
    tw_decref(op);
    if (base >= 0)
        cr_assert_eq(tw_debug_live_objects(), base, "the last decref frees the object");
}

Test(refcount, non_owner_counts_in_shared_field)
{
    TwObject *op = new_plain();
    in_other_thread(do_incref, op);
    cr_assert_eq(tw_refcount(op), 2);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_local), 1);
    cr_assert_eq(atomic_load(&op->ob_ref_shared), 1 << TW_REF_SHIFT);
#endif
    in_other_thread(do_decref, op);
    cr_assert_eq(tw_refcount(op), 1);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_shared), 0);
#endif
    tw_decref(op);
}

Test(refcount, non_owner_decref_below_zero_queues_to_owner)
{
    int64_t base = tw_test_live();
    TwObject *op = new_plain();
    tw_incref(op); /* this reference is handed to another thread */
    in_other_thread(do_decref, op);
    /* The other thread could not decrement a zero shared count: the object
     * waits in our queue and our eval breaker asks for a merge. */
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_shared) & TW_REF_STATE_MASK, TW_REF_QUEUED);
    cr_assert(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_BRC_MERGE);
#endif
    cr_assert_eq(tw_eval_breaker_check(), 0);
    cr_assert_eq(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_BRC_MERGE, 0);
    cr_assert_eq(tw_refcount(op), 1);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_shared) & TW_REF_STATE_MASK, TW_REF_MERGED);
    cr_assert_eq(atomic_load(&op->ob_tid), 0, "a merged object is unowned");
#endif
    tw_decref(op);
    tw_test_assert_no_leak(base);
}

Test(refcount, queued_object_freed_by_merge_when_owner_already_dropped)
{
    int64_t base = tw_test_live();
    TwObject *op = new_plain();
    tw_incref(op);
    in_other_thread(do_decref, op); /* queued */
    tw_decref(op);                  /* our last reference: local 2 -> 1 */
#if TW_GIL_DISABLED
    /* The queue still holds the other thread's reference. */
    cr_assert_eq(tw_test_live(), base + 1, "still alive until the queue is merged");
#else
    /* With plain counts the second decref was the last one. */
    cr_assert_eq(tw_test_live(), base, "freed by the last decref");
#endif
    cr_assert_eq(tw_eval_breaker_check(), 0);
    tw_test_assert_no_leak(base);
}

Test(refcount, owner_last_decref_with_shared_references_merges)
{
    int64_t base = tw_test_live();
    TwObject *op = new_plain();
    in_other_thread(do_incref, op); /* a shared reference */
    tw_decref(op);                  /* owner's last local reference */
    cr_assert_eq(tw_refcount(op), 1);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_shared) & TW_REF_STATE_MASK, TW_REF_MERGED);
    cr_assert_eq(atomic_load(&op->ob_tid), 0);
#endif
    cr_assert_eq(tw_test_live(), base + 1);
    in_other_thread(do_decref, op); /* the non-owner frees it */
    tw_test_assert_no_leak(base);
}

/* The owner thread creates an object, hands it out and exits. */
static void create_and_exit(void *out)
{
    TwObject *op = new_plain();
    tw_incref(op);
    *(TwObject **)out = op; /* two references, both handed to the caller */
}

Test(refcount, owner_exit_leaves_objects_for_others_to_merge)
{
    int64_t base = tw_test_live();
    TwObject *op = NULL;
    in_other_thread(create_and_exit, &op);
    cr_assert_not_null(op);
    cr_assert_eq(tw_refcount(op), 2);
    /* Its owner is gone: this decref cannot queue, so it merges directly. */
    tw_decref(op);
    cr_assert_eq(tw_refcount(op), 1);
#if TW_GIL_DISABLED
    cr_assert_eq(atomic_load(&op->ob_ref_shared) & TW_REF_STATE_MASK, TW_REF_MERGED);
    cr_assert_eq(atomic_load(&op->ob_tid), 0);
    cr_assert_eq(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_BRC_MERGE, 0);
#endif
    tw_decref(op);
    tw_test_assert_no_leak(base);
}

Test(refcount, immortal_objects_ignore_increments_and_decrements)
{
    TwObject *op = new_plain();
    tw_set_immortal(op);
    cr_assert(tw_is_immortal(op));
    intptr_t before = tw_refcount(op);
    for (int i = 0; i < 1000; i++)
        tw_decref(op);
    for (int i = 0; i < 10; i++)
        tw_incref(op);
    cr_assert_eq(tw_refcount(op), before);
    in_other_thread(do_decref, op);
    cr_assert_eq(tw_refcount(op), before, "immortal for other threads too");
}

Test(refcount, builtin_singletons_and_types_are_immortal)
{
    cr_assert(tw_is_immortal(TW_NONE));
    cr_assert(tw_is_immortal(TW_TRUE));
    cr_assert(tw_is_immortal(TW_FALSE));
    cr_assert(tw_is_immortal((TwObject *)&tw_list_type));
    cr_assert(tw_is_immortal((TwObject *)&tw_type_type));
    TwObject *small = tw_int_from_i64(42);
    cr_assert(tw_is_immortal(small));
    TwObject *interned = tw_str_intern_cstr("twinpy");
    cr_assert(tw_is_immortal(interned));
}

/* ---- storms ---------------------------------------------------------------- */

enum { STORM_THREADS = 4, STORM_ROUNDS = 20000 };

static void storm_incref_decref(int index, void *arg)
{
    TwObject *op = arg;
    for (int i = 0; i < STORM_ROUNDS; i++) {
        tw_incref(op);
        tw_incref(op);
        tw_decref(op);
        tw_decref(op);
        if ((i & 255) == 0)
            tw_eval_breaker_check();
    }
}

Test(refcount, storm_of_increfs_and_decrefs_balances)
{
    int64_t base = tw_test_live();
    TwObject *op = new_plain();
    tw_test_run_threads(STORM_THREADS, storm_incref_decref, op);
    cr_assert_eq(tw_refcount(op), 1);
    tw_decref(op);
    tw_test_assert_no_leak(base);
}

/* Each thread creates objects, every other thread takes a reference to each,
 * then everybody drops all references at once: owner drops race non-owner
 * drops, exercising merge, queue and direct-merge paths together. */
enum { PASS_THREADS = 4, PASS_OBJECTS = 2000 };

typedef struct {
    pthread_barrier_t barrier;
    TwObject *made[PASS_THREADS][PASS_OBJECTS];
} PassState;

static void wait_barrier(PassState *st)
{
    TW_BEGIN_ALLOW_THREADS
    pthread_barrier_wait(&st->barrier);
    TW_END_ALLOW_THREADS
}

static void pass_objects(int me, void *arg)
{
    PassState *st = arg;
    for (int i = 0; i < PASS_OBJECTS; i++)
        st->made[me][i] = new_plain();
    wait_barrier(st);
    for (int t = 0; t < PASS_THREADS; t++)
        if (t != me)
            for (int i = 0; i < PASS_OBJECTS; i++)
                tw_incref(st->made[t][i]);
    wait_barrier(st);
    for (int t = 0; t < PASS_THREADS; t++)
        for (int i = 0; i < PASS_OBJECTS; i++)
            tw_decref(st->made[(t + me) % PASS_THREADS][i]);
    for (int i = 0; i < 10; i++)
        tw_eval_breaker_check();
    /* Thread exit drains whatever is still queued to this thread. */
}

Test(refcount, objects_passed_between_threads_are_all_freed)
{
    int64_t base = tw_test_live();
    PassState *st = calloc(1, sizeof(*st));
    pthread_barrier_init(&st->barrier, NULL, PASS_THREADS);
    tw_test_run_threads(PASS_THREADS, pass_objects, st);
    pthread_barrier_destroy(&st->barrier);
    free(st);
    tw_test_assert_no_leak(base);
}
