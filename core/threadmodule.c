/* The _thread module: threads, locks and thread-local data, the layer
 * that lib/threading.py builds on.
 *
 * Threads.  start_new_thread creates a detached POSIX thread that makes
 * its own thread state (attached), calls the function, reports an
 * exception that escapes it, clears its thread-local data and deletes its
 * state.  Before the first thread starts, tw_eval_threads_starting tells
 * the eval loop that caches may now be read by several threads.  A
 * thread's identifier is its pthread_t (get_ident), as in CPython; the
 * kernel's thread id is get_native_id.
 *
 * Locks.  A lock is a POSIX semaphore (1 while free, 0 while held) and an
 * atomic `locked` flag.  The semaphore is what waiters sleep on: any
 * thread may release a lock, a blocked acquire waits detached (the GIL
 * released, critical sections suspended), and a signal interrupts the
 * wait (the SIGINT handler is installed without SA_RESTART, so sem_wait
 * returns EINTR), so the waiting thread serves its eval breaker (Ctrl-C becomes KeyboardInterrupt in the
 * main thread) and then waits again for the time left.  The flag makes a
 * second release fail: only the release whose compare-and-swap takes it
 * from 1 to 0 posts the semaphore.  An RLock adds its owner's identifier
 * (atomic: other threads compare it with theirs) and a count (written by
 * the owner only).
 *
 * Sentinels.  _set_sentinel() gives the calling thread a lock that, if
 * held, is released after the thread's state has been deleted, when the
 * thread will never touch an object again.  threading's threads hold
 * theirs while they run; join() and the wait for non-daemon threads at
 * exit acquire it.  Since the release
 * happens without a thread state, the semaphore and flag of a sentinel
 * live in a separately allocated LockCore with an atomic count of its two
 * holders (the lock object and the exiting thread).
 *
 * Thread-local data (_local).  Each thread keeps, in a C thread-local
 * variable, a dict from a local object's serial number (never reused) to
 * that thread's attribute dict for it.  Only the owning thread reads or
 * writes its dict, so no lock is needed; it is released when the thread
 * exits.  A local object that dies removes its entry from the dict of
 * the thread that frees it; entries in other live threads stay until
 * those threads exit. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/eval.h"
#include "core/typeobject.h"

#define NS_PER_SEC INT64_C(1000000000)
/* The longest timeout accepted (seconds), as CPython on Linux. */
#define TIMEOUT_MAX_SECONDS 9223372036.0
/* The smallest stack stack_size() accepts, as CPython. */
#define THREAD_STACK_MIN 0x8000

#define FN(f) ((void (*)(void))(f))

/* ---- waiting on a semaphore ------------------------------------------------ */

/* Take one unit of sem, waiting at most timeout_ns (< 0: forever, 0: do
 * not wait).  The wait runs detached; a signal interrupts it to serve the
 * eval breaker, whose exception (KeyboardInterrupt) ends the wait.
 * 1 acquired, 0 timed out, -1 with an exception. */
static int sem_acquire(sem_t *sem, int64_t timeout_ns)
{
    if (sem_trywait(sem) == 0)
        return 1;
    if (timeout_ns == 0)
        return 0;
    struct timespec deadline;
    if (timeout_ns > 0) {
        clock_gettime(CLOCK_REALTIME, &deadline);
        int64_t ns = deadline.tv_nsec + timeout_ns % NS_PER_SEC;
        deadline.tv_sec += (time_t)(timeout_ns / NS_PER_SEC + ns / NS_PER_SEC);
        deadline.tv_nsec = (long)(ns % NS_PER_SEC);
    }
    for (;;) {
        int rc, err;
        TW_BEGIN_ALLOW_THREADS
        rc = timeout_ns > 0 ? sem_timedwait(sem, &deadline) : sem_wait(sem);
        err = rc == 0 ? 0 : errno;
        TW_END_ALLOW_THREADS
        if (rc == 0)
            return 1;
        if (err == ETIMEDOUT)
            return 0;
        if (err != EINTR) {
            errno = err;
            tw_err_set_from_errno(NULL);
            return -1;
        }
        if (tw_eval_breaker_check() < 0)
            return -1;
    }
}

/* A timeout argument in nanoseconds, rounded up: an int or a float (or
 * anything with __index__).  -1 with CPython's errors. */
