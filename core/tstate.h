/* Internal: the thread state and the runtime.  Not part of the public API.
 *
 * Who may touch what (the lock rules):
 *   - fields marked "owner" are read and written only by the thread the
 *     state belongs to;
 *   - eval_breaker is atomic: any thread sets bits with an atomic OR, the
 *     owner clears them with an atomic AND;
 *   - brc_queue* are protected by the BRC bucket mutex of this thread's
 *     serial (nogil/brc.c);
 *   - qsbr_seq is atomic (the owner stores, pollers load); the other qsbr_*
 *     fields are owner-only (nogil/qsbr.c);
 *   - prev/next are protected by tw_runtime.threads_mutex. */
#ifndef TWINPY_CORE_TSTATE_H
#define TWINPY_CORE_TSTATE_H

#include <pthread.h>
#include <sys/types.h>
#include <stdint.h>
#include <twinpy/twinpy.h>

typedef enum { TW_TS_DETACHED = 0, TW_TS_ATTACHED = 1 } TwThreadStatus;

/* One entry of a thread's chain of exceptions being handled (the eval
 * loop's, core/eval.c): `except` blocks set exc, generators link their own
 * entry while they run.  Owner-only. */
typedef struct TwExcInfo {
    TwObject *exc;              /* the exception being handled, or NULL */
    struct TwExcInfo *previous; /* the enclosing entry, or NULL */
} TwExcInfo;

struct TwThreadState {
    uint32_t serial;                /* immutable: ob_tid of owned objects; never reused */
    _Atomic uintptr_t eval_breaker; /* TW_EB_* bits; atomic */
    _Atomic int status;             /* TwThreadStatus; written by owner, read by debug checks */
    uintptr_t critical_section;     /* owner: top of the critical-section stack | TW_CS_* tags */
    void *heap;                     /* owner: mimalloc heap for objects (free-threaded build) */
    /* Dead floats kept for reuse (core/float.c), linked through ob_type;
     * owner-only.  float_free_len is TW_FLOAT_FREE_MAX once the thread
     * has released the list at exit, so nothing is parked after that. */
    struct TwObject *float_free;
    int float_free_len;
    TwObject *curexc;               /* owner: the current exception or NULL */
    int gilstate_counter;           /* owner: tw_gilstate_ensure nesting */
    int is_main;                    /* immutable */
    _Atomic(TwType *) async_exc;    /* set by any thread, taken by owner */
    _Atomic int64_t live_objects;   /* owner writes (relaxed load+store), any thread reads: allocations minus frees (debug builds) */

    /* Biased reference counting: objects queued by other threads for this
     * owner to merge.  Protected by the BRC bucket mutex. */
    TwObject **brc_queue;
    intptr_t brc_queue_len;
    intptr_t brc_queue_cap;
    struct TwThreadState *brc_next; /* bucket list; bucket mutex */

    /* QSBR (nogil/qsbr.h): the write sequence seen at the last quiescent
     * state, TW_QSBR_OFFLINE while detached; and the releases this thread
     * deferred, in goal order (owner-only). */
    _Atomic uint64_t qsbr_seq;
    struct TwQsbrItem *qsbr_items;
    intptr_t qsbr_len, qsbr_cap;
    unsigned qsbr_polls; /* owner: polls since the last scan of the thread list */
    int qsbr_exited;     /* owner: tw_qsbr_thread_exit ran; later deferrals go to the orphans */

    struct TwThreadState *prev, *next; /* runtime list; threads_mutex */

    /* The eval loop's per-thread state (core/eval.c, core/frame.h); every
     * field is owner-only.  Frames live on a stack of chunks (data stack),
     * so calls do not allocate; exc_info is the chain of exceptions being
     * handled (generators link their own entry in while they run). */
    struct TwFrame *frame;               /* the innermost running frame, or NULL */
    struct TwDataChunk *datastack_chunk; /* the chunk frames are pushed on */
    struct TwDataChunk *datastack_spare; /* an emptied chunk kept for reuse */
    TwObject **datastack_top;            /* first free word of datastack_chunk */
    TwObject **datastack_limit;          /* end of datastack_chunk */
    struct TwExcInfo *exc_info;          /* innermost handled-exception entry */
    struct TwExcInfo exc_base;           /* the thread's own entry (bottom of the chain) */
    int py_depth;                        /* Python frames and C guard levels (the recursion limit) */
    uintptr_t c_stack_limit;             /* RecursionError below this stack address; 0 = unknown */
};

/* The runtime: process-wide state. */
typedef struct TwRuntime {
    _Atomic int initialized;
    int gil_enabled;                /* immutable after init */
    pthread_mutex_t threads_mutex;  /* protects the thread list and thread_count */
    TwThreadState *threads;
    int thread_count;
    TwThreadState *main_thread;     /* immutable after init */
    _Atomic uint32_t next_serial;   /* atomic */
    _Atomic int64_t dead_live_objects; /* live_objects folded in by exited threads (atomic) */
    _Atomic int signal_pending[65]; /* set by tw_signal_trip (async-signal-safe), taken by main */
} TwRuntime;

