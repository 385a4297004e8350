/* The random and zlib modules used from several threads at once.
 *
 * random: the module-level functions share one generator.  Each draw takes
 * the generator's lock, so threads that draw concurrently together consume
 * exactly the sequence one thread would: the multiset of their words equals
 * the first words of a fresh generator with the same seed.
 *
 * zlib: threads compress and decompress buffers large enough to run
 * detached (the GIL released), each checking its round trip and that its
 * output equals the one produced before the threads started.
 *
 * Threads start together at a barrier (tw_test_run_threads) and pass a
 * check point between operations, so the GIL build switches between them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <twinpy/abstract.h>
#include "core/import.h"
#include "support.h"

static void stdlib_setup(void)
{
    tw_test_setup();
    tw_gil_set_interval_us(50);
}

TestSuite(stdlib_threads, .init = stdlib_setup, .fini = tw_test_teardown, .timeout = 120);

static _Atomic int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            if (atomic_fetch_add(&failures, 1) == 0)                                               \
                fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                                          \
    } while (0)

#define THREADS 4
#define DRAWS 2000

static TwObject *call_attr(TwObject *obj, const char *name, TwObject *arg)
{
    TwObject *f = tw_object_getattr_cstr(obj, name);
    if (f == NULL)
        return NULL;
    TwObject *r = arg ? tw_object_call_one(f, arg) : tw_object_call_noargs(f);
    tw_decref(f);
    return r;
}

/* ---- random ------------------------------------------------------------------------ */

static TwObject *random_mod;
static int64_t drawn[THREADS][DRAWS];

static void draw_words(int index, void *arg)
{
    TwObject *bits = tw_int_from_i64(32);
    for (int i = 0; i < DRAWS; i++) {
        TwObject *v = call_attr(random_mod, "getrandbits", bits);
        CHECK(v != NULL && tw_int_check(v));
        drawn[index][i] = v ? tw_int_as_i64(v) : -1;
        tw_xdecref(v);
        CHECK(tw_eval_breaker_check() == 0);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

Test(stdlib_threads, shared_random_draws_are_never_lost_or_repeated)
{
    random_mod = tw_import_module_cstr("random");
    cr_assert_not_null(random_mod);
    TwObject *seed = tw_int_from_i64(20240601);
    TwObject *r = call_attr(random_mod, "seed", seed);
    cr_assert_not_null(r);
    tw_decref(r);

    tw_test_run_threads(THREADS, draw_words, NULL);
    cr_assert_eq(atomic_load(&failures), 0);

    /* The same words from one private generator with the same seed. */
    TwObject *cls = tw_object_getattr_cstr(random_mod, "Random");
    TwObject *gen = tw_object_call_one(cls, seed);
    cr_assert_not_null(gen);
    static int64_t expected[THREADS * DRAWS];
    TwObject *bits = tw_int_from_i64(32);
    for (int i = 0; i < THREADS * DRAWS; i++) {
        TwObject *v = call_attr(gen, "getrandbits", bits);
        cr_assert_not_null(v);
        expected[i] = tw_int_as_i64(v);
        tw_decref(v);
    }
    qsort(expected, THREADS * DRAWS, sizeof(int64_t), cmp_i64);
    qsort(drawn, THREADS * DRAWS, sizeof(int64_t), cmp_i64);
    cr_assert_eq(memcmp(expected, drawn, sizeof(expected)), 0,
                 "threads drew other words than one generator's sequence");
    tw_decref(gen);
    tw_decref(cls);
    tw_decref(random_mod);
}

/* Several threads shuffle their own lists and call the float methods of the
 * shared generator: no crash, and each list stays a permutation. */
static void shuffle_and_gauss(int index, void *arg)
{
    TwObject *list = tw_list_new(0);
    for (int i = 0; i < 50; i++) {
        TwObject *v = tw_int_from_i64(i);
        tw_list_append(list, v);
        tw_decref(v);
    }
    for (int round = 0; round < 200; round++) {
        TwObject *r = call_attr(random_mod, "shuffle", list);
        CHECK(r == TW_NONE);
        tw_xdecref(r);
        r = call_attr(random_mod, "gauss", NULL);
        CHECK(r != NULL && tw_float_check(r));
        tw_xdecref(r);
        CHECK(tw_eval_breaker_check() == 0);
    }
    int64_t sum = 0;
    for (int i = 0; i < 50; i++) {
        TwObject *v = tw_list_get_item(list, i);
        sum += v ? tw_int_as_i64(v) : -1000;
        tw_xdecref(v);
    }
    CHECK(sum == 49 * 50 / 2);
    tw_decref(list);
}

Test(stdlib_threads, shared_random_shuffle_and_gauss)
{
    random_mod = tw_import_module_cstr("random");
    cr_assert_not_null(random_mod);
    tw_test_run_threads(THREADS, shuffle_and_gauss, NULL);
    cr_assert_eq(atomic_load(&failures), 0);
    tw_decref(random_mod);
}

/* ---- zlib ---------------------------------------------------------------------------- */

static TwObject *zlib_mod;
static TwObject *plain, *packed; /* shared, immutable */
static int64_t plain_crc;

static void compress_round_trips(int index, void *arg)
{
    for (int i = 0; i < 20; i++) {
        TwObject *c = call_attr(zlib_mod, "compress", plain);
        CHECK(c != NULL && tw_bytes_check(c));
        if (c != NULL) {
            CHECK(tw_bytes_size(c) == tw_bytes_size(packed) &&
                  memcmp(tw_bytes_data(c), tw_bytes_data(packed), (size_t)tw_bytes_size(c)) == 0);
            TwObject *d = call_attr(zlib_mod, "decompress", c);
            CHECK(d != NULL && tw_bytes_size(d) == tw_bytes_size(plain) &&
                  memcmp(tw_bytes_data(d), tw_bytes_data(plain), (size_t)tw_bytes_size(d)) == 0);
            tw_xdecref(d);
            tw_decref(c);
        }
        TwObject *crc = call_attr(zlib_mod, "crc32", plain);
        CHECK(crc != NULL && tw_int_as_i64(crc) == plain_crc);
        tw_xdecref(crc);
        CHECK(tw_eval_breaker_check() == 0);
    }
}

Test(stdlib_threads, zlib_compresses_in_parallel)
{
    zlib_mod = tw_import_module_cstr("zlib");
    cr_assert_not_null(zlib_mod);
    enum { N = 200 * 1024 };
    char *buf = malloc(N);
    for (int i = 0; i < N; i++)
        buf[i] = "twinpy zlib threads "[i % 20] ^ (char)((i / 997) & 7);
    plain = tw_bytes_from_data(buf, N);
    free(buf);
    packed = call_attr(zlib_mod, "compress", plain);
    cr_assert_not_null(packed);
    TwObject *crc = call_attr(zlib_mod, "crc32", plain);
    cr_assert_not_null(crc);
    plain_crc = tw_int_as_i64(crc);
    tw_decref(crc);

    tw_test_run_threads(THREADS, compress_round_trips, NULL);
    cr_assert_eq(atomic_load(&failures), 0);
    tw_decref(plain);
    tw_decref(packed);
    tw_decref(zlib_mod);
}
