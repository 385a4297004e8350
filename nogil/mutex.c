/* TwMutex slow paths (twinpy/mutex.h describes the lock).
 *
 * The state byte m->v is atomic: lockers set LOCKED with an acquire CAS,
 * unlockers clear it with a release CAS or store.  Everything about parked
 * lockers is protected by the parking lot's bucket mutex for &m->v: a locker
 * parks only if the byte still reads LOCKED|HAS_PARKED under that mutex, and
 * the unlocker decides, inside the unpark callback and so under the same
 * mutex, both the byte's next value and whether the woken locker is handed
 * the lock.  While HAS_PARKED is set, nobody but the holder changes the byte
 * (other lockers only ever CAS it while LOCKED is clear), which is why that
 * callback may simply store the new value. */
#include <sched.h>

#include "core/tstate.h"
#include "nogil/parking_lot.h"

/* Yields before a locker parks, while nobody is parked yet: short critical
 * sections are usually over before parking (two system calls) would pay. */
#define SPIN_LIMIT 40

/* A locker that has waited this long is handed the lock on the next unlock
 * instead of competing for it with threads that never waited. */
#define TIME_TO_BE_FAIR_NS 1000000

/* What a parked locker shows its unparker.  It lives on the locker's stack
 * while the locker is parked; the unparker writes it under the bucket mutex
 * and the locker reads it after waking. */
typedef struct LockWaiter {
    int64_t time_to_be_fair; /* tw_monotonic_ns time after which it is handed the lock */
    int handed_off;          /* set by the unparker: the locker owns the lock now */
} LockWaiter;

/* Lock m, giving up after timeout_ns (< 0: never; 0: try once).  Spins a
 * little while nobody is parked, then sets HAS_PARKED and parks on &m->v.
 * A woken locker either was handed the lock or competes again; its time to
 * be fair keeps counting from its first attempt, so it is handed the lock
 * at the latest on the first unlock after 1 ms. */
TwLockStatus tw_mutex_lock_timed(TwMutex *m, int64_t timeout_ns, int flags)
{
    uint8_t v = tw_atomic_load_relaxed(&m->v);
    LockWaiter me = {0, 0};
    int64_t start = -1; /* read the clock only once we have to wait */
    int64_t deadline = -1;
    int spins = 0;

    for (;;) {
        if (!(v & TW_MUTEX_LOCKED)) {
            /* Free: take it, keeping HAS_PARKED for the threads still parked. */
            if (tw_atomic_cas_acquire(&m->v, &v, (uint8_t)(v | TW_MUTEX_LOCKED)))
                return TW_LOCK_ACQUIRED;
            continue;
        }
        if (timeout_ns == 0)
            return TW_LOCK_TIMEOUT;
        if (start < 0) {
            start = tw_monotonic_ns();
            me.time_to_be_fair = start + TIME_TO_BE_FAIR_NS;
            if (timeout_ns > 0)
                deadline = timeout_ns > INT64_MAX - start ? -1 : start + timeout_ns;
        }
        if (!(v & TW_MUTEX_HAS_PARKED) && spins < SPIN_LIMIT) {
            spins++;
            sched_yield();
            v = tw_atomic_load_relaxed(&m->v);
            continue;
        }

        int64_t remaining = -1;
        if (deadline >= 0) {
            remaining = deadline - tw_monotonic_ns();
            if (remaining <= 0)
                return TW_LOCK_TIMEOUT;
        }
        if (!(v & TW_MUTEX_HAS_PARKED)) {
            uint8_t parked = (uint8_t)(v | TW_MUTEX_HAS_PARKED);
            if (!tw_atomic_cas_acquire(&m->v, &v, parked))
                continue;
            v = parked;
        }
        TwParkResult r = tw_parking_lot_park(&m->v, &v, sizeof(v), remaining, &me,
                                             (flags & TW_LOCK_DETACH) != 0);
        if (r == TW_PARK_OK && me.handed_off)
            return TW_LOCK_ACQUIRED;
        v = tw_atomic_load_relaxed(&m->v);
    }
}

void tw_mutex_lock_slow(TwMutex *m)
{
    tw_mutex_lock_timed(m, -1, TW_LOCK_DETACH);
}

/* Unpark callback: choose m's next state for the locker just dequeued (if
 * any).  A locker past its time to be fair is handed the lock, which stays
 * LOCKED; otherwise the lock is released and the woken locker competes with
 * any newcomer.  HAS_PARKED stays set while others remain parked. */
static void release_or_hand_off(void *arg, void *park_arg, int has_more_waiters)
{
    TwMutex *m = arg;
    LockWaiter *waiter = park_arg;
    uint8_t v = TW_MUTEX_UNLOCKED;
    if (waiter != NULL) {
        if (tw_monotonic_ns() > waiter->time_to_be_fair) {
            waiter->handed_off = 1;
            v = TW_MUTEX_LOCKED;
        }
        if (has_more_waiters)
            v |= TW_MUTEX_HAS_PARKED;
    }
    tw_atomic_store_release(&m->v, v);
}

/* Unlock when the fast CAS failed: either someone is parked (wake one
 * through the parking lot) or the lock was not held at all (a fatal misuse).
 * HAS_PARKED may be stale (its setter gave up or timed out); the unpark then
 * finds nobody and the callback simply clears the byte. */
void tw_mutex_unlock_slow(TwMutex *m)
{
    uint8_t v = tw_atomic_load_relaxed(&m->v);
    for (;;) {
        if (!(v & TW_MUTEX_LOCKED))
            tw_fatal("TwMutex %p unlocked while not locked", (void *)m);
        if (v & TW_MUTEX_HAS_PARKED) {
            tw_parking_lot_unpark(&m->v, release_or_hand_off, m);
            return;
        }
        if (tw_atomic_cas_release(&m->v, &v, TW_MUTEX_UNLOCKED))
            return;
    }
}
