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
 * Policies.  TW_GIL_POLICY_DEFAULT is the behaviour above, CPython's.
 * TW_GIL_POLICY_IO (TWINPY_GIL_POLICY=io at start-up, or sys._setgilpolicy)
 * gives priority to a thread coming back from a blocking call, i.e. one
 * whose last release was voluntary rather than forced.  Such a thread
 * asks the holder to drop at once instead of after an interval, and while
 * it waits (counted in io_waiters) no other thread may take the GIL, so
 * the forced switch that its request causes hands the GIL to it and not
 * to another CPU-bound waiter.  A thread whose last release was forced
 * waits the interval as before, so CPU-bound threads keep sharing the GIL
 * among themselves exactly as under the default policy.  Without CPython's
 * fix this is the convoy effect: an I/O thread waits a whole interval
 * after every system call (bpo-7946).
 *
 * The GIL is compiled in both builds: the free-threaded build uses it only
 * when started with TWINPY_GIL=1.  It accepts the policy setting either
 * way. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
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
    _Atomic int policy; /* TW_GIL_POLICY_*; atomic, set by any thread */
    int io_waiters;     /* gil.mutex: priority waiters (io policy) not yet holding the GIL */
} gil = {.interval_us = DEFAULT_INTERVAL_US};

/* Thread-local: 1 when this thread's last release of the GIL was voluntary
 * (a blocking call), 0 when it was forced or final, or before the first. */
static _Thread_local int released_voluntarily;

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

/* TWINPY_GIL_POLICY: unset or empty keeps the default; a bad value is a
 * fatal error, as for TWINPY_GIL. */
static int read_policy_setting(void)
{
    const char *v = getenv("TWINPY_GIL_POLICY");
    if (v == NULL || v[0] == '\0')
        return TW_GIL_POLICY_DEFAULT;
    int policy = tw_gil_policy_from_name(v);
    if (policy < 0)
        tw_fatal("TWINPY_GIL_POLICY must be \"default\" or \"io\", not \"%s\"", v);
    return policy;
}

void tw_gil_init(void)
{
    init_sync();
    tw_atomic_store_relaxed(&gil.locked, 0);
    tw_atomic_store_relaxed(&gil.last_holder, NULL);
    gil.io_waiters = 0;
    tw_atomic_store_relaxed(&gil.policy, read_policy_setting());
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

/* Called with gil.mutex held and the GIL locked: ask the holder to drop at
 * its next check point.  The holder cannot free its state while we hold
 * gil.mutex and the GIL is locked, so last_holder is alive here. */
static void request_drop(void)
{
    TwThreadState *holder = tw_atomic_load_relaxed(&gil.last_holder);
    if (holder != NULL)
        tw_eval_breaker_set(holder, TW_EB_GIL_DROP_REQUEST);
}

void tw_gil_take(TwThreadState *ts)
{
    int priority = released_voluntarily && tw_atomic_load_relaxed(&gil.policy) == TW_GIL_POLICY_IO;
    released_voluntarily = 0;
    pthread_mutex_lock(&gil.mutex);
    if (priority && tw_atomic_load_relaxed(&gil.locked))
        gil.io_waiters++;
    else
        priority = 0;
    /* A priority waiter waits only for the holder; the others also stand
     * back while a priority waiter is queued. */
    while (tw_atomic_load_relaxed(&gil.locked) || (!priority && gil.io_waiters > 0)) {
        if (priority && tw_atomic_load_relaxed(&gil.locked))
            request_drop(); /* at once, and again if another thread got in first */
        uint64_t saved_switch = tw_atomic_load_relaxed(&gil.switch_number);
        struct timespec deadline = deadline_after_us(tw_atomic_load_relaxed(&gil.interval_us));
        int rc = pthread_cond_timedwait(&gil.cond, &gil.mutex, &deadline);
        /* One interval passed with no hand-over: ask the holder to drop. */
        if (rc == ETIMEDOUT && tw_atomic_load_relaxed(&gil.locked) &&
            tw_atomic_load_relaxed(&gil.switch_number) == saved_switch)
            request_drop();
    }
    if (priority)
        gil.io_waiters--;
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
    /* With a priority waiter queued, wake every waiter: one woken by a
     * signal might be a thread that must stand back. */
    if (gil.io_waiters > 0)
        pthread_cond_broadcast(&gil.cond);
    else
        pthread_cond_signal(&gil.cond);
    pthread_mutex_unlock(&gil.mutex);

    int forced = !final_release && (tw_eval_breaker_bits(ts) & TW_EB_GIL_DROP_REQUEST);
    released_voluntarily = !final_release && !forced;
    if (!forced)
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
    gil.io_waiters = 0;
    released_voluntarily = 0;
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

int tw_gil_get_policy(void) { return tw_atomic_load_relaxed(&gil.policy); }

int tw_gil_set_policy(int policy)
{
    if (policy != TW_GIL_POLICY_DEFAULT && policy != TW_GIL_POLICY_IO)
        return -1;
    tw_atomic_store_relaxed(&gil.policy, policy);
    return 0;
}

int tw_gil_policy_from_name(const char *name)
{
    if (strcmp(name, "default") == 0)
        return TW_GIL_POLICY_DEFAULT;
    if (strcmp(name, "io") == 0)
        return TW_GIL_POLICY_IO;
    return -1;
}

const char *tw_gil_policy_name(int policy)
{
    return policy == TW_GIL_POLICY_IO ? "io" : "default";
}
