/* Critical sections: nesting, the two-object form, suspension while a
 * thread blocks, and the debug checks of the lock discipline.
 *
 * The free-threaded build gives each object a mutex, and most tests watch
 * it.  In the GIL build the sections are plain blocks (the GIL protects the
 * objects), so the tests about per-object locks are skipped there; the
 * tests about nesting, deadlock freedom and the debug checks run on both. */
#include <criterion/criterion.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

#include "core/tstate.h"
#include "nogil/parking_lot.h"
#include "support.h"

TestSuite(critical_section, .init = tw_test_setup, .fini = tw_test_teardown);

#define MS       1000000LL
#define PATIENCE (10 * 1000 * MS) /* how long a test waits for what must happen */

/* Objects whose sections the tests enter; only their headers matter.
 * objs[0] has the lower address. */
static TwObject objs[2] = {TW_OBJECT_HEAD_INIT(&tw_object_type),
                           TW_OBJECT_HEAD_INIT(&tw_object_type)};
#define A  (&objs[0])
#define B  (&objs[1])
#define LO (&objs[0])
#define HI (&objs[1])

#if TW_GIL_DISABLED
#define REQUIRE_OBJECT_LOCKS() ((void)0)
static int is_locked(TwObject *op)
{
    return tw_mutex_is_locked(&op->ob_mutex);
}
static TwMutex *mutex_of(TwObject *op)
{
    return &op->ob_mutex;
}
#else
#define REQUIRE_OBJECT_LOCKS()                                                                     \
    cr_skip_test("the GIL build has no per-object locks: its critical sections are plain blocks")
static int is_locked(TwObject *op)
{
    return 0;
}
static TwMutex *mutex_of(TwObject *op)
{
    return NULL;
}
#endif

#if TW_DEBUG
#define REQUIRE_DEBUG() ((void)0)
#else
#define REQUIRE_DEBUG() cr_skip_test("lock-discipline checks exist only in debug builds")
#endif
/* A test of a fatal check expects SIGABRT only in the builds that have the
 * check (a skipped test that expects a signal would count as failed). */
#define FATAL_IN_DEBUG    (TW_DEBUG ? SIGABRT : 0)
#define FATAL_IN_DEBUG_FT (TW_DEBUG && TW_GIL_DISABLED ? SIGABRT : 0)

/* Poll, sleeping 1 ms detached between looks, until *flag is non-zero.
 * Returns 0 if it is still zero after PATIENCE. */
static int await_flag(_Atomic int *flag)
{
    int64_t give_up = tw_monotonic_ns() + PATIENCE;
    while (!tw_atomic_load_acquire(flag)) {
        if (tw_monotonic_ns() > give_up)
            return 0;
        tw_test_sleep_ms(1);
    }
    return 1;
}

/* ---- nesting ------------------------------------------------------------------ */

Test(critical_section, sections_are_blocks_that_nest)
{
    int total = 0;
    TW_BEGIN_CRITICAL_SECTION(A);
    int one = 1; /* a declaration: BEGIN opens a block */
    TW_BEGIN_CRITICAL_SECTION2(A, B);
    total += one;
    cr_assert(tw_cs_is_held(A) && tw_cs_is_held(B));
    TW_END_CRITICAL_SECTION2();
    cr_assert(tw_cs_is_held(A));
    TW_END_CRITICAL_SECTION();
    cr_assert_eq(total, 1);
}

Test(critical_section, section_holds_the_object_lock_until_it_ends)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION(A);
    cr_assert(is_locked(A));
    cr_assert(tw_cs_is_held(A));
    cr_assert(!tw_cs_is_held(B));
    TW_END_CRITICAL_SECTION();
    cr_assert(!is_locked(A));
    cr_assert(!tw_cs_is_held(A));
}

/* A section on an object the current section already holds must not lock
 * it again (that would deadlock), and ending it must not unlock it. */
Test(critical_section, reentering_the_same_object_does_not_deadlock)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_BEGIN_CRITICAL_SECTION(A);
    cr_assert(tw_cs_is_held(A));
    TW_END_CRITICAL_SECTION();
    cr_assert(is_locked(A) && tw_cs_is_held(A), "the inner END released the outer section");
    TW_END_CRITICAL_SECTION();
    cr_assert(is_locked(A) && tw_cs_is_held(A), "the inner END released the outer section");
    TW_END_CRITICAL_SECTION();
    cr_assert(!is_locked(A));
}

/* Re-entering the object of the innermost section locks nothing, so it
 * does not park and does not suspend the outer sections. */
Test(critical_section, reentering_the_innermost_object_keeps_outer_sections_locked)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_BEGIN_CRITICAL_SECTION(B);
    TW_BEGIN_CRITICAL_SECTION(B);
    cr_assert(tw_cs_is_held(A) && is_locked(A), "re-entering B suspended A's section");
    cr_assert(tw_cs_is_held(B));
    TW_END_CRITICAL_SECTION();
    TW_END_CRITICAL_SECTION();
    TW_END_CRITICAL_SECTION();
    cr_assert(!is_locked(A) && !is_locked(B));
}

