/* Weak scaling of one Python function run by several threads at once.
 *
 * The program compiles a small CPU-bound kernel into a __main__ module and
 * calls the same function object, kernel(n), from 1 and from 2 pthreads,
 * each with its own thread state and each doing the full work.  With no
 * contention between the threads, two threads take as long as one (a
 * ratio of 1.0, a weak-scaling speedup of 2.0); every shared cache line
 * that both threads write (a reference count, a lock, a counter) raises it.
 *
 * The kernel calls a module-level function and the methods of a class
 * instance, creates an instance every iteration, reads module globals,
 * indexes a shared list and calls the builtins len and range: the objects
 * every thread running the same code touches.
 *
 * Method.  The worker threads are started once and wait detached between
 * runs; objects made by the main thread (the function, its code, the
 * class, the list) are thereby owned by a thread that runs no Python code,
 * so both workers take the non-owner's paths, as threads started by
 * threading do on objects of the main module.  Before the workers start,
 * the main thread calls tw_eval_threads_starting() as threading's start()
 * does (--no-start-hook leaves that out).  Each round runs the one-thread
 * and the two-thread configuration back to back (their order alternating)
 * so that drifts of the machine hit both alike; the figures are medians
 * over the rounds:
 *   wall   from releasing the workers until the last one finished;
 *   cpu    each worker's CLOCK_THREAD_CPUTIME_ID over its call, averaged
 *          over the workers of the run.
 * The CPU ratio is robust on a loaded machine (it counts the cycles spent,
 * contention included, but not the time waiting for a core); the wall
 * ratio is the user-visible one and needs two idle cores.
 *
 * Output, one item per line, fields separated by a TAB (as bench/micro.c):
 *   build, gil_enabled, n, rounds, checksum
 *   wall_1 / wall_2 (ms), cpu_1 / cpu_2 (ms, per thread), wall_ratio,
 *   cpu_ratio, speedup (2 * wall_1 / wall_2)
 *
 * Options:
 *   --n=N          kernel iterations per call (default 300000)
 *   --rounds=R     interleaved rounds (default 7)
 *   --file=PATH    run PATH's kernel(n) instead of the built-in kernel
 *   --no-start-hook  do not call tw_eval_threads_starting() */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <twinpy/module.h>
#include <twinpy/twinpy.h>

#include "core/builtins.h"
#include "core/compile.h"
#include "core/eval.h"

static const char kernel_source[] =
    "class Vec:\n"
    "    def __init__(self, x, y):\n"
    "        self.x = x\n"
    "        self.y = y\n"
    "    def dot(self, other):\n"
    "        return self.x * other.x + self.y * other.y\n"
    "    def norm1(self):\n"
    "        return abs(self.x) + abs(self.y)\n"
    "\n"
    "SCALE = 7\n"
    "MASK = 63\n"
    "TABLE = [i * 3 % 17 for i in range(64)]\n"
    "\n"
    "def mix(a, b):\n"
    "    return (a * SCALE + b) & 0xFFFF\n"
    "\n"
    "def kernel(n):\n"
    "    v = Vec(1, 2)\n"
    "    acc = 0\n"
    "    for i in range(n):\n"
    "        w = Vec(i & 7, 3)\n"
    "        acc = mix(acc, TABLE[i & MASK])\n"
    "        acc += v.dot(w) + w.norm1()\n"
    "        if len(TABLE) != 64:\n"
    "            acc = -1\n"
    "    return acc\n";

#define NWORKERS 2

static _Noreturn void die(const char *what)
{
    if (tw_err_occurred()) {
        TwObject *exc = tw_err_fetch();
        TwObject *s = tw_object_str(exc);
        fprintf(stderr, "tw_scale: %s: %s: %s\n", what, TW_TYPE(exc)->tp_name,
                s ? tw_str_utf8(s) : "?");
    } else {
        fprintf(stderr, "tw_scale: %s\n", what);
    }
    exit(1);
}

static int64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- the workers ------------------------------------------------------------------------- */

