/* fork() with other threads alive: the child's runtime is whole.
 *
 * Each test starts a helper thread with a thread state, brings it to a
 * known point (blocked detached, or waiting for the GIL), forks with
 * tw_runtime_fork, and checks in the child.  The child reports through its
 * exit status (0 = every check passed, otherwise the number of the first
 * failed check), which the parent asserts on. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support.h"
#include "core/tstate.h"

/* ThreadSanitizer refuses to start threads in the child of a fork made
 * while other threads ran; under it the child checks on its own thread. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN 0
#endif

TestSuite(fork, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- an object whose deallocation is observable -------------------------------------- */

static int freed; /* written by whichever thread deallocates; read after joins/forks */

static void marker_dealloc(TwObject *op)
{
    freed++;
    tw_object_free(op);
}

static TwType marker_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "marker",
    .tp_basicsize = sizeof(TwObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = marker_dealloc,
};

/* ---- the helper thread ------------------------------------------------------------------ */

typedef struct {
    TwObject *made[3];   /* markers the helper made; their references pass to the main thread */
    _Atomic int ready;   /* the helper has made them */
    _Atomic int release; /* the main thread lets the helper finish */
    int attach_late;     /* ensure a thread state only once the main thread says so */
    _Atomic int go;
} Helper;

static void *helper_main(void *arg)
{
    Helper *h = arg;
    if (h->attach_late) {
        while (!tw_atomic_load_acquire(&h->go))
            sched_yield();
    }
    TwGILState g = tw_gilstate_ensure();
    for (int i = 0; i < 3; i++)
        h->made[i] = tw_object_new(&marker_type, 0);
    tw_atomic_store_release(&h->ready, 1);
    /* Stay alive, detached, until released: at the fork this thread exists
     * but is not running Python. */
    TW_BEGIN_ALLOW_THREADS
    while (!tw_atomic_load_acquire(&h->release))
        usleep(1000);
    TW_END_ALLOW_THREADS
    tw_gilstate_release(g);
    return NULL;
}

static void child_exit_status_is_zero(pid_t pid)
{
    cr_assert(pid >= 0, "fork failed");
    int status = 0;
    pid_t r;
    TW_BEGIN_ALLOW_THREADS
    r = waitpid(pid, &status, 0);
    TW_END_ALLOW_THREADS
    cr_assert_eq(r, pid);
    cr_assert(WIFEXITED(status), "the child died of signal %d", WTERMSIG(status));
    cr_assert_eq(WEXITSTATUS(status), 0, "check %d failed in the child", WEXITSTATUS(status));
}

static void *new_thread_attaches(void *arg)
{
    TwGILState g = tw_gilstate_ensure();
    TwObject *o = tw_object_new(&marker_type, 0);
    tw_decref(o);
    tw_gilstate_release(g);
    *(int *)arg = 1;
    return NULL;
}

/* In the child: another thread can start, attach and finish. */
static int child_can_start_a_thread(void)
{
    int done = 0;
    if (UNDER_TSAN) {
        TW_BEGIN_ALLOW_THREADS
        TW_END_ALLOW_THREADS
        tw_decref(tw_object_new(&marker_type, 0));
        return 1;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, new_thread_attaches, &done) != 0)
        return 0;
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    return done;
}

/* ---- tests -------------------------------------------------------------------------------- */

