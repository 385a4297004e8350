/* The test runner behind tests/shim/criterion/criterion.h (ThreadSanitizer
 * preset only).  Each test runs in a forked child: suite init, test init,
 * the test, test fini, suite fini.  The parent reports each result and ends
 * with "N passed, N failed, N skipped"; it exits non-zero if any failed.
 * Options: --filter SUBSTRING, --timeout SECONDS; other Criterion options
 * (--jobs, --verbose) are accepted and ignored. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP_EXIT 77

static struct tw_shim_test *tests;
static struct tw_shim_suite *suites;

void tw_shim_register_test(struct tw_shim_test *t)
{
    t->next = tests;
    tests = t;
}

void tw_shim_register_suite(struct tw_shim_suite *s)
{
    s->next = suites;
    suites = s;
}

void tw_shim_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: assertion failed: %s", file, line, expr);
    if (fmt != NULL && fmt[0] != '\0') {
        va_list ap;
        va_start(ap, fmt);
        fputs(": ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    fflush(stderr);
    _exit(1);
}

/* Set in the test's child process by a failed cr_expect_*. */
static int expectation_failed;

void tw_shim_expect_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: expectation failed: %s", file, line, expr);
    if (fmt != NULL && fmt[0] != '\0') {
        va_list ap;
        va_start(ap, fmt);
        fputs(": ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    fflush(stderr);
    expectation_failed = 1;
}

void tw_shim_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("skipped: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    fflush(stdout);
    _exit(SKIP_EXIT);
}

static struct tw_shim_params *suite_params(const char *name)
{
    for (struct tw_shim_suite *s = suites; s; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s->params;
    return NULL;
}

/* 0 passed, 1 failed, 2 skipped. */
static int run_one(struct tw_shim_test *t, double default_timeout)
{
    struct tw_shim_params *sp = suite_params(t->suite);
    struct tw_shim_params *tp = t->params;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        double timeout = tp->timeout > 0 ? tp->timeout : (sp && sp->timeout > 0 ? sp->timeout : default_timeout);
        if (timeout > 0)
            alarm((unsigned)(timeout + 0.999));
        if (sp && sp->init)
            sp->init();
        if (tp->init)
            tp->init();
        t->fn();
        if (tp->fini)
            tp->fini();
        if (sp && sp->fini)
            sp->fini();
        fflush(stdout);
        _exit(expectation_failed ? 1 : 0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    int expect_signal = tp->signal ? tp->signal : (sp ? sp->signal : 0);
    int expect_code = tp->exit_code ? tp->exit_code : (sp ? sp->exit_code : 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP_EXIT)
        return 2;
    if (expect_signal)
        return WIFSIGNALED(status) && WTERMSIG(status) == expect_signal ? 0 : 1;
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "%s::%s: killed by signal %d\n", t->suite, t->name, WTERMSIG(status));
        return 1;
    }
    return WEXITSTATUS(status) == expect_code ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    double timeout = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc)
            filter = argv[++i];
        else if (strncmp(argv[i], "--timeout=", 10) == 0)
            timeout = atof(argv[i] + 10);
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout = atof(argv[++i]);
    }
    int passed = 0, failed = 0, skipped = 0;
    for (struct tw_shim_test *t = tests; t; t = t->next) {
        char full[512];
        snprintf(full, sizeof full, "%s::%s", t->suite, t->name);
        if (filter && !strstr(full, filter))
            continue;
        if (t->params->disabled) {
            skipped++;
            continue;
        }
        int r = run_one(t, timeout);
        const char *word = r == 0 ? "PASS" : r == 1 ? "FAIL" : "SKIP";
        printf("[%s] %s\n", word, full);
        passed += r == 0;
        failed += r == 1;
        skipped += r == 2;
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