/* A, then B, then A again: the innermost lock finds A held by this very
 * thread, parks, and parking suspends the outer sections (unlocking A and
 * B), so it gets A.  Each END then re-locks the section that becomes the
 * top; nested sections are atomic only one at a time. */
Test(critical_section, aba_nesting_suspends_the_outer_sections_instead_of_deadlocking)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_BEGIN_CRITICAL_SECTION(B);
    TW_BEGIN_CRITICAL_SECTION(A);
    cr_assert(tw_cs_is_held(A) && is_locked(A));
    cr_assert(!tw_cs_is_held(B) && !is_locked(B), "B's section was suspended");
    TW_END_CRITICAL_SECTION();
    cr_assert(tw_cs_is_held(B) && is_locked(B), "END resumed B's section");
    cr_assert(!tw_cs_is_held(A) && !is_locked(A), "the outer A stays suspended");
    TW_END_CRITICAL_SECTION();
    cr_assert(tw_cs_is_held(A) && is_locked(A), "END resumed the outer A");
    TW_END_CRITICAL_SECTION();
    cr_assert(!is_locked(A) && !is_locked(B));
}

/* After blocking, only the innermost section is locked again; the outer one
 * is re-locked when the inner one ends. */
Test(critical_section, attaching_again_relocks_only_the_innermost_section)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_BEGIN_CRITICAL_SECTION(B);
    TW_BEGIN_ALLOW_THREADS
    TW_END_ALLOW_THREADS
    cr_assert(tw_cs_is_held(B) && is_locked(B));
    cr_assert(!tw_cs_is_held(A) && !is_locked(A));
    TW_END_CRITICAL_SECTION();
    cr_assert(tw_cs_is_held(A) && is_locked(A));
    TW_END_CRITICAL_SECTION();
    cr_assert(!is_locked(A) && !is_locked(B));
}

/* ---- two objects --------------------------------------------------------------- */

Test(critical_section, two_object_section_holds_both_locks_until_it_ends)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION2(B, A);
    cr_assert(is_locked(A) && is_locked(B));
    cr_assert(tw_cs_is_held(A) && tw_cs_is_held(B));
    TW_END_CRITICAL_SECTION2();
    cr_assert(!is_locked(A) && !is_locked(B));
    cr_assert(!tw_cs_is_held(A) && !tw_cs_is_held(B));
}

/* Locking the same object twice would deadlock; unlocking it twice would be
 * fatal.  One lock is taken. */
Test(critical_section, two_object_section_on_one_object_locks_it_once)
{
    REQUIRE_OBJECT_LOCKS();
    TW_BEGIN_CRITICAL_SECTION2(A, A);
    cr_assert(is_locked(A) && tw_cs_is_held(A));
    TW_END_CRITICAL_SECTION2();
    cr_assert(!is_locked(A));
}

/* Thread 0 holds HI's mutex directly; thread 1 then enters a section on
 * (HI, LO), naming HI first.  Taken in address order, LO is locked first, so
 * while thread 1 waits (parked) for HI it already holds LO. */
typedef struct {
    _Atomic int hi_held;
    int saw_waiter;  /* thread 1 parked on HI */
    int lo_was_held; /* ... holding LO */
    int both_inside;
} Order;

static void lock_in_address_order(int index, void *arg)
{
    Order *o = arg;
    if (index == 0) {
        tw_mutex_lock(mutex_of(HI));
        tw_atomic_store_release(&o->hi_held, 1);
        int64_t give_up = tw_monotonic_ns() + PATIENCE;
        while (!(tw_atomic_load_relaxed(&mutex_of(HI)->v) & TW_MUTEX_HAS_PARKED) &&
               tw_monotonic_ns() < give_up)
            tw_test_sleep_ms(1);
        o->saw_waiter = (tw_atomic_load_relaxed(&mutex_of(HI)->v) & TW_MUTEX_HAS_PARKED) != 0;
        o->lo_was_held = is_locked(LO);
        tw_mutex_unlock(mutex_of(HI));
    } else {
        if (!await_flag(&o->hi_held))
            return;
        TW_BEGIN_CRITICAL_SECTION2(HI, LO);
        o->both_inside = tw_cs_is_held(HI) && tw_cs_is_held(LO) && is_locked(HI) && is_locked(LO);
        TW_END_CRITICAL_SECTION2();
    }
}

Test(critical_section, two_object_section_locks_the_lower_address_first)
{
    REQUIRE_OBJECT_LOCKS();
    cr_assert_lt((uintptr_t)mutex_of(LO), (uintptr_t)mutex_of(HI));
    Order o = {0};
    tw_test_run_threads(2, lock_in_address_order, &o);
    cr_assert(o.saw_waiter, "thread 1 never parked on HI");
    cr_assert(o.lo_was_held, "thread 1 waited for HI without holding LO: not in address order");
    cr_assert(o.both_inside);
    cr_assert(!is_locked(LO) && !is_locked(HI));
}

/* Half the threads name (A, B), half (B, A).  Were the locks taken in the
 * order given, two threads could each hold one and wait for the other. */
enum { PAIR_THREADS = 4, PAIR_ITERS = 20000 };

