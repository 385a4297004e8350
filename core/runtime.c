/* The runtime, thread states, attach/detach, the eval breaker and the
 * GIL-state API.
 *
 * Attach and detach are the single place where the builds differ in how a
 * thread gains and gives up the right to touch objects (thread.h explains
 * both regimes).  Everything else in core/ calls them through
 * TW_BEGIN_ALLOW_THREADS, tw_gilstate_*, or the parking lot. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/import.h"
#include "core/eval.h"
#include "nogil/qsbr.h"
#include "nogil/parking_lot.h"

TwRuntime tw_runtime = {.threads_mutex = PTHREAD_MUTEX_INITIALIZER};

/* Thread-local views of the current thread state.  A thread without a
 * state reads an eval breaker that is always zero. */
static _Atomic uintptr_t no_eval_breaker;
_Thread_local TwThreadState *tw_tls_tstate;
_Thread_local _Atomic uintptr_t *tw_tls_eval_breaker = &no_eval_breaker;
#if TW_GIL_DISABLED
_Thread_local uint32_t tw_tls_thread_serial = TW_NO_THREAD_SERIAL;
#if !TW_DEBUG
_Thread_local uintptr_t *tw_tls_cs_top; /* &ts->critical_section (critical_section.h) */
#endif
#endif

#if TW_GIL_DISABLED
/* Stop-the-world (free-threaded build without a GIL; see tw_runtime_fork).
 * One stopper at a time holds `owner`.  `requested` is atomic: the stopper
 * stores it and then fences before it reads the threads' status; an
 * attaching thread stores its status and fences (tw_qsbr_attach) before it
 * reads `requested`, so of the two at least one sees the other.  Stopped
 * threads wait on `cond` under `mutex` until `requested` is cleared. */
static struct {
    pthread_mutex_t owner;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    _Atomic int requested;
} stw = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
#endif