Test(fork, child_frees_objects_of_a_thread_that_did_not_survive)
{
    Helper h = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, helper_main, &h), 0);
    cr_assert(tw_test_await_flag(&h.ready));
    /* made[0] is dropped before the fork: in the free-threaded build it
     * waits in the helper's merge queue (the helper is detached and does
     * not serve it), so only the child's merge of the dead queue frees it
     * there. */
    freed = 0;
    tw_decref(h.made[0]);

    pid_t pid = tw_runtime_fork();
    if (pid == 0) {
        int code = 0;
        if (freed != 1)
            code = 1; /* the queued object was merged and freed */
        else if (tw_thread_state_get() != tw_runtime.main_thread || tw_runtime.thread_count != 1)
            code = 2;
        else {
            tw_decref(h.made[1]); /* owned by the vanished thread: merged on the spot */
            tw_decref(h.made[2]);
            if (freed != 3)
                code = 3;
            else if (!child_can_start_a_thread() || freed != 4)
                code = 4;
        }
        _exit(code);
    }
    child_exit_status_is_zero(pid);
    /* The parent is untouched: the helper still owns and serves its queue. */
    cr_assert_eq(tw_runtime.thread_count, 2);
    tw_atomic_store_release(&h.release, 1);
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    tw_decref(h.made[1]);
    tw_decref(h.made[2]);
    cr_assert_eq(freed, 3, "parent: every marker is freed once the helper has gone");
}

Test(fork, child_keeps_the_forking_threads_serial)
{
    uint32_t serial = tw_thread_state_serial(tw_thread_state_get());
    pid_t pid = tw_runtime_fork();
    if (pid == 0)
        _exit(tw_thread_state_serial(tw_thread_state_get()) == serial ? 0 : 1);
    child_exit_status_is_zero(pid);
}

/* A thread parked on a mutex at the fork is gone in the child: unlocking
 * must not hand the mutex to it. */
static TwMutex contended;
static _Atomic int contender_locked;

static void *contender_main(void *arg)
{
    TwGILState g = tw_gilstate_ensure();
    tw_mutex_lock(&contended); /* parks: the main thread holds it */
    tw_atomic_store_release(&contender_locked, 1);
    tw_mutex_unlock(&contended);
    tw_gilstate_release(g);
    return NULL;
}

Test(fork, child_can_take_a_mutex_a_dead_thread_was_parked_on)
{
    contended = (TwMutex){0};
    tw_mutex_lock(&contended);
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, contender_main, NULL), 0);
    /* Wait until the contender is parked, and long enough (over 1 ms) that
     * an unlock would hand the mutex to it. */
    for (int i = 0; i < 10000 && !(tw_atomic_load_relaxed(&contended.v) & TW_MUTEX_HAS_PARKED); i++)
        tw_test_sleep_ms(1);
    cr_assert(tw_atomic_load_relaxed(&contended.v) & TW_MUTEX_HAS_PARKED);
    tw_test_sleep_ms(5);

    pid_t pid = tw_runtime_fork();
    if (pid == 0) {
        tw_mutex_unlock(&contended);
        if (!tw_mutex_trylock(&contended))
            _exit(1);
        tw_mutex_unlock(&contended);
        _exit(0);
    }
    child_exit_status_is_zero(pid);
    tw_mutex_unlock(&contended);
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert(tw_atomic_load_acquire(&contender_locked));
}

/* A thread that waits for the GIL (or, without one, runs attached) at the
 * fork: the child's GIL is free for the next thread it starts. */
static _Atomic int spinner_stop;

static void *spinner_main(void *arg)
{
    TwGILState g = tw_gilstate_ensure();
    while (!tw_atomic_load_acquire(&spinner_stop)) {
        TwObject *o = tw_object_new(&marker_type, 0);
        tw_decref(o);
        tw_eval_breaker_check();
    }
    tw_gilstate_release(g);
    return NULL;
}

Test(fork, child_runs_after_a_fork_beside_a_busy_thread)
{
    spinner_stop = 0;
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, spinner_main, NULL), 0);
    tw_test_sleep_ms(20);
    for (int round = 0; round < 20; round++) {
        pid_t pid = tw_runtime_fork();
        if (pid == 0) {
            int ok = child_can_start_a_thread();
            TW_BEGIN_ALLOW_THREADS
            TW_END_ALLOW_THREADS
            _exit(ok ? 0 : 1);
        }
        child_exit_status_is_zero(pid);
    }
    tw_atomic_store_release(&spinner_stop, 1);
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
}
