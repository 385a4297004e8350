/* TwMutex and the parking lot under it: the same tests on both builds (the
 * mutex is the runtime's general lock in the GIL build too).
 *
 * Several tests need to know that a thread is really parked, not merely on
 * its way.  A thread that parks with detach = 1 detaches its thread state
 * only once it is queued, so "its state reads DETACHED while it is inside
 * the park" is a reliable sign, and waiting for it involves no guessing
 * about how long parking takes. */
#include <criterion/criterion.h>
#include <signal.h>

#include "core/tstate.h"
#include "nogil/parking_lot.h"
#include "support.h"

TestSuite(mutex, .init = tw_test_setup, .fini = tw_test_teardown);
TestSuite(parking_lot, .init = tw_test_setup, .fini = tw_test_teardown);

#define MS       1000000LL
#define PATIENCE (10 * 1000 * MS) /* how long a test waits for what must happen */

/* Poll, sleeping 1 ms detached between looks, until *flag is non-zero.
 * Returns 0 if it is still zero after PATIENCE. */
static int await_flag(_Atomic int *flag)
{
    int64_t give_up = tw_monotonic_ns() + PATIENCE;
    while (!tw_atomic_load_acquire(flag)) {
        if (tw_monotonic_ns() > give_up)
            return 0;
        tw_test_sleep_ms(1);
    }
    return 1;
}

/* Poll until the thread that published its state in *slot has detached:
 * with detach = 1, proof that it is queued in the parking lot.  The
 * publisher stores its state just before parking, while attached. */
static int await_parked(_Atomic(TwThreadState *) *slot)
{
    int64_t give_up = tw_monotonic_ns() + PATIENCE;
    for (;;) {
        TwThreadState *ts = tw_atomic_load_acquire(slot);
        if (ts != NULL && tw_atomic_load_relaxed(&ts->status) == TW_TS_DETACHED)
            return 1;
        if (tw_monotonic_ns() > give_up)
            return 0;
        tw_test_sleep_ms(1);
    }
}

/* ---- mutex: single thread ---------------------------------------------------- */

Test(mutex, lock_and_unlock_set_and_clear_the_locked_state)
{
    TwMutex m = {0};
    cr_assert(!tw_mutex_is_locked(&m));
    tw_mutex_lock(&m);
    cr_assert(tw_mutex_is_locked(&m));
    tw_mutex_unlock(&m);
    cr_assert(!tw_mutex_is_locked(&m));
}

Test(mutex, trylock_fails_while_locked_and_succeeds_when_free)
{
    TwMutex m = {0};
    cr_assert(tw_mutex_trylock(&m));
    cr_assert(!tw_mutex_trylock(&m), "a held mutex is not re-entrant");
    tw_mutex_unlock(&m);
    cr_assert(tw_mutex_trylock(&m));
    tw_mutex_unlock(&m);
}

Test(mutex, timed_lock_with_zero_timeout_tries_once)
{
    TwMutex m = {0};
    cr_assert_eq(tw_mutex_lock_timed(&m, 0, 0), TW_LOCK_ACQUIRED);
    int64_t t0 = tw_monotonic_ns();
    cr_assert_eq(tw_mutex_lock_timed(&m, 0, 0), TW_LOCK_TIMEOUT);
    cr_assert_lt(tw_monotonic_ns() - t0, PATIENCE, "a zero timeout must not wait");
    tw_mutex_unlock(&m);
}

Test(mutex, unlocking_a_mutex_that_is_not_locked_is_fatal, .signal = SIGABRT)
{
    TwMutex m = {0};
    tw_mutex_unlock(&m);
}

/* ---- mutex: contention ------------------------------------------------------- */

enum { COUNT_THREADS = 4, COUNT_ITERS = 20000 };

typedef struct {
    TwMutex m;
    long counter; /* m */
    int detached; /* immutable: run the loop detached */
} Counter;

static void count_under_mutex(int index, void *arg)
{
    Counter *c = arg;
    TwThreadState *saved = c->detached ? tw_save_thread() : NULL;
    for (int i = 0; i < COUNT_ITERS; i++) {
        tw_mutex_lock(&c->m);
        c->counter++;
        tw_mutex_unlock(&c->m);
    }
    if (saved != NULL)
        tw_restore_thread(saved);
}

/* Attached threads: in the GIL build they also contend for the GIL, and a
 * thread parking on the mutex must drop it. */
Test(mutex, counter_is_exact_when_attached_threads_contend)
{
    Counter c = {.detached = 0};
    tw_test_run_threads(COUNT_THREADS, count_under_mutex, &c);
    cr_assert_eq(c.counter, (long)COUNT_THREADS * COUNT_ITERS);
    cr_assert(!tw_mutex_is_locked(&c.m));
}

/* Detached threads run truly in parallel in both builds. */
Test(mutex, counter_is_exact_when_detached_threads_contend)
{
    Counter c = {.detached = 1};
    tw_test_run_threads(COUNT_THREADS, count_under_mutex, &c);
    cr_assert_eq(c.counter, (long)COUNT_THREADS * COUNT_ITERS);
    cr_assert(!tw_mutex_is_locked(&c.m));
}

