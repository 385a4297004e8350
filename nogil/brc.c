/* Biased reference counting: the slow paths (free-threaded build only).
 *
 * The fast paths are inline in include/twinpy/object.h, which also explains
 * the header fields and the state bits.  This file handles:
 *   - an owner whose local count would reach zero (merge_zero_local);
 *   - a non-owner decrement (decref_shared), which may queue the object to
 *     its owner when the shared count would go below zero;
 *   - the per-thread merge queues, served at eval-breaker check points and
 *     drained when the owner exits;
 *   - objects whose owner has exited, merged directly by the queuing thread.
 *
 * The one invariant every path keeps: a thread never writes to an object's
 * header after giving up the reference it holds, because another thread may
 * free the object at any moment after that.  A queue entry is a reference,
 * so merging a queued object first folds the counts (the entry still keeps
 * the object alive) and only then drops the entry's reference.
 *
 * Queues: thread states are hashed by serial into BRC_BUCKETS buckets.  A
 * bucket's mutex (a raw pthread mutex: the paths below run inside decref,
 * where detaching to park would be wrong) protects its list of thread
 * states and their brc_queue arrays. */
#include <pthread.h>
#include <stdlib.h>
#include "core/tstate.h"

#if TW_GIL_DISABLED

#define BRC_BUCKETS 257

typedef struct {
    pthread_mutex_t mutex;
    TwThreadState *threads; /* linked through brc_next */
} Bucket;

static Bucket buckets[BRC_BUCKETS];

static Bucket *bucket_for(uint32_t serial) { return &buckets[serial % BRC_BUCKETS]; }

void tw_brc_init(void)
{
    for (int i = 0; i < BRC_BUCKETS; i++) {
        pthread_mutex_init(&buckets[i].mutex, NULL);
        buckets[i].threads = NULL;
    }
}

/* Drop one reference through the shared count.  Frees the object when the
 * counts were merged and this was the last reference. */
static void release_shared(TwObject *op)
{
    int32_t old = tw_atomic_sub_acqrel(&op->ob_ref_shared, 1 << TW_REF_SHIFT);
    if (old - (1 << TW_REF_SHIFT) == TW_REF_MERGED)
        tw_dealloc(op);
}

/* Fold the owner's local count into the shared count and make the object
 * unowned.  The caller holds a reference (so the object stays alive) and is
 * either the owner or acting for an owner that has exited, so it may write
 * ob_ref_local.  Returns 1 if the object became immortal instead because
 * the merged count would not fit the shared field (more than 2^28
 * references); the caller then does nothing more with it. */
static int merge_counts(TwObject *op)
{
    int32_t shared = tw_atomic_load_relaxed(&op->ob_ref_shared);
    for (;;) {
        if ((shared & TW_REF_STATE_MASK) == TW_REF_MERGED)
            return 0; /* already folded */
        int64_t count = (int64_t)(shared >> TW_REF_SHIFT) +
                        (int64_t)tw_atomic_load_relaxed(&op->ob_ref_local);
        if (count >= TW_REF_SHARED_LIMIT) {
            tw_atomic_store_relaxed(&op->ob_ref_local, TW_REF_LOCAL_IMMORTAL);
            return 1;
        }
        int32_t merged = (int32_t)((uint32_t)count << TW_REF_SHIFT) | TW_REF_MERGED;
        if (tw_atomic_cas_acqrel(&op->ob_ref_shared, &shared, merged))
            break;
    }
    tw_atomic_store_relaxed(&op->ob_ref_local, 0);
    tw_atomic_store_relaxed(&op->ob_tid, 0);
    return 0;
}

/* Merge a queued object and drop the reference the queue held. */
static void merge_queued(TwObject *op)
{
    if (tw_is_immortal(op) || merge_counts(op))
        return;
    release_shared(op);
}

/* The owner drops its last local reference. */
void tw_brc_merge_zero_local(TwObject *op)
{
    tw_assert(tw_atomic_load_relaxed(&op->ob_ref_local) == 1);
    int32_t shared = tw_atomic_load_acquire(&op->ob_ref_shared);
    if (shared == 0) {
        /* No other thread holds or queued a reference: nobody can reach the
         * object any more. */
        tw_atomic_store_relaxed(&op->ob_ref_local, 0);
        tw_dealloc(op);
        return;
    }
    /* Other threads hold references.  Fold our reference into the shared
     * count while we still hold it, then drop it atomically. */
    if (merge_counts(op))
        return;
    release_shared(op);
}

static void enqueue(TwObject *op);

/* A thread that does not own op drops a reference. */
void tw_brc_decref_shared(TwObject *op)
{
    int32_t shared = tw_atomic_load_relaxed(&op->ob_ref_shared);
    int32_t desired;
    int queue;
    do {
        int32_t state = shared & TW_REF_STATE_MASK;
        queue = (shared >> TW_REF_SHIFT) == 0 &&
                (state == TW_REF_DEFAULT || state == TW_REF_MAYBE_WEAKREF);
        /* Going below zero: mark QUEUED without decrementing; the queue
         * entry keeps this reference until the owner merges. */
        desired = queue ? TW_REF_QUEUED : shared - (1 << TW_REF_SHIFT);
    } while (!tw_atomic_cas_acqrel(&op->ob_ref_shared, &shared, desired));

    if (queue)
        enqueue(op);
    else if (desired == TW_REF_MERGED)
        tw_dealloc(op);
}

