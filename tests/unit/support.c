/* Shared test support (see support.h). */
#include "support.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "nogil/parking_lot.h" /* tw_monotonic_ns */

void tw_test_setup(void)
{
    if (tw_runtime_init() != 0)
        cr_assert_fail("tw_runtime_init failed");
}

void tw_test_teardown(void)
{
    tw_runtime_fini();
}

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

int tw_test_await_flag(_Atomic int *flag)
{
    int64_t give_up = tw_monotonic_ns() + TW_TEST_PATIENCE_NS;
    while (!tw_atomic_load_acquire(flag)) {
        if (tw_monotonic_ns() > give_up)
            return 0;
        tw_test_sleep_ms(1);
    }
    return 1;
}

TwObject *tw_test_int(int64_t v)
{
    TwObject *o = tw_int_from_i64(v);
    cr_assert_not_null(o);
    return o;
}

int64_t tw_test_int_value(TwObject *o)
{
    cr_assert_not_null(o);
    int64_t v = tw_int_as_i64(o);
    cr_assert_null(tw_err_occurred());
    return v;
}

void tw_test_assert_ints(TwObject *list, int n, const int64_t *expected)
{
    cr_assert_not_null(list);
    intptr_t size = tw_list_size(list);
    cr_assert_eq(size, n, "%ld items, expected %d", (long)size, n);
    for (int i = 0; i < n; i++) {
        TwObject *item = tw_list_get_item(list, i);
        int64_t v = tw_test_int_value(item);
        tw_decref(item);
        cr_assert_eq(v, expected[i], "item %d is %lld, expected %lld", i, (long long)v,
                     (long long)expected[i]);
    }
}

void tw_test_assert_repr(TwObject *o, const char *expected)
{
    TwObject *r = tw_object_repr(o);
    cr_assert_not_null(r);
    cr_assert_str_eq(tw_str_utf8(r), expected, "repr is %s, expected %s", tw_str_utf8(r), expected);
    tw_decref(r);
}

void tw_test_assert_error(TwType *type, const char *msg)
{
    cr_assert_eq(tw_err_occurred(), type, "expected %s, got %s", type->tp_name,
                 tw_err_occurred() ? tw_err_occurred()->tp_name : "no exception");
    TwObject *e = tw_err_fetch();
    TwObject *s = tw_exception_str(e);
    cr_assert_not_null(s);
    cr_assert_str_eq(tw_str_utf8(s), msg, "%s: %s, expected %s", type->tp_name, tw_str_utf8(s),
                     msg);
    tw_decref(s);
    tw_decref(e);
}

int tw_test_compare(TwObject *a, TwObject *b, int op)
{
    TwObject *r = tw_object_richcompare(a, b, op);
    cr_assert_not_null(r);
    cr_assert(r == TW_TRUE || r == TW_FALSE, "a comparison returned a %s", TW_TYPE(r)->tp_name);
    int t = r == TW_TRUE;
    tw_decref(r);
    return t;
}

tw_hash_t tw_test_hash_and_drop(TwObject *o)
{
    cr_assert_not_null(o);
    tw_hash_t h = tw_object_hash(o);
    tw_decref(o);
    return h;
}

TwObject *tw_test_compare_raises(TwObject *a, TwObject *b, int op)
{
    tw_err_set_string(&tw_exc_ValueError, "boom");
    return NULL;
}
