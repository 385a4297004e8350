/* TwMutex: a one-byte lock (nogil/mutex.c, nogil/parking_lot.c).
 *
 * Bit 0 (TW_MUTEX_LOCKED) says the lock is held; bit 1 (TW_MUTEX_HAS_PARKED)
 * says at least one thread sleeps in the parking lot on this address.
 *   - lock: one CAS 0 -> LOCKED on the fast path;
 *   - contended: spin briefly (sched_yield), then park on the address;
 *   - unlock: one CAS LOCKED -> 0 on the fast path; with parked waiters, wake
 *     one.  A waiter that has waited more than 1 ms is handed the lock
 *     directly (the byte stays LOCKED), so barging threads cannot starve it.
 * A thread that parks detaches its thread state first (dropping the GIL or
 * suspending its critical sections) and re-attaches after waking.
 *
 * The mutex is used in both builds: it is the per-object lock of the
 * free-threaded build and the runtime's general-purpose lock in both. */
#ifndef TWINPY_MUTEX_H
#define TWINPY_MUTEX_H

#include <stdint.h>
#include <twinpy/atomic.h>

typedef struct TwMutex {
    _Atomic uint8_t v;
} TwMutex;

#define TW_MUTEX_UNLOCKED   0
#define TW_MUTEX_LOCKED     1
#define TW_MUTEX_HAS_PARKED 2

/* Result of a timed lock. */
typedef enum { TW_LOCK_ACQUIRED = 1, TW_LOCK_TIMEOUT = 0 } TwLockStatus;

/* Flags for tw_mutex_lock_timed. */
#define TW_LOCK_DETACH 1 /* detach the thread state while parked (the default for tw_mutex_lock) */

void tw_mutex_lock_slow(TwMutex *m);
void tw_mutex_unlock_slow(TwMutex *m);

/* Lock, waiting at most timeout_ns (< 0: forever, 0: try once). */
TwLockStatus tw_mutex_lock_timed(TwMutex *m, int64_t timeout_ns, int flags);

static inline void tw_mutex_lock(TwMutex *m)
{
    uint8_t expected = TW_MUTEX_UNLOCKED;
    if (tw_likely(tw_atomic_cas_acquire(&m->v, &expected, TW_MUTEX_LOCKED)))
        return;
    tw_mutex_lock_slow(m);
}

static inline int tw_mutex_trylock(TwMutex *m)
{
    uint8_t expected = TW_MUTEX_UNLOCKED;
    return atomic_compare_exchange_strong_explicit(&m->v, &expected, TW_MUTEX_LOCKED,
                                                   memory_order_acquire, memory_order_relaxed);
}

static inline void tw_mutex_unlock(TwMutex *m)
{
    uint8_t expected = TW_MUTEX_LOCKED;
    if (tw_likely(atomic_compare_exchange_strong_explicit(&m->v, &expected, TW_MUTEX_UNLOCKED,
                                                          memory_order_release,
                                                          memory_order_relaxed)))
        return;
    tw_mutex_unlock_slow(m);
}

static inline int tw_mutex_is_locked(TwMutex *m)
{
    return (tw_atomic_load_relaxed(&m->v) & TW_MUTEX_LOCKED) != 0;
}

#endif
