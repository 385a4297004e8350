/* A stand-in for the subset of Criterion's API that twinpy's tests use,
 * compiled only into the ThreadSanitizer preset.
 *
 * Why: Criterion runs tests through a sandbox whose shared arena cannot be
 * mapped inside a ThreadSanitizer process (it aborts with "Could not
 * initialize inheritable arena").  The test sources stay the same: this
 * header provides Test, TestSuite, the cr_assert_* family and cr_skip_test
 * with Criterion's meaning, and tests/shim/runner.c runs every test in its
 * own forked process, as Criterion does.  Everywhere else the real
 * Criterion is used. */
#ifndef TW_CRITERION_SHIM_H
#define TW_CRITERION_SHIM_H

#include <stdint.h>
#include <string.h>

struct tw_shim_params {
    int unused_;             /* lets `{0, __VA_ARGS__}` take zero designators */
    void (*init)(void);
    void (*fini)(void);
    int signal;              /* the test passes if it dies of this signal */
    int exit_code;           /* the test passes if it exits with this code */
    double timeout;          /* seconds; 0 = the runner's default */
    int disabled;
    const char *description;
};

struct tw_shim_test {
    const char *suite;
    const char *name;
    void (*fn)(void);
    struct tw_shim_params *params;
    struct tw_shim_test *next;
};

struct tw_shim_suite {
    const char *name;
    struct tw_shim_params *params;
    struct tw_shim_suite *next;
};

void tw_shim_register_test(struct tw_shim_test *t);
void tw_shim_register_suite(struct tw_shim_suite *s);
_Noreturn void tw_shim_fail(const char *file, int line, const char *expr, const char *fmt, ...);
_Noreturn void tw_shim_skip(const char *fmt, ...);
/* A failed expectation: reported, and the test fails when it ends. */
void tw_shim_expect_fail(const char *file, int line, const char *expr, const char *fmt, ...);

#define Test(suite, name, ...)                                                                     \
    static void tw_shim_fn_##suite##_##name(void);                                                 \
    static struct tw_shim_params tw_shim_params_##suite##_##name = {0, __VA_ARGS__};               \
    static struct tw_shim_test tw_shim_test_##suite##_##name = {                                   \
        #suite, #name, tw_shim_fn_##suite##_##name, &tw_shim_params_##suite##_##name, NULL};       \
    __attribute__((constructor)) static void tw_shim_reg_##suite##_##name(void)                    \
    {                                                                                              \
        tw_shim_register_test(&tw_shim_test_##suite##_##name);                                     \
    }                                                                                              \
    static void tw_shim_fn_##suite##_##name(void)

#define TestSuite(suite, ...)                                                                      \
    static struct tw_shim_params tw_shim_suite_params_##suite = {0, __VA_ARGS__};                  \
    static struct tw_shim_suite tw_shim_suite_##suite = {#suite, &tw_shim_suite_params_##suite,    \
                                                         NULL};                                    \
    __attribute__((constructor)) static void tw_shim_suite_reg_##suite(void)                       \
    {                                                                                              \
        tw_shim_register_suite(&tw_shim_suite_##suite);                                            \
    }

#define TW_SHIM_CHECK(cond, expr, ...)                                                             \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tw_shim_fail(__FILE__, __LINE__, expr, "" __VA_ARGS__);                                \
    } while (0)

#define cr_assert(cond, ...)        TW_SHIM_CHECK((cond), #cond, __VA_ARGS__)
#define cr_assert_not(cond, ...)    TW_SHIM_CHECK(!(cond), "!(" #cond ")", __VA_ARGS__)
#define cr_assert_eq(a, b, ...)     TW_SHIM_CHECK((a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...)    TW_SHIM_CHECK((a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...)     TW_SHIM_CHECK((a) < (b), #a " < " #b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...)    TW_SHIM_CHECK((a) <= (b), #a " <= " #b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...)     TW_SHIM_CHECK((a) > (b), #a " > " #b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...)    TW_SHIM_CHECK((a) >= (b), #a " >= " #b, __VA_ARGS__)
#define cr_assert_null(p, ...)      TW_SHIM_CHECK((p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...)  TW_SHIM_CHECK((p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...)                                                                \
    TW_SHIM_CHECK(strcmp((a), (b)) == 0, "strcmp(" #a ", " #b ") == 0", __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...)                                                               \
    TW_SHIM_CHECK(strcmp((a), (b)) != 0, "strcmp(" #a ", " #b ") != 0", __VA_ARGS__)
/* cr_expect_*: like cr_assert_* but the test goes on after a failure. */
#define TW_SHIM_EXPECT(cond, expr, ...)                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tw_shim_expect_fail(__FILE__, __LINE__, expr, "" __VA_ARGS__);                         \
    } while (0)
#define cr_expect(cond, ...)        TW_SHIM_EXPECT((cond), #cond, __VA_ARGS__)
#define cr_expect_not(cond, ...)    TW_SHIM_EXPECT(!(cond), "!(" #cond ")", __VA_ARGS__)
#define cr_expect_eq(a, b, ...)     TW_SHIM_EXPECT((a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...)    TW_SHIM_EXPECT((a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_expect_null(p, ...)      TW_SHIM_EXPECT((p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_expect_not_null(p, ...)  TW_SHIM_EXPECT((p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...)                                                                \
    TW_SHIM_EXPECT(strcmp((a), (b)) == 0, "strcmp(" #a ", " #b ") == 0", __VA_ARGS__)
#define cr_assert_fail(...)         tw_shim_fail(__FILE__, __LINE__, "cr_assert_fail", "" __VA_ARGS__)
#define cr_skip_test(...)           tw_shim_skip("" __VA_ARGS__)

#endif
