/* libFuzzer target: bytes -> tokenizer -> parser -> compiler -> eval loop.
 *
 * Each input is a UTF-8 source file (or anything else: invalid UTF-8, NUL
 * bytes and unbalanced brackets are inputs like the others).  It is
 * compiled and, if that succeeds, run as a fresh __main__ module; then the
 * runtime is put back as it was.  A Python exception, SyntaxError included,
 * is a normal outcome: it is printed as an uncaught exception would be (the
 * traceback printer is part of what is fuzzed) and dropped.  What counts is
 * a crash: a sanitizer report, a fatal error of the runtime (tw_fatal: a
 * broken invariant), a failed assertion (TWINPY_DEBUG), a hang.
 *
 * Bounding a run.  The eval loop has no step budget; it has check points
 * (function entry, backward jumps) that serve asynchronous exceptions.  A
 * watchdog thread, armed for each input, asks the main thread to raise
 * FuzzDeadline (a KeyboardInterrupt) once the input has used TW_FUZZ_CPU_MS
 * of CPU time, or TW_FUZZ_WALL_MS of wall-clock time for programs that sleep
 * or block.  Creating a FuzzDeadline asks for the next one, so from then on
 * every check point raises: `except BaseException:` may catch one, but the
 * loop's backward jump or the next call raises again, and every loop and
 * every recursion ends.  (Asking again from the watchdog every millisecond
 * is not enough: `while 1: try: while 1: pass / except: pass` spends its
 * time in the inner loop, which takes each request, and the outer jump
 * almost never sees one.)  CPU time rather than wall-clock time, so that how
 * far a slow input gets does not depend on the machine's load (two fuzzing
 * processes on two cores, a build beside them).  The recursion limit is lowered to
 * TW_FUZZ_RECURSION_LIMIT.  Memory: single allocations above
 * max_allocation_size_mb fail (ASan returns NULL, the runtime raises
 * MemoryError), and libFuzzer's -rss_limit_mb catches slow growth.  A hang
 * in C code with no check point (a huge int power, say) ends at libFuzzer's
 * -timeout and is reported as a timeout.
 *
 * Determinism.  State a program can leave behind is reset before each input:
 * the builtins dict, the sys module's dict, sys.modules, sys.path, sys.argv,
 * the recursion limit, the int-to-str digit limit and the switch interval.
 * Where a long input is interrupted still varies a little from run to run
 * (the CPU clock is sampled, the interrupt is served at the next check
 * point), so a crash that needs a long run can be flaky: give its
 * reproducer some margin.
 *
 * Side effects.  stdin reads /dev/null and stdout goes to /dev/null (the
 * runtime writes fd 1 directly).  stderr stays, so that sanitizer reports
 * are seen; `make fuzz` passes -close_fd_mask=2 to send the fuzzed
 * programs' tracebacks to /dev/null while libFuzzer keeps its own output.
 * Files a program opens for writing land in the working directory, which
 * the target leaves alone (libFuzzer resolves its corpus and artifact paths
 * against it): run.sh starts it in build/fuzz/tmp with absolute paths. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/builtins.h"
#include "core/compile.h"
#include "core/eval.h"
#include "core/import.h"
#include <twinpy/twinpy.h>
#include <twinpy/module.h>

#if !defined(TW_FUZZ_CPU_MS)
#define TW_FUZZ_CPU_MS 200 /* CPU time of one input before it is interrupted */
#endif
#if !defined(TW_FUZZ_WALL_MS)
#define TW_FUZZ_WALL_MS 2000 /* wall-clock time of one input before it is interrupted */
#endif
#if !defined(TW_FUZZ_REPEAT_MS)
#define TW_FUZZ_REPEAT_MS 10 /* after the deadline, the watchdog asks again this often */
#endif
#if !defined(TW_FUZZ_RECURSION_LIMIT)
#define TW_FUZZ_RECURSION_LIMIT 200
#endif
#define TW_DEFAULT_MAX_STR_DIGITS 4300 /* CPython's and twinpy's default */
#define TW_DEFAULT_SWITCH_US      5000

