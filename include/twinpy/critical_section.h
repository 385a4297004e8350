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

#define TW_BEGIN_CRITICAL_SECTION(op)                                                              \
    {                                                                                              \
        TwCriticalSection tw_cs_;                                                                  \
        tw_cs_begin(&tw_cs_, (TwObject *)(op))
#define TW_END_CRITICAL_SECTION()                                                                  \
    tw_cs_end(&tw_cs_);                                                                            \
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
