/* The twinpy command:
 *     twinpy [option] ... [-c cmd | -m mod | file | -] [arg] ...
 * Options: -c cmd, -m mod, -V/--version, -X switchinterval=SECONDS,
 * -h/--help, and -u, -B, -E, -s, -S, -I (accepted for compatibility; they
 * change nothing).  Exit statuses as CPython's: 0, 1 for an uncaught
 * exception, 2 for a usage error, or what sys.exit asked for. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/builtins.h"
#include "core/compile.h"
#include "core/eval.h"
#include "core/tstate.h"

static const char usage_line[] =
    "usage: twinpy [option] ... [-c cmd | -m mod | file | -] [arg] ...\n";

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, fmt, arg);
    fputs(usage_line, stderr);
    fputs("Try `twinpy -h' for more information.\n", stderr);
    exit(2);
}

static void print_help(void)
{
    fputs(usage_line, stdout);
    fputs("Options:\n"
          "-c cmd : program passed in as string (terminates option list)\n"
          "-h     : print this help message and exit (also -? or --help)\n"
          "-m mod : run library module as a script (terminates option list)\n"
          "-V     : print the version number and the build, then exit (also --version)\n"
          "-X switchinterval=SECONDS : set the GIL switch interval\n"
          "file   : program read from script file\n"
          "-      : program read from stdin (default; interactive mode if a tty)\n"
          "arg ...: arguments passed to program in sys.argv[1:]\n"
          "\nEnvironment variables:\n"
          "TWINPY_GIL: 0 runs the free-threaded build without a GIL (its default), 1 with one\n",
          stdout);
}

static int dis_only; /* -X dis: print the bytecode instead of running */

/* -X options: switchinterval=SECONDS, and dis (twinpy's own: print the
 * compiled bytecode and exit).  Others are ignored, as CPython does. */
static void apply_x_option(const char *opt)
{
    const char *prefix = "switchinterval=";
    if (strcmp(opt, "dis") == 0) {
        dis_only = 1;
        return;
    }
    if (strncmp(opt, prefix, strlen(prefix)) != 0)
        return; /* CPython ignores unknown -X options */
    char *end;
    double secs = strtod(opt + strlen(prefix), &end);
    if (*end != '\0' || !(secs > 0) || secs > 1e6) {
        fprintf(stderr, "twinpy: -X switchinterval: invalid value '%s'\n", opt + strlen(prefix));
        exit(2);
    }
    uint64_t us = (uint64_t)(secs * 1e6 + 0.5);
    tw_gil_set_interval_us(us ? us : 1);
}

static void on_sigint(int sig)
{
    tw_signal_trip(sig);
}

static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0)
            break;
        if (n + 1 >= cap) {
            char *p = realloc(buf, cap * 2);
            if (p == NULL) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* -m name: the file name.py in the current directory or on sys.path. */
static char *find_module_file(const char *name)
{
    size_t nlen = strlen(name);
    char *rel = malloc(nlen + 4);
    if (rel == NULL)
        return NULL;
    for (size_t i = 0; i <= nlen; i++)
        rel[i] = name[i] == '.' ? '/' : name[i];
    strcat(rel, ".py");
    if (access(rel, R_OK) == 0) {
        char *full = realpath(rel, NULL);
        free(rel);
        return full;
    }
    TwObject *path = tw_sys_get_path();
    char *found = NULL;
    for (intptr_t i = 0; path != NULL && found == NULL && i < tw_list_size(path); i++) {
        TwObject *dir = tw_list_get_item(path, i);
        if (dir != NULL && tw_str_check(dir)) {
            size_t dlen = (size_t)tw_str_byte_size(dir);
            char *cand = malloc(dlen + strlen(rel) + 2);
            if (cand != NULL) {
                sprintf(cand, "%s/%s", dlen ? tw_str_utf8(dir) : ".", rel);
                if (access(cand, R_OK) == 0)
                    found = realpath(cand, NULL);
                free(cand);
            }
        }
        tw_xdecref(dir);
    }
    tw_err_clear();
    tw_xdecref(path);
    free(rel);
    return found;
}

/* -X dis FILE: the listing of the compiled module. */
static int disassemble_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    TwObject *code = tw_compile_source(buf, n, path);
    if (code == NULL)
        return tw_handle_uncaught(tw_err_fetch());
    TwObject *text = tw_compile_disassemble(code);
    tw_decref(code);
    if (text == NULL)
        return tw_handle_uncaught(tw_err_fetch());
    fputs(tw_str_utf8(text), stdout);
    tw_decref(text);
    return 0;
}

