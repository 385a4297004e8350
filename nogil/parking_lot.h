/* Internal: the parking lot, a table of wait queues keyed by address.
 *
 * A thread parks on an address after checking, under the bucket lock, that
 * the address still holds the value it expects; another thread that changes
 * the value unparks one or all threads waiting on it.  There is one wait
 * queue per address, hashed into a fixed table of buckets; each bucket has
 * a raw pthread mutex and a FIFO list of waiters.  Each thread sleeps on its
 * own condition variable, so unparking wakes exactly the chosen thread. */
#ifndef TWINPY_NOGIL_PARKING_LOT_H
#define TWINPY_NOGIL_PARKING_LOT_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TW_PARK_OK = 0,      /* woken by an unpark */
    TW_PARK_AGAIN = -1,  /* the address no longer held the expected value */
    TW_PARK_TIMEOUT = -2 /* the timeout expired */
} TwParkResult;

/* Park the calling thread on addr if *addr (size 1, 2, 4 or 8 bytes) still
 * equals *expected.  timeout_ns < 0 waits forever.  park_arg is handed to
 * the unparker's callback.  If `detach` and the thread is attached, its
 * thread state is detached while it sleeps (dropping the GIL / suspending
 * critical sections) and attached again before returning. */
TwParkResult tw_parking_lot_park(const void *addr, const void *expected, size_t size,
                                 int64_t timeout_ns, void *park_arg, int detach);

/* Wake the longest-waiting thread parked on addr.  `fn` runs under the
 * bucket lock before that thread is woken, with the woken thread's park_arg
 * (NULL if none was parked) and whether others remain parked on addr. */
typedef void (*TwUnparkFn)(void *arg, void *park_arg, int has_more_waiters);
void tw_parking_lot_unpark(const void *addr, TwUnparkFn fn, void *arg);

/* Wake every thread parked on addr. */
void tw_parking_lot_unpark_all(const void *addr);

/* Before fork(): make sure the bucket table exists, so that the child
 * never finds its one-time initialisation half done by a thread that did
 * not survive the fork. */
void tw_parking_lot_prepare_fork(void);
/* In the child after fork(): every waiter belonged to a thread that is
 * gone (the forking thread was running, not parked).  Empty every bucket
 * and make its mutex new. */
void tw_parking_lot_reinit_after_fork(void);

/* Monotonic clock in nanoseconds. */
int64_t tw_monotonic_ns(void);

#endif