static int timeout_to_ns(TwObject *arg, int64_t *out)
{
    if (tw_float_check(arg)) {
        double s = tw_float_as_double(arg);
        if (isnan(s)) {
            tw_err_set_string(&tw_exc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
        double ns = s >= 0 ? ceil(s * 1e9) : floor(s * 1e9);
        if (!(ns < 9.2233720368547758e18 && ns >= -9.2233720368547758e18)) {
            tw_err_set_string(&tw_exc_OverflowError, "timestamp out of range for platform time_t");
            return -1;
        }
        *out = (int64_t)ns;
        return 0;
    }
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t s = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow != 0 || s > INT64_MAX / NS_PER_SEC || s < INT64_MIN / NS_PER_SEC) {
        tw_err_set_string(&tw_exc_OverflowError, "timestamp too large to convert to C _PyTime_t");
        return -1;
    }
    *out = s * NS_PER_SEC;
    return 0;
}

/* acquire(blocking=True, timeout=-1) as a wait in nanoseconds: -1
 * forever, 0 no wait.  0 or -1 with an exception. */
static int parse_acquire(const char *fname, TwObject *const *args, size_t nargs,
                         TwObject *kwnames, int64_t *wait_ns)
{
    static const char *const names[] = {"blocking", "timeout", NULL};
    const TwArgSpec spec = {fname, names, 0, 0, 2};
    TwObject *argv[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return -1;
    int blocking = 1;
    if (argv[0] != NULL) {
        if (tw_float_check(argv[0])) {
            tw_err_set_string(&tw_exc_TypeError,
                              "'float' object cannot be interpreted as an integer");
            return -1;
        }
        TwObject *b = tw_number_index(argv[0]);
        if (b == NULL)
            return -1;
        int overflow = 0;
        blocking = tw_int_as_i64_overflow(b, &overflow) != 0 || overflow != 0;
        tw_decref(b);
    }
    const int64_t unset = -NS_PER_SEC;
    int64_t timeout = unset;
    if (argv[1] != NULL && timeout_to_ns(argv[1], &timeout) < 0)
        return -1;
    if (!blocking && timeout != unset) {
        tw_err_set_string(&tw_exc_ValueError, "can't specify a timeout for a non-blocking call");
        return -1;
    }
    if (timeout < 0 && timeout != unset) {
        tw_err_set_string(&tw_exc_ValueError, "timeout value must be positive");
        return -1;
    }
    if (!blocking) {
        *wait_ns = 0;
    } else if (timeout == unset) {
        *wait_ns = -1;
    } else {
        if ((double)timeout > TIMEOUT_MAX_SECONDS * 1e9) {
            tw_err_set_string(&tw_exc_OverflowError, "timeout value is too large");
            return -1;
        }
        *wait_ns = timeout;
    }
    return 0;
}

/* ---- lock ------------------------------------------------------------------ */

/* The state of a lock.  sem and locked are shared by every thread that
 * uses the lock (sem is its own synchronisation; locked is atomic, with
 * acquire/release order around the protected data).  refs is atomic and
 * only used by the cores of sentinels, which are allocated on their own. */
typedef struct LockCore {
    sem_t sem;
    _Atomic int locked;
    _Atomic int refs;
} LockCore;

typedef struct {
    TwObject ob_base;
    LockCore *core; /* immutable: &inline_core, or a sentinel's own core */
    LockCore inline_core;
} LockObject;

static TwType lock_type;

static void core_init(LockCore *core, int held)
{
    sem_init(&core->sem, 0, held ? 0 : 1);
    atomic_init(&core->locked, held);
    atomic_init(&core->refs, 1);
}

/* Release: 0, or -1 (no exception) when the lock was not held. */
static int core_release(LockCore *core)
{
    int expected = 1;
    if (!atomic_compare_exchange_strong_explicit(&core->locked, &expected, 0,
                                                  memory_order_release, memory_order_relaxed))
        return -1;
    sem_post(&core->sem);
    return 0;
}

/* Drop one holder of a separately allocated core; safe without a thread
 * state. */
static void core_decref(LockCore *core)
{
    if (tw_atomic_sub_acqrel(&core->refs, 1) == 1) {
        sem_destroy(&core->sem);
        free(core);
    }
}

static TwObject *lock_new_held(int held, LockCore *core)
{
    LockObject *self = (LockObject *)tw_object_new(&lock_type, 0);
    if (self == NULL)
        return NULL;
    if (core == NULL) {
        core = &self->inline_core;
        core_init(core, held);
    }
    self->core = core;
    return (TwObject *)self;
}

static void lock_dealloc(TwObject *op)
{
    LockObject *self = (LockObject *)op;
    if (self->core == &self->inline_core)
        sem_destroy(&self->inline_core.sem);
    else if (self->core != NULL)
        core_decref(self->core);
    tw_object_free(op);
}

/* Acquire with a wait in ns: True, False on timeout, NULL with an
 * exception. */
static TwObject *lock_acquire_ns(LockObject *self, int64_t wait_ns)
{
    int r = sem_acquire(&self->core->sem, wait_ns);
    if (r < 0)
        return NULL;
    if (r > 0)
        tw_atomic_store_release(&self->core->locked, 1);
    return tw_newref(tw_bool_from_long(r));
}

static TwObject *lock_acquire(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    int64_t wait_ns;
    if (parse_acquire("acquire", args, nargs, kwnames, &wait_ns) < 0)
        return NULL;
    return lock_acquire_ns((LockObject *)self, wait_ns);
}

static TwObject *lock_enter(TwObject *self, TwObject *unused)
{
    return lock_acquire_ns((LockObject *)self, -1);
}

static TwObject *lock_release(TwObject *self, TwObject *unused)
{
    if (core_release(((LockObject *)self)->core) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "release unlocked lock");
        return NULL;
    }
    return tw_newref(TW_NONE);
}

static TwObject *lock_exit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return lock_release(self, NULL);
}

