/* Thread states, attach/detach, the eval breaker and the GIL-state API.
 *
 * Every thread that touches objects has a thread state (TwThreadState).  A
 * thread state is ATTACHED while its thread may touch objects and DETACHED
 * while it blocks or runs pure C code.  Attach and detach are the one place
 * where the builds differ:
 *   - GIL build: attach takes the GIL, detach drops it;
 *   - free-threaded build: detach suspends all of the thread's critical
 *     sections (unlocking their mutexes) and attach resumes the top-most
 *     one, so that a thread blocked inside a critical section cannot
 *     deadlock another.  When the free-threaded build runs with the GIL
 *     switched on (TWINPY_GIL=1; see tw_gil_is_enabled), it does both.
 *
 * The eval breaker is a word of request bits in each thread state.  Other
 * threads set bits atomically; the owning thread serves them at check points
 * (tw_eval_breaker_check): function entry and backward jumps in the
 * interpreter, and the iterations of long-running C loops. */
#ifndef TWINPY_THREAD_H
#define TWINPY_THREAD_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwThreadState TwThreadState;

/* Eval-breaker bits. */
#define TW_EB_GIL_DROP_REQUEST (1u << 0) /* another thread waits for the GIL: drop it */
#define TW_EB_BRC_MERGE        (1u << 1) /* objects wait in this thread's merge queue */
#define TW_EB_SIGNALS_PENDING  (1u << 2) /* a signal arrived (served in the main thread) */
#define TW_EB_ASYNC_EXC        (1u << 3) /* another thread asked to raise an exception here */
#define TW_EB_STOP_THE_WORLD   (1u << 4) /* reserved: park for a stop-the-world pause */
#define TW_EB_QSBR             (1u << 5) /* reclamation waits: report a quiescent state (nogil/qsbr.h) */

/* ---- runtime ------------------------------------------------------------ */

/* Start the runtime and attach a thread state for the calling (main)
 * thread.  Returns 0, or -1 if the runtime is already running. */
int tw_runtime_init(void);
/* Detach and delete the main thread state.  Objects still alive are leaked
 * on purpose (as CPython does at exit). */
void tw_runtime_fini(void);
/* 1 if this process's threads are serialised by a GIL: always in the GIL
 * build; in the free-threaded build only when switched on at start. */
int tw_gil_is_enabled(void);
/* 1 in the free-threaded build, 0 in the GIL build. */
int tw_build_is_free_threaded(void);

/* ---- thread states ------------------------------------------------------ */

/* The calling thread's state, or NULL if it has none. */
TwThreadState *tw_thread_state_get(void);
/* Create a thread state for the calling thread and attach it. */
TwThreadState *tw_thread_state_new_current(void);
/* Detach and delete the calling thread's state: merges its refcount queue,
 * hands its heap back, and leaves its objects unowned. */
void tw_thread_state_delete_current(void);
/* The serial number of a thread state (1, 2, ...; never reused). */
uint32_t tw_thread_state_serial(TwThreadState *ts);

void tw_thread_attach(TwThreadState *ts);
void tw_thread_detach(TwThreadState *ts);
/* 1 if the calling thread has a state and it is attached. */
int tw_thread_is_attached(void);

/* Release the GIL (or detach) around blocking or long pure-C work.  Between
 * the two macros the code must not touch any object.  Re-attaching keeps
 * errno. */
TwThreadState *tw_save_thread(void);
void tw_restore_thread(TwThreadState *ts);
#define TW_BEGIN_ALLOW_THREADS                                                                     \
    {                                                                                              \
        TwThreadState *tw_saved_tstate_ = tw_save_thread();
#define TW_END_ALLOW_THREADS                                                                       \
    tw_restore_thread(tw_saved_tstate_);                                                           \
    }

/* For threads the runtime did not create (callbacks from C libraries):
 * ensure the thread has an attached state, creating one if needed, and
 * undo exactly that in release.  Calls nest. */
typedef enum { TW_GILSTATE_LOCKED, TW_GILSTATE_UNLOCKED } TwGILState;
TwGILState tw_gilstate_ensure(void);
void tw_gilstate_release(TwGILState state);

/* ---- eval breaker -------------------------------------------------------- */

uintptr_t tw_eval_breaker_bits(TwThreadState *ts);
void tw_eval_breaker_set(TwThreadState *ts, uintptr_t bits);
void tw_eval_breaker_clear(TwThreadState *ts, uintptr_t bits);
/* Serve every pending request.  Returns 0, or -1 with an exception set
 * (a pending signal or an asynchronous exception). */
int tw_eval_breaker_handle(TwThreadState *ts);

/* A check point: one relaxed load on the fast path. */
static inline int tw_eval_breaker_check(void)
{
    extern _Thread_local TwThreadState *tw_tls_tstate;
    extern _Thread_local _Atomic uintptr_t *tw_tls_eval_breaker;
    if (tw_unlikely(tw_atomic_load_relaxed(tw_tls_eval_breaker) != 0))
        return tw_eval_breaker_handle(tw_tls_tstate);
    return 0;
}

/* Ask thread `ts` to raise an exception of type exc_type at its next check
 * point (NULL cancels). */
void tw_thread_set_async_exc(TwThreadState *ts, TwType *exc_type);
/* Record that signal `signum` arrived: async-signal-safe.  The main thread
 * raises KeyboardInterrupt for SIGINT at its next check point. */
void tw_signal_trip(int signum);

/* ---- the GIL (gil/gil.c) ------------------------------------------------- */

/* The switch interval in microseconds (default 5000). */
uint64_t tw_gil_get_interval_us(void);
/* Set the switch interval; returns -1 (and changes nothing) for 0. */
int tw_gil_set_interval_us(uint64_t us);
/* How many times the GIL passed from one thread to a different one. */
uint64_t tw_gil_switch_count(void);

/* Who gets the GIL (gil/gil.c).  DEFAULT is CPython's behaviour: a waiter
 * asks the holder to drop after one switch interval.  IO: a thread coming
 * back from a blocking call asks at once and is served before the other
 * waiters; threads whose last release was forced still wait an interval.
 * Chosen at start-up by TWINPY_GIL_POLICY=default|io; effective whenever
 * the GIL is enabled. */
enum { TW_GIL_POLICY_DEFAULT = 0, TW_GIL_POLICY_IO = 1 };
int tw_gil_get_policy(void);
/* Set the policy; -1 (and no change) for an unknown value. */
int tw_gil_set_policy(int policy);
/* "default" -> TW_GIL_POLICY_DEFAULT, "io" -> TW_GIL_POLICY_IO, else -1. */
int tw_gil_policy_from_name(const char *name);
const char *tw_gil_policy_name(int policy);

#endif
