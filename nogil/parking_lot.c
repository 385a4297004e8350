/* The parking lot (nogil/parking_lot.h): wait queues keyed by address.
 *
 * Each thread owns one Waiter, in thread-local storage, created the first
 * time the thread parks.  A parked thread's Waiter sits on the FIFO list of
 * the bucket its address hashes to, and the thread sleeps on the Waiter's own
 * condition variable, so an unpark wakes exactly the thread it dequeued.
 *
 * Who may touch what:
 *   - a bucket's list, and the queue fields of every Waiter (next, addr,
 *     park_arg, queued), are protected by the bucket's mutex;
 *   - a Waiter's `woken` flag is protected by the Waiter's own mutex;
 *   - `initialized` is thread-local to the Waiter's thread;
 *   - the bucket table is initialised once (pthread_once) and its mutexes
 *     are never destroyed.
 *
 * Wake-up protocol.  An unparker takes the Waiter off its bucket and runs the
 * caller's callback under the bucket mutex, releases the bucket, and then
 * sets `woken` under the Waiter's mutex and signals it.  Once dequeued, a
 * Waiter belongs to its unparker until that signal: a parked thread whose
 * wait times out checks, under the bucket mutex, whether it is still queued;
 * if not, an unparker has already claimed it, so it waits for the wake-up
 * (which is on its way) and reports TW_PARK_OK.  Hence no thread leaves
 * tw_parking_lot_park while an unparker may still touch its Waiter, and no
 * thread carries a stale wake-up into its next park. */
#include "nogil/parking_lot.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "core/tstate.h"

/* A prime, so that addresses with the same alignment spread over all
 * buckets. */
#define NBUCKETS 257

#define NS_PER_SEC 1000000000

typedef struct Waiter {
    pthread_mutex_t mutex;
    pthread_cond_t cond; /* waits on CLOCK_MONOTONIC */
    int woken;           /* mutex: an unparker has dequeued and released this thread */
    int initialized;     /* thread-local */

    struct Waiter *next; /* bucket mutex: the next waiter in the bucket */
    const void *addr;    /* bucket mutex: the address this thread waits on */
    void *park_arg;      /* bucket mutex: handed to the unparker's callback */
    int queued;          /* bucket mutex: 1 while on a bucket's list */
} Waiter;

typedef struct Bucket {
    pthread_mutex_t mutex;
    Waiter *head, *tail; /* bucket mutex: FIFO, oldest first */
} Bucket;

static Bucket buckets[NBUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;
/* Its destructor frees a thread's Waiter when the thread exits. */
static pthread_key_t waiter_key;
static _Thread_local Waiter this_waiter;

static void destroy_waiter(void *p)
{
    Waiter *w = p;
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->mutex);
    w->initialized = 0;
}

static void init_buckets(void)
{
    for (int i = 0; i < NBUCKETS; i++) {
        if (pthread_mutex_init(&buckets[i].mutex, NULL) != 0)
            tw_fatal("parking lot: cannot create bucket mutexes");
    }
    if (pthread_key_create(&waiter_key, destroy_waiter) != 0)
        tw_fatal("parking lot: cannot create the waiter key");
}

static Bucket *bucket_of(const void *addr)
{
    pthread_once(&buckets_once, init_buckets);
    return &buckets[(uintptr_t)addr % NBUCKETS];
}

/* The calling thread's Waiter, created on first use.  Registering it with
 * waiter_key destroys its mutex and condition variable when the thread
 * exits (a thread that parks again during exit simply creates it again). */
static Waiter *current_waiter(void)
{
    Waiter *w = &this_waiter;
    if (!w->initialized) {
        pthread_condattr_t attr;
        if (pthread_condattr_init(&attr) != 0 ||
            pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
            pthread_mutex_init(&w->mutex, NULL) != 0 || pthread_cond_init(&w->cond, &attr) != 0)
            tw_fatal("parking lot: cannot create a thread's wait condition");
        pthread_condattr_destroy(&attr);
        pthread_setspecific(waiter_key, w);
        w->initialized = 1;
    }
    return w;
}

/* Whether *addr still holds *expected.  The caller holds the bucket mutex,
 * and whoever changes *addr and then unparks takes that mutex too, so a
 * relaxed load cannot miss a change that was followed by an unpark. */
static int holds_expected(const void *addr, const void *expected, size_t size)
{
    switch (size) {
    case 1:
        return tw_atomic_load_relaxed((_Atomic uint8_t *)addr) == *(const uint8_t *)expected;
    case 2:
        return tw_atomic_load_relaxed((_Atomic uint16_t *)addr) == *(const uint16_t *)expected;
    case 4:
        return tw_atomic_load_relaxed((_Atomic uint32_t *)addr) == *(const uint32_t *)expected;
    case 8:
        return tw_atomic_load_relaxed((_Atomic uint64_t *)addr) == *(const uint64_t *)expected;
    default:
        tw_fatal("parking lot: cannot park on a %zu-byte value (1, 2, 4 or 8)", size);
    }
}

/* Take w (whose predecessor on b's list is prev, or NULL) off the list.
 * The caller holds b's mutex. */
static void unlink_waiter(Bucket *b, Waiter *prev, Waiter *w)
{
    if (prev != NULL)
        prev->next = w->next;
    else
        b->head = w->next;
    if (b->tail == w)
        b->tail = prev;
    w->next = NULL;
    w->queued = 0;
}

/* Dequeue the oldest waiter on addr, or return NULL; *more says whether
 * another waiter on addr remains.  The caller holds b's mutex. */
