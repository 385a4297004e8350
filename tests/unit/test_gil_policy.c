/* The GIL's io policy: a thread coming back from a blocking call asks for
 * the GIL at once and is served before other waiters; a thread whose last
 * release was forced still waits a whole interval; the default policy is
 * unchanged.  Also the policy's setting (TWINPY_GIL_POLICY, the C API and
 * sys._getgilpolicy / sys._setgilpolicy).
 *
 * Every test runs with the GIL on (TWINPY_GIL=1 in the free-threaded
 * build, where the same gil/gil.c code serialises the threads).  The
 * timing tests use switch intervals far longer than the waits they expect,
 * so that they do not depend on the machine's speed. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "support.h"
#include "core/builtins.h"

static void setup_with_gil(void)
{
    setenv("TWINPY_GIL", "1", 1);
    unsetenv("TWINPY_GIL_POLICY");
    tw_test_setup();
}

static void setup_with_io_policy(void)
{
    setenv("TWINPY_GIL", "1", 1);
    setenv("TWINPY_GIL_POLICY", "io", 1);
    tw_test_setup();
}

TestSuite(gil_policy, .init = setup_with_gil, .fini = tw_test_teardown);

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Sleep without touching the runtime (the caller is detached or has no
 * thread state). */
static void raw_sleep_ms(int ms)
{
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* Wait, detached, until *flag is set; fails the test after 10 s. */
static void await_raw(_Atomic int *flag)
{
    int64_t deadline = now_ns() + TW_TEST_PATIENCE_NS;
    while (!atomic_load(flag)) {
        cr_assert_lt(now_ns(), deadline, "a thread never arrived");
        raw_sleep_ms(1);
    }
}

/* Spin attached through check points until *flag is set. */
static void spin_until(_Atomic int *flag)
{
    int64_t deadline = now_ns() + TW_TEST_PATIENCE_NS;
    while (!atomic_load(flag)) {
        tw_eval_breaker_check();
        cr_assert_lt(now_ns(), deadline, "the other thread never got the GIL");
    }
}

/* Spin attached through check points for `ms` milliseconds. */
static void spin_for_ms(int ms)
{
    int64_t end = now_ns() + (int64_t)ms * 1000000;
    while (now_ns() < end)
        tw_eval_breaker_check();
}

/* ---- the setting ------------------------------------------------------------------- */

Test(gil_policy, default_unless_asked)
{
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_DEFAULT);
    cr_assert_str_eq(tw_gil_policy_name(tw_gil_get_policy()), "default");
}

Test(gil_policy, c_api_sets_known_policies_only)
{
    cr_assert_eq(tw_gil_set_policy(TW_GIL_POLICY_IO), 0);
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_IO);
    cr_assert_eq(tw_gil_set_policy(7), -1);
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_IO, "a rejected value changes nothing");
    cr_assert_eq(tw_gil_policy_from_name("io"), TW_GIL_POLICY_IO);
    cr_assert_eq(tw_gil_policy_from_name("default"), TW_GIL_POLICY_DEFAULT);
    cr_assert_eq(tw_gil_policy_from_name("IO"), -1);
    cr_assert_eq(tw_gil_policy_from_name(""), -1);
}

TestSuite(gil_policy_env, .init = setup_with_io_policy, .fini = tw_test_teardown);

Test(gil_policy_env, environment_variable_chooses_io_at_start)
{
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_IO);
}

static TwObject *call_sys(const char *name, TwObject *arg)
{
    TwObject *f = tw_sys_get_object(name);
    cr_assert_not_null(f, "sys.%s missing", name);
    TwObject *r = arg ? tw_object_call_one(f, arg) : tw_object_call_noargs(f);
    tw_decref(f);
    return r;
}

Test(gil_policy, sys_functions_get_and_set_the_policy)
{
    tw_test_assert_repr(call_sys("_getgilpolicy", NULL), "'default'");
    TwObject *io = tw_str_from_cstr("io"), *dflt = tw_str_from_cstr("default");
    tw_test_assert_repr(call_sys("_setgilpolicy", io), "None");
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_IO);
    tw_test_assert_repr(call_sys("_getgilpolicy", NULL), "'io'");
    tw_test_assert_repr(call_sys("_setgilpolicy", dflt), "None");
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_DEFAULT);
    tw_decref(io);
    tw_decref(dflt);
}

Test(gil_policy, sys_setgilpolicy_rejects_bad_values)
{
    TwObject *bad = tw_str_from_cstr("fast"), *nul = tw_str_from_utf8("io\0x", 4);
    TwObject *num = tw_test_int(1);
    cr_assert_null(call_sys("_setgilpolicy", bad));
    tw_test_assert_error(&tw_exc_ValueError, "GIL policy must be 'default' or 'io'");
    cr_assert_null(call_sys("_setgilpolicy", nul));
    tw_test_assert_error(&tw_exc_ValueError, "GIL policy must be 'default' or 'io'");
    cr_assert_null(call_sys("_setgilpolicy", num));
    tw_test_assert_error(&tw_exc_TypeError, "_setgilpolicy() argument must be str, not int");
    cr_assert_eq(tw_gil_get_policy(), TW_GIL_POLICY_DEFAULT);
    tw_decref(bad);
    tw_decref(nul);
    tw_decref(num);
}

/* ---- a thread coming back from a blocking call --------------------------------------- */