static TwObject *lock_locked(TwObject *self, TwObject *unused)
{
    int held = tw_atomic_load_acquire(&((LockObject *)self)->core->locked);
    return tw_newref(tw_bool_from_long(held));
}

/* In a child after fork(): the lock is free again, whoever held it. */
static TwObject *lock_at_fork_reinit(TwObject *self, TwObject *unused)
{
    LockCore *core = ((LockObject *)self)->core;
    sem_destroy(&core->sem);
    sem_init(&core->sem, 0, 1);
    tw_atomic_store_release(&core->locked, 0);
    return tw_newref(TW_NONE);
}

static TwObject *lock_repr(TwObject *self)
{
    int held = tw_atomic_load_acquire(&((LockObject *)self)->core->locked);
    return tw_str_from_format("<%s %s object at %p>", held ? "locked" : "unlocked",
                              TW_TYPE(self)->tp_name, (void *)self);
}

static const TwMethodDef lock_methods[] = {
    {"acquire", FN(lock_acquire), TW_METH_FASTCALL, "Acquire the lock, waiting if needed."},
    {"acquire_lock", FN(lock_acquire), TW_METH_FASTCALL, "Same as acquire()."},
    {"release", FN(lock_release), TW_METH_NOARGS, "Release the lock."},
    {"release_lock", FN(lock_release), TW_METH_NOARGS, "Same as release()."},
    {"locked", FN(lock_locked), TW_METH_NOARGS, "Whether the lock is held."},
    {"locked_lock", FN(lock_locked), TW_METH_NOARGS, "Same as locked()."},
    {"__enter__", FN(lock_enter), TW_METH_NOARGS, "Acquire the lock."},
    {"__exit__", FN(lock_exit), TW_METH_FASTCALL, "Release the lock."},
    {"_at_fork_reinit", FN(lock_at_fork_reinit), TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static TwType lock_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "_thread.lock",
    .tp_basicsize = sizeof(LockObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = lock_dealloc,
    .tp_repr = lock_repr,
    .tp_methods = lock_methods,
};

/* ---- RLock ------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    sem_t sem;              /* 1 while free, 0 while held */
    _Atomic uint64_t owner; /* the holder's get_ident(), 0 when free; atomic */
    uint64_t count;         /* written by the owner only */
} RLockObject;

static uint64_t current_ident(void)
{
    return (uint64_t)pthread_self();
}

static TwObject *rlock_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    RLockObject *self = (RLockObject *)tw_type_generic_alloc(type, 0);
    if (self == NULL)
        return NULL;
    sem_init(&self->sem, 0, 1);
    atomic_init(&self->owner, 0);
    self->count = 0;
    return (TwObject *)self;
}

static void rlock_dealloc(TwObject *op)
{
    sem_destroy(&((RLockObject *)op)->sem);
    tw_object_free(op);
}

static TwObject *rlock_acquire_ns(RLockObject *self, int64_t wait_ns)
{
    uint64_t me = current_ident();
    if (tw_atomic_load_relaxed(&self->owner) == me) {
        if (self->count == UINT64_MAX) {
            tw_err_set_string(&tw_exc_OverflowError, "Internal lock count overflowed");
            return NULL;
        }
        self->count++;
        return tw_newref(TW_TRUE);
    }
    int r = sem_acquire(&self->sem, wait_ns);
    if (r < 0)
        return NULL;
    if (r > 0) {
        tw_atomic_store_relaxed(&self->owner, me);
        self->count = 1;
    }
    return tw_newref(tw_bool_from_long(r));
}

static TwObject *rlock_acquire(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    int64_t wait_ns;
    if (parse_acquire("acquire", args, nargs, kwnames, &wait_ns) < 0)
        return NULL;
    return rlock_acquire_ns((RLockObject *)self, wait_ns);
}

static TwObject *rlock_enter(TwObject *self, TwObject *unused)
{
    return rlock_acquire_ns((RLockObject *)self, -1);
}

static TwObject *rlock_release(TwObject *op, TwObject *unused)
{
    RLockObject *self = (RLockObject *)op;
    if (tw_atomic_load_relaxed(&self->owner) != current_ident() || self->count == 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "cannot release un-acquired lock");
        return NULL;
    }
    if (--self->count == 0) {
        tw_atomic_store_relaxed(&self->owner, 0);
        sem_post(&self->sem);
    }
    return tw_newref(TW_NONE);
}

static TwObject *rlock_exit(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return rlock_release(self, NULL);
}

