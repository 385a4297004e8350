/* The time module: clocks and sleep.
 *
 * The clocks are POSIX clocks read with clock_gettime: time() is
 * CLOCK_REALTIME, monotonic() and perf_counter() are CLOCK_MONOTONIC (as
 * CPython on Linux), process_time() and thread_time() the CPU-time clocks.
 * sleep() waits for an absolute CLOCK_MONOTONIC deadline with the thread
 * detached (the GIL released), so an interrupted wait resumes for exactly
 * the time left; each interruption first serves the eval breaker, which is
 * where Ctrl-C becomes KeyboardInterrupt.  Calendar time (gmtime,
 * localtime, mktime, strftime, asctime, ctime) goes through the C
 * library's reentrant functions; struct_time is a tuple subclass with
 * named fields.  The module has no state. */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- calendar time ------------------------------------------------------------------ */

static const char *const tm_fields[] = {"tm_year", "tm_mon",  "tm_mday", "tm_hour", "tm_min",
                                        "tm_sec",  "tm_wday", "tm_yday", "tm_isdst"};
#define N_TM_FIELDS 9

static TwObject *struct_time_field(TwObject *self, void *closure)
{
    return tw_newref(tw_tuple_get_item_borrowed(self, (intptr_t)closure));
}

static const TwGetSetDef struct_time_getset[] = {
    {"tm_year", struct_time_field, NULL, (void *)0},
    {"tm_mon", struct_time_field, NULL, (void *)1},
    {"tm_mday", struct_time_field, NULL, (void *)2},
    {"tm_hour", struct_time_field, NULL, (void *)3},
    {"tm_min", struct_time_field, NULL, (void *)4},
    {"tm_sec", struct_time_field, NULL, (void *)5},
    {"tm_wday", struct_time_field, NULL, (void *)6},
    {"tm_yday", struct_time_field, NULL, (void *)7},
    {"tm_isdst", struct_time_field, NULL, (void *)8},
    {NULL, NULL, NULL, NULL},
};

/* "time.struct_time(tm_year=1970, tm_mon=1, ...)" */
static TwObject *struct_time_repr(TwObject *self)
{
    char buf[512];
    size_t len = (size_t)snprintf(buf, sizeof(buf), "time.struct_time(");
    for (int i = 0; i < N_TM_FIELDS; i++) {
        TwObject *r = tw_object_repr(tw_tuple_get_item_borrowed(self, i));
        if (r == NULL)
            return NULL;
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s=%s", i ? ", " : "",
                                tm_fields[i], tw_str_utf8(r));
        tw_decref(r);
        if (len >= sizeof(buf) - 2)
            len = sizeof(buf) - 2;
    }
    snprintf(buf + len, sizeof(buf) - len, ")");
    return tw_str_from_cstr(buf);
}

/* A tuple subclass; indexing, comparison and hashing come from tuple. */
static TwType struct_time_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "time.struct_time",
    .tp_basicsize = sizeof(TwTupleObject),
    .tp_itemsize = sizeof(TwObject *),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_tuple_type,
    .tp_repr = struct_time_repr,
    .tp_getset = struct_time_getset,
};

/* struct_time from a C struct tm (Python's conventions: months from 1,
 * Monday is weekday 0, days of the year from 1). */
static TwObject *struct_time_from_tm(const struct tm *tm)
{
    int64_t v[N_TM_FIELDS] = {tm->tm_year + 1900,    tm->tm_mon + 1,  tm->tm_mday,
                              tm->tm_hour,           tm->tm_min,      tm->tm_sec,
                              (tm->tm_wday + 6) % 7, tm->tm_yday + 1, tm->tm_isdst};
    TwObject *t = tw_object_new(&struct_time_type, N_TM_FIELDS);
    if (t == NULL)
        return NULL;
    TW_SIZE(t) = N_TM_FIELDS;
    for (int i = 0; i < N_TM_FIELDS; i++) {
        TwObject *x = tw_int_from_i64(v[i]);
        if (x == NULL) {
            for (int j = i; j < N_TM_FIELDS; j++)
                ((TwTupleObject *)t)->items[j] = tw_newref(TW_NONE);
            tw_decref(t);
            return NULL;
        }
        ((TwTupleObject *)t)->items[i] = x;
    }
    return t;
}