static struct {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int generation; /* bumped to start a run */
    int active;     /* workers 0 .. active-1 take part in the current run */
    int running;    /* workers of the current run not yet finished */
    int quit;
    TwObject *func; /* kernel */
    TwObject *arg;  /* n */
    int64_t end_ns[NWORKERS];
    int64_t cpu_ns[NWORKERS];
    int64_t result[NWORKERS];
} ctl = {.mutex = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void *worker_main(void *p)
{
    int index = (int)(intptr_t)p;
    TwThreadState *ts = tw_thread_state_new_current();
    if (ts == NULL)
        die("no thread state");
    int seen = 0;
    for (;;) {
        tw_thread_detach(ts);
        pthread_mutex_lock(&ctl.mutex);
        while (!ctl.quit && (ctl.generation == seen || index >= ctl.active)) {
            if (ctl.generation != seen)
                seen = ctl.generation; /* a run without this worker */
            pthread_cond_wait(&ctl.cond, &ctl.mutex);
        }
        seen = ctl.generation;
        int quit = ctl.quit;
        pthread_mutex_unlock(&ctl.mutex);
        tw_thread_attach(ts);
        if (quit)
            break;
        int64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        TwObject *r = tw_object_call_one(ctl.func, ctl.arg);
        int64_t c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        int64_t end = clock_ns(CLOCK_MONOTONIC);
        if (r == NULL)
            die("kernel raised");
        int64_t value = tw_int_as_i64(r);
        tw_decref(r);
        pthread_mutex_lock(&ctl.mutex);
        ctl.end_ns[index] = end;
        ctl.cpu_ns[index] = c1 - c0;
        ctl.result[index] = value;
        if (--ctl.running == 0)
            pthread_cond_broadcast(&ctl.cond);
        pthread_mutex_unlock(&ctl.mutex);
    }
    tw_thread_state_delete_current();
    return NULL;
}

/* One run on `nthreads` workers: the wall time and the mean per-thread CPU
 * time in ms. */
static void run_once(int nthreads, double *wall_ms, double *cpu_ms, int64_t expect)
{
    int64_t start;
    TW_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&ctl.mutex);
    ctl.active = nthreads;
    ctl.running = nthreads;
    ctl.generation++;
    start = clock_ns(CLOCK_MONOTONIC);
    pthread_cond_broadcast(&ctl.cond);
    while (ctl.running > 0)
        pthread_cond_wait(&ctl.cond, &ctl.mutex);
    pthread_mutex_unlock(&ctl.mutex);
    TW_END_ALLOW_THREADS
    int64_t end = 0, cpu = 0;
    for (int i = 0; i < nthreads; i++) {
        if (ctl.result[i] != expect)
            die("a worker computed a different result");
        if (ctl.end_ns[i] > end)
            end = ctl.end_ns[i];
        cpu += ctl.cpu_ns[i];
    }
    *wall_ms = (double)(end - start) / 1e6;
    *cpu_ms = (double)cpu / nthreads / 1e6;
}

/* ---- setup ---------------------------------------------------------------------------------- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
        exit(1);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* A __main__ module registered in sys.modules, as the twinpy command makes,
 * holding the kernel's definitions; returns kernel (a new reference). */
static TwObject *load_kernel(const char *source, const char *filename)
{
    if (tw_compile_types_ready() < 0)
        die("VM initialisation failed");
    TwObject *m = tw_module_new_cstr("__main__");
    TwObject *builtins = tw_builtins_dict();
    if (m == NULL || builtins == NULL || tw_module_add_object(m, "__builtins__", builtins) < 0)
        die("cannot make __main__");
    tw_decref(builtins);
    TwObject *modules = tw_sys_get_modules();
    if (modules == NULL || tw_dict_set_item_cstr(modules, "__main__", m) < 0)
        die("cannot register __main__");
    tw_decref(modules);
    TwObject *code = tw_compile_source(source, strlen(source), filename);
    if (code == NULL)
        die("kernel does not compile");
    TwObject *g = tw_module_dict_borrowed(m);
    TwObject *r = tw_eval_code(code, g, g);
    if (r == NULL)
        die("kernel module raised");
    tw_decref(r);
    tw_decref(code);
    TwObject *func = NULL;
    if (tw_dict_get_item_cstr_ref(g, "kernel", &func) != 1)
        die("no function kernel(n)");
    tw_decref(m); /* sys.modules keeps it */
    return func;
}

