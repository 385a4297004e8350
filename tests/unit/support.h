/* Shared test support: runtime fixtures and threads started together.
 *
 * Every test binary links support.c.  Criterion runs each test in its own
 * process, so each test starts and stops a fresh runtime through
 * tw_test_setup / tw_test_teardown (use them as .init / .fini). */
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

/* Sleep without holding the GIL (detached). */
void tw_test_sleep_ms(int ms);

#endif