typedef struct {
    long counter; /* the sections on A and B */
} Pair;

static void enter_pair_both_ways(int index, void *arg)
{
    Pair *p = arg;
    for (int i = 0; i < PAIR_ITERS; i++) {
        if (index % 2 == 0) {
            TW_BEGIN_CRITICAL_SECTION2(A, B);
            p->counter++;
            TW_END_CRITICAL_SECTION2();
        } else {
            TW_BEGIN_CRITICAL_SECTION2(B, A);
            p->counter++;
            TW_END_CRITICAL_SECTION2();
        }
    }
}

Test(critical_section, opposite_order_two_object_sections_do_not_deadlock)
{
    Pair p = {0};
    tw_test_run_threads(PAIR_THREADS, enter_pair_both_ways, &p);
    cr_assert_eq(p.counter, (long)PAIR_THREADS * PAIR_ITERS);
    cr_assert(!is_locked(A) && !is_locked(B));
}

/* ---- suspension while blocked ---------------------------------------------------
 *
 * Thread 0 enters a section on A and blocks (detached) on a semaphore.
 * Thread 1 must then find A unlocked and enter its section; it posts the
 * semaphore from inside, waits 20 ms still inside, and writes a value.
 * Thread 0's re-attach must wait for thread 1's END, so it sees the value
 * and holds A again. */
typedef struct {
    sem_t go;
    _Atomic int blocked;
    int a_free_while_blocked; /* thread 1 saw A unlocked */
    int other_entered;
    int value; /* A's section */
    int held_after_resume;
    int value_after_resume;
} Blocking;

static void block_inside_section(int index, void *arg)
{
    Blocking *b = arg;
    if (index == 0) {
        TW_BEGIN_CRITICAL_SECTION(A);
        TW_BEGIN_ALLOW_THREADS
        tw_atomic_store_release(&b->blocked, 1);
        sem_wait(&b->go);
        TW_END_ALLOW_THREADS
        b->held_after_resume = tw_cs_is_held(A) && is_locked(A);
        b->value_after_resume = b->value;
        TW_END_CRITICAL_SECTION();
    } else {
        if (await_flag(&b->blocked)) {
            b->a_free_while_blocked = !is_locked(A);
            if (b->a_free_while_blocked) {
                TW_BEGIN_CRITICAL_SECTION(A);
                b->other_entered = 1;
                sem_post(&b->go);
                struct timespec pause = {0, 20 * MS};
                nanosleep(&pause, NULL); /* attached: A stays locked */
                b->value = 42;
                TW_END_CRITICAL_SECTION();
                return;
            }
        }
        sem_post(&b->go); /* let thread 0 finish so the test can fail */
    }
}

Test(critical_section, blocking_inside_a_section_lets_other_threads_take_its_object)
{
    REQUIRE_OBJECT_LOCKS();
    Blocking b = {0};
    cr_assert_eq(sem_init(&b.go, 0, 0), 0);
    tw_test_run_threads(2, block_inside_section, &b);
    sem_destroy(&b.go);
    cr_assert(b.a_free_while_blocked, "a blocked thread kept its section's lock");
    cr_assert(b.other_entered);
    cr_assert(b.held_after_resume, "re-attaching did not lock A again");
    cr_assert_eq(b.value_after_resume, 42, "re-attaching did not wait for the other section");
    cr_assert(!is_locked(A));
}

/* ---- the lock discipline (debug builds) ------------------------------------------- */

Test(critical_section, mutating_inside_the_objects_section_is_allowed)
{
    REQUIRE_DEBUG();
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_ASSERT_CAN_MUTATE(A, "a test mutation");
    cr_assert(tw_cs_is_held(A));
    TW_END_CRITICAL_SECTION();
}

/* A new object that no other thread can reach needs no section yet. */
Test(critical_section, mutating_a_new_private_object_needs_no_section)
{
    REQUIRE_DEBUG();
    TwObject *op = tw_object_new(&tw_object_type, 0);
    cr_assert_not_null(op);
    TW_ASSERT_CAN_MUTATE(op, "a test mutation");
    tw_decref(op);
}

Test(critical_section, mutating_while_detached_is_fatal, .signal = FATAL_IN_DEBUG)
{
    REQUIRE_DEBUG();
    TW_BEGIN_ALLOW_THREADS
    TW_ASSERT_CAN_MUTATE(A, "a test mutation");
    TW_END_ALLOW_THREADS
}

Test(critical_section, entering_a_section_while_detached_is_fatal, .signal = FATAL_IN_DEBUG)
{
    REQUIRE_DEBUG();
    TW_BEGIN_ALLOW_THREADS
    TW_BEGIN_CRITICAL_SECTION(A);
    TW_END_CRITICAL_SECTION();
    TW_END_ALLOW_THREADS
}

/* A static object is reachable from every thread: only its section makes
 * mutating it safe. */
Test(critical_section, mutating_a_shared_object_without_its_section_is_fatal,
     .signal = FATAL_IN_DEBUG_FT)
{
    REQUIRE_DEBUG();
    REQUIRE_OBJECT_LOCKS();
    TW_ASSERT_CAN_MUTATE(A, "a test mutation");
}
