/* Delayed release (tw_mem_free_delayed, tw_decref_delayed) and the QSBR
 * grace periods behind them in the free-threaded build (nogil/qsbr.h).
 *
 * The grace-period tests run their own pthreads instead of
 * tw_test_run_threads, because the main thread must stay attached (a
 * detached thread holds nothing back).  Helper threads wait on flags by
 * spinning without check points: an attached thread that passes no check
 * point reports no quiescent state. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>

#include "core/tstate.h"
#include "nogil/qsbr.h"
#include "support.h"

TestSuite(qsbr, .init = tw_test_setup, .fini = tw_test_teardown, .timeout = 60);

static TwObject *heap_int(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    cr_assert(!tw_is_immortal(o));
    return o;
}

static void spin_until(_Atomic int *flag)
{
    while (!atomic_load_explicit(flag, memory_order_acquire))
        sched_yield();
}

#if TW_GIL_DISABLED
/* Poll at check points until ts has nothing waiting (or give up). */
static int drain(TwThreadState *ts)
{
    for (int i = 0; i < 10000 && tw_qsbr_pending(ts) > 0; i++)
        cr_assert_eq(tw_eval_breaker_check(), 0);
    return tw_qsbr_pending(ts) == 0;
}

typedef struct {
    _Atomic int online, may_pass, passed, may_exit;
} Lagger;

/* Attached the whole time; reports a quiescent state (one check point)
 * only when told to. */
static void *lagger_main(void *p)
{
    Lagger *l = p;
    TwGILState g = tw_gilstate_ensure();
    atomic_store(&l->online, 1);
    spin_until(&l->may_pass);
    (void)tw_eval_breaker_check();
    atomic_store(&l->passed, 1);
    spin_until(&l->may_exit);
    tw_gilstate_release(g);
    return NULL;
}

Test(qsbr, deferred_decref_waits_until_every_attached_thread_passes_a_quiescent_state)
{
    TwThreadState *ts = tw_thread_state_get();
    Lagger l = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, lagger_main, &l), 0);
    spin_until(&l.online);

    TwObject *o = heap_int(1234567891011LL);
    tw_incref(o);
    tw_decref_delayed(o);
    cr_assert_eq(tw_qsbr_pending(ts), 1);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(tw_eval_breaker_check(), 0);
    cr_assert_eq(tw_qsbr_pending(ts), 1, "released while another thread had not passed");
    cr_assert_eq(tw_refcount(o), 2);

    atomic_store(&l.may_pass, 1);
    spin_until(&l.passed);
    cr_assert(drain(ts), "not released after every thread passed a quiescent state");
    cr_assert_eq(tw_refcount(o), 1);

    atomic_store(&l.may_exit, 1);
    pthread_join(t, NULL);
    tw_decref(o);
}

Test(qsbr, deferred_free_waits_for_the_lagging_thread_too)
{
    TwThreadState *ts = tw_thread_state_get();
    Lagger l = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, lagger_main, &l), 0);
    spin_until(&l.online);
    tw_mem_free_delayed(tw_mem_malloc(64));
    for (int i = 0; i < 100; i++)
        cr_assert_eq(tw_eval_breaker_check(), 0);
    cr_assert_eq(tw_qsbr_pending(ts), 1);
    atomic_store(&l.may_pass, 1);
    spin_until(&l.passed);
    cr_assert(drain(ts));
    atomic_store(&l.may_exit, 1);
    pthread_join(t, NULL);
}

typedef struct {
    _Atomic int online, may_exit;
} Sleeper;

/* Attached only briefly, then detached until told to exit. */
static void *sleeper_main(void *p)
{
    Sleeper *s = p;
    TwGILState g = tw_gilstate_ensure();
    TW_BEGIN_ALLOW_THREADS
    atomic_store(&s->online, 1);
    spin_until(&s->may_exit);
    TW_END_ALLOW_THREADS
    tw_gilstate_release(g);
    return NULL;
}

Test(qsbr, a_detached_thread_does_not_hold_back_release)
{
    TwThreadState *ts = tw_thread_state_get();
    Sleeper s = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, sleeper_main, &s), 0);
    spin_until(&s.online);
    TwObject *o = heap_int(98765432123LL);
    tw_incref(o);
    tw_decref_delayed(o);
    cr_assert(drain(ts), "a detached thread held back the grace period");
    cr_assert_eq(tw_refcount(o), 1);
    atomic_store(&s.may_exit, 1);
    pthread_join(t, NULL);
    tw_decref(o);
}

typedef struct {
    TwObject *obj;
    _Atomic int done;
} Exiter;

/* Defers a decref and exits at once: the main thread (attached, not at a
 * quiescent state) holds it back, so the item must outlive the thread. */
static void *exiter_main(void *p)
{
    Exiter *e = p;
    TwGILState g = tw_gilstate_ensure();
    tw_decref_delayed(e->obj);
    tw_gilstate_release(g);
    atomic_store(&e->done, 1);
    return NULL;
}

Test(qsbr, items_of_an_exiting_thread_are_released_by_another_thread)
{
    Exiter e = {.obj = heap_int(55555555555LL)};
    tw_incref(e.obj);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, exiter_main, &e), 0);
    spin_until(&e.done);
    pthread_join(t, NULL);
    cr_assert_eq(tw_refcount(e.obj), 2, "released before the main thread passed");
    for (int i = 0; i < 1000 && tw_refcount(e.obj) == 2; i++)
        cr_assert_eq(tw_eval_breaker_check(), 0);
    cr_assert_eq(tw_refcount(e.obj), 1);
    tw_decref(e.obj);
}

Test(qsbr, releases_deferred_by_a_single_thread_happen_at_its_next_check_points)
{
    TwThreadState *ts = tw_thread_state_get();
    int64_t base = tw_debug_live_objects();
    for (int i = 0; i < 1000; i++) {
        tw_decref_delayed(heap_int(1000000000000LL + i));
        tw_mem_free_delayed(tw_mem_malloc(32));
    }
    cr_assert_eq(tw_qsbr_pending(ts), 2000);
    cr_assert(drain(ts));
    if (base >= 0)
        tw_test_assert_no_leak(base);
}
#else
Test(qsbr, the_gil_build_releases_at_once)
{
    TwObject *o = heap_int(1234567891011LL);
    tw_incref(o);
    tw_decref_delayed(o);
    cr_assert_eq(tw_refcount(o), 1);
    tw_decref(o);
    tw_mem_free_delayed(tw_mem_malloc(16));
    (void)spin_until;
}
#endif

Test(qsbr, delayed_release_of_immortal_objects_and_null_buffers_does_nothing)
{
    tw_decref_delayed(TW_NONE);
    tw_mem_free_delayed(NULL);
    cr_assert_eq(tw_eval_breaker_check(), 0);
}