static int rlock_owned(RLockObject *self)
{
    return self->count > 0 && tw_atomic_load_relaxed(&self->owner) == current_ident();
}

static TwObject *rlock_is_owned(TwObject *self, TwObject *unused)
{
    return tw_newref(tw_bool_from_long(rlock_owned((RLockObject *)self)));
}

static TwObject *rlock_recursion_count(TwObject *self, TwObject *unused)
{
    RLockObject *r = (RLockObject *)self;
    return tw_int_from_i64(rlock_owned(r) ? (int64_t)r->count : 0);
}

/* Condition.wait: release completely, returning (count, owner). */
static TwObject *rlock_release_save(TwObject *op, TwObject *unused)
{
    RLockObject *self = (RLockObject *)op;
    if (!rlock_owned(self)) {
        tw_err_set_string(&tw_exc_RuntimeError, "cannot release un-acquired lock");
        return NULL;
    }
    TwObject *count = tw_int_from_i64((int64_t)self->count);
    TwObject *owner = tw_int_from_u64(tw_atomic_load_relaxed(&self->owner));
    TwObject *state = count && owner ? tw_tuple_pack(2, count, owner) : NULL;
    tw_xdecref(count);
    tw_xdecref(owner);
    if (state == NULL)
        return NULL;
    self->count = 0;
    tw_atomic_store_relaxed(&self->owner, 0);
    sem_post(&self->sem);
    return state;
}

/* Condition.wait: take the lock back with the saved (count, owner). */
static TwObject *rlock_acquire_restore(TwObject *op, TwObject *state)
{
    RLockObject *self = (RLockObject *)op;
    if (!tw_tuple_check(state) || tw_tuple_size(state) != 2) {
        tw_err_set_string(&tw_exc_TypeError, "_acquire_restore() argument must be (count, owner)");
        return NULL;
    }
    int64_t count = tw_int_as_i64(tw_tuple_get_item_borrowed(state, 0));
    if (count == -1 && tw_err_occurred())
        return NULL;
    int overflow = 0;
    int64_t owner = tw_int_as_i64_overflow(tw_tuple_get_item_borrowed(state, 1), &overflow);
    if (owner == -1 && tw_err_occurred())
        return NULL;
    if (overflow != 0 || count < 0) {
        tw_err_set_string(&tw_exc_OverflowError, "_acquire_restore() state out of range");
        return NULL;
    }
    int r = sem_acquire(&self->sem, -1);
    if (r < 0)
        return NULL;
    tw_atomic_store_relaxed(&self->owner, (uint64_t)owner);
    self->count = (uint64_t)count;
    return tw_newref(TW_NONE);
}

static TwObject *rlock_at_fork_reinit(TwObject *op, TwObject *unused)
{
    RLockObject *self = (RLockObject *)op;
    sem_destroy(&self->sem);
    sem_init(&self->sem, 0, 1);
    tw_atomic_store_relaxed(&self->owner, 0);
    self->count = 0;
    return tw_newref(TW_NONE);
}

static TwObject *rlock_repr(TwObject *op)
{
    RLockObject *self = (RLockObject *)op;
    uint64_t owner = tw_atomic_load_relaxed(&self->owner);
    uint64_t count = owner == current_ident() ? self->count : (owner ? 1 : 0);
    return tw_str_from_format("<%s %s object owner=%llu count=%llu at %p>",
                              owner ? "locked" : "unlocked", TW_TYPE(op)->tp_name,
                              (unsigned long long)owner, (unsigned long long)count, (void *)op);
}

