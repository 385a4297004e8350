/* The time module: clocks and sleep.
 *
 * The clocks are POSIX clocks read with clock_gettime: time() is
 * CLOCK_REALTIME, monotonic() and perf_counter() are CLOCK_MONOTONIC (as
 * CPython on Linux), process_time() and thread_time() the CPU-time clocks.
 * sleep() waits for an absolute CLOCK_MONOTONIC deadline with the thread
 * detached (the GIL released), so an interrupted wait resumes for exactly
 * the time left; each interruption first serves the eval breaker, which is
 * where Ctrl-C becomes KeyboardInterrupt.  The module has no state. */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <time.h>
#include "core/tstate.h"
#include "core/builtins.h"

#define NS_PER_SEC INT64_C(1000000000)

/* The clock's current time in nanoseconds, or -1 with OSError. */
static int64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        tw_err_set_from_errno(NULL);
        return -1;
    }
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static TwObject *clock_seconds(clockid_t clock)
{
    int64_t ns = clock_ns(clock);
    return ns < 0 ? NULL : tw_float_from_double((double)ns / 1e9);
}

static TwObject *clock_nanoseconds(clockid_t clock)
{
    int64_t ns = clock_ns(clock);
    return ns < 0 ? NULL : tw_int_from_i64(ns);
}

static TwObject *time_time(TwObject *m, TwObject *u)
{
    return clock_seconds(CLOCK_REALTIME);
}
static TwObject *time_time_ns(TwObject *m, TwObject *u)
{
    return clock_nanoseconds(CLOCK_REALTIME);
}
static TwObject *time_monotonic(TwObject *m, TwObject *u)
{
    return clock_seconds(CLOCK_MONOTONIC);
}
static TwObject *time_monotonic_ns(TwObject *m, TwObject *u)
{
    return clock_nanoseconds(CLOCK_MONOTONIC);
}
static TwObject *time_process_time(TwObject *m, TwObject *u)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
static TwObject *time_process_time_ns(TwObject *m, TwObject *u)
{
    return clock_nanoseconds(CLOCK_PROCESS_CPUTIME_ID);
}
static TwObject *time_thread_time(TwObject *m, TwObject *u)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}
static TwObject *time_thread_time_ns(TwObject *m, TwObject *u)
{
    return clock_nanoseconds(CLOCK_THREAD_CPUTIME_ID);
}

/* A sleep length in nanoseconds from an int or a float, rounded up so a
 * sleep never ends early.  -1 with ValueError/OverflowError/TypeError. */
static int64_t sleep_length_ns(TwObject *arg)
{
    if (tw_float_check(arg)) {
        double s = tw_float_as_double(arg);
        if (isnan(s)) {
            tw_err_set_string(&tw_exc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
        if (s < 0) {
            tw_err_set_string(&tw_exc_ValueError, "sleep length must be non-negative");
            return -1;
        }
        double ns = ceil(s * 1e9);
        if (!(ns < 9.2e18)) {
            tw_err_set_string(&tw_exc_OverflowError, "timestamp out of range for platform time_t");
            return -1;
        }
        return (int64_t)ns;
    }
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t s = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow < 0 || (overflow == 0 && s < 0)) {
        tw_err_set_string(&tw_exc_ValueError, "sleep length must be non-negative");
        return -1;
    }
    if (overflow > 0 || s > INT64_MAX / NS_PER_SEC) {
        tw_err_set_string(&tw_exc_OverflowError, "timestamp too large to convert to C _PyTime_t");
        return -1;
    }
    return s * NS_PER_SEC;
}

/* sleep(secs): detached until the deadline.  sleep(0) still lets other
 * threads run: it detaches and yields the processor once. */
static TwObject *time_sleep(TwObject *m, TwObject *arg)
{
    int64_t ns = sleep_length_ns(arg);
    if (ns < 0)
        return NULL;
    if (ns == 0) {
        TW_BEGIN_ALLOW_THREADS
        sched_yield();
        TW_END_ALLOW_THREADS
        if (tw_eval_breaker_check() < 0)
            return NULL;
        return tw_newref(TW_NONE);
    }
    int64_t now = clock_ns(CLOCK_MONOTONIC);
    if (now < 0)
        return NULL;
    int64_t deadline = ns > INT64_MAX - now ? INT64_MAX : now + ns;
    struct timespec until = {.tv_sec = (time_t)(deadline / NS_PER_SEC),
                             .tv_nsec = (long)(deadline % NS_PER_SEC)};
    for (;;) {
        int rc;
        TW_BEGIN_ALLOW_THREADS
        rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
        TW_END_ALLOW_THREADS
        if (rc == 0)
            break;
        if (rc != EINTR) {
            errno = rc;
            return tw_err_set_from_errno(NULL);
        }
        if (tw_eval_breaker_check() < 0)
            return NULL;
    }
    return tw_newref(TW_NONE);
}

#define FN(f) ((void (*)(void))(f))

static const TwMethodDef time_functions[] = {
    {"time", FN(time_time), TW_METH_NOARGS, "Seconds since the Epoch as a float."},
    {"time_ns", FN(time_time_ns), TW_METH_NOARGS, "Nanoseconds since the Epoch as an int."},
    {"monotonic", FN(time_monotonic), TW_METH_NOARGS, "A monotonic clock, in seconds."},
    {"monotonic_ns", FN(time_monotonic_ns), TW_METH_NOARGS, "A monotonic clock, in ns."},
    {"perf_counter", FN(time_monotonic), TW_METH_NOARGS, "The benchmark clock, in seconds."},
    {"perf_counter_ns", FN(time_monotonic_ns), TW_METH_NOARGS, "The benchmark clock, in ns."},
    {"process_time", FN(time_process_time), TW_METH_NOARGS, "CPU time of the process, in s."},
    {"process_time_ns", FN(time_process_time_ns), TW_METH_NOARGS, "CPU time of the process."},
    {"thread_time", FN(time_thread_time), TW_METH_NOARGS, "CPU time of the thread, in s."},
    {"thread_time_ns", FN(time_thread_time_ns), TW_METH_NOARGS, "CPU time of the thread."},
    {"sleep", FN(time_sleep), TW_METH_O, "Wait for the given number of seconds."},
    {NULL, NULL, 0, NULL},
};

static TwObject *time_module_create(void)
{
    TwObject *m = tw_module_new_cstr("time");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, time_functions) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_time_init(void)
{
    if (tw_module_register_builtin("time", time_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
