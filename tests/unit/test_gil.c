/* The GIL: requests after one interval, forced switching, the interval
 * setting and the GIL-state API from a raw pthread.
 *
 * The free-threaded build runs the same tests with its GIL switched on
 * (TWINPY_GIL=1), which is the same gil/gil.c code. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "support.h"

static void setup_with_gil(void)
{
    setenv("TWINPY_GIL", "1", 1);
    tw_test_setup();
}

TestSuite(gil, .init = setup_with_gil, .fini = tw_test_teardown);

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

Test(gil, enabled_in_both_builds_when_asked)
{
    cr_assert(tw_gil_is_enabled());
    cr_assert(tw_thread_is_attached());
}

Test(gil, default_switch_interval_is_5ms)
{
    cr_assert_eq(tw_gil_get_interval_us(), 5000);
}

Test(gil, switch_interval_can_be_set_but_not_to_zero)
{
    cr_assert_eq(tw_gil_set_interval_us(1000), 0);
    cr_assert_eq(tw_gil_get_interval_us(), 1000);
    cr_assert_eq(tw_gil_set_interval_us(0), -1);
    cr_assert_eq(tw_gil_get_interval_us(), 1000, "a rejected value changes nothing");
}

/* ---- a waiter asks the holder to drop after one interval ------------------- */

typedef struct {
    _Atomic int waiter_attached;
    _Atomic int holder_spinning;
    int64_t waited_ns;
} WaitState;

static void *waiter_main(void *p)
{
    WaitState *st = p;
    while (!atomic_load(&st->holder_spinning))
        ;
    int64_t t0 = now_ns();
    TwGILState g = tw_gilstate_ensure(); /* blocks until the holder drops */
    st->waited_ns = now_ns() - t0;
    atomic_store(&st->waiter_attached, 1);
    tw_gilstate_release(g);
    return NULL;
}

Test(gil, waiter_gets_gil_after_about_one_interval_from_spinning_holder)
{
    WaitState st = {0};
    pthread_t t;
    uint64_t switches = tw_gil_switch_count();
    pthread_create(&t, NULL, waiter_main, &st);
    /* The main thread holds the GIL and spins through check points; it
     * never releases voluntarily, so the waiter can only get in by sending
     * a drop request that a check point serves. */
    atomic_store(&st.holder_spinning, 1);
    int64_t deadline = now_ns() + 10LL * 1000000000;
    while (!atomic_load(&st.waiter_attached)) {
        tw_eval_breaker_check();
        cr_assert_lt(now_ns(), deadline, "the waiter never got the GIL");
    }
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert_geq(tw_gil_switch_count(), switches + 1, "the GIL must have passed to the waiter");
    /* It waited at least one full interval before asking (minus clock slack). */
    cr_assert_geq(st.waited_ns, 4 * 1000000, "waited only %lld ns", (long long)st.waited_ns);
}

/* ---- forced switching ---------------------------------------------------------- */

typedef struct {
    _Atomic int stop;
    _Atomic long b_progress;
    _Atomic int b_started;
} SwitchState;

static void *spinner_b(void *p)
{
    SwitchState *st = p;
    TwGILState g = tw_gilstate_ensure();
    atomic_store(&st->b_started, 1);
    while (!atomic_load(&st->stop)) {
        atomic_fetch_add(&st->b_progress, 1);
        tw_eval_breaker_check();
    }
    tw_gilstate_release(g);
    return NULL;
}

Test(gil, holder_cannot_retake_gil_after_forced_drop)
{
    SwitchState st = {0};
    tw_gil_set_interval_us(1000);
    pthread_t t;
    pthread_create(&t, NULL, spinner_b, &st);
    int forced = 0;
    int64_t deadline = now_ns() + 10LL * 1000000000;
    while (forced < 20) {
        cr_assert_lt(now_ns(), deadline, "only %d forced switches happened", forced);
        if (!(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_GIL_DROP_REQUEST))
            continue;
        /* Answering a drop request: B must run before we get the GIL back. */
        long before = atomic_load(&st.b_progress);
        uint64_t switches = tw_gil_switch_count();
        tw_eval_breaker_check();
        cr_assert_gt(atomic_load(&st.b_progress), before,
                     "the holder re-took the GIL before the waiter ran");
        cr_assert_geq(tw_gil_switch_count(), switches + 2, "GIL went to B and back");
        forced++;
    }
    atomic_store(&st.stop, 1);
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert(atomic_load(&st.b_started));
}

Test(gil, voluntary_release_without_request_does_not_count_a_switch)
{
    uint64_t before = tw_gil_switch_count();
    for (int i = 0; i < 100; i++) {
        TW_BEGIN_ALLOW_THREADS
        TW_END_ALLOW_THREADS
    }
    cr_assert_eq(tw_gil_switch_count(), before, "nobody else wanted the GIL");
}

/* ---- the GIL-state API from a thread the runtime did not create ---------- */

typedef struct {
    TwObject *list;
    int had_state_before, had_state_after, nested_locked;
} EnsureState;

static void *raw_thread(void *p)
{
    EnsureState *st = p;
    st->had_state_before = tw_thread_state_get() != NULL;
    TwGILState g = tw_gilstate_ensure();
    TwGILState inner = tw_gilstate_ensure();
    st->nested_locked = inner == TW_GILSTATE_LOCKED;
    for (int i = 0; i < 100; i++) {
        TwObject *v = tw_int_from_i64(1000 + i);
        tw_list_append(st->list, v);
        tw_decref(v);
    }
    tw_gilstate_release(inner);
    cr_assert(tw_thread_is_attached(), "inner release keeps the outer state attached");
    tw_gilstate_release(g);
    st->had_state_after = tw_thread_state_get() != NULL;
    return NULL;
}

Test(gil, gilstate_ensure_from_raw_pthread)
{
    EnsureState st = {.list = tw_list_new(0)};
    pthread_t t;
    TW_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, raw_thread, &st);
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert_not(st.had_state_before);
    cr_assert(st.nested_locked);
    cr_assert_not(st.had_state_after, "the state made by ensure is deleted by release");
    cr_assert_eq(tw_list_size(st.list), 100);
    TwObject *last = tw_list_get_item(st.list, 99);
    cr_assert_eq(tw_int_as_i64(last), 1099);
    tw_decref(last);
    tw_decref(st.list);
}