static const TwMethodDef rlock_methods[] = {
    {"acquire", FN(rlock_acquire), TW_METH_FASTCALL, "Acquire the lock, waiting if needed."},
    {"release", FN(rlock_release), TW_METH_NOARGS, "Release one level of the lock."},
    {"__enter__", FN(rlock_enter), TW_METH_NOARGS, "Acquire the lock."},
    {"__exit__", FN(rlock_exit), TW_METH_FASTCALL, "Release the lock."},
    {"_is_owned", FN(rlock_is_owned), TW_METH_NOARGS, NULL},
    {"_recursion_count", FN(rlock_recursion_count), TW_METH_NOARGS, NULL},
    {"_release_save", FN(rlock_release_save), TW_METH_NOARGS, NULL},
    {"_acquire_restore", FN(rlock_acquire_restore), TW_METH_O, NULL},
    {"_at_fork_reinit", FN(rlock_at_fork_reinit), TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static TwType rlock_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "_thread.RLock",
    .tp_basicsize = sizeof(RLockObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = rlock_dealloc,
    .tp_repr = rlock_repr,
    .tp_new = rlock_new,
    .tp_methods = rlock_methods,
};

/* ---- thread-local data ------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *key;    /* immutable: int, this object's serial number */
    TwObject *args;   /* immutable: tuple of constructor arguments */
    TwObject *kwargs; /* immutable: dict or NULL */
} LocalObject;

static TwType local_type;

/* Owner-only: this thread's dict {local serial: attribute dict}. */
static _Thread_local TwObject *local_dicts;
static _Atomic uint64_t local_serial;

/* The calling thread's attribute dict for self (borrowed; it lives in
 * local_dicts), created on first use.  A dict created for a thread other
 * than the constructor's runs the class's __init__ with the constructor's
 * arguments, as CPython does.  NULL with an exception. */
static TwObject *local_dict(TwObject *op, int run_init)
{
    LocalObject *self = (LocalObject *)op;
    if (local_dicts == NULL && (local_dicts = tw_dict_new()) == NULL)
        return NULL;
    TwObject *d;
    int rc = tw_dict_get_item_ref(local_dicts, self->key, &d);
    if (rc < 0)
        return NULL;
    if (rc > 0) {
        tw_decref(d); /* local_dicts keeps it alive */
        return d;
    }
    d = tw_dict_new();
    if (d == NULL || tw_dict_set_item(local_dicts, self->key, d) < 0) {
        tw_xdecref(d);
        return NULL;
    }
    tw_decref(d);
    if (run_init && TW_TYPE(op) != &local_type) {
        TwObject *init = tw_type_lookup_ref(TW_TYPE(op), tw_id___init__);
        TwObject *base_init = tw_type_lookup_ref(&tw_object_type, tw_id___init__);
        int custom = init != NULL && init != base_init;
        tw_xdecref(init);
        tw_xdecref(base_init);
        if (custom) {
            TwObject *bound = tw_object_getattr(op, tw_id___init__);
            TwObject *r = bound ? tw_object_call(bound, self->args, self->kwargs) : NULL;
            tw_xdecref(bound);
            if (r == NULL) {
                TwObject *exc = tw_err_fetch();
                TwObject *gone = tw_dict_pop(local_dicts, self->key, NULL);
                tw_xdecref(gone);
                tw_err_clear();
                tw_err_restore(exc);
                return NULL;
            }
            tw_decref(r);
        }
    }
    return d;
}

static TwObject *local_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    size_t nkw = kwnames ? (size_t)tw_tuple_size(kwnames) : 0;
    if (type == &local_type || (nargs + nkw > 0)) {
        int plain_init = 1;
        if (type != &local_type) {
            TwObject *init = tw_type_lookup_ref(type, tw_id___init__);
            TwObject *base_init = tw_type_lookup_ref(&tw_object_type, tw_id___init__);
            plain_init = init == base_init;
            tw_xdecref(init);
            tw_xdecref(base_init);
        }
        if (nargs + nkw > 0 && plain_init) {
            tw_err_set_string(&tw_exc_TypeError, "Initialization arguments are not supported");
            return NULL;
        }
    }
    LocalObject *self = (LocalObject *)tw_type_generic_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->key = tw_int_from_u64(tw_atomic_add_relaxed(&local_serial, 1) + 1);
    self->args = tw_tuple_new((intptr_t)nargs);
    if (self->key == NULL || self->args == NULL) {
        tw_decref((TwObject *)self);
        return NULL;
    }
    for (size_t i = 0; i < nargs; i++)
        ((TwTupleObject *)self->args)->items[i] = tw_newref(args[i]);
    if (nkw > 0) {
        self->kwargs = tw_dict_new();
        if (self->kwargs == NULL) {
            tw_decref((TwObject *)self);
            return NULL;
        }
        for (size_t i = 0; i < nkw; i++)
            if (tw_dict_set_item(self->kwargs, tw_tuple_get_item_borrowed(kwnames, (intptr_t)i),
                                 args[nargs + i]) < 0) {
                tw_decref((TwObject *)self);
                return NULL;
            }
    }
    if (local_dict((TwObject *)self, 0) == NULL) {
        tw_decref((TwObject *)self);
        return NULL;
    }
    return (TwObject *)self;
}

static void local_dealloc(TwObject *op)
{
    LocalObject *self = (LocalObject *)op;
    if (local_dicts != NULL && self->key != NULL) {
        TwObject *saved = tw_err_fetch();
        TwObject *gone = tw_dict_pop(local_dicts, self->key, NULL);
        tw_xdecref(gone);
        tw_err_clear();
        tw_err_restore(saved);
    }
    tw_xdecref(self->key);
    tw_xdecref(self->args);
    tw_xdecref(self->kwargs);
    tw_object_free(op);
}

static int is_data_descriptor(TwObject *d)
{
    return TW_TYPE(d)->tp_descr_set != NULL;
}

