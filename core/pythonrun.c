/* Running programs: a file, a string or stdin as the __main__ module, and
 * a sibling .py file as an imported module (tw_run_module_code, for
 * core/import.c).
 *
 * The exit status follows CPython: 0 when the code finishes, 1 after an
 * uncaught exception (printed to stderr once stdout is flushed), and for
 * SystemExit its code: None -> 0, an int -> that int, anything else is
 * printed to stderr and gives 1. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/builtins.h"
#include "core/compile.h"
#include "core/eval.h"
#include "core/import.h"
#include "core/parser.h"
#include "core/tstate.h"
#include <twinpy/abstract.h>
#include <twinpy/module.h>

/* Read a whole file into a malloc'd, NUL-terminated buffer.  NULL with
 * errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n + 1 < cap)
            break;
        char *p = realloc(buf, cap * 2);
        if (p == NULL) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = p;
        cap *= 2;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (buf == NULL)
        return NULL;
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Skip a UTF-8 byte-order mark. */
static const char *skip_bom(const char *s, size_t *n)
{
    if (*n >= 3 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
        (unsigned char)s[2] == 0xbf) {
        *n -= 3;
        return s + 3;
    }
    return s;
}

/* Compile source and run it with `dict` as globals and locals. */
static TwObject *run_source_in(const char *source, size_t n, const char *filename, TwObject *dict)
{
    source = skip_bom(source, &n);
    TwObject *code = tw_compile_source(source, n, filename);
    if (code == NULL)
        return NULL;
    TwObject *r = tw_eval_code(code, dict, dict);
    tw_decref(code);
    return r;
}

TwObject *tw_run_module_code(TwObject *module, const char *path)
{
    if (tw_compile_types_ready() < 0)
        return NULL;
    size_t n;
    char *src = read_file(path, &n);
    if (src == NULL)
        return tw_err_set_from_errno_filename(&tw_exc_OSError, path);
    TwObject *dict = tw_module_get_dict(module);
    TwObject *r = dict ? run_source_in(src, n, path, dict) : NULL;
    tw_xdecref(dict);
    free(src);
    return r;
}

/* ---- uncaught exceptions -------------------------------------------------------------------- */

int tw_handle_uncaught(TwObject *exc)
{
    if (exc == NULL)
        return 1;
    if (tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SystemExit)) {
        TwObject *code = tw_systemexit_code(exc);
        int status = 0;
        if (code == NULL || code == TW_NONE) {
            status = 0;
        } else if (tw_int_check(code)) {
            int overflow = 0;
            int64_t v = tw_int_as_i64_overflow(code, &overflow);
            status = overflow ? -1 : (int)v;
        } else {
            tw_sys_flush_stdio();
            TwObject *s = tw_object_str(code);
            if (s != NULL) {
                tw_sys_write_stderr(tw_str_utf8(s), (size_t)tw_str_byte_size(s));
                tw_sys_write_stderr("\n", 1);
                tw_decref(s);
            }
            tw_err_clear();
            status = 1;
        }
        tw_xdecref(code);
        tw_decref(exc);
        return status;
    }
    int interrupted = tw_type_is_subtype(TW_TYPE(exc), &tw_exc_KeyboardInterrupt);
    tw_sys_flush_stdio();
    tw_traceback_print_exception(exc);
    tw_decref(exc);
    return interrupted ? TW_EXIT_INTERRUPTED : 1;
}

/* ---- __main__ ----------------------------------------------------------------------------------
 */

/* A fresh __main__ module, registered in sys.modules, with __builtins__
 * (and __file__ when running a file). */
static TwObject *make_main_module(const char *file)
{
    TwObject *m = tw_module_new_cstr("__main__");
    if (m == NULL)
        return NULL;
    TwObject *builtins = tw_import_module_cstr("builtins");
    if (builtins == NULL) {
        tw_err_clear();
        builtins = tw_builtins_dict();
    }
    int r = builtins ? tw_module_add_object(m, "__builtins__", builtins) : -1;
    tw_xdecref(builtins);
    if (r == 0 && file != NULL)
        r = tw_module_add_string(m, "__file__", file);
    TwObject *modules = r == 0 ? tw_sys_get_modules() : NULL;
    if (modules == NULL || tw_dict_set_item_cstr(modules, "__main__", m) < 0)
        r = -1;
    tw_xdecref(modules);
    if (r < 0) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

static int run_main(const char *source, size_t n, const char *filename, const char *file)
{
    if (tw_compile_types_ready() < 0)
        return tw_handle_uncaught(tw_err_fetch());
    TwObject *m = make_main_module(file);
    if (m == NULL)
        return tw_handle_uncaught(tw_err_fetch());
    TwObject *r = run_source_in(source, n, filename, tw_module_dict_borrowed(m));
    int status = 0;
    if (r == NULL)
        status = tw_handle_uncaught(tw_err_fetch());
    tw_xdecref(r);
    /* As CPython's finalisation begins: threading._shutdown() waits for
     * the non-daemon threads. */
    tw_runtime_call_threading("_shutdown", "Exception ignored on threading shutdown:\n");
    tw_decref(m);
    tw_sys_flush_stdio();
    return status;
}

int tw_run_main_source(const char *source, size_t n, const char *filename)
{
    return run_main(source, n, filename, NULL);
}

/* As CPython does, the script is known by its absolute path (__file__,
 * tracebacks); sys.argv[0] keeps what the command line said. */
int tw_run_main_file(const char *path)
{
    size_t n;
    char *src = read_file(path, &n);
    char *full = realpath(path, NULL);
    if (src == NULL) {
        int err = errno;
        tw_sys_flush_stdio();
        fprintf(stderr, "twinpy: can't open file '%s': [Errno %d] %s\n", full ? full : path, err,
                strerror(err));
        free(full);
        return 2;
    }
    const char *name = full ? full : path;
    int status = run_main(src, n, name, name);
    free(src);
    free(full);
    return status;
}