_Noreturn void tw_fatal(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("twinpy: fatal error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

int tw_build_is_free_threaded(void) { return TW_GIL_DISABLED; }

int tw_gil_is_enabled(void) { return tw_runtime.gil_enabled; }

/* TWINPY_GIL=0|1 chooses, in the free-threaded build, whether threads run
 * under a GIL (like CPython's PYTHON_GIL).  The GIL build always has one. */
static int read_gil_setting(void)
{
#if TW_GIL_DISABLED
    const char *v = getenv("TWINPY_GIL");
    if (v == NULL || v[0] == '\0' || strcmp(v, "0") == 0)
        return 0;
    if (strcmp(v, "1") == 0)
        return 1;
    tw_fatal("TWINPY_GIL must be \"0\" or \"1\", not \"%s\"", v);
#else
    const char *v = getenv("TWINPY_GIL");
    if (v != NULL && strcmp(v, "0") == 0)
        fprintf(stderr, "twinpy: warning: TWINPY_GIL=0 has no effect in the GIL build\n");
    return 1;
#endif
}

/* ---- thread states ---------------------------------------------------------- */

static TwThreadState *tstate_alloc(void)
{
    TwThreadState *ts = calloc(1, sizeof(*ts));
    if (ts == NULL)
        return NULL;
    uint32_t serial = tw_atomic_add_relaxed(&tw_runtime.next_serial, 1) + 1;
    if (serial == 0 || serial >= UINT32_MAX - 1)
        tw_fatal("thread serial numbers exhausted (4 billion threads)");
    ts->serial = serial;
    ts->gilstate_counter = 1;
    atomic_init(&ts->status, TW_TS_DETACHED);
    return ts;
}

/* Make ts the calling thread's state: thread-locals, heap, BRC bucket and
 * the runtime's list. */
static void tstate_bind(TwThreadState *ts)
{
    tw_tls_tstate = ts;
    tw_tls_eval_breaker = &ts->eval_breaker;
#if TW_GIL_DISABLED
    tw_tls_thread_serial = ts->serial;
#if !TW_DEBUG
    tw_tls_cs_top = &ts->critical_section;
#endif
    tw_brc_thread_register(ts);
#endif
    tw_alloc_thread_init(ts);
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    ts->next = tw_runtime.threads;
    if (ts->next != NULL)
        ts->next->prev = ts;
    tw_runtime.threads = ts;
    tw_runtime.thread_count++;
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
}

TwThreadState *tw_thread_state_get(void) { return tw_tls_tstate; }

uint32_t tw_thread_state_serial(TwThreadState *ts) { return ts->serial; }

TwThreadState *tw_thread_state_new_current(void)
{
    if (tw_tls_tstate != NULL)
        tw_fatal("thread already has a thread state");
    TwThreadState *ts = tstate_alloc();
    if (ts == NULL)
        tw_fatal("out of memory creating a thread state");
    tstate_bind(ts);
    tw_thread_attach(ts);
    return ts;
}

/* Tear down the calling thread's state.  While still attached: drop the
 * pending exception and merge the refcount queue (both may free objects).
 * Then hand back the heap, leave the runtime's list and drop the GIL for
 * the last time.  Objects this thread still owns become unowned: other
 * threads merge them directly (nogil/brc.c). */
void tw_thread_state_delete_current(void)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL)
        tw_fatal("tw_thread_state_delete_current: no thread state");
    if (tw_atomic_load_relaxed(&ts->status) != TW_TS_ATTACHED)
        tw_thread_attach(ts);
    TW_CLEAR(ts->curexc);
    TwType *pending = atomic_exchange(&ts->async_exc, NULL);
    (void)pending; /* types are immortal */
#if TW_GIL_DISABLED
    tw_brc_thread_unregister(ts);
    tw_qsbr_thread_exit(ts); /* after the merges: they may defer releases */
#endif
    if (ts->critical_section != 0)
        tw_fatal("thread exits inside a critical section");

    pthread_mutex_lock(&tw_runtime.threads_mutex);
    if (ts->prev != NULL)
        ts->prev->next = ts->next;
    else
        tw_runtime.threads = ts->next;
    if (ts->next != NULL)
        ts->next->prev = ts->prev;
    tw_runtime.thread_count--;
    tw_atomic_add_relaxed(&tw_runtime.dead_live_objects, tw_atomic_load_relaxed(&ts->live_objects));
    pthread_mutex_unlock(&tw_runtime.threads_mutex);

    tw_float_thread_fini(ts);
    tw_alloc_thread_fini(ts);
    tw_atomic_store_relaxed(&ts->status, TW_TS_DETACHED);
    if (tw_runtime.gil_enabled)
        tw_gil_drop(ts, 1);
    tw_tls_tstate = NULL;
    tw_tls_eval_breaker = &no_eval_breaker;
#if TW_GIL_DISABLED
    tw_tls_thread_serial = TW_NO_THREAD_SERIAL;
#if !TW_DEBUG
    tw_tls_cs_top = NULL;
#endif
#endif
    free(ts);
}

/* ---- attach / detach -------------------------------------------------------- */

#if TW_GIL_DISABLED
static void wait_while_world_stopped(TwThreadState *ts);
#endif

void tw_thread_attach(TwThreadState *ts)
{
    if (tw_atomic_load_relaxed(&ts->status) == TW_TS_ATTACHED)
        tw_fatal("attach: thread state %u is already attached", ts->serial);
    if (tw_runtime.gil_enabled)
        tw_gil_take(ts);
    tw_atomic_store_relaxed(&ts->status, TW_TS_ATTACHED);
#if TW_GIL_DISABLED
    tw_qsbr_attach(ts); /* ends with a full fence: the status store is visible before the load below */
    if (tw_unlikely(tw_atomic_load_relaxed(&stw.requested)))
        wait_while_world_stopped(ts);
    tw_cs_resume(ts);
#endif
}