int main(int argc, char **argv)
{
    const char *command = NULL, *module = NULL, *file = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--version") == 0) {
            printf("twinpy %s (%s)\n", TW_VERSION, TW_BUILD_NAME);
            return 0;
        }
        if (strcmp(a, "--help") == 0) {
            print_help();
            return 0;
        }
        if (a[1] == '-')
            usage_error("unknown option %s\n", a);
        /* A cluster of one-letter options, e.g. -uc or -Xopt. */
        int stop = 0;
        for (const char *p = a + 1; *p && !stop; p++) {
            switch (*p) {
            case 'c':
            case 'm':
            case 'X': {
                const char *value = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
                if (value == NULL)
                    usage_error("Argument expected for the -%s option\n", *p == 'c'   ? "c"
                                                                          : *p == 'm' ? "m"
                                                                                      : "X");
                if (*p == 'c')
                    command = value;
                else if (*p == 'm')
                    module = value;
                else
                    apply_x_option(value);
                stop = 1;
                break;
            }
            case 'V':
                printf("twinpy %s (%s)\n", TW_VERSION, TW_BUILD_NAME);
                return 0;
            case 'h':
            case '?':
                print_help();
                return 0;
            case 'u':
            case 'B':
            case 'E':
            case 's':
            case 'S':
            case 'I':
            case 'q':
                break;
            default: {
                char opt[3] = {'-', *p, '\0'};
                usage_error("Unknown option: %s\n", opt);
            }
            }
        }
        if (command != NULL || module != NULL) {
            i++;
            break;
        }
    }
    if (command == NULL && module == NULL && i < argc)
        file = argv[i++];

    if (tw_runtime_init() < 0) {
        fputs("twinpy: could not start the runtime\n", stderr);
        return 1;
    }
    if (tw_compile_types_ready() < 0) {
        fputs("twinpy: could not start the interpreter\n", stderr);
        return 1;
    }
    /* SIGINT raises KeyboardInterrupt, unless it is ignored (a background
     * job of a shell): like CPython, leave an inherited SIG_IGN alone.
     * Without SA_RESTART, as in CPython: a blocking call (accept, recv, a
     * lock's wait, a read of stdin) fails with EINTR, and its caller serves
     * the eval breaker before retrying, so Ctrl-C interrupts it, and reaches
     * a main thread blocked in join() or input(). */
    struct sigaction old_sa;
    if (sigaction(SIGINT, NULL, &old_sa) == 0 && old_sa.sa_handler != SIG_IGN) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
    }

    /* sys.argv: what follows the program, with argv[0] naming it. */
    int nrest = argc - i;
    char **sargv = malloc(sizeof(char *) * (size_t)(nrest + 1));
    if (sargv == NULL)
        return 1;
    for (int k = 0; k < nrest; k++)
        sargv[k + 1] = argv[i + k];

    int status;
    if (command != NULL) {
        sargv[0] = "-c";
        tw_sys_set_argv(nrest + 1, sargv);
        status = tw_run_main_source(command, strlen(command), "<string>");
    } else if (module != NULL) {
        sargv[0] = "-m";
        tw_sys_set_argv(nrest + 1, sargv);
        char *path = find_module_file(module);
        if (path == NULL) {
            fprintf(stderr, "%s: No module named %s\n", argv[0], module);
            status = 1;
        } else {
            sargv[0] = path;
            tw_sys_set_argv(nrest + 1, sargv);
            status = tw_run_main_file(path);
            free(path);
        }
    } else if (file != NULL && strcmp(file, "-") != 0 && dis_only) {
        status = disassemble_file(file);
    } else if (file != NULL && strcmp(file, "-") != 0) {
        sargv[0] = (char *)file;
        tw_sys_set_argv(nrest + 1, sargv);
        status = tw_run_main_file(file);
    } else {
        sargv[0] = file ? "-" : "";
        tw_sys_set_argv(nrest + 1, sargv);
        size_t n = 0;
        char *src = read_stdin(&n);
        if (src == NULL) {
            fputs("twinpy: cannot read stdin\n", stderr);
            return 1;
        }
        status = tw_run_main_source(src, n, "<stdin>");
        free(src);
    }
    free(sargv);
    tw_sys_flush_stdio();
    fflush(stdout);
    fflush(stderr);
    if (status == TW_EXIT_INTERRUPTED) {
        /* An uncaught KeyboardInterrupt: die of SIGINT, as CPython does. */
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    /* Objects still alive are left to the OS, as CPython does at exit. */
    return status;
}
