/* Quiescent-state-based reclamation (free-threaded build only).  The
 * scheme, its sequences and who releases what are described in
 * nogil/qsbr.h.
 *
 * Memory orders.  A writer unlinks an item (under the container's lock)
 * and then advances wr_seq with an acquire-release add: the unlink happens
 * before the new goal.  A reader's quiescent state loads wr_seq with
 * acquire and stores it in its qsbr_seq with release, after every read it
 * made before.  A poller loads each qsbr_seq with acquire, so a reader's
 * earlier reads happen before the release.  A thread that attaches stores
 * its sequence and then issues a full fence before it reads anything; a
 * poller issues a full fence before it looks at the threads: of a thread
 * coming online and a poller that sees it offline, the fences make the
 * attaching thread see the unlink (the store-buffering pattern). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <twinpy/alloc.h>
#include "core/tstate.h"
#include "nogil/qsbr.h"

#if TW_GIL_DISABLED

/* A poll that finds its oldest goal not yet passed rescans the thread list
 * only every SCAN_EVERY polls: between scans it only reports its own
 * quiescent state. */
#define SCAN_EVERY 8
/* Ask the other threads for quiescent states again every REQUEST_EVERY
 * deferrals (the first one always asks). */
#define REQUEST_EVERY 256

static struct {
    _Atomic uint64_t wr_seq; /* atomic: odd, advanced by 2 per deferral */
    _Atomic uint64_t rd_seq; /* atomic, only grows: every online thread has passed it */
    _Atomic int has_orphans; /* atomic: orphans.len > 0 (a hint, re-checked under the mutex) */
    pthread_mutex_t mutex;   /* protects the orphan list */
    TwQsbrItem *orphans;
    intptr_t orphans_len, orphans_cap;
} qsbr = {.wr_seq = 1, .rd_seq = 1, .mutex = PTHREAD_MUTEX_INITIALIZER};

static void release(uintptr_t ptr)
{
    if (ptr & 1)
        tw_decref((TwObject *)(ptr & ~(uintptr_t)1));
    else
        tw_mem_free((void *)ptr);
}

static void push(TwQsbrItem **items, intptr_t *len, intptr_t *cap, TwQsbrItem item)
{
    if (*len == *cap) {
        intptr_t ncap = *cap ? *cap * 2 : 32;
        TwQsbrItem *bigger = realloc(*items, (size_t)ncap * sizeof(TwQsbrItem));
        if (bigger == NULL)
            tw_fatal("out of memory queueing a deferred release (QSBR)");
        *items = bigger;
        *cap = ncap;
    }
    (*items)[(*len)++] = item;
}

void tw_qsbr_quiescent(TwThreadState *ts)
{
    tw_atomic_store_release(&ts->qsbr_seq, tw_atomic_load_acquire(&qsbr.wr_seq));
}

void tw_qsbr_attach(TwThreadState *ts)
{
    tw_atomic_store_seq(&ts->qsbr_seq, tw_atomic_load_seq(&qsbr.wr_seq));
    tw_atomic_fence_seq();
}

void tw_qsbr_detach(TwThreadState *ts)
{
    tw_atomic_store_release(&ts->qsbr_seq, (uint64_t)TW_QSBR_OFFLINE);
}

/* The smallest sequence among online threads (wr_seq if none is online),
 * which every goal up to it has been passed by; raises rd_seq to it. */
static uint64_t scan(void)
{
    uint64_t min = tw_atomic_load_seq(&qsbr.wr_seq);
    tw_atomic_fence_seq();
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    for (TwThreadState *t = tw_runtime.threads; t != NULL; t = t->next) {
        uint64_t s = tw_atomic_load_acquire(&t->qsbr_seq);
        if (s != TW_QSBR_OFFLINE && s < min)
            min = s;
    }
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
    uint64_t rd = tw_atomic_load_relaxed(&qsbr.rd_seq);
    while (rd < min && !tw_atomic_cas_acqrel(&qsbr.rd_seq, &rd, min))
        ;
    return min > rd ? min : rd;
}

