/* Containers read without their lock: the sharing state and the accessors
 * for the fields such readers touch.  Internal; used by core/dict.c.
 *
 * Free-threaded build.  A container starts private to the thread that
 * created it (its ob_tid).  The owner reads it without locking.  Any other
 * thread's first access, read or write, goes through the critical section
 * and marks it SHARED (TW_GC_SHARED in ob_gc_bits, set under the lock,
 * read with an acquire load); from then on every thread reads it without
 * locking.  Writers always hold the critical section.  While a container is
 * private nobody else can be reading it, so a writer frees what it removes
 * at once; once it is shared, a removed value, key or table may still be in
 * the hands of a reader, so the writer releases it through
 * tw_decref_delayed / tw_mem_free_delayed (nogil/qsbr.h).  Every field such
 * readers load is written with the tw_lf_store_* accessors, and a writer
 * publishes a new entry or table with a release store after filling it.
 *
 * GIL build.  The GIL serialises readers and writers: tw_lf_can_read is 0
 * (the ordinary path, which takes no lock in this build, is used), nothing
 * is ever shared, and the accessors are plain loads and stores. */
#ifndef TWINPY_NOGIL_LOCKFREE_H
#define TWINPY_NOGIL_LOCKFREE_H

#include <twinpy/object.h>

#if TW_GIL_DISABLED
/* For the locked path a lock-free reader falls back to: kept out of line so
 * that the lock-free path needs no stack frame.  With a GIL that path is
 * the only one, so it stays inline there. */
#define TW_LF_SLOW_PATH TW_NOINLINE

/* ob_gc_bits: another thread has accessed the container; readers do not lock. */
#define TW_GC_SHARED 1u

#define tw_lf_load_relaxed(p)     __atomic_load_n((p), __ATOMIC_RELAXED)
#define tw_lf_load_acquire(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define tw_lf_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define tw_lf_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline int tw_lf_is_shared(TwObject *op)
{
    return (tw_lf_load_acquire(&op->ob_gc_bits) & TW_GC_SHARED) != 0;
}

/* 1 if the calling thread may read op without its lock: it owns op, or op
 * is shared. */
static inline int tw_lf_can_read(TwObject *op)
{
    return tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial || tw_lf_is_shared(op);
}

/* Called with op's critical section held, before anything that frees:
 * marks op shared if the caller does not own it.  Returns 1 if op is
 * shared (removed things must be released after a grace period), 0 if it
 * is private to the caller (release at once). */
static inline int tw_lf_mark(TwObject *op)
{
    uint8_t bits = tw_lf_load_relaxed(&op->ob_gc_bits);
    if (bits & TW_GC_SHARED)
        return 1;
    if (tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial)
        return 0;
    tw_lf_store_release(&op->ob_gc_bits, (uint8_t)(bits | TW_GC_SHARED));
    return 1;
}
#else
#define TW_LF_SLOW_PATH

#define tw_lf_load_relaxed(p)     (*(p))
#define tw_lf_load_acquire(p)     (*(p))
#define tw_lf_store_relaxed(p, v) ((void)(*(p) = (v)))
#define tw_lf_store_release(p, v) ((void)(*(p) = (v)))

static inline int tw_lf_is_shared(TwObject *op)
{
    (void)op;
    return 0;
}
static inline int tw_lf_can_read(TwObject *op)
{
    (void)op;
    return 0;
}
static inline int tw_lf_mark(TwObject *op)
{
    (void)op;
    return 0;
}
#endif

#endif
