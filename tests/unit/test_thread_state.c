/* Thread states: attach/detach, the eval breaker bits, asynchronous
 * exceptions and signals. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include "support.h"

TestSuite(tstate, .init = tw_test_setup, .fini = tw_test_teardown);

Test(tstate, main_thread_is_attached_after_init)
{
    cr_assert_not_null(tw_thread_state_get());
    cr_assert(tw_thread_is_attached());
}

Test(tstate, runtime_cannot_start_twice)
{
    cr_assert_eq(tw_runtime_init(), -1);
}

Test(tstate, allow_threads_detaches_and_restores)
{
    int inside;
    TW_BEGIN_ALLOW_THREADS
    inside = tw_thread_is_attached();
    TW_END_ALLOW_THREADS
    cr_assert_not(inside);
    cr_assert(tw_thread_is_attached());
}

Test(tstate, build_identity_matches_config)
{
    cr_assert_eq(tw_build_is_free_threaded(), TW_GIL_DISABLED);
    if (!TW_GIL_DISABLED)
        cr_assert(tw_gil_is_enabled(), "the GIL build always has a GIL");
    else
        cr_assert_not(tw_gil_is_enabled(), "free-threaded by default");
}

Test(tstate, check_point_is_quiet_without_requests)
{
    cr_assert_eq(tw_eval_breaker_bits(tw_thread_state_get()), 0);
    cr_assert_eq(tw_eval_breaker_check(), 0);
    cr_assert_null(tw_err_occurred());
}

Test(tstate, async_exception_raised_at_next_check_point)
{
    tw_thread_set_async_exc(tw_thread_state_get(), &tw_exc_RuntimeError);
    cr_assert(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_ASYNC_EXC);
    cr_assert_eq(tw_eval_breaker_check(), -1);
    cr_assert(tw_err_matches(&tw_exc_RuntimeError));
    tw_err_clear();
    cr_assert_eq(tw_eval_breaker_check(), 0, "raised once only");
}

typedef struct {
    TwThreadState *target;
} AsyncArg;

static void *send_async(void *p)
{
    AsyncArg *a = p;
    tw_thread_set_async_exc(a->target, &tw_exc_ValueError);
    return NULL;
}

Test(tstate, async_exception_from_another_thread)
{
    AsyncArg a = {tw_thread_state_get()};
    pthread_t t;
    TW_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, send_async, &a);
    pthread_join(t, NULL);
    TW_END_ALLOW_THREADS
    cr_assert_eq(tw_eval_breaker_check(), -1);
    cr_assert(tw_err_matches(&tw_exc_ValueError));
    tw_err_clear();
}

Test(tstate, sigint_raises_keyboard_interrupt_in_main_thread)
{
    tw_signal_trip(SIGINT);
    cr_assert(tw_eval_breaker_bits(tw_thread_state_get()) & TW_EB_SIGNALS_PENDING);
    cr_assert_eq(tw_eval_breaker_check(), -1);
    cr_assert(tw_err_matches(&tw_exc_KeyboardInterrupt));
    tw_err_clear();
}

Test(tstate, exception_api_sets_fetches_and_clears)
{
    tw_err_set_string(&tw_exc_KeyError, "k");
    cr_assert(tw_err_matches(&tw_exc_LookupError), "KeyError is a LookupError");
    cr_assert_not(tw_err_matches(&tw_exc_TypeError));
    TwObject *exc = tw_err_fetch();
    cr_assert_null(tw_err_occurred());
    TwObject *s = tw_object_str(exc);
    cr_assert_str_eq(tw_str_utf8(s), "'k'", "KeyError's str is the key's repr");
    TwObject *r = tw_object_repr(exc);
    cr_assert_str_eq(tw_str_utf8(r), "KeyError('k')");
    tw_decref(s);
    tw_decref(r);
    tw_decref(exc);
    tw_err_format(&tw_exc_ValueError, "bad value %d", 7);
    exc = tw_err_fetch();
    s = tw_object_str(exc);
    cr_assert_str_eq(tw_str_utf8(s), "bad value 7");
    tw_decref(s);
    tw_decref(exc);
}

Test(tstate, memory_error_needs_no_allocation)
{
    cr_assert_null(tw_err_no_memory());
    cr_assert(tw_err_matches(&tw_exc_MemoryError));
    tw_err_clear();
}