void tw_thread_detach(TwThreadState *ts)
{
    if (tw_atomic_load_relaxed(&ts->status) != TW_TS_ATTACHED)
        tw_fatal("detach: thread state %u is not attached", ts->serial);
#if TW_GIL_DISABLED
    tw_cs_suspend_all(ts);
    tw_qsbr_detach(ts);
#endif
    tw_atomic_store_relaxed(&ts->status, TW_TS_DETACHED);
    if (tw_runtime.gil_enabled)
        tw_gil_drop(ts, 0);
}

int tw_thread_is_attached(void)
{
    TwThreadState *ts = tw_tls_tstate;
    return ts != NULL && tw_atomic_load_relaxed(&ts->status) == TW_TS_ATTACHED;
}

TwThreadState *tw_save_thread(void)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL)
        tw_fatal("TW_BEGIN_ALLOW_THREADS in a thread without a thread state");
    tw_thread_detach(ts);
    return ts;
}

/* Keeps errno: the blocking call before TW_END_ALLOW_THREADS left it for
 * its caller, and taking the GIL or resuming critical sections may wait on
 * a futex that changes it. */
void tw_restore_thread(TwThreadState *ts)
{
    int saved = errno;
    tw_thread_attach(ts);
    errno = saved;
}

/* ---- GIL-state API -------------------------------------------------------------- */

TwGILState tw_gilstate_ensure(void)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL) {
        tw_thread_state_new_current(); /* counter starts at 1 */
        return TW_GILSTATE_UNLOCKED;
    }
    ts->gilstate_counter++;
    if (tw_atomic_load_relaxed(&ts->status) == TW_TS_ATTACHED)
        return TW_GILSTATE_LOCKED;
    tw_thread_attach(ts);
    return TW_GILSTATE_UNLOCKED;
}

void tw_gilstate_release(TwGILState state)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL)
        tw_fatal("tw_gilstate_release without a thread state");
    if (--ts->gilstate_counter == 0) {
        tw_thread_state_delete_current();
        return;
    }
    if (state == TW_GILSTATE_UNLOCKED)
        tw_thread_detach(ts);
}

/* ---- eval breaker ----------------------------------------------------------- */

uintptr_t tw_eval_breaker_bits(TwThreadState *ts) { return tw_atomic_load_relaxed(&ts->eval_breaker); }

void tw_eval_breaker_set(TwThreadState *ts, uintptr_t bits) { tw_atomic_or_seq(&ts->eval_breaker, bits); }

void tw_eval_breaker_clear(TwThreadState *ts, uintptr_t bits)
{
    tw_atomic_and_seq(&ts->eval_breaker, ~bits);
}

void tw_thread_set_async_exc(TwThreadState *ts, TwType *exc_type)
{
    atomic_store(&ts->async_exc, exc_type);
    if (exc_type != NULL)
        tw_eval_breaker_set(ts, TW_EB_ASYNC_EXC);
}

/* Async-signal-safe: only lock-free atomic stores. */
void tw_signal_trip(int signum)
{
    if (signum <= 0 || signum > 64)
        return;
    tw_atomic_store_seq(&tw_runtime.signal_pending[signum], 1);
    TwThreadState *main = tw_runtime.main_thread;
    if (main != NULL)
        tw_atomic_or_seq(&main->eval_breaker, TW_EB_SIGNALS_PENDING);
}

/* Serve the requests in ts's eval breaker.  The order matters: the GIL is
 * handed over first (another thread is waiting), then queued refcounts are
 * merged, then exceptions are raised. */
