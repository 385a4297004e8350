/* The global interpreter lock, with CPython 3.14's semantics.
 *
 * State (all protected by gil.mutex unless noted):
 *   locked         1 while a thread holds the GIL (atomic for lock-free reads)
 *   last_holder    the holder, or the last one (atomic for lock-free reads)
 *   switch_number  counts hand-overs to a different thread
 *   interval_us    the switch interval (atomic; set by any thread)
 *
 * A thread that wants the GIL waits on gil.cond for one interval at a time.
 * If a wait times out and no switch happened meanwhile, it sets a drop
 * request in the holder's eval breaker.  The holder sees it at its next
 * check point and detaches, which drops the GIL.
 *
 * Forced switching: a release that answers a drop request waits on
 * switch_cond until another thread has taken the GIL, so the thread that
 * was asked to give the GIL up cannot win the race to take it straight
 * back.  A release with no request pending (blocking I/O, a voluntary
 * TW_BEGIN_ALLOW_THREADS) only signals, and the releaser may re-take it.
 * Waiters are woken by the condition variable in no particular order.
 *
 * The GIL is compiled in both builds: the free-threaded build uses it only
 * when started with TWINPY_GIL=1. */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include "core/tstate.h"

#define DEFAULT_INTERVAL_US 5000

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    pthread_mutex_t switch_mutex;
    pthread_cond_t switch_cond;
    _Atomic int locked;
    _Atomic(TwThreadState *) last_holder;
    _Atomic uint64_t switch_number;
    _Atomic uint64_t interval_us;
} gil = {.interval_us = DEFAULT_INTERVAL_US};

static void init_sync(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_mutex_init(&gil.mutex, NULL);
    pthread_cond_init(&gil.cond, &attr);
    pthread_mutex_init(&gil.switch_mutex, NULL);
    pthread_cond_init(&gil.switch_cond, NULL);
    pthread_condattr_destroy(&attr);
}

void tw_gil_init(void)
{
    init_sync();
    tw_atomic_store_relaxed(&gil.locked, 0);
    tw_atomic_store_relaxed(&gil.last_holder, NULL);
}

static struct timespec deadline_after_us(uint64_t us)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(us / 1000000);
    t.tv_nsec += (long)(us % 1000000) * 1000;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

void tw_gil_take(TwThreadState *ts)
{
    pthread_mutex_lock(&gil.mutex);
    while (tw_atomic_load_relaxed(&gil.locked)) {
        uint64_t saved_switch = tw_atomic_load_relaxed(&gil.switch_number);
        struct timespec deadline = deadline_after_us(tw_atomic_load_relaxed(&gil.interval_us));
        int rc = pthread_cond_timedwait(&gil.cond, &gil.mutex, &deadline);
        /* One interval passed with no hand-over: ask the holder to drop.
         * The holder cannot free its state while we hold gil.mutex and the
         * GIL is locked, so last_holder is alive here. */
        if (rc == ETIMEDOUT && tw_atomic_load_relaxed(&gil.locked) &&
            tw_atomic_load_relaxed(&gil.switch_number) == saved_switch) {
            TwThreadState *holder = tw_atomic_load_relaxed(&gil.last_holder);
            if (holder != NULL)
                tw_eval_breaker_set(holder, TW_EB_GIL_DROP_REQUEST);
        }
    }
    tw_atomic_store_relaxed(&gil.locked, 1);
    if (tw_atomic_load_relaxed(&gil.last_holder) != ts) {
        tw_atomic_store_relaxed(&gil.last_holder, ts);
        tw_atomic_store_relaxed(&gil.switch_number, tw_atomic_load_relaxed(&gil.switch_number) + 1);
    }
    /* Wake a holder waiting in forced switching. */
    pthread_mutex_lock(&gil.switch_mutex);
    pthread_cond_signal(&gil.switch_cond);
    pthread_mutex_unlock(&gil.switch_mutex);
    /* A request addressed to this thread before it got the GIL is stale.
     * Clear it while still holding gil.mutex: a waiter only sets requests
     * under the mutex, so one made after this point stays set. */
    tw_eval_breaker_clear(ts, TW_EB_GIL_DROP_REQUEST);
    pthread_mutex_unlock(&gil.mutex);
}

void tw_gil_drop(TwThreadState *ts, int final_release)
{
    pthread_mutex_lock(&gil.mutex);
    if (!tw_atomic_load_relaxed(&gil.locked))
        tw_fatal("drop_gil: the GIL is not locked");
    tw_atomic_store_relaxed(&gil.last_holder, ts);
    tw_atomic_store_relaxed(&gil.locked, 0);
    pthread_cond_signal(&gil.cond);
    pthread_mutex_unlock(&gil.mutex);

    if (final_release || !(tw_eval_breaker_bits(ts) & TW_EB_GIL_DROP_REQUEST))
        return;
    /* Forced switching: wait until somebody else has taken the GIL. */
    pthread_mutex_lock(&gil.switch_mutex);
    tw_eval_breaker_clear(ts, TW_EB_GIL_DROP_REQUEST);
    while (tw_atomic_load_relaxed(&gil.last_holder) == ts)
        pthread_cond_wait(&gil.switch_cond, &gil.switch_mutex);
    pthread_mutex_unlock(&gil.switch_mutex);
}

int tw_gil_is_held_by(TwThreadState *ts)
{
    return tw_atomic_load_relaxed(&gil.locked) && tw_atomic_load_relaxed(&gil.last_holder) == ts;
}

void tw_gil_reinit_after_fork(TwThreadState *ts)
{
    init_sync();
    tw_atomic_store_relaxed(&gil.locked, 1);
    tw_atomic_store_relaxed(&gil.last_holder, ts);
}

uint64_t tw_gil_get_interval_us(void) { return tw_atomic_load_relaxed(&gil.interval_us); }

int tw_gil_set_interval_us(uint64_t us)
{
    if (us == 0)
        return -1;
    tw_atomic_store_relaxed(&gil.interval_us, us);
    return 0;
}

uint64_t tw_gil_switch_count(void) { return tw_atomic_load_relaxed(&gil.switch_number); }