/* A struct tm from a 9-sequence of ints (a struct_time or a tuple). */
static int tm_from_tuple(const char *fname, TwObject *seq, struct tm *tm)
{
    TwObject *t = tw_sequence_tuple(seq);
    if (t == NULL)
        return -1;
    if (tw_tuple_size(t) != N_TM_FIELDS) {
        tw_decref(t);
        tw_err_format(&tw_exc_TypeError, "%s(): illegal time tuple argument", fname);
        return -1;
    }
    int64_t v[N_TM_FIELDS];
    for (int i = 0; i < N_TM_FIELDS; i++) {
        v[i] = tw_int_as_i64(tw_tuple_get_item_borrowed(t, i));
        if (v[i] == -1 && tw_err_occurred()) {
            tw_decref(t);
            return -1;
        }
    }
    tw_decref(t);
    memset(tm, 0, sizeof(*tm));
    tm->tm_year = (int)(v[0] - 1900);
    tm->tm_mon = (int)(v[1] - 1);
    tm->tm_mday = (int)v[2];
    tm->tm_hour = (int)v[3];
    tm->tm_min = (int)v[4];
    tm->tm_sec = (int)v[5];
    tm->tm_wday = (int)((v[6] + 1) % 7);
    tm->tm_yday = (int)(v[7] - 1);
    tm->tm_isdst = (int)v[8];
    return 0;
}