int main(int argc, char **argv)
{
    long n = 300000;
    int rounds = 7, start_hook = 1;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--n=", 4) == 0)
            n = atol(argv[i] + 4);
        else if (strncmp(argv[i], "--rounds=", 9) == 0)
            rounds = atoi(argv[i] + 9);
        else if (strncmp(argv[i], "--file=", 7) == 0)
            file = argv[i] + 7;
        else if (strcmp(argv[i], "--no-start-hook") == 0)
            start_hook = 0;
        else {
            fprintf(stderr, "usage: %s [--n=N] [--rounds=R] [--file=PATH] [--no-start-hook]\n",
                    argv[0]);
            return 2;
        }
    }
    if (n < 1 || rounds < 1 || rounds > 1000)
        die("bad --n or --rounds");
    if (tw_runtime_init() < 0)
        die("tw_runtime_init failed");
    char *source = file ? read_file(file) : NULL;
    if (file && source == NULL)
        die("cannot read --file");
    ctl.func = load_kernel(source ? source : kernel_source, file ? file : "<scale>");
    ctl.arg = tw_int_from_i64(n);

    /* The expected result, and a warm-up of the inline caches. */
    TwObject *r = tw_object_call_one(ctl.func, ctl.arg);
    if (r == NULL)
        die("kernel raised");
    int64_t expect = tw_int_as_i64(r);
    tw_decref(r);

    if (start_hook)
        tw_eval_threads_starting();
    pthread_t tids[NWORKERS];
    for (int i = 0; i < NWORKERS; i++)
        if (pthread_create(&tids[i], NULL, worker_main, (void *)(intptr_t)i) != 0)
            die("pthread_create failed");

    printf("build\t%s\n", TW_BUILD_NAME);
    printf("gil_enabled\t%d\n", tw_gil_is_enabled());
    printf("n\t%ld\n", n);
    printf("rounds\t%d\n", rounds);
    printf("checksum\t%lld\n", (long long)expect);
    fflush(stdout);

    double *w1 = calloc((size_t)rounds, sizeof(double)), *w2 = calloc((size_t)rounds, sizeof(double));
    double *c1 = calloc((size_t)rounds, sizeof(double)), *c2 = calloc((size_t)rounds, sizeof(double));
    double *wr = calloc((size_t)rounds, sizeof(double)), *cr = calloc((size_t)rounds, sizeof(double));
    double dummy_w, dummy_c;
    run_once(1, &dummy_w, &dummy_c, expect); /* the workers' own caches and heaps */
    run_once(2, &dummy_w, &dummy_c, expect);
    for (int k = 0; k < rounds; k++) {
        if (k % 2 == 0) {
            run_once(1, &w1[k], &c1[k], expect);
            run_once(2, &w2[k], &c2[k], expect);
        } else {
            run_once(2, &w2[k], &c2[k], expect);
            run_once(1, &w1[k], &c1[k], expect);
        }
        wr[k] = w2[k] / w1[k];
        cr[k] = c2[k] / c1[k];
        printf("# round %d: wall %.1f / %.1f ms, cpu %.1f / %.1f ms\n", k, w1[k], w2[k], c1[k],
               c2[k]);
        fflush(stdout);
    }
    double mw1 = median(w1, rounds), mw2 = median(w2, rounds);
    printf("wall_1\t%.1f\tms\n", mw1);
    printf("wall_2\t%.1f\tms\n", mw2);
    printf("cpu_1\t%.1f\tms\n", median(c1, rounds));
    printf("cpu_2\t%.1f\tms\n", median(c2, rounds));
    printf("wall_ratio\t%.3f\n", median(wr, rounds));
    printf("cpu_ratio\t%.3f\n", median(cr, rounds));
    printf("speedup\t%.3f\n", 2 * mw1 / mw2);

    TW_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&ctl.mutex);
    ctl.quit = 1;
    pthread_cond_broadcast(&ctl.cond);
    pthread_mutex_unlock(&ctl.mutex);
    for (int i = 0; i < NWORKERS; i++)
        pthread_join(tids[i], NULL);
    TW_END_ALLOW_THREADS
    free(source);
    return 0;
}