/* Attribute lookup with the thread's dict as the instance dict. */
static TwObject *local_getattro(TwObject *op, TwObject *name)
{
    TwObject *d = local_dict(op, 1);
    if (d == NULL)
        return NULL;
    if (tw_str_check(name) && strcmp(tw_str_utf8(name), "__dict__") == 0)
        return tw_newref(d);
    TwType *type = TW_TYPE(op);
    TwObject *descr = tw_type_lookup_ref(type, name);
    tw_descrgetfunc get = descr ? TW_TYPE(descr)->tp_descr_get : NULL;
    if (get != NULL && is_data_descriptor(descr)) {
        TwObject *r = get(descr, op, (TwObject *)type);
        tw_decref(descr);
        return r;
    }
    TwObject *r;
    int rc = tw_dict_get_item_ref(d, name, &r);
    if (rc != 0) {
        tw_xdecref(descr);
        return rc > 0 ? r : NULL;
    }
    if (get != NULL) {
        r = get(descr, op, (TwObject *)type);
        tw_decref(descr);
        return r;
    }
    if (descr != NULL)
        return descr;
    tw_err_no_attribute(op, name);
    return NULL;
}

static int local_setattro(TwObject *op, TwObject *name, TwObject *value)
{
    TwObject *d = local_dict(op, 1);
    if (d == NULL)
        return -1;
    if (tw_str_check(name) && strcmp(tw_str_utf8(name), "__dict__") == 0) {
        tw_err_format(&tw_exc_AttributeError, "'%s' object attribute '__dict__' is read-only",
                      TW_TYPE(op)->tp_name);
        return -1;
    }
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(op), name);
    if (descr != NULL && is_data_descriptor(descr)) {
        int rc = TW_TYPE(descr)->tp_descr_set(descr, op, value);
        tw_decref(descr);
        return rc;
    }
    tw_xdecref(descr);
    if (value != NULL)
        return tw_dict_set_item(d, name, value);
    TwObject *old = tw_dict_pop(d, name, NULL);
    if (old != NULL) {
        tw_decref(old);
        return 0;
    }
    if (tw_err_matches(&tw_exc_KeyError)) {
        tw_err_clear();
        tw_err_no_attribute(op, name);
    }
    return -1;
}

static TwType local_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "_thread._local",
    .tp_basicsize = sizeof(LocalObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = local_dealloc,
    .tp_getattro = local_getattro,
    .tp_setattro = local_setattro,
    .tp_new = local_new,
};

/* ---- threads ---------------------------------------------------------------- */

/* Threads started by start_new_thread and still running (_count()). */
static _Atomic int64_t running_threads;
/* stack_size(): 0 for the system's default.  Atomic. */
static _Atomic size_t stack_size_setting;
/* Thread-local: whether start_new_thread started this thread. */
static _Thread_local int started_here;
/* Owner-only: the sentinel this thread releases when it has exited. */
static _Thread_local LockCore *exit_sentinel;

typedef struct {
    TwObject *func, *args, *kwargs; /* owned; kwargs may be NULL */
} Bootstrap;

/* An exception escaped a thread's function (threading's threads catch
 * their own and call threading.excepthook; this is for raw _thread use).
 * SystemExit ends the thread quietly. */
static void report_thread_exception(TwObject *func)
{
    TwObject *exc = tw_err_fetch();
    if (exc == NULL || tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SystemExit)) {
        tw_xdecref(exc);
        return;
    }
    TwObject *r = tw_object_repr(func);
    tw_err_clear();
    const char *head = "Exception ignored in thread started by: ";
    tw_sys_write_stderr(head, strlen(head));
    if (r != NULL)
        tw_sys_write_stderr(tw_str_utf8(r), (size_t)tw_str_byte_size(r));
    tw_sys_write_stderr("\n", 1);
    tw_xdecref(r);
    tw_traceback_print_exception(exc);
    tw_decref(exc);
}

static void *thread_main(void *arg)
{
    Bootstrap *boot = arg;
    started_here = 1;
    tw_thread_state_new_current();
    TwObject *r = tw_object_call(boot->func, boot->args, boot->kwargs);
    if (r == NULL)
        report_thread_exception(boot->func);
    tw_xdecref(r);
    tw_decref(boot->func);
    tw_decref(boot->args);
    tw_xdecref(boot->kwargs);
    free(boot);
    TW_CLEAR(local_dicts);
    LockCore *sentinel = exit_sentinel;
    exit_sentinel = NULL;
    tw_atomic_sub_acqrel(&running_threads, 1);
    tw_thread_state_delete_current();
    /* No thread state from here on: only the sentinel's C state. */
    if (sentinel != NULL) {
        core_release(sentinel);
        core_decref(sentinel);
    }
    return NULL;
}

