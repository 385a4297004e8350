/* Internal: the builtins namespace, range, the iterator types and the sys
 * and time modules -- what the "builtins and modules" part exports to the
 * VM and the command line.  Not part of the public API.
 *
 * Start-up order: tw_runtime_init calls tw_builtins_init once the thread
 * state, interned strings and exceptions exist.  It readies the types of
 * this part, builds the builtins dict, creates the sys module (which owns
 * sys.modules and sys.path for import) and registers the built-in modules
 * sys, time and builtins.  Everything it creates is immortal and shared by
 * all threads; the CLI then calls tw_sys_set_argv. */
#ifndef TWINPY_CORE_BUILTINS_H
#define TWINPY_CORE_BUILTINS_H

#include <stdint.h>
#include <twinpy/twinpy.h>
#include <twinpy/module.h>
#include <twinpy/slice.h>

/* ---- builtins (core/builtins.c) ------------------------------------------ */

/* Build the builtins dict and the sys module.  0, or -1 with an exception.
 * Idempotent: a second call (a restarted runtime) keeps what exists. */
int tw_builtins_init(void);
/* The builtins namespace (a new reference to one shared dict).  Keys are
 * interned strs. */
TwObject *tw_builtins_dict(void);

/* ---- range (core/range.c) ------------------------------------------------- */

typedef struct TwRangeObject {
    TwObject ob_base;
    int64_t start, stop, step; /* immutable; step != 0 */
    uint64_t length;           /* immutable; may exceed INT64_MAX (len() then overflows) */
    /* A range with a bound outside int64 keeps all four values as int
     * objects instead (all non-NULL, immutable; the machine fields are then
     * unused).  NULL for the common, machine-word range. */
    TwObject *big_start, *big_stop, *big_step, *big_length;
} TwRangeObject;

extern TwType tw_range_type;
extern TwType tw_range_iter_type;
extern TwType tw_longrange_iter_type; /* the iterator of ranges past int64 */
static inline int tw_range_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_range_type;
}
/* range(start, stop, step) from C; ValueError for step 0. */
TwObject *tw_range_new(int64_t start, int64_t stop, int64_t step);
/* The range iterator over `length` values start, start+step, ... */
TwObject *tw_range_iter_new(int64_t start, int64_t step, uint64_t length);
/* reversed(r): an iterator from the last value down to the first. */
TwObject *tw_range_reversed(TwObject *r);

/* ---- bytearray (core/bytearrayobject.c) ------------------------------------ */

extern TwType tw_bytearray_type;
/* isinstance(op, bytearray) */
int tw_bytearray_check(TwObject *op);
/* A new bytes holding op's current contents (op a bytearray). */
TwObject *tw_bytearray_to_bytes(TwObject *op);
/* A new bytearray holding the n bytes at s. */
TwObject *tw_bytearray_from_data(const char *s, intptr_t n);

/* ---- iterators (core/iterobject.c) -------------------------------------------
 * enumerate, zip, map, filter and reversed are the classes bound in the
 * builtins; the sequence iterator serves iter() of objects that only have
 * __getitem__ (tw_object_iter uses it), the callable iterator serves
 * iter(callable, sentinel). */

extern TwType tw_enumerate_type;
extern TwType tw_zip_type;
extern TwType tw_map_type;
extern TwType tw_filter_type;
extern TwType tw_reversed_type;
extern TwType tw_seqiter_type;
extern TwType tw_calliter_type;
/* iter(seq) for a sequence indexed 0, 1, ... until IndexError/StopIteration. */
TwObject *tw_seqiter_new(TwObject *seq);
/* iter(callable, sentinel). */
TwObject *tw_calliter_new(TwObject *callable, TwObject *sentinel);
/* reversed(seq): __reversed__, or the sequence protocol (list, tuple, str
 * and range take fast paths).  TypeError "'X' object is not reversible". */
TwObject *tw_reversed_of(TwObject *seq);

/* ---- sys (core/sysmodule.c) ------------------------------------------------- */

/* Create the sys module (once); called by tw_builtins_init. */
int tw_sys_init(void);
/* The sys module (borrowed: immortal). */
TwObject *tw_sys_module(void);
/* sys.modules and sys.path, as currently bound in sys (new references;
 * NULL with RuntimeError "lost sys.modules" if a script deleted them). */
TwObject *tw_sys_get_modules(void);
TwObject *tw_sys_get_path(void);
/* sys.<name> (new reference), or NULL with no exception if unset. */
TwObject *tw_sys_get_object(const char *name);
/* Set sys.argv from the command line: argv[0] is the script path (or "-c"
 * / ""), and sys.path[0] becomes the script's directory (absolute), or ''
 * when there is no script.  Call after tw_runtime_init, while attached. */
void tw_sys_set_argv(int argc, char **argv);
/* Write what the sys.stdout/sys.stderr fast paths buffer (call before the
 * process exits or forks; also run by atexit). */
void tw_sys_flush_stdio(void);
/* In the child after fork(): unlock the standard streams and drop what
 * their buffers hold (call tw_sys_flush_stdio in the parent before
 * forking, so nothing is lost or written twice). */
void tw_sys_reinit_after_fork(void);
/* Write UTF-8 text to the process's stdout/stderr through the same
 * buffers and locks as print() and sys.std*.write: one call's text is never
 * interleaved with another thread's.  `flush` forces the buffer out.
 * 0, or -1 (with OSError) when the descriptor fails. */
int tw_sys_write_stdout(const char *s, size_t n, int flush);
int tw_sys_write_stderr(const char *s, size_t n);
/* The original sys.stdout / sys.stderr / sys.stdin objects (borrowed:
 * immortal); print and input take their fast paths while sys still binds
 * them. */
TwObject *tw_sys_stdout_object(void);
TwObject *tw_sys_stderr_object(void);
TwObject *tw_sys_stdin_object(void);
/* Read one line from the process's stdin, detached while blocked.  The
 * line includes its newline; "" at end of file.  NULL with an exception. */
TwObject *tw_sys_readline_stdin(void);

/* ---- time (core/timemodule.c) ----------------------------------------------- */

/* Register the time module; called by tw_builtins_init. */
int tw_time_init(void);
int tw_socket_init(void); /* core/socketmodule.c */

/* Register the _multiprocessing module (core/mpmodule.c); called by
 * tw_builtins_init. */
int tw_mp_init(void);

/* ---- math, random, zlib (core/mathmodule.c, core/randommodule.c, core/zlibmodule.c) -- */

/* Register the module; called by tw_builtins_init. */
int tw_math_init(void);
int tw_random_init(void);
int tw_zlib_init(void);

/* ---- _thread (core/threadmodule.c) -------------------------------------------- */

/* Register the _thread module; called by tw_builtins_init. */
int tw_thread_module_init(void);

#endif