static Waiter *dequeue_first(Bucket *b, const void *addr, int *more)
{
    Waiter *prev = NULL;
    for (Waiter *w = b->head; w != NULL; prev = w, w = w->next) {
        if (w->addr != addr)
            continue;
        Waiter *rest = w->next;
        unlink_waiter(b, prev, w);
        *more = 0;
        for (; rest != NULL; rest = rest->next) {
            if (rest->addr == addr) {
                *more = 1;
                break;
            }
        }
        return w;
    }
    *more = 0;
    return NULL;
}

/* Release a dequeued waiter.  Called without the bucket mutex; the waiter
 * cannot leave its park (and so cannot vanish) before `woken` is set. */
static void wake(Waiter *w)
{
    pthread_mutex_lock(&w->mutex);
    w->woken = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mutex);
}

/* Sleep until woken or until `deadline` (tw_monotonic_ns time; < 0: no
 * deadline).  Returns 1 if woken, consuming the wake-up, or 0 on timeout. */
static int sleep_until(Waiter *w, int64_t deadline)
{
    struct timespec ts = {0, 0};
    if (deadline >= 0) {
        ts.tv_sec = (time_t)(deadline / NS_PER_SEC);
        ts.tv_nsec = (long)(deadline % NS_PER_SEC);
    }
    pthread_mutex_lock(&w->mutex);
    while (!w->woken) {
        if (deadline < 0)
            pthread_cond_wait(&w->cond, &w->mutex);
        else if (pthread_cond_timedwait(&w->cond, &w->mutex, &ts) == ETIMEDOUT)
            break;
    }
    int woken = w->woken;
    w->woken = 0;
    pthread_mutex_unlock(&w->mutex);
    return woken;
}

/* Queue the calling thread on addr if *addr still equals *expected, then
 * sleep until unparked or timed out.  The thread state is detached only
 * after the thread is queued: detaching may unlock mutexes (suspending the
 * thread's critical sections), including the very one this thread is about
 * to wait for, and that unlock must find this thread queued, or its wake-up
 * would be lost. */
TwParkResult tw_parking_lot_park(const void *addr, const void *expected, size_t size,
                                 int64_t timeout_ns, void *park_arg, int detach)
{
    int64_t deadline = -1;
    if (timeout_ns >= 0) {
        int64_t now = tw_monotonic_ns();
        deadline = timeout_ns > INT64_MAX - now ? -1 : now + timeout_ns;
    }
    Bucket *b = bucket_of(addr);
    Waiter *w = current_waiter();

    pthread_mutex_lock(&b->mutex);
    if (!holds_expected(addr, expected, size)) {
        pthread_mutex_unlock(&b->mutex);
        return TW_PARK_AGAIN;
    }
    w->addr = addr;
    w->park_arg = park_arg;
    w->next = NULL;
    w->queued = 1;
    if (b->tail != NULL)
        b->tail->next = w;
    else
        b->head = w;
    b->tail = w;
    pthread_mutex_unlock(&b->mutex);

    TwThreadState *ts = NULL;
    if (detach && tw_thread_is_attached()) {
        ts = tw_tstate_fast();
        tw_thread_detach(ts);
    }

    TwParkResult result = TW_PARK_OK;
    if (!sleep_until(w, deadline)) {
        pthread_mutex_lock(&b->mutex);
        int still_queued = w->queued;
        if (still_queued) {
            Waiter *prev = NULL;
            for (Waiter *p = b->head; p != w; p = p->next)
                prev = p;
            unlink_waiter(b, prev, w);
        }
        pthread_mutex_unlock(&b->mutex);
        if (still_queued)
            result = TW_PARK_TIMEOUT;
        else
            sleep_until(w, -1); /* an unparker claimed us as we timed out */
    }

    if (ts != NULL)
        tw_thread_attach(ts);
    return result;
}

/* Dequeue the oldest waiter on addr, run fn under the bucket mutex (so that
 * what fn decides, and what the waiter's park_arg says, is settled before
 * any other thread can park or unpark on addr), then wake the waiter. */
void tw_parking_lot_unpark(const void *addr, TwUnparkFn fn, void *arg)
{
    Bucket *b = bucket_of(addr);
    int more;
    pthread_mutex_lock(&b->mutex);
    Waiter *w = dequeue_first(b, addr, &more);
    if (fn != NULL)
        fn(arg, w != NULL ? w->park_arg : NULL, more);
    pthread_mutex_unlock(&b->mutex);
    if (w != NULL)
        wake(w);
}

/* Dequeue every waiter on addr onto a private chain (through their `next`
 * fields, which nobody else touches once they are off the bucket), then
 * wake them outside the bucket mutex.  `next` is read before each wake,
 * since a woken thread may park again at once. */
void tw_parking_lot_unpark_all(const void *addr)
{
    Bucket *b = bucket_of(addr);
    Waiter *chain = NULL, **chain_tail = &chain;
    pthread_mutex_lock(&b->mutex);
    Waiter *prev = NULL, *w = b->head;
    while (w != NULL) {
        Waiter *next = w->next;
        if (w->addr == addr) {
            unlink_waiter(b, prev, w);
            *chain_tail = w;
            chain_tail = &w->next;
        } else {
            prev = w;
        }
        w = next;
    }
    pthread_mutex_unlock(&b->mutex);
    while (chain != NULL) {
        Waiter *next = chain->next;
        wake(chain);
        chain = next;
    }
}

void tw_parking_lot_prepare_fork(void)
{
    pthread_once(&buckets_once, init_buckets);
}

/* A waiter left queued by a dead thread would be handed a lock that nobody
 * then releases; a bucket mutex it held would never be unlocked. */
void tw_parking_lot_reinit_after_fork(void)
{
    for (int i = 0; i < NBUCKETS; i++) {
        pthread_mutex_init(&buckets[i].mutex, NULL);
        buckets[i].head = buckets[i].tail = NULL;
    }
}

int64_t tw_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}