/* Raise TW_EB_QSBR on ts and on every online thread that has not passed
 * goal; all = 1 raises it on every thread, online or not (orphans: even a
 * thread detached now should serve them when it comes back). */
static void request(TwThreadState *ts, uint64_t goal, int all)
{
    if (ts != NULL)
        tw_eval_breaker_set(ts, TW_EB_QSBR);
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    for (TwThreadState *t = tw_runtime.threads; t != NULL; t = t->next) {
        if (t == ts)
            continue;
        uint64_t s = tw_atomic_load_acquire(&t->qsbr_seq);
        if (all || (s != TW_QSBR_OFFLINE && s < goal))
            tw_eval_breaker_set(t, TW_EB_QSBR);
    }
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
}

static void add_orphan(TwQsbrItem item)
{
    pthread_mutex_lock(&qsbr.mutex);
    push(&qsbr.orphans, &qsbr.orphans_len, &qsbr.orphans_cap, item);
    tw_atomic_store_relaxed(&qsbr.has_orphans, 1);
    pthread_mutex_unlock(&qsbr.mutex);
}

static void defer(TwThreadState *ts, uintptr_t ptr)
{
    uint64_t goal = tw_atomic_add_acqrel(&qsbr.wr_seq, 2) + 2;
    TwQsbrItem item = {goal, ptr};
    if (tw_unlikely(ts->qsbr_exited)) {
        add_orphan(item);
        request(NULL, goal, 1);
        return;
    }
    push(&ts->qsbr_items, &ts->qsbr_len, &ts->qsbr_cap, item);
    if (ts->qsbr_len == 1 || ts->qsbr_len % REQUEST_EVERY == 0)
        request(ts, goal, 0);
}

void tw_qsbr_defer_free(TwThreadState *ts, void *p) { defer(ts, (uintptr_t)p); }

void tw_qsbr_defer_decref(TwThreadState *ts, TwObject *op) { defer(ts, (uintptr_t)op | 1); }

/* Release ts's items whose goal is <= rd.  They are taken off the list
 * first: a release may run a destructor that defers more. */
static void release_own(TwThreadState *ts, uint64_t rd)
{
    intptr_t k = 0;
    while (k < ts->qsbr_len && ts->qsbr_items[k].goal <= rd)
        k++;
    if (k == 0)
        return;
    TwQsbrItem *done;
    if (k == ts->qsbr_len) {
        done = ts->qsbr_items;
        ts->qsbr_items = NULL;
        ts->qsbr_len = ts->qsbr_cap = 0;
    } else {
        done = malloc((size_t)k * sizeof(TwQsbrItem));
        if (done == NULL)
            return; /* try again at the next poll */
        memcpy(done, ts->qsbr_items, (size_t)k * sizeof(TwQsbrItem));
        memmove(ts->qsbr_items, ts->qsbr_items + k, (size_t)(ts->qsbr_len - k) * sizeof(TwQsbrItem));
        ts->qsbr_len -= k;
    }
    for (intptr_t i = 0; i < k; i++)
        release(done[i].ptr);
    free(done);
}

/* Release the orphans whose goal is <= rd (any thread may). */
static void release_orphans(uint64_t rd)
{
    TwQsbrItem *done = NULL;
    intptr_t ndone = 0, capdone = 0;
    pthread_mutex_lock(&qsbr.mutex);
    intptr_t keep = 0;
    for (intptr_t i = 0; i < qsbr.orphans_len; i++) {
        if (qsbr.orphans[i].goal <= rd)
            push(&done, &ndone, &capdone, qsbr.orphans[i]);
        else
            qsbr.orphans[keep++] = qsbr.orphans[i];
    }
    qsbr.orphans_len = keep;
    tw_atomic_store_relaxed(&qsbr.has_orphans, keep > 0);
    pthread_mutex_unlock(&qsbr.mutex);
    for (intptr_t i = 0; i < ndone; i++)
        release(done[i].ptr);
    free(done);
}

