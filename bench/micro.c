/* Micro-benchmarks of the operations whose cost differs between the GIL
 * build and the free-threaded build: reference counting by the owner and by
 * another thread, the one-byte mutex, critical sections, object allocation,
 * and appends to one list shared by one or two threads.
 *
 * The same source builds into build/gil/tw_micro and build/nogil/tw_micro;
 * bench/micro-compare runs the two interleaved and tabulates them.
 *
 * Output, one line per item, fields separated by a TAB:
 *   # comment
 *   build          <TW_BUILD_NAME>
 *   allocator      <tw_alloc_name()>
 *   gil_enabled    0|1
 *   header_bytes   <sizeof(TwObject)>
 *   reps           <timed repetitions per metric>
 *   target_ms      <length of one timed repetition>
 *   <metric>       <value>  <unit>        (unit: ns, Mops/s or count)
 *
 * Method.  Each metric is a loop.  The iteration count is calibrated so that
 * one repetition lasts about target_ms; then `reps` repetitions are timed
 * with CLOCK_MONOTONIC.  The single-thread loops report the best repetition
 * (the run least disturbed by the machine); the list appends, which start
 * threads and may contend, report the median, since their spread is part of
 * what they measure.  A compiler
 * barrier after every step keeps the compiler from merging an incref with
 * the decref that follows it or deleting the loop: each step reads and
 * writes the object's header in memory, as it would between two calls of
 * real code.  empty_loop is the cost of the loop and barriers alone.
 *
 * Options:
 *   --quick       short repetitions (10 ms, 3 of them): a smoke test
 *   --scale=F     multiply the repetition length by F
 *   --reps=N      timed repetitions per metric (default 5) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <twinpy/twinpy.h>

/* Forces every value the loop touched out to memory and back. */
#define clobber() __asm__ volatile("" ::: "memory")

static struct {
    double target_ns; /* length of one timed repetition */
    int reps;
} cfg = {50e6, 5};

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "tw_micro: %s\n", what);
    exit(1);
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ---- the harness ------------------------------------------------------------ */

/* A benchmark body: runs n operations on ctx and returns the elapsed ns. */
typedef double (*bench_fn)(void *ctx, long n);

/* Grow n until one run lasts a useful fraction of the target, then scale it
 * to the target. */
static long calibrate(bench_fn fn, void *ctx)
{
    long n = 1000;
    for (;;) {
        double t = fn(ctx, n);
        if (t >= cfg.target_ns / 8 || n >= (1L << 34)) {
            double scaled = (double)n * cfg.target_ns / (t > 1 ? t : 1);
            return scaled < 1000 ? 1000 : (long)scaled;
        }
        n *= 4;
    }
}

/* Best ns per operation over cfg.reps calibrated repetitions. */
static double measure(bench_fn fn, void *ctx)
{
    long n = calibrate(fn, ctx);
    double best = 0;
    for (int r = 0; r < cfg.reps; r++) {
        double per_op = fn(ctx, n) / (double)n;
        if (r == 0 || per_op < best)
            best = per_op;
    }
    return best;
}

static void report(const char *name, double value, const char *unit)
{
    printf("%s\t%.3f\t%s\n", name, value, unit);
    fflush(stdout);
}

/* ---- single-thread bodies ------------------------------------------------------ */

static double body_empty(void *ctx, long n)
{
    (void)ctx;
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++)
        clobber();
    return (double)(now_ns() - t0);
}

/* One incref and one decref of ctx; the caller holds another reference, so
 * the decref never frees. */
static double body_incref_decref(void *ctx, long n)
{
    TwObject *op = ctx;
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        tw_incref(op);
        clobber();
        tw_decref(op);
        clobber();
    }
    return (double)(now_ns() - t0);
}

static double body_mutex(void *ctx, long n)
{
    TwMutex *m = ctx;
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        tw_mutex_lock(m);
        clobber();
        tw_mutex_unlock(m);
        clobber();
    }
    return (double)(now_ns() - t0);
}

/* A plain block in the GIL build: the measurement shows what the
 * free-threaded build pays for the same source line. */
static double body_critical_section(void *ctx, long n)
{
    TwObject *op = ctx;
    (void)op; /* unused where the section is a plain block */
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        TW_BEGIN_CRITICAL_SECTION(op);
        clobber();
        TW_END_CRITICAL_SECTION();
        clobber();
    }
    return (double)(now_ns() - t0);
}