static TwObject *thread_start_new_thread(TwObject *m, TwObject *const *args, size_t nargs,
                                         TwObject *kwnames)
{
    if (tw_arg_no_kwargs("start_new_thread", kwnames) < 0)
        return NULL;
    if (nargs < 2 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "start_new_thread expected at %s %d arguments, got %zu",
                      nargs < 2 ? "least" : "most", nargs < 2 ? 2 : 3, nargs);
        return NULL;
    }
    if (!tw_callable_check(args[0])) {
        tw_err_set_string(&tw_exc_TypeError, "first arg must be callable");
        return NULL;
    }
    if (!tw_tuple_check(args[1])) {
        tw_err_set_string(&tw_exc_TypeError, "2nd arg must be a tuple");
        return NULL;
    }
    TwObject *kwargs = nargs == 3 ? args[2] : NULL;
    if (kwargs != NULL && !tw_dict_check(kwargs)) {
        tw_err_set_string(&tw_exc_TypeError, "optional 3rd arg must be a dictionary");
        return NULL;
    }
    Bootstrap *boot = malloc(sizeof(*boot));
    if (boot == NULL)
        return tw_err_no_memory();
    boot->func = tw_newref(args[0]);
    boot->args = tw_newref(args[1]);
    boot->kwargs = kwargs ? tw_newref(kwargs) : NULL;

    tw_eval_threads_starting();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    size_t stack = tw_atomic_load_relaxed(&stack_size_setting);
    if (stack != 0)
        pthread_attr_setstacksize(&attr, stack);
    tw_atomic_add_relaxed(&running_threads, 1);
    pthread_t tid;
    int rc = pthread_create(&tid, &attr, thread_main, boot);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        tw_atomic_sub_acqrel(&running_threads, 1);
        tw_decref(boot->func);
        tw_decref(boot->args);
        tw_xdecref(boot->kwargs);
        free(boot);
        tw_err_set_string(&tw_exc_RuntimeError, "can't start new thread");
        return NULL;
    }
    return tw_int_from_u64((uint64_t)tid);
}

static TwObject *thread_get_ident(TwObject *m, TwObject *unused)
{
    return tw_int_from_u64(current_ident());
}

static TwObject *thread_get_native_id(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64((int64_t)syscall(SYS_gettid));
}

static TwObject *thread_allocate_lock(TwObject *m, TwObject *unused)
{
    return lock_new_held(0, NULL);
}

static TwObject *thread_count(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(tw_atomic_load_relaxed(&running_threads));
}

/* _set_sentinel(): a new lock which, if held when the calling thread
 * exits, is released once the thread has deleted its state. */
static TwObject *thread_set_sentinel(TwObject *m, TwObject *unused)
{
    LockCore *core = malloc(sizeof(*core));
    if (core == NULL)
        return tw_err_no_memory();
    core_init(core, 0);
    TwObject *lock = lock_new_held(0, core);
    if (lock == NULL) {
        core_decref(core);
        return NULL;
    }
    tw_atomic_add_relaxed(&core->refs, 1); /* the thread's */
    if (exit_sentinel != NULL)
        core_decref(exit_sentinel);
    exit_sentinel = core;
    return lock;
}

static TwObject *thread_exit(TwObject *m, TwObject *unused)
{
    TwObject *exc = tw_exception_new(&tw_exc_SystemExit, NULL);
    if (exc != NULL)
        tw_err_restore(exc);
    return NULL;
}