/* Give op (whose queue reference the caller transfers) to its owner, or
 * merge it here if the owner has exited. */
static void enqueue(TwObject *op)
{
    uint32_t owner = tw_atomic_load_relaxed(&op->ob_tid);
    Bucket *b = bucket_for(owner);
    pthread_mutex_lock(&b->mutex);
    TwThreadState *ts = b->threads;
    while (ts != NULL && ts->serial != owner)
        ts = ts->brc_next;
    if (ts != NULL) {
        if (ts->brc_queue_len == ts->brc_queue_cap) {
            intptr_t cap = ts->brc_queue_cap ? ts->brc_queue_cap * 2 : 16;
            TwObject **q = realloc(ts->brc_queue, (size_t)cap * sizeof(*q));
            if (q == NULL)
                tw_fatal("out of memory growing a refcount merge queue");
            ts->brc_queue = q;
            ts->brc_queue_cap = cap;
        }
        ts->brc_queue[ts->brc_queue_len++] = op;
        tw_eval_breaker_set(ts, TW_EB_BRC_MERGE);
        pthread_mutex_unlock(&b->mutex);
        return;
    }
    pthread_mutex_unlock(&b->mutex);
    /* The owner has exited: nobody writes its local count any more. */
    merge_queued(op);
}

/* A non-owner's increment took the shared count past 2^28 references.
 * Rather than let it overflow, make the object immortal.  Only the owner
 * writes ob_ref_local, so this store can race with an owner's store of
 * local +/- 1 and be lost; then the next increment past the limit stores
 * it again.  The field has 2^28 increments of headroom above the limit for
 * that to happen before a real overflow. */
void tw_brc_shared_overflow(TwObject *op)
{
    tw_atomic_store_relaxed(&op->ob_ref_local, TW_REF_LOCAL_IMMORTAL);
}

void tw_brc_thread_register(TwThreadState *ts)
{
    Bucket *b = bucket_for(ts->serial);
    pthread_mutex_lock(&b->mutex);
    ts->brc_next = b->threads;
    b->threads = ts;
    pthread_mutex_unlock(&b->mutex);
}

/* Take the queue under the bucket lock; merge outside it, since merging may
 * free objects whose destructors decref (and queue) others. */
static TwObject **take_queue(TwThreadState *ts, intptr_t *len, int unregister)
{
    Bucket *b = bucket_for(ts->serial);
    pthread_mutex_lock(&b->mutex);
    TwObject **q = ts->brc_queue;
    *len = ts->brc_queue_len;
    ts->brc_queue = NULL;
    ts->brc_queue_len = ts->brc_queue_cap = 0;
    if (unregister) {
        TwThreadState **p = &b->threads;
        while (*p != ts)
            p = &(*p)->brc_next;
        *p = ts->brc_next;
        ts->brc_next = NULL;
    }
    pthread_mutex_unlock(&b->mutex);
    return q;
}

void tw_brc_merge_queue(TwThreadState *ts)
{
    intptr_t len;
    TwObject **q = take_queue(ts, &len, 0);
    for (intptr_t i = 0; i < len; i++)
        merge_queued(q[i]);
    free(q);
}

void tw_brc_thread_unregister(TwThreadState *ts)
{
    /* Merging can free objects whose destructors queue more objects to this
     * thread: drain until the queue stays empty, then leave the bucket. */
    for (;;) {
        tw_brc_merge_queue(ts);
        Bucket *b = bucket_for(ts->serial);
        pthread_mutex_lock(&b->mutex);
        int empty = ts->brc_queue_len == 0;
        pthread_mutex_unlock(&b->mutex);
        if (empty)
            break;
    }
    intptr_t len;
    TwObject **q = take_queue(ts, &len, 1);
    for (intptr_t i = 0; i < len; i++)
        merge_queued(q[i]);
    free(q);
    tw_eval_breaker_clear(ts, TW_EB_BRC_MERGE);
}

/* In the child after fork(): only `ts` runs.  The buckets are rebuilt with
 * it alone, so that queuing to any other owner finds none and merges on the
 * spot, as after a thread exit.  Nobody held a bucket mutex at the fork
 * (queuing and merging run attached, and every other thread was detached),
 * so the lists and queues are whole; only the mutexes are made new. */
void tw_brc_reinit_after_fork(TwThreadState *ts)
{
    for (int i = 0; i < BRC_BUCKETS; i++) {
        pthread_mutex_init(&buckets[i].mutex, NULL);
        buckets[i].threads = NULL;
    }
    ts->brc_next = NULL;
    tw_brc_thread_register(ts);
}

/* Merge what waited in the queue of a thread that did not survive the
 * fork, as its owner would have (it no longer writes its local counts). */
void tw_brc_merge_orphaned_queue(TwThreadState *dead)
{
    TwObject **q = dead->brc_queue;
    intptr_t len = dead->brc_queue_len;
    dead->brc_queue = NULL;
    dead->brc_queue_len = dead->brc_queue_cap = 0;
    dead->brc_next = NULL;
    for (intptr_t i = 0; i < len; i++)
        merge_queued(q[i]);
    free(q);
}

#else
/* The GIL build counts references with plain integers: nothing here. */
typedef int tw_brc_unused_in_gil_build;
#endif