static double body_alloc_object(void *ctx, long n)
{
    (void)ctx;
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        TwObject *op = tw_object_new(&tw_object_type, 0);
        if (op == NULL)
            die("tw_object_new failed");
        clobber();
        tw_decref(op);
    }
    return (double)(now_ns() - t0);
}

static double body_alloc_float(void *ctx, long n)
{
    (void)ctx;
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        TwObject *op = tw_float_from_double((double)i);
        if (op == NULL)
            die("tw_float_from_double failed");
        clobber();
        tw_decref(op);
    }
    return (double)(now_ns() - t0);
}

/* ---- incref/decref by a thread that does not own the object --------------------- */

typedef struct {
    TwObject *op; /* created (and owned) by the main thread */
    double result;
} NonOwnerArgs;

/* Runs the whole measurement in a second thread with its own thread state.
 * The main thread waits detached, so in the GIL build this thread holds the
 * GIL undisturbed. */
static void *nonowner_main(void *p)
{
    NonOwnerArgs *a = p;
    TwGILState g = tw_gilstate_ensure();
    a->result = measure(body_incref_decref, a->op);
    tw_gilstate_release(g);
    return NULL;
}

static double measure_nonowner(TwObject *op)
{
    NonOwnerArgs a = {op, 0};
    pthread_t tid;
    TW_BEGIN_ALLOW_THREADS
    if (pthread_create(&tid, NULL, nonowner_main, &a) != 0)
        die("pthread_create failed");
    pthread_join(tid, NULL);
    TW_END_ALLOW_THREADS
    return a.result;
}

/* ---- appends to one shared list ------------------------------------------------ *
 *
 * Each of `nthreads` raw pthreads binds a thread state (tw_gilstate_ensure),
 * makes its own item (a float it owns, so the list's incref of it takes the
 * owner's path), detaches to wait at a barrier, and once released appends
 * the item `m` times to the one list, passing an eval-breaker check point
 * after every append as an interpreter loop would at its backward jump.  In
 * the GIL build that check point is where a thread hands the GIL over when
 * the other asks; in the free-threaded build both threads append at once and
 * meet on the list's mutex.  Wall time runs from the first thread leaving
 * the barrier to the last one finishing.
 *
 * Every repetition starts from an empty list: a fresh one, released (and so
 * cleared) untimed afterwards.  Two variants:
 *   list_append_*          the list starts with no room and grows as it
 *                          goes, so the time includes allocating, copying
 *                          and first touching ever larger item arrays;
 *   list_append_presized_* the list starts with room for every item, so
 *                          the time is the append and its locking alone. */

typedef struct {
    TwObject *list;
    long m;
    int index;
    pthread_barrier_t *barrier;
    int64_t t0, t1;
} AppendArgs;

static void *append_main(void *p)
{
    AppendArgs *a = p;
    TwGILState g = tw_gilstate_ensure();
    TwObject *item = tw_float_from_double((double)a->index);
    if (item == NULL)
        die("tw_float_from_double failed");
    TW_BEGIN_ALLOW_THREADS
    pthread_barrier_wait(a->barrier);
    a->t0 = now_ns();
    TW_END_ALLOW_THREADS
    for (long i = 0; i < a->m; i++) {
        if (tw_list_append(a->list, item) < 0)
            die("tw_list_append failed");
        if (tw_eval_breaker_check() < 0)
            die("unexpected exception at an eval-breaker check point");
    }
    a->t1 = now_ns();
    tw_decref(item);
    tw_gilstate_release(g);
    return NULL;
}

