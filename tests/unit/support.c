/* Shared test support (see support.h). */
#include "support.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

void tw_test_setup(void)
{
    if (tw_runtime_init() != 0)
        cr_assert_fail("tw_runtime_init failed");
}

void tw_test_teardown(void) { tw_runtime_fini(); }

typedef struct {
    pthread_barrier_t *barrier;
    tw_test_thread_fn fn;
    void *arg;
    int index;
} ThreadArgs;

static void *thread_main(void *p)
{
    ThreadArgs *a = p;
    pthread_barrier_wait(a->barrier);
    TwGILState g = tw_gilstate_ensure();
    a->fn(a->index, a->arg);
    tw_gilstate_release(g);
    return NULL;
}

void tw_test_run_threads(int n, tw_test_thread_fn fn, void *arg)
{
    pthread_t *tids = calloc((size_t)n, sizeof(*tids));
    ThreadArgs *args = calloc((size_t)n, sizeof(*args));
    pthread_barrier_t barrier;
    cr_assert(tids && args);
    pthread_barrier_init(&barrier, NULL, (unsigned)n);
    TW_BEGIN_ALLOW_THREADS
    for (int i = 0; i < n; i++) {
        args[i] = (ThreadArgs){&barrier, fn, arg, i};
        if (pthread_create(&tids[i], NULL, thread_main, &args[i]) != 0)
            abort();
    }
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
    TW_END_ALLOW_THREADS
    pthread_barrier_destroy(&barrier);
    free(tids);
    free(args);
}

int64_t tw_test_live(void)
{
    int64_t n = tw_debug_live_objects();
    if (n < 0)
        cr_skip_test("the live-object counter exists only in debug builds");
    return n;
}

void tw_test_assert_no_leak(int64_t baseline)
{
    int64_t now = tw_debug_live_objects();
    cr_assert_eq(now, baseline, "live objects: %lld before, %lld after (leak or double free)",
                 (long long)baseline, (long long)now);
}

void tw_test_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    TW_BEGIN_ALLOW_THREADS
    nanosleep(&ts, NULL);
    TW_END_ALLOW_THREADS
}