void tw_qsbr_poll(TwThreadState *ts)
{
    tw_eval_breaker_clear(ts, TW_EB_QSBR);
    tw_qsbr_quiescent(ts);
    int orphans = tw_atomic_load_relaxed(&qsbr.has_orphans);
    if (ts->qsbr_len == 0 && !orphans)
        return;
    uint64_t rd = tw_atomic_load_acquire(&qsbr.rd_seq);
    int scanned = 0;
    if ((orphans || ts->qsbr_items[0].goal > rd) && ts->qsbr_polls++ % SCAN_EVERY == 0) {
        rd = scan();
        scanned = 1;
    }
    release_own(ts, rd);
    if (orphans)
        release_orphans(rd);
    /* Still waiting: poll again at the next check point, and nudge the
     * threads that lag (only after a scan, to keep polls cheap). */
    if (ts->qsbr_len > 0 || tw_atomic_load_relaxed(&qsbr.has_orphans)) {
        if (scanned)
            request(ts, ts->qsbr_len > 0 ? ts->qsbr_items[ts->qsbr_len - 1].goal
                                         : tw_atomic_load_relaxed(&qsbr.wr_seq), 0);
        else
            tw_eval_breaker_set(ts, TW_EB_QSBR);
    } else {
        ts->qsbr_polls = 0;
    }
}

void tw_qsbr_thread_exit(TwThreadState *ts)
{
    /* Releasing may defer more (a destructor storing into a shared dict):
     * go on while that makes progress. */
    for (int round = 0; round < 4 && ts->qsbr_len > 0; round++) {
        tw_qsbr_quiescent(ts);
        uint64_t rd = scan();
        intptr_t before = ts->qsbr_len;
        release_own(ts, rd);
        if (ts->qsbr_len >= before)
            break;
    }
    if (tw_atomic_load_relaxed(&qsbr.has_orphans)) {
        tw_qsbr_quiescent(ts);
        release_orphans(scan());
    }
    ts->qsbr_exited = 1;
    if (ts->qsbr_len > 0) {
        pthread_mutex_lock(&qsbr.mutex);
        for (intptr_t i = 0; i < ts->qsbr_len; i++)
            push(&qsbr.orphans, &qsbr.orphans_len, &qsbr.orphans_cap, ts->qsbr_items[i]);
        tw_atomic_store_relaxed(&qsbr.has_orphans, 1);
        pthread_mutex_unlock(&qsbr.mutex);
        request(NULL, 0, 1);
    }
    free(ts->qsbr_items);
    ts->qsbr_items = NULL;
    ts->qsbr_len = ts->qsbr_cap = 0;
    tw_qsbr_detach(ts);
}

intptr_t tw_qsbr_pending(TwThreadState *ts) { return ts->qsbr_len; }

/* In the child after fork(): the threads on the `dead` list (linked through
 * `next`) are gone, and so are any lock-free reads they were making.  Their
 * deferred releases become orphans, which ts serves at its next poll (the
 * only thread left, it passes every goal at its next quiescent state).
 * The orphan list is whole: it changes only under qsbr.mutex, attached,
 * and no other thread was attached at the fork. */
void tw_qsbr_reinit_after_fork(TwThreadState *ts, TwThreadState *dead)
{
    pthread_mutex_init(&qsbr.mutex, NULL);
    for (TwThreadState *t = dead; t != NULL; t = t->next) {
        for (intptr_t i = 0; i < t->qsbr_len; i++)
            push(&qsbr.orphans, &qsbr.orphans_len, &qsbr.orphans_cap, t->qsbr_items[i]);
        free(t->qsbr_items);
        t->qsbr_items = NULL;
        t->qsbr_len = t->qsbr_cap = 0;
        t->qsbr_exited = 1;
        tw_atomic_store_relaxed(&t->qsbr_seq, (uint64_t)TW_QSBR_OFFLINE);
    }
    if (qsbr.orphans_len > 0) {
        tw_atomic_store_relaxed(&qsbr.has_orphans, 1);
        tw_eval_breaker_set(ts, TW_EB_QSBR);
    }
}

#else
/* The GIL build releases at once (alloc/alloc.c): nothing here. */
typedef int tw_qsbr_unused_in_gil_build;
#endif
