/* Critical sections (twinpy/critical_section.h) and the debug checks of the
 * lock discipline.
 *
 * Free-threaded build.  Each thread keeps a stack of its critical-section
 * records, linked through `prev`, in TwThreadState.critical_section: the
 * top record's address tagged with TW_CS_INACTIVE (its mutexes are not
 * held) and TW_CS_TWO (it is a TwCriticalSection2).  Each record's `prev`
 * holds the enclosing record tagged the same way.  The stack and the records
 * belong to their thread: only the owner reads or writes them, so they need
 * no lock.
 *
 * Invariant: the active records are a prefix of the stack.  Detaching
 * suspends every active record from the top down; attaching resumes only the
 * top one; ending a section resumes the new top if it is suspended.  So
 * while a thread runs attached, its top record (if any) is active.
 *
 * A record's mutex fields are NULL while it is still acquiring them (and
 * while resume re-acquires them): if that locking parks, the detach then
 * unlocks nothing on its behalf, and a two-mutex record keeps the lower
 * mutex it already holds while it waits for the higher one (safe, since
 * every thread takes the pair in address order).
 *
 * A section entered on a mutex that the top record already holds is not
 * linked into the stack at all: its record has mutex == NULL, which tells
 * END to do nothing.  While the thread runs, such a record can only be
 * nested inside the section that holds its mutex, and whenever that section
 * is resumed the mutex is held again, so the nested section needs no state
 * of its own. */
#include "core/tstate.h"

#if TW_GIL_DISABLED

static TwCriticalSection *untag(uintptr_t tagged)
{
    return (TwCriticalSection *)(tagged & ~(uintptr_t)TW_CS_MASK);
}

/* 1 if the record `tagged` (a tagged stack pointer) names m among its
 * mutexes. */
static int record_has(uintptr_t tagged, TwMutex *m)
{
    TwCriticalSection *c = untag(tagged);
    if (c->mutex == m)
        return 1;
    return (tagged & TW_CS_TWO) && ((TwCriticalSection2 *)c)->mutex2 == m;
}

/* The thread state of a thread entering or leaving a section: it must have
 * one and be attached (a detached thread's sections are suspended, so it
 * may not start new ones). */
static TwThreadState *section_owner(void)
{
    TwThreadState *ts = tw_tstate_fast();
#if TW_DEBUG
    if (ts == NULL || tw_atomic_load_relaxed(&ts->status) != TW_TS_ATTACHED)
        tw_fatal("lock discipline: critical section used by a thread that is not attached");
#endif
    return ts;
}

/* 1 if ts's top record holds m (so a new section on m may skip locking). */
static int top_holds(TwThreadState *ts, TwMutex *m)
{
    uintptr_t top = ts->critical_section;
    return top != 0 && !(top & TW_CS_INACTIVE) && record_has(top, m);
}

/* Enter a section on op.  The record is pushed before locking, so that if
 * the lock parks (and the detach suspends every section of this thread,
 * including any outer one holding this very mutex) the stack is complete. */
void tw_cs_begin(TwCriticalSection *c, TwObject *op)
{
    TwThreadState *ts = section_owner();
    TwMutex *m = &op->ob_mutex;
    c->mutex = NULL;
    if (top_holds(ts, m)) {
        c->prev = 0; /* re-entry: not linked, locks nothing */
        return;
    }
    c->prev = ts->critical_section;
    ts->critical_section = (uintptr_t)c;
    tw_mutex_lock(m);
    c->mutex = m;
}

/* Enter a section on a and b, locking the lower-addressed mutex first so
 * that threads taking the same pair in opposite orders cannot deadlock. */
void tw_cs_begin2(TwCriticalSection2 *c, TwObject *a, TwObject *b)
{
    TwMutex *m1 = &a->ob_mutex, *m2 = &b->ob_mutex;
    c->mutex2 = NULL;
    if (m1 == m2) {
        tw_cs_begin(&c->base, a);
        return;
    }
    if ((uintptr_t)m2 < (uintptr_t)m1) {
        TwMutex *tmp = m1;
        m1 = m2;
        m2 = tmp;
    }
    TwThreadState *ts = section_owner();
    c->base.mutex = NULL;
    if (top_holds(ts, m1) && top_holds(ts, m2)) {
        c->base.prev = 0; /* re-entry: not linked, locks nothing */
        return;
    }
    c->base.prev = ts->critical_section;
    ts->critical_section = (uintptr_t)c | TW_CS_TWO;
    tw_mutex_lock(m1);
    tw_mutex_lock(m2);
    c->base.mutex = m1;
    c->mutex2 = m2;
}