/* ---- mutex: timed lock ------------------------------------------------------- */

typedef struct {
    TwMutex m;
    _Atomic int held;
    TwLockStatus status;
    int64_t waited_ns;
} TimedLock;

static void try_for_30ms(int index, void *arg)
{
    TimedLock *t = arg;
    int64_t t0 = tw_monotonic_ns();
    t->status = tw_mutex_lock_timed(&t->m, 30 * MS, TW_LOCK_DETACH);
    t->waited_ns = tw_monotonic_ns() - t0;
}

Test(mutex, timed_lock_times_out_while_another_thread_holds_it)
{
    TimedLock t = {0};
    tw_mutex_lock(&t.m);
    tw_test_run_threads(1, try_for_30ms, &t);
    cr_assert_eq(t.status, TW_LOCK_TIMEOUT);
    cr_assert_geq(t.waited_ns, 30 * MS, "gave up after %lld ns", (long long)t.waited_ns);
    tw_mutex_unlock(&t.m);
    cr_assert(!tw_mutex_is_locked(&t.m), "the timed-out waiter left nothing behind");
}

/* Thread 0 holds the lock for 20 ms; thread 1 starts waiting while it is
 * held, with a timeout far longer than that. */
static void hold_then_try(int index, void *arg)
{
    TimedLock *t = arg;
    if (index == 0) {
        tw_mutex_lock(&t->m);
        tw_atomic_store_release(&t->held, 1);
        tw_test_sleep_ms(20);
        tw_mutex_unlock(&t->m);
    } else {
        t->status = await_flag(&t->held) ? tw_mutex_lock_timed(&t->m, PATIENCE, TW_LOCK_DETACH)
                                         : TW_LOCK_TIMEOUT;
        if (t->status == TW_LOCK_ACQUIRED)
            tw_mutex_unlock(&t->m);
    }
}

Test(mutex, timed_lock_succeeds_when_the_holder_releases_in_time)
{
    TimedLock t = {0};
    tw_test_run_threads(2, hold_then_try, &t);
    cr_assert_eq(t.status, TW_LOCK_ACQUIRED);
    cr_assert(!tw_mutex_is_locked(&t.m));
}

/* ---- mutex: fairness ----------------------------------------------------------
 *
 * The holder waits until the other thread is parked on the mutex, lets more
 * than 1 ms pass, unlocks and at once tries to take the lock back.  The
 * waiter has waited past its time to be fair, so the unlock must have handed
 * it the lock: the byte stays LOCKED and the holder's trylock fails. */

typedef struct {
    TwMutex m;
    _Atomic int holding;
    _Atomic(TwThreadState *) waiter; /* published just before it locks */
    int parked;                      /* the holder saw the waiter parked */
    int retook;                      /* the holder's trylock after unlocking succeeded */
    int locked_after;                /* the byte read LOCKED after the unlock */
    int waiter_got_it;
} HandOff;

static void hand_off_round(int index, void *arg)
{
    HandOff *h = arg;
    if (index == 0) {
        tw_mutex_lock(&h->m);
        tw_atomic_store_release(&h->holding, 1);
        h->parked = await_parked(&h->waiter);
        tw_test_sleep_ms(2); /* the waiter started waiting before the park */
        tw_mutex_unlock(&h->m);
        h->retook = tw_mutex_trylock(&h->m);
        h->locked_after = tw_mutex_is_locked(&h->m);
        if (h->retook)
            tw_mutex_unlock(&h->m);
    } else {
        if (!await_flag(&h->holding))
            return;
        tw_atomic_store_release(&h->waiter, tw_thread_state_get());
        tw_mutex_lock(&h->m);
        h->waiter_got_it = 1;
        tw_mutex_unlock(&h->m);
    }
}

Test(mutex, waiter_parked_over_1ms_is_handed_the_lock)
{
    for (int round = 0; round < 3; round++) {
        HandOff h = {0};
        tw_test_run_threads(2, hand_off_round, &h);
        cr_assert(h.parked, "round %d: the waiter never parked", round);
        cr_assert(!h.retook, "round %d: the unlocker took the lock back from a waiter", round);
        cr_assert(h.locked_after, "round %d: the lock was released, not handed off", round);
        cr_assert(h.waiter_got_it, "round %d", round);
        cr_assert(!tw_mutex_is_locked(&h.m), "round %d", round);
    }
}

/* ---- parking lot --------------------------------------------------------------- */

Test(parking_lot, park_returns_again_when_the_value_differs_for_every_size)
{
    _Atomic uint8_t b = 1;
    _Atomic uint16_t h = 1;
    _Atomic uint32_t w = 1;
    _Atomic uint64_t d = 1;
    uint8_t b0 = 0;
    uint16_t h0 = 0;
    uint32_t w0 = 0;
    uint64_t d0 = 0;
    cr_assert_eq(tw_parking_lot_park(&b, &b0, 1, -1, NULL, 0), TW_PARK_AGAIN);
    cr_assert_eq(tw_parking_lot_park(&h, &h0, 2, -1, NULL, 0), TW_PARK_AGAIN);
    cr_assert_eq(tw_parking_lot_park(&w, &w0, 4, -1, NULL, 0), TW_PARK_AGAIN);
    cr_assert_eq(tw_parking_lot_park(&d, &d0, 8, -1, NULL, 0), TW_PARK_AGAIN);
}