typedef struct {
    _Atomic int ready;     /* the I/O thread is inside its "blocking call" */
    _Atomic int go;        /* the main thread holds the GIL: return from the call */
    _Atomic int attached;  /* the I/O thread has the GIL again */
    _Atomic int order;     /* next acquisition number */
    int io_order, cpu_order;
    int64_t waited_ns;     /* from the return of the call until the GIL was had */
} IoState;

/* A thread that makes one blocking call (a detached wait for `go`) and
 * records how long it then waited for the GIL. */
static void *io_thread(void *p)
{
    IoState *st = p;
    TwGILState g = tw_gilstate_ensure();
    int64_t t0;
    TW_BEGIN_ALLOW_THREADS
    atomic_store(&st->ready, 1);
    while (!atomic_load(&st->go))
        raw_sleep_ms(1);
    t0 = now_ns();
    TW_END_ALLOW_THREADS
    st->waited_ns = now_ns() - t0;
    st->io_order = atomic_fetch_add(&st->order, 1);
    atomic_store(&st->attached, 1);
    tw_gilstate_release(g);
    return NULL;
}

/* Start the I/O thread and let it reach its blocking call; the main thread
 * then holds the GIL again. */
static void start_io_thread(pthread_t *t, IoState *st)
{
    TW_BEGIN_ALLOW_THREADS
    pthread_create(t, NULL, io_thread, st);
    await_raw(&st->ready);
    TW_END_ALLOW_THREADS
}

static void join(pthread_t t)
{
    TW_BEGIN_ALLOW_THREADS
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
}

Test(gil_policy, io_thread_asks_at_once_instead_of_after_an_interval)
{
    tw_gil_set_policy(TW_GIL_POLICY_IO);
    tw_gil_set_interval_us(60 * 1000000); /* a minute: the default policy would wait that long */
    IoState st = {0};
    pthread_t t;
    start_io_thread(&t, &st);
    atomic_store(&st.go, 1);
    spin_until(&st.attached); /* only a check point that answers a request lets it in */
    join(t);
    cr_assert_lt(st.waited_ns, 30LL * 1000000000, "waited %lld ns", (long long)st.waited_ns);
}

Test(gil_policy, default_policy_makes_the_io_thread_wait_an_interval)
{
    tw_gil_set_interval_us(200 * 1000);
    IoState st = {0};
    pthread_t t;
    start_io_thread(&t, &st);
    atomic_store(&st.go, 1);
    spin_until(&st.attached);
    join(t);
    cr_assert_geq(st.waited_ns, 150 * 1000000, "waited only %lld ns", (long long)st.waited_ns);
}

/* A CPU-bound thread already waiting for the GIL (no blocking call before:
 * its first attach). */
static void *cpu_thread(void *p)
{
    IoState *st = p;
    TwGILState g = tw_gilstate_ensure();
    st->cpu_order = atomic_fetch_add(&st->order, 1);
    tw_gilstate_release(g);
    return NULL;
}

Test(gil_policy, io_thread_is_served_before_a_waiting_cpu_thread)
{
    tw_gil_set_policy(TW_GIL_POLICY_IO);
    tw_gil_set_interval_us(60 * 1000000);
    IoState st = {0};
    pthread_t io, cpu;
    start_io_thread(&io, &st);
    pthread_create(&cpu, NULL, cpu_thread, &st);
    spin_for_ms(50); /* the CPU thread queues behind us; a minute passes before it asks */
    atomic_store(&st.go, 1);
    spin_until(&st.attached);
    join(io);
    join(cpu);
    cr_assert_eq(st.io_order, 0, "the I/O thread must get the GIL first");
    cr_assert_eq(st.cpu_order, 1);
}

/* ---- CPU-bound threads keep the default's sharing ----------------------------------- */

typedef struct {
    _Atomic int ready, go, b_running, stop;
} SpinState;

/* Comes back from a blocking call (so it gets the GIL at once), then spins
 * through check points until told to stop. */
static void *spinner_after_io(void *p)
{
    SpinState *st = p;
    TwGILState g = tw_gilstate_ensure();
    TW_BEGIN_ALLOW_THREADS
    atomic_store(&st->ready, 1);
    while (!atomic_load(&st->go))
        raw_sleep_ms(1);
    TW_END_ALLOW_THREADS
    atomic_store(&st->b_running, 1);
    spin_until(&st->stop);
    tw_gilstate_release(g);
    return NULL;
}

Test(gil_policy, thread_released_by_force_waits_an_interval)
{
    tw_gil_set_policy(TW_GIL_POLICY_IO);
    tw_gil_set_interval_us(200 * 1000);
    SpinState st = {0};
    pthread_t t;
    TW_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, spinner_after_io, &st);
    await_raw(&st.ready);
    TW_END_ALLOW_THREADS
    atomic_store(&st.go, 1);
    /* Spin until B's request makes a check point hand the GIL over; the
     * check point returns when we have it back. */
    int64_t deadline = now_ns() + TW_TEST_PATIENCE_NS;
    int64_t waited = 0;
    while (!atomic_load(&st.b_running)) {
        cr_assert_lt(now_ns(), deadline, "B never got the GIL");
        int64_t t0 = now_ns();
        tw_eval_breaker_check();
        waited = now_ns() - t0;
    }
    atomic_store(&st.stop, 1);
    join(t);
    /* Forced out, we waited a whole interval before asking B to drop. */
    cr_assert_geq(waited, 150 * 1000000, "waited only %lld ns", (long long)waited);
}