/* Leave the section whose record is c (mutex2: its second mutex or NULL):
 * pop it, unlock, and resume the enclosing section if it was suspended. */
static void end_section(TwCriticalSection *c, TwMutex *mutex2)
{
    if (c->mutex == NULL)
        return; /* a re-entry record */
    TwThreadState *ts = section_owner();
#if TW_DEBUG
    if (untag(ts->critical_section) != c || (ts->critical_section & TW_CS_INACTIVE))
        tw_fatal("lock discipline: critical sections ended out of order");
#endif
    ts->critical_section = c->prev;
    if (mutex2 != NULL)
        tw_mutex_unlock(mutex2);
    tw_mutex_unlock(c->mutex);
    if (c->prev & TW_CS_INACTIVE)
        tw_cs_resume(ts);
}

void tw_cs_end(TwCriticalSection *c)
{
    end_section(c, NULL);
}

void tw_cs_end2(TwCriticalSection2 *c)
{
    end_section(&c->base, c->mutex2);
}

/* On detach: unlock the mutexes of every active record, top down, and mark
 * each inactive.  Records below the first inactive one are inactive too. */
void tw_cs_suspend_all(TwThreadState *ts)
{
    uintptr_t *link = &ts->critical_section;
    while (*link != 0 && !(*link & TW_CS_INACTIVE)) {
        TwCriticalSection *c = untag(*link);
        if (*link & TW_CS_TWO) {
            TwMutex *m2 = ((TwCriticalSection2 *)c)->mutex2;
            if (m2 != NULL)
                tw_mutex_unlock(m2);
        }
        if (c->mutex != NULL)
            tw_mutex_unlock(c->mutex);
        *link |= TW_CS_INACTIVE;
        link = &c->prev;
    }
}

/* On attach, and on END when the enclosing section is suspended: re-lock
 * the top record's mutexes (in address order, as they were stored).  Its
 * mutex fields are cleared while locking, so that a park inside the lock
 * (which detaches, attaches and so re-enters this function) finds nothing
 * to unlock or re-lock. */
void tw_cs_resume(TwThreadState *ts)
{
    uintptr_t top = ts->critical_section;
    if (top == 0 || !(top & TW_CS_INACTIVE))
        return;
    TwCriticalSection *c = untag(top);
    TwCriticalSection2 *c2 = (top & TW_CS_TWO) ? (TwCriticalSection2 *)c : NULL;
    TwMutex *m1 = c->mutex;
    TwMutex *m2 = c2 != NULL ? c2->mutex2 : NULL;
    c->mutex = NULL;
    if (c2 != NULL)
        c2->mutex2 = NULL;
    if (m1 != NULL)
        tw_mutex_lock(m1);
    if (m2 != NULL)
        tw_mutex_lock(m2);
    c->mutex = m1;
    if (c2 != NULL)
        c2->mutex2 = m2;
    ts->critical_section &= ~(uintptr_t)TW_CS_INACTIVE;
}

/* Whether one of the calling thread's active records holds op's mutex. */
int tw_cs_is_held(TwObject *op)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL)
        return 0;
    for (uintptr_t p = ts->critical_section; p != 0 && !(p & TW_CS_INACTIVE); p = untag(p)->prev) {
        if (record_has(p, &op->ob_mutex))
            return 1;
    }
    return 0;
}

#if TW_DEBUG
/* An object may be mutated by an attached thread that holds its critical
 * section, or that owns it while no other thread holds a reference to it
 * (a new object nobody else can see yet). */
void tw_debug_assert_can_mutate(TwObject *op, const char *what)
{
    if (!tw_thread_is_attached())
        tw_fatal("lock discipline: %s by a thread that is not attached", what);
    if (tw_cs_is_held(op))
        return;
    if (tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial &&
        tw_atomic_load_relaxed(&op->ob_ref_shared) == 0)
        return;
    tw_fatal("lock discipline: %s without the object's critical section", what);
}
#endif

#else /* GIL build: critical sections are plain blocks; only the checks. */

#if TW_DEBUG
/* In the GIL build an attached thread is the one holding the GIL. */
void tw_debug_assert_attached(const char *what)
{
    if (!tw_thread_is_attached())
        tw_fatal("lock discipline: %s without the GIL", what);
}

void tw_debug_assert_can_mutate(TwObject *op, const char *what)
{
    (void)op;
    tw_debug_assert_attached(what);
}
#endif

/* Keeps this translation unit non-empty in a GIL release build. */
typedef int tw_critical_section_gil_build;

#endif
