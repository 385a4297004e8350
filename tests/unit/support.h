/* Shared test support: runtime fixtures, threads started together, and the
 * small checks that many tests make.
 *
 * Every test binary links support.c.  Criterion runs each test in its own
 * process, so each test starts and stops a fresh runtime through
 * tw_test_setup / tw_test_teardown (use them as .init / .fini).
 *
 * support.c is also compiled against tests/shim (the ThreadSanitizer
 * preset), so it uses only the cr_ macros that the shim provides.
 *
 * The helpers that assert (fail the test) belong to the test's main thread,
 * like every Criterion assert; tw_test_sleep_ms and tw_test_await_flag may
 * run on any thread. */
#ifndef TWINPY_TESTS_SUPPORT_H
#define TWINPY_TESTS_SUPPORT_H

#include <twinpy/twinpy.h>

void tw_test_setup(void);
void tw_test_teardown(void);

/* Run fn(index, arg) in `n` new threads that start together at a barrier.
 * Each thread has an attached thread state (tw_gilstate_ensure) while fn
 * runs.  The calling thread stays detached until all have finished. */
typedef void (*tw_test_thread_fn)(int index, void *arg);
void tw_test_run_threads(int n, tw_test_thread_fn fn, void *arg);

/* Live objects now (debug builds), for leak checks:
 *   int64_t base = tw_test_live();  ...  tw_test_assert_no_leak(base);
 * In release builds the counter does not exist and the check skips the test
 * with a message (it cannot pass or fail there). */
int64_t tw_test_live(void);
void tw_test_assert_no_leak(int64_t baseline);

/* ---- waiting for another thread ------------------------------------------------ */

/* How long a test waits for something that must happen before it gives up. */
#define TW_TEST_PATIENCE_NS (10 * 1000 * 1000000LL)

/* Sleep without holding the GIL (detached). */
void tw_test_sleep_ms(int ms);

/* Poll, sleeping 1 ms detached between looks, until *flag is non-zero
 * (acquire load).  Returns 1, or 0 if it is still zero after
 * TW_TEST_PATIENCE_NS: the caller fails the test, or tells the test's main
 * thread to. */
int tw_test_await_flag(_Atomic int *flag);

/* ---- ints ---------------------------------------------------------------------- */

/* A new int; fails the test if it cannot be made. */
TwObject *tw_test_int(int64_t v);

/* The value of int o; fails the test if o is NULL or not an int. */
int64_t tw_test_int_value(TwObject *o);

/* A literal list of ints as the pair `n, array` that helpers taking
 * (int n, const int64_t *values) expect:
 *   #define LIST_OF(...) list_of(TW_TEST_INTS(__VA_ARGS__)) */
#define TW_TEST_INTS(...)                                                                          \
    (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), ((int64_t[]){__VA_ARGS__})

/* List `list` holds exactly the `n` ints of `expected`, in that order. */
void tw_test_assert_ints(TwObject *list, int n, const int64_t *expected);

/* ---- what an object says ------------------------------------------------------- */

/* repr(o) is exactly `expected`. */
void tw_test_assert_repr(TwObject *o, const char *expected);

/* The current exception is of exactly `type` and str() of it is `msg`, as
 * python3 prints them; clears it. */
void tw_test_assert_error(TwType *type, const char *msg);

/* The truth of `a op b` (op: TW_LT .. TW_GE); fails the test unless the
 * comparison returns True or False. */
int tw_test_compare(TwObject *a, TwObject *b, int op);

/* hash(o) of a new reference o, which is then dropped:
 *   cr_assert_eq(tw_test_hash_and_drop(tw_tuple_new(0)), ...) */
tw_hash_t tw_test_hash_and_drop(TwObject *o);

/* A tp_richcompare that always fails with ValueError("boom"): for test
 * types whose comparisons must make a container operation fail. */
TwObject *tw_test_compare_raises(TwObject *a, TwObject *b, int op);

#endif