extern TwRuntime tw_runtime;
extern _Thread_local TwThreadState *tw_tls_tstate;
extern _Thread_local _Atomic uintptr_t *tw_tls_eval_breaker;

static inline TwThreadState *tw_tstate_fast(void) { return tw_tls_tstate; }

/* ---- the C recursion guard (core/object.c) --------------------------------
 * C code that recurses on the data it walks (comparing, printing, hashing
 * nested containers) brackets each level with tw_recursion_enter and
 * tw_recursion_leave.  A level counts against the recursion limit as a
 * Python frame does (ts->py_depth, as CPython 3.11 counts), and the stack
 * pointer is checked against the thread's c_stack_limit, so no nesting of
 * data overflows the C stack.  tw_recursion_enter returns 0, or -1 with
 * "RecursionError: maximum recursion depth exceeded<where>" (where is
 * " in comparison", say) and no level entered. */
int tw_recursion_enter(const char *where);
static inline void tw_recursion_leave(void) { tw_tstate_fast()->py_depth--; }

/* ---- core/eval.c ---------------------------------------------------------- */
/* Set ts->c_stack_limit from the calling thread's stack bounds (done by the
 * eval loop at its first entry on a thread). */
void tw_eval_init_c_stack_limit(TwThreadState *ts);

/* ---- gil/gil.c ---------------------------------------------------------- */
void tw_gil_init(void);
void tw_gil_take(TwThreadState *ts);
/* Drop the GIL.  If ts has a drop request pending and this is not the final
 * release of the thread, wait until another thread has taken it (forced
 * switching). */
void tw_gil_drop(TwThreadState *ts, int final_release);
int tw_gil_is_held_by(TwThreadState *ts);
/* After fork(): the child's only thread holds a fresh GIL. */
void tw_gil_reinit_after_fork(TwThreadState *ts);

/* ---- nogil/brc.c (free-threaded build) ---------------------------------- */
void tw_brc_init(void);
void tw_brc_thread_register(TwThreadState *ts);
/* Merge what waits in ts's queue and leave the bucket (owner exit). */
void tw_brc_thread_unregister(TwThreadState *ts);
/* Merge and release everything in the calling owner's queue. */
void tw_brc_merge_queue(TwThreadState *ts);

/* In the child after fork(): only ts is left in the buckets. */
void tw_brc_reinit_after_fork(TwThreadState *ts);
/* In the child after fork(): merge the queue of a thread that is gone. */
void tw_brc_merge_orphaned_queue(TwThreadState *dead);

/* ---- nogil/critical_section.c (free-threaded build) --------------------- */
/* Unlock every section on the stack and mark them inactive (on detach). */
void tw_cs_suspend_all(TwThreadState *ts);
/* Re-lock the top-most section if it is inactive (on attach). */
void tw_cs_resume(TwThreadState *ts);

/* ---- alloc/alloc.c ------------------------------------------------------ */
void tw_alloc_thread_init(TwThreadState *ts);
void tw_alloc_thread_fini(TwThreadState *ts);

/* ---- core/float.c --------------------------------------------------------- */
/* The most dead floats a thread keeps for reuse. */
#define TW_FLOAT_FREE_MAX 100
/* Free the thread's parked floats (at thread exit, before its heap goes). */
void tw_float_thread_fini(TwThreadState *ts);
/* In the child after fork(), for the forking thread's state. */
void tw_alloc_reinit_after_fork(TwThreadState *ts);

/* ---- core/runtime.c: fork ----------------------------------------------- */
/* fork() for the runtime: before, fork, then the parent's or the child's
 * half (see "fork" in core/runtime.c and docs/architecture.md).  The
 * child's half ends with threading._after_fork() if threading was
 * imported.  Called attached.  Returns fork()'s result; -1 with errno set
 * on failure. */
pid_t tw_runtime_fork(void);
/* The three halves, for callers that fork themselves: call before_fork
 * attached, fork(), then exactly one of the other two. */
void tw_runtime_before_fork(void);
void tw_runtime_after_fork_parent(void);
void tw_runtime_after_fork_child(void);
/* Extra work for a module at fork (any hook may be NULL): the `before`
 * hooks run in reverse order of registration, `parent` and `child` in
 * order.  Register at start-up.  0, or -1 when the table (8) is full. */
int tw_runtime_register_fork_hooks(void (*before)(void), void (*parent)(void), void (*child)(void));
/* If the program imported threading, call threading.<method>(); an
 * exception is printed to stderr after the line `on_error` and dropped
 * (the exit's _shutdown, the fork child's _after_fork). */
void tw_runtime_call_threading(const char *method, const char *on_error);

/* ---- core/exceptions.c, core/str.c: runtime setup ----------------------- */
void tw_str_intern_init(void);
void tw_exceptions_init(void);
int tw_types_init(void); /* core/typeobject.c: ready every static type */

/* Fatal error naming a broken invariant: prints and aborts. */
_Noreturn void tw_fatal(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#if TW_DEBUG
#define tw_assert(cond)                                                                            \
    ((cond) ? (void)0 : tw_fatal("%s:%d: assertion failed: %s", __FILE__, __LINE__, #cond))
#else
#define tw_assert(cond) ((void)0)
#endif

#endif