/* Sanitizer settings compiled into the binary, so that replaying a crash
 * (`tw_fuzz_pipeline crash-file`) behaves as the fuzzing run did; the
 * environment (ASAN_OPTIONS, UBSAN_OPTIONS) still overrides them.
 *   - allocator_may_return_null + max_allocation_size_mb: `'a' * 10**10`
 *     gets NULL from malloc and must raise MemoryError, not abort.  128 MiB:
 *     building and copying an object of a few hundred MiB takes seconds
 *     under ASan, enough to pass -timeout on a loaded machine;
 *   - detect_leaks=0: twinpy has no cycle collector, so every reference
 *     cycle leaks by design, and common programs make one: `l.append(l)`,
 *     a nested function that calls itself (its closure cell holds it), an
 *     exception whose __context__ leads back to it.  LeakSanitizer reports
 *     each (interned strings and immortal objects stay reachable from
 *     globals and are not reported).  To look for real leaks anyway, run
 *     with ASAN_OPTIONS=detect_leaks=1 and -detect_leaks=1 and skip the
 *     cycles. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=128:detect_leaks=0:"
           "handle_abort=1:print_summary=1";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
    return "print_stacktrace=1:halt_on_error=1";
}

/* A failure of the harness itself, not of the input: stop loudly. */
static void die_with_exception(const char *what)
{
    fprintf(stderr, "fuzz_pipeline: %s failed\n", what);
    TwObject *exc = tw_err_fetch();
    if (exc != NULL)
        tw_handle_uncaught(exc);
    abort();
}

/* ---- the watchdog ---------------------------------------------------------------------------
 *
 * All fields are protected by wd.mu.  The watchdog is a plain pthread, not
 * a runtime thread: it touches no object, only the main thread state's
 * async-exception slot and eval-breaker word, which are atomic and meant to
 * be set from any thread (tw_thread_set_async_exc). */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* signalled when armed or disarmed */
    int armed;
    _Atomic int expired;   /* the deadline has passed: also read without wd.mu, by deadline_init */
    int64_t cpu_start_ns;  /* the main thread's CPU clock when armed */
    int64_t wall_limit_ns; /* CLOCK_MONOTONIC: interrupt from then on, whatever the CPU time */
    clockid_t cpu_clock;   /* immutable after init: the main thread's CPU-time clock */
    TwThreadState *ts;     /* immutable after init: the thread that runs inputs */
    uint64_t interrupts;   /* KeyboardInterrupts requested, for the statistics */
} wd = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int64_t clock_ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static struct timespec timespec_of(int64_t ns)
{
    struct timespec t = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
    return t;
}

/* FuzzDeadline(KeyboardInterrupt): what the watchdog raises.  The eval
 * breaker creates one (tp_new, then tp_init) at the check point that serves
 * the request; its tp_init asks for the next while the deadline is past, so
 * every later check point of the input raises too. */
static TwType deadline_type;

static int deadline_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (atomic_load(&wd.expired))
        tw_thread_set_async_exc(wd.ts, &deadline_type);
    return deadline_type.tp_base->tp_init(self, args, nargs, kwnames);
}

static TwType deadline_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "FuzzDeadline",
    .tp_flags = TW_TPFLAGS_EXCEPTION,
    .tp_base = &tw_exc_KeyboardInterrupt,
    .tp_init = deadline_init,
};

/* Sleep until armed; then sleep until the CPU budget could be spent (the
 * main thread cannot use more CPU time than wall-clock time), look at its
 * CPU clock, and so on; once the budget or the wall-clock limit is spent,
 * request an interrupt every TW_FUZZ_REPEAT_MS until disarmed.  Every
 * decision re-reads the state under the mutex, so an input that is disarmed
 * and the next one armed while the watchdog slept is never interrupted
 * early. */
static void *watchdog_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd.mu);
    for (;;) {
        if (!wd.armed) {
            pthread_cond_wait(&wd.cv, &wd.mu);
            continue;
        }
        int64_t now = clock_ns(CLOCK_MONOTONIC);
        int64_t left = (int64_t)TW_FUZZ_CPU_MS * 1000000 - (clock_ns(wd.cpu_clock) - wd.cpu_start_ns);
        if (left > 0 && now < wd.wall_limit_ns) {
            int64_t wake = now + left < wd.wall_limit_ns ? now + left : wd.wall_limit_ns;
            struct timespec t = timespec_of(wake);
            pthread_cond_timedwait(&wd.cv, &wd.mu, &t);
            continue;
        }
        atomic_store(&wd.expired, 1);
        tw_thread_set_async_exc(wd.ts, &deadline_type);
        wd.interrupts++;
        struct timespec again = timespec_of(now + (int64_t)TW_FUZZ_REPEAT_MS * 1000000);
        pthread_cond_timedwait(&wd.cv, &wd.mu, &again);
    }
    return NULL;
}

