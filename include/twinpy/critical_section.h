/* Critical sections: per-object locking that cannot deadlock on blocking.
 *
 *   TW_BEGIN_CRITICAL_SECTION(op);   ... TW_END_CRITICAL_SECTION();
 *   TW_BEGIN_CRITICAL_SECTION2(a, b); ... TW_END_CRITICAL_SECTION2();
 *
 * Free-threaded build: BEGIN locks the object's ob_mutex and pushes a record
 * on the thread's critical-section stack; END pops it and unlocks.  The
 * two-object form locks both mutexes in address order (one lock if a == b).
 * Re-entering the object held by the top-most section locks nothing: its
 * record stays off the stack (mutex NULL) and END skips it, so after the
 * thread blocks and resumes, the real top-most record is the one re-locked.  When the thread detaches (blocks, parks on a mutex, drops
 * into TW_BEGIN_ALLOW_THREADS) every section on its stack is unlocked and
 * marked inactive; when it re-attaches only the top-most is locked again,
 * and outer ones are re-locked as they become the top on END.  So a section
 * is atomic only while its code does not block: exactly the guarantee the
 * GIL gives.  Nested sections are not atomic together; the two-object form
 * is.
 *
 * GIL build: the macros are a plain block; the GIL protects the object.  In
 * debug builds both forms check that the thread is attached.
 *
 * BEGIN and END must appear in the same C scope. */
#ifndef TWINPY_CRITICAL_SECTION_H
#define TWINPY_CRITICAL_SECTION_H

#include <stdint.h>
#include <twinpy/object.h>

#if TW_GIL_DISABLED
typedef struct TwCriticalSection {
    uintptr_t prev;  /* the enclosing record, tagged with TW_CS_* bits */
    TwMutex *mutex;  /* NULL: re-entry record, locks nothing */
} TwCriticalSection;

typedef struct TwCriticalSection2 {
    TwCriticalSection base;
    TwMutex *mutex2; /* the higher-addressed mutex, or NULL */
} TwCriticalSection2;

/* Tag bits in the thread's stack pointer and in `prev`. */
#define TW_CS_INACTIVE 1u /* suspended: its mutexes are not held */
#define TW_CS_TWO      2u /* the record is a TwCriticalSection2 */
#define TW_CS_MASK     3u

void tw_cs_begin(TwCriticalSection *c, TwObject *op);
void tw_cs_end(TwCriticalSection *c);
void tw_cs_begin2(TwCriticalSection2 *c, TwObject *a, TwObject *b);
void tw_cs_end2(TwCriticalSection2 *c);
/* Lock-discipline check (debug builds): 1 if the calling thread holds op's
 * mutex through an active critical section. */
int tw_cs_is_held(TwObject *op);

#if TW_DEBUG
/* Debug builds check the discipline in every call: no inline fast path. */
#define tw_cs_begin_fast tw_cs_begin
#define tw_cs_end_fast   tw_cs_end
#else
/* The calling thread's stack pointer (its TwThreadState.critical_section;
 * thread-local, set while the thread has a thread state). */
extern _Thread_local uintptr_t *tw_tls_cs_top;

/* BEGIN without a call when the top record (if any) is active, holds one
 * mutex, and not op's (so this is no re-entry) and the lock is free; the
 * rest, including waiting, is tw_cs_begin's and the lock's slow path. */
static TW_ALWAYS_INLINE void tw_cs_begin_fast(TwCriticalSection *c, TwObject *op)
{
    uintptr_t *top = tw_tls_cs_top;
    uintptr_t t = *top;
    TwMutex *m = &op->ob_mutex;
    if (tw_likely(t == 0 || ((t & TW_CS_MASK) == 0 && ((TwCriticalSection *)t)->mutex != m))) {
        c->prev = t;
        c->mutex = NULL; /* set once locked: a park inside the lock finds nothing to unlock */
        *top = (uintptr_t)c;
        tw_mutex_lock(m);
        c->mutex = m;
        return;
    }
    tw_cs_begin(c, op);
}

/* END without a call unless the enclosing section must be resumed. */
static TW_ALWAYS_INLINE void tw_cs_end_fast(TwCriticalSection *c)
{
    TwMutex *m = c->mutex;
    if (m == NULL)
        return; /* a re-entry record */
    if (tw_unlikely(c->prev & TW_CS_INACTIVE)) {
        tw_cs_end(c);
        return;
    }
    *tw_tls_cs_top = c->prev;
    tw_mutex_unlock(m);
}
#endif

#define TW_BEGIN_CRITICAL_SECTION(op)                                                              \
    {                                                                                              \
        TwCriticalSection tw_cs_;                                                                  \
        tw_cs_begin_fast(&tw_cs_, (TwObject *)(op))
#define TW_END_CRITICAL_SECTION()                                                                  \
    tw_cs_end_fast(&tw_cs_);                                                                       \
    }
#define TW_BEGIN_CRITICAL_SECTION2(a, b)                                                           \
    {                                                                                              \
        TwCriticalSection2 tw_cs2_;                                                                \
        tw_cs_begin2(&tw_cs2_, (TwObject *)(a), (TwObject *)(b))
#define TW_END_CRITICAL_SECTION2()                                                                 \
    tw_cs_end2(&tw_cs2_);                                                                          \
    }
#else
#if TW_DEBUG
void tw_debug_assert_attached(const char *what);
#define TW_BEGIN_CRITICAL_SECTION(op)                                                              \
    {                                                                                              \
        tw_debug_assert_attached("critical section on an object")
#define TW_BEGIN_CRITICAL_SECTION2(a, b)                                                           \
    {                                                                                              \
        tw_debug_assert_attached("critical section on two objects")
#else
#define TW_BEGIN_CRITICAL_SECTION(op)    {
#define TW_BEGIN_CRITICAL_SECTION2(a, b) {
#endif
#define TW_END_CRITICAL_SECTION()  }
#define TW_END_CRITICAL_SECTION2() }
static inline int tw_cs_is_held(TwObject *op)
{
    (void)op;
    return 1;
}
#endif

/* Lock-discipline assertion for mutating an object: in debug builds, the
 * free-threaded build checks op's critical section is held and the GIL build
 * checks the thread is attached (holds the GIL). */
#if TW_DEBUG
void tw_debug_assert_can_mutate(TwObject *op, const char *what);
#define TW_ASSERT_CAN_MUTATE(op, what) tw_debug_assert_can_mutate((TwObject *)(op), (what))
#else
#define TW_ASSERT_CAN_MUTATE(op, what) ((void)0)
#endif

#endif