int tw_eval_breaker_handle(TwThreadState *ts)
{
    uintptr_t bits = tw_atomic_load_relaxed(&ts->eval_breaker);
    if (bits & TW_EB_GIL_DROP_REQUEST) {
        if (tw_runtime.gil_enabled) {
            /* Detach answers the request: tw_gil_drop sees the bit and
             * waits until another thread has taken the GIL. */
            tw_thread_detach(ts);
            tw_thread_attach(ts);
        } else {
            tw_eval_breaker_clear(ts, TW_EB_GIL_DROP_REQUEST);
        }
    }
#if TW_GIL_DISABLED
    if (bits & TW_EB_STOP_THE_WORLD) {
        /* Detaching lets the stopper go on; attaching waits for the restart. */
        tw_eval_breaker_clear(ts, TW_EB_STOP_THE_WORLD);
        if (tw_atomic_load_relaxed(&stw.requested)) {
            tw_thread_detach(ts);
            tw_thread_attach(ts);
        }
    }
    if (bits & TW_EB_BRC_MERGE) {
        tw_eval_breaker_clear(ts, TW_EB_BRC_MERGE);
        tw_brc_merge_queue(ts);
    }
    if (bits & TW_EB_QSBR)
        tw_qsbr_poll(ts);
#endif
    if (bits & TW_EB_ASYNC_EXC) {
        tw_eval_breaker_clear(ts, TW_EB_ASYNC_EXC);
        TwType *exc = atomic_exchange(&ts->async_exc, NULL);
        if (exc != NULL) {
            tw_err_restore(tw_exception_new(exc, NULL));
            return -1;
        }
    }
    if (bits & TW_EB_SIGNALS_PENDING) {
        if (!ts->is_main)
            return 0; /* only the main thread serves signals */
        tw_eval_breaker_clear(ts, TW_EB_SIGNALS_PENDING);
        int raise = 0;
        for (int sig = 1; sig <= 64; sig++)
            if (atomic_exchange(&tw_runtime.signal_pending[sig], 0) && sig == SIGINT)
                raise = 1;
        if (raise) {
            tw_err_restore(tw_exception_new(&tw_exc_KeyboardInterrupt, NULL));
            return -1;
        }
    }
    return 0;
}

/* ---- runtime ------------------------------------------------------------------ */

int tw_runtime_init(void)
{
    int expected = 0;
    if (!atomic_compare_exchange_strong(&tw_runtime.initialized, &expected, 1))
        return -1;
    tw_runtime.gil_enabled = read_gil_setting();
    tw_gil_init();
#if TW_GIL_DISABLED
    tw_brc_init();
#endif
    TwThreadState *ts = tstate_alloc();
    if (ts == NULL)
        tw_fatal("out of memory creating the main thread state");
    ts->is_main = 1;
    tw_runtime.main_thread = ts;
    tstate_bind(ts);
    tw_thread_attach(ts);
    tw_int_init();
    tw_str_intern_init();
    tw_exceptions_init();
    if (tw_types_init() < 0)
        tw_fatal("could not ready the built-in types");
    /* Last: the builtins, sys and the module registry need every type. */
    if (tw_builtins_init() < 0)
        tw_fatal("could not create the builtins namespace and the sys module");
    return 0;
}

void tw_runtime_fini(void)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL || ts != tw_runtime.main_thread)
        return;
    tw_thread_state_delete_current();
    tw_runtime.main_thread = NULL;
    atomic_store(&tw_runtime.initialized, 0);
}

/* ---- fork ---------------------------------------------------------------------- */

/* fork() copies only the calling thread.  Everything another thread was
 * doing at that instant is frozen in the child: the locks it held stay
 * held, the queues it waited in still name it, the objects it owned keep
 * its serial.  The runtime therefore brings itself to a consistent point
 * before forking and repairs what the other threads left in the child:
 *
 *   before   stdio buffers are flushed (the child would write them again);
 *            in the free-threaded build without a GIL, every other thread
 *            is stopped in a detached state, so none is inside a critical
 *            section (detaching released its object locks), a refcount
 *            merge or a deferred release; with a GIL the forking thread
 *            holds it, which has the same effect.  Then threads_mutex is
 *            taken so that the thread list is whole.
 *   parent   the lock is released and the world restarted.
 *   child    the forking thread releases threads_mutex (and the
 *            stop-the-world lock) as in the parent; every other runtime
 *            lock is made new (the GIL, the parking lot's buckets and their
 *            waiters, the BRC buckets, the QSBR orphan lock, stdio and
 *            import locks); the other thread states leave the thread
 *            list; the objects queued to them are merged, their deferred
 *            releases become orphans that the child serves, and the
 *            objects they owned are merged by whichever thread next drops a
 *            reference (their owner is not found, as after a normal thread
 *            exit).  The forking thread becomes the main thread and keeps
 *            its serial.  The dead states themselves are not freed: objects
 *            of the child (thread handles) may still point at them.  Last,
 *            threading._after_fork() runs if threading was imported. */

