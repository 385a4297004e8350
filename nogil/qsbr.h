/* Quiescent-state-based reclamation (free-threaded build): delaying a free
 * or a decref until no thread can still be reading through an old pointer.
 *
 * Readers that do not lock (dict lookups, core/dict.c) may hold a pointer
 * into a structure that a writer is replacing: an old key table, a value
 * just overwritten.  The writer does not free it; it defers it with
 * tw_qsbr_defer, which tags the item with a goal sequence number.
 *
 * Sequences.  wr_seq is global, starts at 1 and is advanced by 2 for every
 * deferred item, so it is always odd and never 0; the new value is the
 * item's goal.  Each thread state publishes in ts->qsbr_seq the value of
 * wr_seq it saw at its last quiescent state, a moment when it holds no
 * pointer obtained by an unlocked read.  Quiescent states are reported:
 *   - at eval-breaker check points that find TW_EB_QSBR set (the check
 *     point's fast path stays a single load: the bit is raised only when
 *     some thread waits for a goal);
 *   - on attach (the thread starts with no pointers).
 * A detached thread stores QSBR_OFFLINE (0) and holds nothing back: it
 * reads nothing until it attaches again.
 *
 * An item with goal G may be released once every thread state that is
 * online shows a sequence >= G: each of them passed a quiescent state after
 * the writer unlinked the item (the unlink happens before the advance of
 * wr_seq; the reader's quiescent state reads wr_seq with acquire).  The
 * smallest sequence seen by the last scan is cached in rd_seq.
 *
 * Who releases.  Items sit on the deferring thread's list (owner-only) and
 * are released by that thread at its check points (tw_qsbr_poll), never at
 * the moment of deferral: writers defer inside critical sections, and a
 * decref may run a destructor.  A thread that exits with items still
 * waiting hands them to a global orphan list (a mutex protects it) that any
 * thread's poll serves.
 *
 * GIL build: nothing of this exists; tw_mem_free_delayed and
 * tw_decref_delayed act at once (alloc/alloc.c). */
#ifndef TWINPY_NOGIL_QSBR_H
#define TWINPY_NOGIL_QSBR_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwThreadState TwThreadState;

/* The value of ts->qsbr_seq while its thread is detached. */
#define TW_QSBR_OFFLINE 0

/* One deferred release: ptr with its low bit set is an object to decref,
 * otherwise a buffer to free. */
typedef struct TwQsbrItem {
    uint64_t goal;
    uintptr_t ptr;
} TwQsbrItem;

#if TW_GIL_DISABLED
void tw_qsbr_init(void);
/* The thread comes online (attach) or goes offline (detach). */
void tw_qsbr_attach(TwThreadState *ts);
void tw_qsbr_detach(TwThreadState *ts);
/* Report a quiescent state: the caller holds no pointer obtained by an
 * unlocked read. */
void tw_qsbr_quiescent(TwThreadState *ts);
/* Defer freeing buffer p (tw_mem_free) / dropping a reference to op. */
void tw_qsbr_defer_free(TwThreadState *ts, void *p);
void tw_qsbr_defer_decref(TwThreadState *ts, TwObject *op);
/* The TW_EB_QSBR check point: report a quiescent state, release the items
 * (own and orphaned) whose goal every online thread has passed, and ask the
 * threads that lag to report. */
void tw_qsbr_poll(TwThreadState *ts);
/* Thread exit, while still attached: release what can be released, hand the
 * rest to the orphan list, go offline. */
void tw_qsbr_thread_exit(TwThreadState *ts);
/* Items waiting on ts's list (tests and debugging). */
intptr_t tw_qsbr_pending(TwThreadState *ts);
/* In the child after fork(): the deferred releases of the threads on the
 * `dead` list (linked through `next`) become orphans that ts serves. */
void tw_qsbr_reinit_after_fork(TwThreadState *ts, TwThreadState *dead);
#endif

#endif