/* interrupt_main(signum=SIGINT): as if the signal had arrived. */
static TwObject *thread_interrupt_main(TwObject *m, TwObject *const *args, size_t nargs,
                                       TwObject *kwnames)
{
    static const char *const names[] = {"signum", NULL};
    static const TwArgSpec spec = {"interrupt_main", names, 0, 0, 1};
    TwObject *argv[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    int64_t sig = SIGINT;
    if (argv[0] != NULL) {
        sig = tw_int_as_i64(argv[0]);
        if (sig == -1 && tw_err_occurred())
            return NULL;
    }
    if (sig < 1 || sig > 64) {
        tw_err_set_string(&tw_exc_ValueError, "signal number out of range");
        return NULL;
    }
    tw_signal_trip((int)sig);
    return tw_newref(TW_NONE);
}

static TwObject *thread_stack_size(TwObject *m, TwObject *const *args, size_t nargs,
                                   TwObject *kwnames)
{
    if (tw_arg_no_kwargs("stack_size", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "stack_size expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    size_t old = tw_atomic_load_relaxed(&stack_size_setting);
    if (nargs == 0)
        return tw_int_from_i64((int64_t)old);
    if (tw_float_check(args[0])) {
        tw_err_set_string(&tw_exc_TypeError, "'float' object cannot be interpreted as an integer");
        return NULL;
    }
    TwObject *i = tw_number_index(args[0]);
    if (i == NULL)
        return NULL;
    int overflow = 0;
    int64_t size = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow != 0) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return NULL;
    }
    if (size < 0) {
        tw_err_set_string(&tw_exc_ValueError, "size must be 0 or a positive value");
        return NULL;
    }
    if (size != 0 && size < THREAD_STACK_MIN) {
        tw_err_format(&tw_exc_ValueError, "size not valid: %lld bytes", (long long)size);
        return NULL;
    }
    tw_atomic_store_relaxed(&stack_size_setting, (size_t)size);
    return tw_int_from_i64((int64_t)old);
}

/* _excepthook(args): threading.excepthook's default.  args has exc_type,
 * exc_value, exc_traceback and thread; SystemExit is silent. */
static TwObject *thread_excepthook(TwObject *m, TwObject *args)
{
    TwObject *type = tw_object_getattr_cstr(args, "exc_type");
    TwObject *value = type ? tw_object_getattr_cstr(args, "exc_value") : NULL;
    TwObject *thread = value ? tw_object_getattr_cstr(args, "thread") : NULL;
    if (thread == NULL) {
        tw_xdecref(type);
        tw_xdecref(value);
        return NULL;
    }
    TwObject *res = NULL;
    if ((TW_TYPE(type)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) &&
        tw_type_is_subtype((TwType *)type, &tw_exc_SystemExit)) {
        res = tw_newref(TW_NONE);
        goto done;
    }
    TwObject *name = thread == TW_NONE ? tw_int_from_u64(current_ident())
                                       : tw_object_getattr_cstr(thread, "name");
    TwObject *text = name ? tw_object_str(name) : NULL;
    tw_xdecref(name);
    if (text == NULL)
        goto done;
    tw_sys_flush_stdio();
    TwObject *head = tw_str_from_format("Exception in thread %s:\n", tw_str_utf8(text));
    tw_decref(text);
    if (head == NULL)
        goto done;
    tw_sys_write_stderr(tw_str_utf8(head), (size_t)tw_str_byte_size(head));
    tw_decref(head);
    tw_traceback_print_exception(value);
    res = tw_newref(TW_NONE);
done:
    tw_decref(type);
    tw_decref(value);
    tw_decref(thread);
    return res;
}

static const TwMethodDef thread_functions[] = {
    {"start_new_thread", FN(thread_start_new_thread), TW_METH_FASTCALL,
     "Start a thread that calls function(*args, **kwargs); return its identifier."},
    {"start_new", FN(thread_start_new_thread), TW_METH_FASTCALL, "Same as start_new_thread()."},
    {"get_ident", FN(thread_get_ident), TW_METH_NOARGS, "The current thread's identifier."},
    {"get_native_id", FN(thread_get_native_id), TW_METH_NOARGS, "The kernel's thread id."},
    {"allocate_lock", FN(thread_allocate_lock), TW_METH_NOARGS, "A new unlocked lock."},
    {"allocate", FN(thread_allocate_lock), TW_METH_NOARGS, "Same as allocate_lock()."},
    {"_count", FN(thread_count), TW_METH_NOARGS, "Threads started here still running."},
    {"_set_sentinel", FN(thread_set_sentinel), TW_METH_NOARGS,
     "A held lock released when the calling thread has exited."},
    {"exit", FN(thread_exit), TW_METH_NOARGS, "Raise SystemExit: end the thread."},
    {"exit_thread", FN(thread_exit), TW_METH_NOARGS, "Same as exit()."},
    {"interrupt_main", FN(thread_interrupt_main), TW_METH_FASTCALL,
     "Simulate a signal (SIGINT) arriving in the main thread."},
    {"stack_size", FN(thread_stack_size), TW_METH_FASTCALL,
     "Get or set the stack size of new threads."},
    {"_excepthook", FN(thread_excepthook), TW_METH_O, "Print an exception raised in a thread."},
    {NULL, NULL, 0, NULL},
};

static TwObject *thread_module_create(void)
{
    TwObject *m = tw_module_new_cstr("_thread");
    if (m == NULL)
        return NULL;
    TwObject *timeout_max = tw_float_from_double(TIMEOUT_MAX_SECONDS);
    int r = timeout_max ? 0 : -1;
    if (r == 0)
        r = tw_module_add_functions(m, thread_functions);
    if (r == 0)
        r = tw_module_add_object(m, "LockType", (TwObject *)&lock_type);
    if (r == 0)
        r = tw_module_add_object(m, "RLock", (TwObject *)&rlock_type);
    if (r == 0)
        r = tw_module_add_object(m, "_local", (TwObject *)&local_type);
    if (r == 0)
        r = tw_module_add_object(m, "error", (TwObject *)&tw_exc_RuntimeError);
    if (r == 0)
        r = tw_module_add_object(m, "TIMEOUT_MAX", timeout_max);
    tw_xdecref(timeout_max);
    if (r < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

/* In the child after fork(): only the forking thread is left. */
static void after_fork_child(void)
{
    tw_atomic_store_relaxed(&running_threads, started_here ? 1 : 0);
}

int tw_thread_module_init(void)
{
    static int fork_hook_registered; /* start-up runs on one thread */
    if (tw_type_ready(&lock_type) < 0 || tw_type_ready(&rlock_type) < 0 ||
        tw_type_ready(&local_type) < 0)
        return -1;
    if (!fork_hook_registered) {
        if (tw_runtime_register_fork_hooks(NULL, NULL, after_fork_child) < 0) {
            tw_err_set_string(&tw_exc_RuntimeError, "too many fork hooks");
            return -1;
        }
        fork_hook_registered = 1;
    }
    if (tw_module_register_builtin("_thread", thread_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