/* The comparison covers every byte of the value: a difference only in the
 * high half of a 64-bit value must still be seen. */
Test(parking_lot, park_compares_the_whole_value)
{
    _Atomic uint64_t d = (uint64_t)1 << 40;
    uint64_t low_bits_equal = 0;
    cr_assert_eq(tw_parking_lot_park(&d, &low_bits_equal, 8, -1, NULL, 0), TW_PARK_AGAIN);
}

Test(parking_lot, park_times_out_when_nobody_unparks)
{
    _Atomic uint32_t word = 0;
    uint32_t expected = 0;
    int64_t t0 = tw_monotonic_ns();
    cr_assert_eq(tw_parking_lot_park(&word, &expected, 4, 20 * MS, NULL, 1), TW_PARK_TIMEOUT);
    int64_t waited = tw_monotonic_ns() - t0;
    cr_assert_geq(waited, 20 * MS, "returned after %lld ns", (long long)waited);
    cr_assert(tw_thread_is_attached(), "a detaching park attaches again before returning");
}

typedef struct {
    int calls;
    void *park_arg;
    int has_more;
} Callback;

static void record_unpark(void *arg, void *park_arg, int has_more_waiters)
{
    Callback *cb = arg;
    cb->calls++;
    cb->park_arg = park_arg;
    cb->has_more = has_more_waiters;
}

Test(parking_lot, unpark_with_nobody_parked_calls_back_with_null)
{
    _Atomic uint32_t word = 0;
    Callback cb = {0, &cb, 1};
    tw_parking_lot_unpark(&word, record_unpark, &cb);
    cr_assert_eq(cb.calls, 1);
    cr_assert_null(cb.park_arg);
    cr_assert_eq(cb.has_more, 0);
}

/* Threads 1..n-1 park on `word` one after another (each waits until the
 * previous one is queued), each passing its own token; thread 0 unparks. */
enum { MAX_PARKERS = 3 };

typedef struct {
    _Atomic uint32_t word;
    _Atomic(TwThreadState *) parker[MAX_PARKERS + 1];
    int token[MAX_PARKERS + 1];
    TwParkResult result[MAX_PARKERS + 1];
    int nparkers;
    int all_parked;
    int wake_all;               /* thread 0 uses unpark_all instead of unpark */
    Callback woke[MAX_PARKERS]; /* thread 0's callbacks, in order */
} ParkQueue;

static void park_in_turn(int index, void *arg)
{
    ParkQueue *q = arg;
    if (index == 0) {
        q->all_parked = await_parked(&q->parker[q->nparkers]);
        if (q->wake_all) {
            tw_parking_lot_unpark_all(&q->word);
        } else {
            for (int i = 0; i < q->nparkers; i++)
                tw_parking_lot_unpark(&q->word, record_unpark, &q->woke[i]);
        }
        return;
    }
    if (index > 1 && !await_parked(&q->parker[index - 1])) {
        q->result[index] = TW_PARK_AGAIN;
        return;
    }
    uint32_t expected = 0;
    tw_atomic_store_release(&q->parker[index], tw_thread_state_get());
    q->result[index] = tw_parking_lot_park(&q->word, &expected, 4, PATIENCE, &q->token[index], 1);
}

Test(parking_lot, unpark_wakes_a_parked_thread_and_hands_over_its_park_arg)
{
    ParkQueue q = {.nparkers = 1};
    tw_test_run_threads(2, park_in_turn, &q);
    cr_assert(q.all_parked);
    cr_assert_eq(q.result[1], TW_PARK_OK);
    cr_assert_eq(q.woke[0].calls, 1);
    cr_assert_eq(q.woke[0].park_arg, &q.token[1]);
    cr_assert_eq(q.woke[0].has_more, 0);
}

Test(parking_lot, unpark_wakes_the_longest_parked_thread_first)
{
    ParkQueue q = {.nparkers = 3};
    tw_test_run_threads(4, park_in_turn, &q);
    cr_assert(q.all_parked);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(q.result[i + 1], TW_PARK_OK, "parker %d", i + 1);
        cr_assert_eq(q.woke[i].park_arg, &q.token[i + 1], "wake-up %d went to the wrong thread", i);
        cr_assert_eq(q.woke[i].has_more, i < 2, "wake-up %d", i);
    }
}

Test(parking_lot, unpark_all_wakes_every_parked_thread)
{
    ParkQueue q = {.nparkers = 3, .wake_all = 1};
    tw_test_run_threads(4, park_in_turn, &q);
    cr_assert(q.all_parked);
    for (int i = 1; i <= 3; i++)
        cr_assert_eq(q.result[i], TW_PARK_OK, "parker %d", i);
}