#define MAX_FORK_HOOKS 8
static struct {
    void (*before)(void), (*parent)(void), (*child)(void);
} fork_hooks[MAX_FORK_HOOKS]; /* registered at start-up (one thread), before any fork */
static int n_fork_hooks;

int tw_runtime_register_fork_hooks(void (*before)(void), void (*parent)(void), void (*child)(void))
{
    if (n_fork_hooks == MAX_FORK_HOOKS)
        return -1;
    fork_hooks[n_fork_hooks].before = before;
    fork_hooks[n_fork_hooks].parent = parent;
    fork_hooks[n_fork_hooks].child = child;
    n_fork_hooks++;
    return 0;
}

#if TW_GIL_DISABLED
static void wait_while_world_stopped(TwThreadState *ts)
{
    for (;;) {
        tw_qsbr_detach(ts);
        tw_atomic_store_release(&ts->status, TW_TS_DETACHED);
        pthread_mutex_lock(&stw.mutex);
        while (tw_atomic_load_relaxed(&stw.requested))
            pthread_cond_wait(&stw.cond, &stw.mutex);
        pthread_mutex_unlock(&stw.mutex);
        tw_atomic_store_relaxed(&ts->status, TW_TS_ATTACHED);
        tw_qsbr_attach(ts);
        if (!tw_atomic_load_relaxed(&stw.requested))
            return;
    }
}

/* Stop every thread but the caller (attached) in a detached state.  Attached
 * threads stop at their next check point; detached ones stop when they try
 * to attach. */
static void stop_the_world(TwThreadState *me)
{
    tw_thread_detach(me);
    pthread_mutex_lock(&stw.owner); /* detached: another stopper may be waiting for us */
    tw_thread_attach(me);
    tw_atomic_store_seq(&stw.requested, 1);
    tw_atomic_fence_seq();
    for (;;) {
        int running = 0;
        pthread_mutex_lock(&tw_runtime.threads_mutex);
        for (TwThreadState *t = tw_runtime.threads; t != NULL; t = t->next) {
            if (t == me || tw_atomic_load_acquire(&t->status) != TW_TS_ATTACHED)
                continue;
            tw_eval_breaker_set(t, TW_EB_STOP_THE_WORLD);
            running = 1;
        }
        pthread_mutex_unlock(&tw_runtime.threads_mutex);
        if (!running)
            return;
        struct timespec pause = {0, 50 * 1000};
        nanosleep(&pause, NULL);
    }
}

static void start_the_world(void)
{
    pthread_mutex_lock(&stw.mutex);
    tw_atomic_store_seq(&stw.requested, 0);
    pthread_cond_broadcast(&stw.cond);
    pthread_mutex_unlock(&stw.mutex);
    pthread_mutex_unlock(&stw.owner);
}
#endif

void tw_runtime_before_fork(void)
{
    TwThreadState *ts = tw_tls_tstate;
    if (ts == NULL || tw_atomic_load_relaxed(&ts->status) != TW_TS_ATTACHED)
        tw_fatal("fork from a thread that is not attached");
    for (int i = n_fork_hooks - 1; i >= 0; i--)
        if (fork_hooks[i].before != NULL)
            fork_hooks[i].before();
    tw_sys_flush_stdio();
    tw_parking_lot_prepare_fork();
#if TW_GIL_DISABLED
    if (!tw_runtime.gil_enabled)
        stop_the_world(ts);
#endif
    pthread_mutex_lock(&tw_runtime.threads_mutex);
}

void tw_runtime_after_fork_parent(void)
{
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
#if TW_GIL_DISABLED
    if (!tw_runtime.gil_enabled)
        start_the_world();
#endif
    for (int i = 0; i < n_fork_hooks; i++)
        if (fork_hooks[i].parent != NULL)
            fork_hooks[i].parent();
}

