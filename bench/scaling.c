/* Weak scaling of pure-Python code: N threads each run the full work of
 * the same Python function, against one thread running it once.
 *
 *   tw_scaling [--threads=N] [--iters=K] [--rounds=R]
 *
 * The kernel (below) calls a module-level function and a method of a
 * class, reads globals and indexes a list shared by every thread: what
 * must not make threads serialise on shared objects (the function, its
 * code, the globals and builtins, the class, small ints, interned names).
 * Each thread gets its own thread state, attached for the whole call, and
 * calls the function through the C API (this runs before the threading
 * module exists and measures the interpreter alone).  For each thread
 * count from 1 to N, R rounds are timed (wall clock, from the moment all
 * threads are released until the last one finishes); the median is
 * printed with its ratio to the one-thread median.  In the free-threaded
 * build a ratio of 1.0 is perfect weak scaling; with a GIL it is about N.
 * Beside it, the median of each round's mean per-thread CPU time in
 * work(), and its ratio: on a machine shared with other jobs, wall time
 * also counts the waits for a free core, while CPU time grows only with
 * what the threads cost each other (contended cache lines, locks).
 *
 * Output: one line per thread count, TAB-separated:
 *   threads  wall_median_s  wall_ratio  cpu_median_s  cpu_ratio  checksum */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <twinpy/abstract.h>
#include <twinpy/module.h>
#include <twinpy/twinpy.h>

#include "core/eval.h"
#include "core/import.h"

static const char kernel[] = "class Acc:\n"
                             "    def __init__(self):\n"
                             "        self.total = 0\n"
                             "    def add(self, v):\n"
                             "        self.total += v\n"
                             "\n"
                             "SCALE = 3\n"
                             "TABLE = [i * 7 % 11 for i in range(64)]\n"
                             "\n"
                             "def step(x):\n"
                             "    return (x * SCALE + 1) % 1000003\n"
                             "\n"
                             "def work(n):\n"
                             "    a = Acc()\n"
                             "    x = 1\n"
                             "    for i in range(n):\n"
                             "        x = step(x)\n"
                             "        a.add(TABLE[i & 63] + x % 7)\n"
                             "    return a.total\n";

static TwObject *work_fn;
static long iters = 400000;

static pthread_mutex_t start_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static int started, released;

static _Noreturn void die(const char *what)
{
    fprintf(stderr, "tw_scaling: %s\n", what);
    exit(1);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef struct {
    pthread_t tid;
    int64_t result;
    double cpu_s; /* the thread's CPU time inside work() */
} Worker;

static double thread_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Attach, wait (detached) for the start signal, run work(iters). */
static void *worker_main(void *arg)
{
    Worker *w = arg;
    tw_thread_state_new_current();
    TwThreadState *ts = tw_save_thread();
    pthread_mutex_lock(&start_mutex);
    started++;
    pthread_cond_broadcast(&start_cond);
    while (!released)
        pthread_cond_wait(&start_cond, &start_mutex);
    pthread_mutex_unlock(&start_mutex);
    tw_restore_thread(ts);
    TwObject *n = tw_int_from_i64(iters);
    double c0 = thread_cpu_s();
    TwObject *r = n ? tw_object_vectorcall(work_fn, &n, 1, NULL) : NULL;
    w->cpu_s = thread_cpu_s() - c0;
    if (r == NULL)
        die("work() raised");
    w->result = tw_int_as_i64(r);
    tw_decref(r);
    tw_decref(n);
    tw_thread_state_delete_current();
    return NULL;
}

/* One timed run with k threads; returns the seconds, *checksum the sum
 * of the results and *cpu the mean CPU time of a thread in work(). */
static double run(int k, int64_t *checksum, double *cpu)
{
    Worker *ws = calloc((size_t)k, sizeof(Worker));
    if (ws == NULL)
        die("out of memory");
    started = released = 0;
    TwThreadState *ts = tw_save_thread();
    for (int i = 0; i < k; i++)
        if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
            die("pthread_create failed");
    pthread_mutex_lock(&start_mutex);
    while (started < k)
        pthread_cond_wait(&start_cond, &start_mutex);
    double t0 = now_s();
    released = 1;
    pthread_cond_broadcast(&start_cond);
    pthread_mutex_unlock(&start_mutex);
    *checksum = 0;
    *cpu = 0;
    for (int i = 0; i < k; i++) {
        pthread_join(ws[i].tid, NULL);
        *checksum += ws[i].result;
        *cpu += ws[i].cpu_s / k;
    }
    double dt = now_s() - t0;
    tw_restore_thread(ts);
    free(ws);
    return dt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int max_threads = 2, rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--threads=", 10) == 0)
            max_threads = atoi(argv[i] + 10);
        else if (strncmp(argv[i], "--iters=", 8) == 0)
            iters = atol(argv[i] + 8);
        else if (strncmp(argv[i], "--rounds=", 9) == 0)
            rounds = atoi(argv[i] + 9);
        else
            die("usage: tw_scaling [--threads=N] [--iters=K] [--rounds=R]");
    }
    if (max_threads < 1 || rounds < 1 || iters < 1)
        die("bad option value");
    if (tw_runtime_init() < 0)
        die("runtime init failed");
    if (tw_run_main_source(kernel, sizeof kernel - 1, "<scaling>") != 0)
        die("the kernel failed to load");
    TwObject *main_mod = tw_import_module_cstr("__main__");
    if (main_mod == NULL || tw_dict_get_item_cstr_ref(tw_module_dict_borrowed(main_mod), "work",
                                                      &work_fn) != 1)
        die("no work() in __main__");
    tw_eval_threads_starting(); /* what the threading module does before a thread starts */

    printf("# %s, %ld iterations per thread, median of %d rounds (wall clock)\n", TW_BUILD_NAME,
           iters, rounds);
    double base = 0, cpu_base = 0;
    double *ts = calloc((size_t)rounds, sizeof(double));
    double *cs = calloc((size_t)rounds, sizeof(double));
    if (ts == NULL || cs == NULL)
        die("out of memory");
    for (int k = 1; k <= max_threads; k++) {
        int64_t sum = 0;
        for (int r = 0; r < rounds; r++)
            ts[r] = run(k, &sum, &cs[r]);
        qsort(ts, (size_t)rounds, sizeof(double), cmp_double);
        qsort(cs, (size_t)rounds, sizeof(double), cmp_double);
        double med = ts[rounds / 2], cpu = cs[rounds / 2];
        if (k == 1) {
            base = med;
            cpu_base = cpu;
        }
        printf("%d\t%.3f\t%.2f\t%.3f\t%.2f\t%lld\n", k, med, med / base, cpu, cpu / cpu_base,
               (long long)sum);
        fflush(stdout);
    }
    free(ts);
    free(cs);
    tw_decref(work_fn);
    tw_decref(main_mod);
    return 0;
}