static void watchdog_arm(void)
{
    pthread_mutex_lock(&wd.mu);
    wd.cpu_start_ns = clock_ns(wd.cpu_clock);
    wd.wall_limit_ns = clock_ns(CLOCK_MONOTONIC) + (int64_t)TW_FUZZ_WALL_MS * 1000000;
    wd.armed = 1;
    pthread_cond_signal(&wd.cv);
    pthread_mutex_unlock(&wd.mu);
}

/* After this returns the watchdog requests nothing more; a request it made
 * before and that no check point served yet is withdrawn. */
static void watchdog_disarm(void)
{
    pthread_mutex_lock(&wd.mu);
    wd.armed = 0;
    atomic_store(&wd.expired, 0);
    pthread_cond_signal(&wd.cv);
    pthread_mutex_unlock(&wd.mu);
    tw_thread_set_async_exc(wd.ts, NULL);
}

/* Called on the thread that will run the inputs. */
static void watchdog_start(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&wd.cv, &attr);
    pthread_condattr_destroy(&attr);
    wd.ts = tw_thread_state_get();
    if (tw_type_ready(&deadline_type) < 0 || deadline_type.tp_base->tp_init == NULL)
        die_with_exception("readying FuzzDeadline");
    pthread_t t;
    if (pthread_getcpuclockid(pthread_self(), &wd.cpu_clock) != 0 ||
        pthread_create(&t, NULL, watchdog_main, NULL) != 0) {
        fputs("fuzz_pipeline: cannot start the watchdog thread\n", stderr);
        abort();
    }
    pthread_detach(t);
}

/* ---- the state an input may change, and its reset ------------------------------------------ */

/* Copies taken once the runtime has started; owned by this file, never
 * reachable from Python code. */
static struct {
    TwObject *builtins;    /* the builtins dict (the shared one), and a copy of it */
    TwObject *builtins_copy;
    TwObject *sys;         /* the sys module's dict, and a copy of it */
    TwObject *sys_copy;
    TwObject *modules_copy; /* sys.modules */
    TwObject *path_copy;    /* sys.path */
    TwObject *argv_copy;    /* sys.argv */
} saved;

static TwObject *list_copy(TwObject *list)
{
    TwObject *copy = tw_list_new(0);
    if (copy == NULL || tw_list_extend(copy, list) < 0)
        die_with_exception("copying a list");
    return copy;
}

static TwObject *sys_entry(const char *name)
{
    TwObject *v = tw_sys_get_object(name);
    if (v == NULL)
        die_with_exception(name);
    return v;
}

static void state_save(void)
{
    saved.builtins = tw_builtins_dict();
    saved.sys = tw_module_get_dict(tw_sys_module());
    if (saved.builtins == NULL || saved.sys == NULL)
        die_with_exception("finding builtins and sys");
    saved.builtins_copy = tw_dict_copy(saved.builtins);
    saved.sys_copy = tw_dict_copy(saved.sys);
    TwObject *modules = sys_entry("modules"), *path = sys_entry("path"), *argv = sys_entry("argv");
    saved.modules_copy = tw_dict_copy(modules);
    saved.path_copy = list_copy(path);
    saved.argv_copy = list_copy(argv);
    tw_decref(modules);
    tw_decref(path);
    tw_decref(argv);
    if (saved.builtins_copy == NULL || saved.sys_copy == NULL || saved.modules_copy == NULL)
        die_with_exception("saving the runtime's state");
}

/* Put a dict back to its saved contents; the dict keeps its identity (the
 * runtime holds it).  sys.modules, sys.path and sys.argv become fresh
 * copies, so that what a program did to the old ones no longer matters. */
static void dict_restore(TwObject *d, TwObject *copy)
{
    tw_dict_clear(d);
    if (tw_dict_update(d, copy) < 0)
        die_with_exception("restoring a dict");
}

static void sys_set_fresh(const char *name, TwObject *value)
{
    if (value == NULL || tw_dict_set_item_cstr(saved.sys, name, value) < 0)
        die_with_exception(name);
    tw_decref(value);
}