void tw_runtime_call_threading(const char *method, const char *on_error)
{
    TwObject *modules = tw_sys_get_modules();
    TwObject *threading = NULL;
    if (modules == NULL || tw_dict_get_item_cstr_ref(modules, "threading", &threading) <= 0) {
        tw_xdecref(modules);
        tw_err_clear();
        return;
    }
    tw_decref(modules);
    TwObject *r = tw_object_call_method(threading, method, NULL, 0);
    tw_decref(threading);
    if (r != NULL) {
        tw_decref(r);
        return;
    }
    TwObject *exc = tw_err_fetch();
    tw_sys_flush_stdio();
    tw_sys_write_stderr(on_error, strlen(on_error));
    if (exc != NULL) {
        tw_traceback_print_exception(exc);
        tw_decref(exc);
    }
}

void tw_runtime_after_fork_child(void)
{
    TwThreadState *ts = tw_tls_tstate;
    /* The forking thread took threads_mutex (and, stopping the world,
     * stw.owner) and is still their owner here: it releases them as the
     * parent does, so that lock checkers (TSan) see them free.  The locks
     * that other threads may have held are made new. */
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
#if TW_GIL_DISABLED
    if (!tw_runtime.gil_enabled)
        pthread_mutex_unlock(&stw.owner);
    pthread_mutex_init(&stw.mutex, NULL);
    pthread_cond_init(&stw.cond, NULL);
    tw_atomic_store_seq(&stw.requested, 0);
#endif
    if (tw_runtime.gil_enabled)
        tw_gil_reinit_after_fork(ts);
    tw_parking_lot_reinit_after_fork();

    /* The other thread states leave the list (nobody else runs: no lock). */
    TwThreadState *dead = NULL;
    for (TwThreadState *t = tw_runtime.threads, *next; t != NULL; t = next) {
        next = t->next;
        if (t == ts)
            continue;
        tw_atomic_add_relaxed(&tw_runtime.dead_live_objects, tw_atomic_load_relaxed(&t->live_objects));
        tw_atomic_store_relaxed(&t->live_objects, 0);
        tw_atomic_store_relaxed(&t->status, TW_TS_DETACHED);
        t->is_main = 0;
        t->prev = NULL;
        t->next = dead;
        dead = t;
    }
    ts->prev = ts->next = NULL;
    tw_runtime.threads = ts;
    tw_runtime.thread_count = 1;
    tw_runtime.main_thread = ts;
    ts->is_main = 1;
    tw_eval_breaker_clear(ts, TW_EB_STOP_THE_WORLD | TW_EB_GIL_DROP_REQUEST);

#if TW_GIL_DISABLED
    tw_brc_reinit_after_fork(ts);
    tw_qsbr_reinit_after_fork(ts, dead);
#endif
    tw_alloc_reinit_after_fork(ts);
    tw_sys_reinit_after_fork();
    tw_import_reinit_after_fork();
    for (int i = 0; i < n_fork_hooks; i++)
        if (fork_hooks[i].child != NULL)
            fork_hooks[i].child();
#if TW_GIL_DISABLED
    /* Last, with the runtime whole again: merging may free objects and run
     * their destructors. */
    for (TwThreadState *t = dead; t != NULL; t = t->next)
        tw_brc_merge_orphaned_queue(t);
#endif
    /* The forking thread becomes threading's main thread and every other
     * Thread is marked finished (CPython runs this as an at-fork callback
     * of os.fork). */
    tw_runtime_call_threading("_after_fork", "Exception ignored in threading._after_fork:\n");
}

pid_t tw_runtime_fork(void)
{
    tw_runtime_before_fork();
    pid_t pid = fork();
    int saved = errno;
    if (pid == 0)
        tw_runtime_after_fork_child();
    else
        tw_runtime_after_fork_parent();
    errno = saved;
    return pid;
}
