/* Internal: the eval loop's interface to the rest of the runtime.
 *
 * What the VM provides (core/eval.c, core/genobject.c, core/traceback.c,
 * core/pythonrun.c) and what it expects from the builtins-and-modules part
 * (core/builtins.h: tw_builtins_dict; core/import.h: tw_import_module,
 * tw_import_from). */
#ifndef TWINPY_CORE_EVAL_H
#define TWINPY_CORE_EVAL_H

#include <stdio.h>
#include <twinpy/twinpy.h>

#include "core/code.h"

/* ---- running code ---------------------------------------------------------- */

/* Run a module-level code object with the given globals and locals
 * (locals may be the same dict as globals).  Returns the code's value
 * (None for modules) or NULL with an exception.  exec() and import use it. */
TwObject *tw_eval_code(TwObject *code, TwObject *globals, TwObject *locals);

/* The globals of the innermost running Python frame (new reference), or
 * NULL (no exception) when no Python code runs: for globals(), and for
 * __module__ of classes made with type(). */
TwObject *tw_eval_get_globals(void);
/* locals(): the namespace dict of a module or class body, or a new dict
 * snapshot of a function's local variables.  NULL (no exception) when no
 * Python code runs. */
TwObject *tw_eval_get_locals(void);

/* The recursion limit: the most Python frames one thread may have running
 * (default 1000); sys.setrecursionlimit checks the value (>= 1). */
int tw_eval_get_recursion_limit(void);
void tw_eval_set_recursion_limit(int limit);

/* The exception being handled by the current thread (sys.exc_info(),
 * sys.exception()): a new reference, or NULL (no exception) if none. */
TwObject *tw_eval_handled_exception(void);

/* Call before the process gets a second thread that runs Python code
 * (threading.Thread.start): from then on, in the free-threaded build,
 * inline caches only hand out objects that cannot be freed under them.
 * Idempotent; cheap. */
void tw_eval_threads_starting(void);

/* Ready the types of the VM (code, function, cell, generator, traceback)
 * and install the eval loop's hooks; called by every entry point of the
 * compiler and the eval loop, and once at start-up by pythonrun.  0 or -1. */
int tw_compile_types_ready(void);

/* ---- generators (core/genobject.c) ----------------------------------------- */

extern TwType tw_gen_type;
static inline int tw_gen_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_gen_type;
}
/* Calling a generator function: a new generator whose frame holds the
 * bound arguments. */
TwObject *tw_gen_new_from_call(TwObject *func, TwObject *const *args, size_t nargs,
                               TwObject *kwnames);
/* gen.send(value): 1 with the value it yielded in *result, 0 with its
 * return value when it finished, -1 with an exception. */
int tw_gen_send(TwObject *gen, TwObject *value, TwObject **result);

/* ---- tracebacks (core/traceback.c) ------------------------------------------- */

/* A traceback entry: one frame an exception passed through.  tb_next
 * points towards the frame where it was raised. */
typedef struct TwTracebackObject {
    TwObject ob_base;
    struct TwTracebackObject *tb_next; /* owned, or NULL */
    TwCodeObject *code;                /* owned */
    int lasti;                         /* instruction index */
    int lineno;
} TwTracebackObject;

extern TwType tw_traceback_type;
/* Prepend an entry for (code, instruction) to exc.__traceback__.  0 or -1. */
int tw_traceback_add(TwObject *exc, TwCodeObject *code, int lasti);
/* Write exc, its chained causes/contexts and their tracebacks as CPython
 * does ("Traceback (most recent call last):" ...) to the process's stderr
 * (through sys's buffered writer). */
void tw_traceback_print_exception(TwObject *exc);

/* ---- running programs (core/pythonrun.c) -------------------------------------- */

/* Run source text as the __main__ module; returns the process exit
 * status (0, 1 for an uncaught exception, or SystemExit's code). */
int tw_run_main_source(const char *source, size_t n, const char *filename);
/* Run a file as __main__ (path as given on the command line). */
int tw_run_main_file(const char *path);
/* Print an uncaught exception (SystemExit excluded) and return 1, or for
 * SystemExit the exit status it asks for; the exception is consumed.  An
 * uncaught KeyboardInterrupt returns TW_EXIT_INTERRUPTED: like CPython,
 * the command then dies of SIGINT (status 130 in a shell). */
#define TW_EXIT_INTERRUPTED 130
int tw_handle_uncaught(TwObject *exc);

#endif