static void state_restore(void)
{
    dict_restore(saved.builtins, saved.builtins_copy);
    dict_restore(saved.sys, saved.sys_copy);
    sys_set_fresh("modules", tw_dict_copy(saved.modules_copy));
    sys_set_fresh("path", list_copy(saved.path_copy));
    sys_set_fresh("argv", list_copy(saved.argv_copy));
    tw_eval_set_recursion_limit(TW_FUZZ_RECURSION_LIMIT);
    tw_int_set_max_str_digits(TW_DEFAULT_MAX_STR_DIGITS);
    tw_gil_set_interval_us(TW_DEFAULT_SWITCH_US);
}

/* ---- statistics (TWINPY_FUZZ_STATS=1) -------------------------------------------------------- */

static struct {
    uint64_t inputs, compiled, finished, raised, interrupted;
} stats;
static int stats_fd = -1; /* a copy of the original stderr, kept before libFuzzer closes it */

static void stats_print(void)
{
    pthread_mutex_lock(&wd.mu);
    uint64_t interrupts = wd.interrupts;
    pthread_mutex_unlock(&wd.mu);
    dprintf(stats_fd,
            "fuzz_pipeline: %llu inputs: %llu compiled (%llu ran to the end, %llu raised, %llu "
            "of them interrupted at the deadline); %llu interrupts requested\n",
            (unsigned long long)stats.inputs, (unsigned long long)stats.compiled,
            (unsigned long long)stats.finished, (unsigned long long)stats.raised,
            (unsigned long long)stats.interrupted, (unsigned long long)interrupts);
}

/* ---- start-up ---------------------------------------------------------------------------------- */

static void redirect(int fd, int flags)
{
    int null = open("/dev/null", flags);
    if (null < 0 || dup2(null, fd) < 0) {
        perror("fuzz_pipeline: /dev/null");
        abort();
    }
    close(null);
}

static void start_runtime(void)
{
    redirect(0, O_RDONLY);
    redirect(1, O_WRONLY);
    if (tw_runtime_init() < 0 || tw_compile_types_ready() < 0)
        die_with_exception("starting the runtime");
    state_save();
    watchdog_start();
    const char *st = getenv("TWINPY_FUZZ_STATS");
    if (st != NULL && strcmp(st, "1") == 0 && (stats_fd = dup(2)) >= 0)
        atexit(stats_print);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    start_runtime();
    return 0;
}

/* ---- one input --------------------------------------------------------------------------------- */

/* A fresh __main__ module with __builtins__, registered in sys.modules
 * (which state_restore replaces afterwards). */
static TwObject *new_main_module(void)
{
    TwObject *m = tw_module_new_cstr("__main__");
    TwObject *modules = tw_sys_get_modules();
    if (m == NULL || modules == NULL || tw_module_add_object(m, "__builtins__", saved.builtins) < 0 ||
        tw_dict_set_item_cstr(modules, "__main__", m) < 0)
        die_with_exception("making __main__");
    tw_decref(modules);
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stats.inputs++;
    state_restore();
    TwObject *main = new_main_module();

    /* Everything that may run Python code runs under the watchdog: the
     * program, the printing of its exception (__str__, __repr__) and the
     * clearing of its namespace (__del__ is not supported, but a class's
     * special methods may still run while objects die). */
    watchdog_arm();
    TwObject *code = tw_compile_source((const char *)data, size, "<fuzz>");
    if (code != NULL) {
        stats.compiled++;
        TwObject *r = tw_eval_code(code, tw_module_dict_borrowed(main),
                                   tw_module_dict_borrowed(main));
        tw_decref(code);
        if (r != NULL) {
            stats.finished++;
            tw_decref(r);
        } else {
            stats.raised++;
            if (tw_err_matches(&tw_exc_KeyboardInterrupt))
                stats.interrupted++;
        }
    }
    TwObject *exc = tw_err_fetch();
    if (exc != NULL)
        tw_handle_uncaught(exc); /* prints it (or, for SystemExit, reads its code) */
    tw_err_clear();
    /* Functions in the namespace refer back to it: clearing it breaks the
     * cycle, as a module's teardown does. */
    tw_dict_clear(tw_module_dict_borrowed(main));
    tw_decref(main);
    tw_sys_flush_stdio();
    tw_err_clear();
    watchdog_disarm();
    tw_err_clear();
    return 0;
}