/* Seconds from an optional argument (None or absent: now). */
static int seconds_arg(TwObject *const *args, size_t nargs, time_t *out)
{
    if (nargs == 0 || args[0] == TW_NONE) {
        *out = time(NULL);
        return 0;
    }
    double secs;
    if (tw_float_check(args[0])) {
        secs = tw_float_as_double(args[0]);
        if (isnan(secs)) {
            tw_err_set_string(&tw_exc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
    } else {
        TwObject *i = tw_number_index(args[0]);
        if (i == NULL)
            return -1;
        secs = tw_int_as_double(i);
        tw_decref(i);
        if (secs == -1.0 && tw_err_occurred())
            return -1;
    }
    if (!(secs > -9.2e18 && secs < 9.2e18)) {
        tw_err_set_string(&tw_exc_OverflowError, "timestamp out of range for platform time_t");
        return -1;
    }
    *out = (time_t)floor(secs);
    return 0;
}

static TwObject *broken_down(const char *fname, TwObject *const *args, size_t nargs,
                             TwObject *kwnames, int local)
{
    time_t when;
    if (tw_arg_no_kwargs(fname, kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "%s expected at most 1 argument, got %zu", fname, nargs);
        return NULL;
    }
    if (seconds_arg(args, nargs, &when) < 0)
        return NULL;
    struct tm tm;
    if ((local ? localtime_r(&when, &tm) : gmtime_r(&when, &tm)) == NULL) {
        tw_err_set_string(&tw_exc_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return struct_time_from_tm(&tm);
}

static TwObject *time_gmtime(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return broken_down("gmtime", args, nargs, kw, 0);
}

static TwObject *time_localtime(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kw)
{
    return broken_down("localtime", args, nargs, kw, 1);
}

/* The struct tm of an optional time tuple (absent: local time now). */
static int tm_arg(const char *fname, TwObject *const *args, size_t nargs, struct tm *tm)
{
    if (nargs == 0) {
        time_t now = time(NULL);
        localtime_r(&now, tm);
        return 0;
    }
    return tm_from_tuple(fname, args[0], tm);
}

static TwObject *time_mktime(TwObject *m, TwObject *arg)
{
    struct tm tm;
    if (tm_from_tuple("mktime", arg, &tm) < 0)
        return NULL;
    tm.tm_wday = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1) {
        tw_err_set_string(&tw_exc_OverflowError, "mktime argument out of range");
        return NULL;
    }
    return tw_float_from_double((double)t);
}

/* strftime(format[, t]) through the C library, growing the buffer until
 * the text fits. */
static TwObject *time_strftime(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("strftime", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "strftime expected %s, got %zu",
                      nargs < 1 ? "at least 1 argument" : "at most 2 arguments", nargs);
        return NULL;
    }
    if (!tw_str_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "strftime() argument 1 must be str, not %s",
                      TW_TYPE(args[0])->tp_name);
        return NULL;
    }
    struct tm tm;
    if (tm_arg("strftime", args + 1, nargs - 1, &tm) < 0)
        return NULL;
    const char *fmt = tw_str_utf8(args[0]);
    if (fmt[0] == '\0')
        return tw_str_from_cstr("");
    for (size_t cap = 256; cap <= 256 * 1024; cap *= 4) {
        char *buf = tw_mem_malloc(cap);
        if (buf == NULL)
            return tw_err_no_memory();
        size_t n = strftime(buf, cap, fmt, &tm);
        if (n > 0) {
            TwObject *res = tw_str_from_utf8(buf, n);
            tw_mem_free(buf);
            return res;
        }
        tw_mem_free(buf);
    }
    return tw_str_from_cstr("");
}

/* "Thu Jan  1 00:00:00 1970" */
static TwObject *format_asctime(const struct tm *tm)
{
    static const char days[] = "MonTueWedThuFriSatSun",
                      months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int wday = (tm->tm_wday + 6) % 7, mon = tm->tm_mon;
    if (wday < 0 || mon < 0 || mon > 11) {
        tw_err_set_string(&tw_exc_ValueError, "month out of range");
        return NULL;
    }
    return tw_str_from_format("%.3s %.3s%3d %.2d:%.2d:%.2d %d", days + 3 * wday, months + 3 * mon,
                              tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_year + 1900);
}

static TwObject *time_asctime(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    struct tm tm;
    if (tw_arg_no_kwargs("asctime", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "asctime expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (tm_arg("asctime", args, nargs, &tm) < 0)
        return NULL;
    return format_asctime(&tm);
}

static TwObject *time_ctime(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    time_t when;
    struct tm tm;
    if (tw_arg_no_kwargs("ctime", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "ctime expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (seconds_arg(args, nargs, &when) < 0)
        return NULL;
    if (localtime_r(&when, &tm) == NULL) {
        tw_err_set_string(&tw_exc_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return format_asctime(&tm);
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
    {"gmtime", FN(time_gmtime), TW_METH_FASTCALL, "UTC calendar time as a struct_time."},
    {"localtime", FN(time_localtime), TW_METH_FASTCALL, "Local calendar time as a struct_time."},
    {"mktime", FN(time_mktime), TW_METH_O, "Seconds since the Epoch of a local time tuple."},
    {"strftime", FN(time_strftime), TW_METH_FASTCALL, "Format a time tuple."},
    {"asctime", FN(time_asctime), TW_METH_FASTCALL, "'Thu Jan  1 00:00:00 1970' of a tuple."},
    {"ctime", FN(time_ctime), TW_METH_FASTCALL, "asctime(localtime(secs))."},
    {NULL, NULL, 0, NULL},
};

static TwObject *time_module_create(void)
{
    TwObject *m = tw_module_new_cstr("time");
    if (m == NULL)
        return NULL;
    if (tw_module_add_functions(m, time_functions) < 0 ||
        tw_module_add_object(m, "struct_time", (TwObject *)&struct_time_type) < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_time_init(void)
{
    if (tw_type_ready(&struct_time_type) < 0)
        return -1;
    if (tw_module_register_builtin("time", time_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