/* One repetition: wall-clock ns for nthreads x m appends to a fresh list. */
static double run_appends(int nthreads, long m, int presized)
{
    pthread_t tids[8];
    AppendArgs args[8];
    pthread_barrier_t barrier;
    if (nthreads > 8 || pthread_barrier_init(&barrier, NULL, (unsigned)nthreads) != 0)
        die("pthread_barrier_init failed");
    TwObject *list = tw_list_new(presized ? (intptr_t)nthreads * m : 0);
    if (list == NULL)
        die("tw_list_new failed");
    TW_BEGIN_ALLOW_THREADS
    for (int i = 0; i < nthreads; i++) {
        args[i] = (AppendArgs){list, m, i, &barrier, 0, 0};
        if (pthread_create(&tids[i], NULL, append_main, &args[i]) != 0)
            die("pthread_create failed");
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(tids[i], NULL);
    TW_END_ALLOW_THREADS
    pthread_barrier_destroy(&barrier);
    if (tw_list_size(list) != (intptr_t)nthreads * m)
        die("the shared list lost appends");
    tw_decref(list);
    int64_t t0 = args[0].t0, t1 = args[0].t1;
    for (int i = 1; i < nthreads; i++) {
        if (args[i].t0 < t0)
            t0 = args[i].t0;
        if (args[i].t1 > t1)
            t1 = args[i].t1;
    }
    return (double)(t1 - t0);
}

static double body_append_1t(void *ctx, long n)
{
    return run_appends(1, n, *(int *)ctx);
}

/* Appends per thread that make one single-thread repetition last about the
 * target, capped so that the two-thread list stays within 64 MiB of item
 * array. */
static long calibrate_appends(int presized)
{
    const long cap = 4L << 20;
    long m = calibrate(body_append_1t, &presized);
    return m < cap ? m : cap;
}

/* Reports ns per append (wall time / total appends), the total throughput
 * and, for two threads, how often the GIL changed hands per repetition.
 * One untimed repetition first lets the allocator settle. */
static void measure_appends(int nthreads, long m, int presized)
{
    double wall[64], switches[64];
    int reps = cfg.reps < 64 ? cfg.reps : 64;
    (void)run_appends(nthreads, m, presized);
    for (int r = 0; r < reps; r++) {
        uint64_t s0 = tw_gil_switch_count();
        wall[r] = run_appends(nthreads, m, presized);
        switches[r] = (double)(tw_gil_switch_count() - s0);
    }
    qsort(wall, (size_t)reps, sizeof(double), cmp_double);
    qsort(switches, (size_t)reps, sizeof(double), cmp_double);
    double median = wall[reps / 2];
    double total = (double)nthreads * (double)m;
    const char *variant = presized ? "_presized" : "";
    char name[64];
    snprintf(name, sizeof name, "list_append%s_%dt", variant, nthreads);
    report(name, median / total, "ns");
    snprintf(name, sizeof name, "list_append%s_%dt_throughput", variant, nthreads);
    report(name, total / median * 1e3, "Mops/s");
    if (nthreads > 1) {
        snprintf(name, sizeof name, "list_append%s_%dt_gil_switches", variant, nthreads);
        report(name, switches[reps / 2], "count");
    }
}

/* ---- main --------------------------------------------------------------------- */

static void usage(void)
{
    fputs("usage: tw_micro [--quick] [--scale=F] [--reps=N]\n", stderr);
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0) {
            cfg.target_ns = 10e6;
            cfg.reps = 3;
        } else if (strncmp(a, "--scale=", 8) == 0) {
            double f = atof(a + 8);
            if (!(f > 0))
                usage();
            cfg.target_ns *= f;
        } else if (strncmp(a, "--reps=", 7) == 0) {
            cfg.reps = atoi(a + 7);
            if (cfg.reps < 1)
                usage();
        } else {
            usage();
        }
    }
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    if (tw_runtime_init() != 0)
        die("tw_runtime_init failed");

    printf("# twinpy micro-benchmarks; ns per operation: best of reps (thread "
           "benchmarks: median)\n");
    printf("build\t%s\n", TW_BUILD_NAME);
    printf("allocator\t%s\n", tw_alloc_name());
    printf("gil_enabled\t%d\n", tw_gil_is_enabled());
    printf("header_bytes\t%zu\n", sizeof(TwObject));
    printf("reps\t%d\n", cfg.reps);
    printf("target_ms\t%.1f\n", cfg.target_ns / 1e6);
    fflush(stdout);

    TwObject *obj = tw_object_new(&tw_object_type, 0);
    if (obj == NULL)
        die("tw_object_new failed");

    report("empty_loop", measure(body_empty, NULL), "ns");
    report("incref_decref_owner", measure(body_incref_decref, obj), "ns");
    report("incref_decref_other_thread", measure_nonowner(obj), "ns");

    TwMutex mutex = {0};
    report("mutex_lock_unlock", measure(body_mutex, &mutex), "ns");
    report("critical_section", measure(body_critical_section, obj), "ns");
    report("alloc_free_object", measure(body_alloc_object, NULL), "ns");
    report("alloc_free_float", measure(body_alloc_float, NULL), "ns");

    /* Two threads each do as many appends as one: twice the work. */
    for (int presized = 0; presized <= 1; presized++) {
        long m = calibrate_appends(presized);
        measure_appends(1, m, presized);
        measure_appends(2, m, presized);
    }

    tw_decref(obj);
    tw_runtime_fini();
    return 0;
}
