/* The eval loop: runs the bytecode of core/compile.c.
 *
 * Frames.  A call from Python to a Python function does not recurse in C:
 * CALL pushes the callee's frame on the thread's data stack (core/frame.h),
 * moves the arguments into its slots and continues the same loop in it;
 * RETURN_VALUE pops it and continues in the caller.  FOR_ITER over a
 * generator likewise runs the generator's frame in this loop: its yield
 * pushes the loop's next item, its return ends the loop.  tw_eval_frame is
 * entered in C only from C (a builtin calling a Python function, a special
 * method of a class, next() on a generator), and each such frame is marked
 * is_entry so that returning from it returns from the C call.
 *
 * Check points.  tw_eval_breaker_check() runs when a frame starts (or a
 * generator resumes) and at JUMP_BACKWARD, and nowhere else: every loop
 * iteration passes a backward jump and every call a frame start, so a GIL
 * drop request, a refcount merge, a signal or an asynchronous exception is
 * served within a bounded amount of work.
 *
 * Recursion.  ts->py_depth counts the Python frames running on a thread;
 * beyond the limit (sys.setrecursionlimit, default 1000) a call raises
 * RecursionError.  The C stack is guarded separately: each C entry to the
 * loop compares the stack pointer with a limit taken from the thread's
 * stack bounds, so C recursion through special methods cannot overflow it.
 *
 * Exceptions.  An instruction that fails jumps to `error`, which adds a
 * traceback entry for this frame and chains the exception to the one being
 * handled (__context__); `exception_unwind` then looks the failing
 * instruction up in the exception table: a handler cuts the value stack
 * back and receives the exception, otherwise the frame is popped and the
 * search goes on in the caller.  Re-raising (RERAISE, bare `raise`) enters
 * at exception_unwind so the frame is not listed twice.
 *
 * Inline caches (see "Inline caches" and "Attribute caches" below) make
 * a global lookup cost two version reads instead of two dict lookups, and
 * an attribute lookup skip the walk of the MRO.  Arithmetic on small ints
 * and floats is done in the loop; a result reuses an operand that only the
 * stack references.  Python calls with positional arguments move them
 * from the caller's stack into the callee's slots.
 *
 * Dispatch uses computed goto with GCC and Clang, a switch otherwise. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/ast.h" /* TwBinOp */
#include "core/builtins.h"
#include "core/code.h"
#include "core/eval.h"
#include "core/frame.h"
#include "core/function.h"
#include "core/import.h"
#include "core/opcode.h"
#include "core/tstate.h"
#include "core/typeobject.h"
#include <twinpy/abstract.h>
#include <twinpy/module.h>
#include <twinpy/slice.h>


/* Shared settings.  Both are read with relaxed loads on hot paths; a
 * change becomes visible to other threads at their next read. */
static _Atomic int recursion_limit = 1000;
/* 1 while inline caches may hand out borrowed objects that could be freed
 * by another thread: always with a GIL, and in the free-threaded build
 * until a second thread starts (tw_eval_threads_starting). */
static _Atomic int caches_mortal_ok = 1;

int tw_eval_get_recursion_limit(void)
{
    return tw_atomic_load_relaxed(&recursion_limit);
}

void tw_eval_set_recursion_limit(int limit)
{
    if (limit >= 1)
        tw_atomic_store_relaxed(&recursion_limit, limit);
}

/* ---- shared definitions become immortal ----------------------------------------------
 *
 * Threads that run the same code touch the same objects: the function,
 * its code and constants, the globals it reads, the classes it
 * instantiates and whose methods it calls, the builtins.  With counts kept
 * on those objects every call would write one cache line from every
 * thread.  In the free-threaded build they become immortal instead, at
 * two moments:
 *   - when the first other thread is about to start
 *     (tw_eval_threads_starting): the definitions and the module-level
 *     data of every loaded module, while the calling thread is the only
 *     one, so it may make any object immortal;
 *   - when a module body finishes while other threads run
 *     (tw_eval_code): the definitions it made; objects another thread
 *     owns are left alone (tw_try_set_immortal).
 * CPython 3.14 defers the counts of such objects and frees them through
 * its cycle collector; twinpy has no collector to free them, so deferring
 * would leak them all the same, and immortality costs nothing per
 * access.  What it costs: such an object is never freed, even if the
 * program drops it later (a module-level container whose global is
 * deleted keeps its contents); module data bound after the threads start
 * stays mortal. */

/* Make op immortal: unconditionally while `alone`, else only if this
 * thread may.  1 if op is immortal now. */
static int make_immortal(TwObject *op, int alone)
{
    if (alone) {
        tw_set_immortal(op);
        return 1;
    }
    return tw_try_set_immortal(op);
}

/* Make a tuple and its items immortal (one level: constants and module
 * tuples of numbers or strings). */
static void immortalize_tuple(TwObject *t, int alone)
{
    if (!make_immortal(t, alone))
        return;
    for (intptr_t j = 0; j < TW_SIZE(t); j++)
        make_immortal(tw_tuple_get_item_borrowed(t, j), alone);
}

/* Make a code object immortal with everything its instructions push:
 * its constants (numbers, strings, tuples of them) and the code of the
 * functions defined inside it, which are constants too.  LOAD_CONST then
 * never writes a count shared by the threads running the code. */
static void immortalize_code(TwObject *code, int alone, int depth)
{
    TwCodeObject *co = (TwCodeObject *)code;
    if (!make_immortal(code, alone))
        return;
    intptr_t n = TW_SIZE(co->consts);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *c = tw_tuple_get_item_borrowed(co->consts, i);
        if (tw_code_check(c)) {
            if (depth < 32 && !tw_is_immortal(c))
                immortalize_code(c, alone, depth + 1);
        } else if (TW_TYPE(c) == &tw_tuple_type) {
            immortalize_tuple(c, alone);
        } else {
            make_immortal(c, alone);
        }
    }
}

/* A function, its code and its default values: what a call reads. */
static void immortalize_function(TwObject *value, int alone)
{
    TwFunctionObject *fn = (TwFunctionObject *)value;
    if (!make_immortal(value, alone))
        return;
    immortalize_code(fn->code, alone, 0);
    if (fn->defaults != NULL)
        immortalize_tuple(fn->defaults, alone);
}

/* Built-in data that a module or class holds for its code to read: the
 * containers themselves (never the objects a list or dict holds, which
 * may be replaced), and the items of tuples. */
static int is_plain_data(TwType *t)
{
    return t == &tw_list_type || t == &tw_dict_type || t == &tw_set_type ||
           t == &tw_frozenset_type || t == &tw_int_type || t == &tw_float_type ||
           t == &tw_str_type || t == &tw_bytes_type;
}

/* Make the definitions of a namespace immortal: its functions (with
 * their code), classes (with their namespaces), modules and built-in
 * functions, the objects LOAD_GLOBAL and LOAD_ATTR caches hand out most;
 * with `data`, also its built-in data (is_plain_data, tuples). */
static void immortalize_namespace(TwObject *dict, int alone, int data, int depth)
{
    intptr_t pos = 0;
    TwObject *key, *value;
    while (tw_dict_next_ref(dict, &pos, &key, &value) == 1) {
        TwType *t = TW_TYPE(value);
        if (t == &tw_function_type) {
            if (!tw_is_immortal(value))
                immortalize_function(value, alone);
        } else if ((t->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) && !tw_is_immortal(value)) {
            TwObject *ns = ((TwType *)value)->tp_dict;
            if (make_immortal(value, alone) && ns != NULL && depth < 4)
                immortalize_namespace(ns, alone, data, depth + 1);
        } else if (tw_module_check(value) || tw_cfunction_check(value)) {
            make_immortal(value, alone);
        } else if (data && t == &tw_tuple_type) {
            immortalize_tuple(value, alone);
        } else if (data && is_plain_data(t)) {
            make_immortal(value, alone);
        }
        tw_decref(key);
        tw_decref(value);
    }
    tw_err_clear();
}

/* 1 if dict is the namespace of the module sys.modules lists under the
 * dict's __name__: an import, not exec() of a string in some dict (which
 * a program may repeat without end). */
static int is_module_namespace(TwObject *dict)
{
    TwObject *saved = tw_err_fetch();
    TwObject *name = NULL, *modules = tw_sys_get_modules(), *m = NULL;
    int r = 0;
    if (modules != NULL && tw_dict_get_item_cstr_ref(dict, "__name__", &name) == 1 &&
        tw_dict_get_item_ref(modules, name, &m) == 1)
        r = tw_module_check(m) && tw_module_dict_borrowed(m) == dict;
    tw_xdecref(m);
    tw_xdecref(name);
    tw_xdecref(modules);
    tw_err_clear();
    tw_err_restore(saved);
    return r;
}

/* Called by the thread about to start the first other thread (see above),
 * then stops inline caches from handing out mortal objects.  With a GIL
 * nothing changes: the GIL alone keeps borrowed cache entries safe. */
void tw_eval_threads_starting(void)
{
    if (tw_gil_is_enabled() || !tw_atomic_load_relaxed(&caches_mortal_ok))
        return;
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    int alone = tw_runtime.thread_count <= 1;
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
    if (alone) {
        TwObject *saved = tw_err_fetch();
        TwObject *modules = tw_sys_get_modules();
        if (modules != NULL) {
            intptr_t pos = 0;
            TwObject *key, *m;
            while (tw_dict_next_ref(modules, &pos, &key, &m) == 1) {
                if (tw_module_check(m))
                    immortalize_namespace(tw_module_dict_borrowed(m), 1, 1, 0);
                tw_decref(key);
                tw_decref(m);
            }
            tw_decref(modules);
        }
        TwThreadState *ts = tw_tstate_fast();
        for (TwFrame *f = ts ? ts->frame : NULL; f != NULL; f = f->previous) {
            immortalize_namespace(f->globals, 1, 1, 0);
            if (f->func != NULL && tw_function_check(f->func) && !tw_is_immortal(f->func))
                immortalize_function(f->func, 1);
        }
        tw_err_clear();
        tw_err_restore(saved);
    }
    tw_atomic_store_relaxed(&caches_mortal_ok, 0);
}

/* ---- interned names ------------------------------------------------------------------ */

/* Immutable after tw_compile_types_ready (under init_once). */
static TwObject *s___name__, *s___build_class__, *s___enter__, *s___exit__, *s___all__, *s_send,
    *s_empty;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_status;

static TwObject *current_module_name(void);

static void init_vm(void)
{
    TwType *types[] = {&tw_code_type, &tw_function_type, &tw_cell_type, &tw_gen_type,
                       &tw_traceback_type};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (tw_type_ready(types[i]) < 0) {
            init_status = -1;
            return;
        }
    s___name__ = tw_str_intern_cstr("__name__");
    s___build_class__ = tw_str_intern_cstr("__build_class__");
    s___enter__ = tw_str_intern_cstr("__enter__");
    s___exit__ = tw_str_intern_cstr("__exit__");
    s___all__ = tw_str_intern_cstr("__all__");
    s_send = tw_str_intern_cstr("send");
    s_empty = tw_str_intern_cstr("");
    if (!s___name__ || !s___build_class__ || !s___enter__ || !s___exit__ || !s___all__ || !s_send ||
        !s_empty) {
        init_status = -1;
        return;
    }
    tw_type_current_module_hook = current_module_name;
}

int tw_compile_types_ready(void)
{
    pthread_once(&init_once, init_vm);
    if (init_status < 0) {
        if (!tw_err_occurred())
            tw_err_set_string(&tw_exc_SystemError, "the VM failed to initialise");
        return -1;
    }
    return 0;
}

/* ---- thread-level state ------------------------------------------------------------------- */

/* The lowest stack address the eval loop may use on this thread: the
 * bottom of the thread's stack plus a margin for the C code that runs
 * below the last eval frame (builtins, destructors, printing). */
void tw_eval_init_c_stack_limit(TwThreadState *ts)
{
    char here;
    uintptr_t limit = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *addr;
        size_t size;
        if (pthread_attr_getstack(&attr, &addr, &size) == 0 && size > 0) {
            size_t margin = size / 8;
            if (margin < (size_t)128 << 10)
                margin = (size_t)128 << 10;
            if (margin > (size_t)1 << 20)
                margin = (size_t)1 << 20;
            if (margin < size)
                limit = (uintptr_t)addr + margin;
        }
        pthread_attr_destroy(&attr);
    }
    if (limit == 0 || limit >= (uintptr_t)&here)
        limit = (uintptr_t)&here - ((uintptr_t)1 << 20); /* unknown: allow 1 MiB more */
    ts->c_stack_limit = limit;
}

static inline TwThreadState *get_tstate(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (tw_unlikely(ts->exc_info == NULL))
        ts->exc_info = &ts->exc_base;
    return ts;
}

/* ---- the data stack ----------------------------------------------------------------------- */

#define CHUNK_MIN_WORDS ((size_t)16 << 10) /* 128 KiB */

TwFrame *tw_frame_push_slow(TwThreadState *ts, size_t words)
{
    TwDataChunk *chunk = ts->datastack_spare;
    if (chunk != NULL && chunk->nwords >= words) {
        ts->datastack_spare = NULL;
    } else {
        size_t n = words * 2 > CHUNK_MIN_WORDS ? words * 2 : CHUNK_MIN_WORDS;
        chunk = malloc(sizeof(TwDataChunk) + n * sizeof(TwObject *));
        if (chunk == NULL) {
            tw_err_no_memory();
            return NULL;
        }
        chunk->nwords = n;
    }
    chunk->previous = ts->datastack_chunk;
    chunk->saved_top = ts->datastack_top;
    ts->datastack_chunk = chunk;
    ts->datastack_top = chunk->data + words;
    ts->datastack_limit = chunk->data + chunk->nwords;
    return (TwFrame *)chunk->data;
}

/* f is the first frame of the current chunk: go back to the chunk below.
 * The emptied chunk is kept as the spare, so a call that keeps crossing a
 * chunk boundary does not allocate every time; the last chunk of a thread
 * is freed when its outermost frame returns. */
void tw_frame_pop_slow(TwThreadState *ts, TwFrame *f)
{
    TwDataChunk *chunk = ts->datastack_chunk;
    tw_assert((TwObject **)f == chunk->data);
    ts->datastack_chunk = chunk->previous;
    ts->datastack_top = chunk->saved_top;
    ts->datastack_limit = chunk->previous ? chunk->previous->data + chunk->previous->nwords : NULL;
    free(ts->datastack_spare);
    ts->datastack_spare = NULL;
    if (chunk->previous == NULL)
        free(chunk); /* the thread left Python code: give the memory back */
    else
        ts->datastack_spare = chunk;
}

void tw_frame_clear(TwFrame *f)
{
    TwObject **p = f->localsplus;
    TwObject **end = f->sp != NULL ? f->sp : p + f->code->nlocalsplus;
    while (p < end) {
        TwObject *o = *p;
        *p++ = NULL;
        tw_xdecref(o);
    }
    f->sp = f->localsplus + f->code->nlocalsplus;
    TW_CLEAR(f->locals);
    TW_CLEAR(f->func);
}

int tw_frame_lineno(TwFrame *f)
{
    int lasti = (int)(f->ip - f->code->code) - 1;
    return tw_code_addr2line(f->code, lasti < 0 ? 0 : lasti);
}

/* ---- arguments ------------------------------------------------------------------------------ */

static const char *func_qualname(TwFunctionObject *fn)
{
    return tw_str_utf8(fn->qualname);
}

/* "'a'", "'a' and 'b'", "'a', 'b', and 'c'" */
static void format_names(char *buf, size_t size, TwObject **names, int n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && len < size; i++) {
        const char *sep = i == 0 ? "" : (n == 2 ? " and " : (i == n - 1 ? ", and " : ", "));
        int w = snprintf(buf + len, size - len, "%s'%s'", sep, tw_str_utf8(names[i]));
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static int missing_arguments(TwFunctionObject *fn, TwFrame *f, int start, int end, int kwonly)
{
    TwCodeObject *co = f->code;
    TwObject *names[64];
    int n = 0;
    for (int i = start; i < end; i++)
        if (f->localsplus[i] == NULL && n < 64)
            names[n++] = tw_tuple_get_item_borrowed(co->localnames, i);
    char list[1024];
    format_names(list, sizeof list, names, n);
    tw_err_format(&tw_exc_TypeError, "%s() missing %d required %s argument%s: %s",
                  func_qualname(fn), n, kwonly ? "keyword-only" : "positional", n == 1 ? "" : "s",
                  list);
    return -1;
}

static int too_many_positional(TwFunctionObject *fn, TwFrame *f, size_t given)
{
    TwCodeObject *co = f->code;
    int ndefaults = fn->defaults ? (int)tw_tuple_size(fn->defaults) : 0;
    int kwonly_given = 0;
    for (int i = co->argcount; i < co->argcount + co->kwonlyargcount; i++)
        if (f->localsplus[i] != NULL)
            kwonly_given++;
    char takes[64], extra[96] = "";
    int atleast = co->argcount - ndefaults;
    if (ndefaults > 0)
        snprintf(takes, sizeof takes, "from %d to %d positional arguments", atleast, co->argcount);
    else
        snprintf(takes, sizeof takes, "%d positional argument%s", co->argcount,
                 co->argcount == 1 ? "" : "s");
    if (kwonly_given > 0)
        snprintf(extra, sizeof extra, " positional argument%s (and %d keyword-only argument%s)",
                 given == 1 ? "" : "s", kwonly_given, kwonly_given == 1 ? "" : "s");
    tw_err_format(&tw_exc_TypeError, "%s() takes %s but %zu%s %s given", func_qualname(fn), takes,
                  given, extra, given == 1 && kwonly_given == 0 ? "was" : "were");
    return -1;
}

/* The slot of keyword `name` among the parameters that accept keywords,
 * or -1.  Interned names usually match by identity. */
static int keyword_slot(TwCodeObject *co, TwObject *name, int *posonly_hit)
{
    int total = co->argcount + co->kwonlyargcount;
    TwObject **names = ((TwTupleObject *)co->localnames)->items;
    for (int i = co->posonlyargcount; i < total; i++)
        if (names[i] == name)
            return i;
    for (int i = co->posonlyargcount; i < total; i++)
        if (tw_str_check(name) && tw_object_eq(names[i], name) > 0)
            return i;
    *posonly_hit = 0;
    for (int i = 0; i < co->posonlyargcount; i++)
        if (names[i] == name || (tw_str_check(name) && tw_object_eq(names[i], name) > 0))
            *posonly_hit = 1;
    return -1;
}

/* Make the cells and copy the closure into a frame whose arguments are
 * in place. */
static inline int frame_init_cells(TwFrame *f, TwFunctionObject *fn)
{
    TwCodeObject *co = f->code;
    if (co->ncells > 0 || (co->flags & TW_CO_HAS_CELL_ARGS)) {
        int end = co->nlocals + co->ncells;
        for (int i = 0; i < end; i++) {
            if (co->localkinds[i] & TW_LOCAL_CELL) {
                TwObject *cell = tw_cell_new(f->localsplus[i]);
                if (cell == NULL)
                    return -1;
                tw_xdecref(f->localsplus[i]);
                f->localsplus[i] = cell;
            }
        }
    }
    if (co->nfrees > 0) {
        int first = co->nlocals + co->ncells;
        for (int i = 0; i < co->nfrees; i++)
            f->localsplus[first + i] = tw_newref(tw_tuple_get_item_borrowed(fn->closure, i));
    }
    return 0;
}

/* Bind a call's arguments into the slots of f (all NULL on entry),
 * taking new references: positional, *args, keywords, **kwargs, then the
 * defaults; CPython's TypeErrors for everything that does not fit. */
int tw_frame_bind_args(TwFrame *f, TwObject *func, TwObject *const *args, size_t nargs,
                       TwObject *kwnames)
{
    TwFunctionObject *fn = (TwFunctionObject *)func;
    TwCodeObject *co = f->code;
    TwObject **slots = f->localsplus;
    int n = co->argcount, total = n + co->kwonlyargcount;
    int nslot = total;
    TwObject *kwdict = NULL;
    if (co->flags & TW_CO_VARARGS)
        nslot++;
    if (co->flags & TW_CO_VARKEYWORDS) {
        kwdict = tw_dict_new();
        if (kwdict == NULL)
            return -1;
        slots[nslot] = kwdict;
    }
    size_t npos = nargs < (size_t)n ? nargs : (size_t)n;
    for (size_t i = 0; i < npos; i++)
        slots[i] = tw_newref(args[i]);
    if (co->flags & TW_CO_VARARGS) {
        size_t extra = nargs > (size_t)n ? nargs - (size_t)n : 0;
        TwObject *t = tw_tuple_new((intptr_t)extra);
        if (t == NULL)
            return -1;
        for (size_t i = 0; i < extra; i++)
            tw_tuple_init_item(t, (intptr_t)i, tw_newref(args[n + i]));
        slots[total] = t;
    }
    if (kwnames != NULL) {
        intptr_t nkw = tw_tuple_size(kwnames);
        for (intptr_t k = 0; k < nkw; k++) {
            TwObject *name = tw_tuple_get_item_borrowed(kwnames, k);
            TwObject *value = args[nargs + (size_t)k];
            int posonly_hit = 0;
            int j = keyword_slot(co, name, &posonly_hit);
            if (j >= 0) {
                if (slots[j] != NULL) {
                    tw_err_format(&tw_exc_TypeError, "%s() got multiple values for argument '%s'",
                                  func_qualname(fn), tw_str_utf8(name));
                    return -1;
                }
                slots[j] = tw_newref(value);
            } else if (kwdict != NULL) {
                if (tw_dict_set_item(kwdict, name, value) < 0)
                    return -1;
            } else if (posonly_hit) {
                tw_err_format(&tw_exc_TypeError,
                              "%s() got some positional-only arguments passed as keyword "
                              "arguments: '%s'",
                              func_qualname(fn), tw_str_utf8(name));
                return -1;
            } else {
                tw_err_format(&tw_exc_TypeError, "%s() got an unexpected keyword argument '%s'",
                              func_qualname(fn), tw_str_utf8(name));
                return -1;
            }
        }
    }
    if (nargs > (size_t)n && !(co->flags & TW_CO_VARARGS))
        return too_many_positional(fn, f, nargs);
    if (nargs < (size_t)n) {
        int ndef = fn->defaults ? (int)tw_tuple_size(fn->defaults) : 0;
        int first_default = n - ndef;
        for (int i = (int)nargs; i < n; i++)
            if (slots[i] == NULL && i >= first_default)
                slots[i] = tw_newref(tw_tuple_get_item_borrowed(fn->defaults, i - first_default));
        for (int i = (int)nargs; i < first_default; i++)
            if (slots[i] == NULL)
                return missing_arguments(fn, f, 0, n, 0);
    }
    if (co->kwonlyargcount > 0) {
        int missing = 0;
        for (int i = n; i < total; i++) {
            if (slots[i] != NULL)
                continue;
            TwObject *v = NULL;
            if (fn->kwdefaults != NULL) {
                int r = tw_dict_get_item_ref(fn->kwdefaults,
                                             tw_tuple_get_item_borrowed(co->localnames, i), &v);
                if (r < 0)
                    return -1;
            }
            if (v != NULL)
                slots[i] = v;
            else
                missing = 1;
        }
        if (missing)
            return missing_arguments(fn, f, n, total, 1);
    }
    return frame_init_cells(f, fn);
}

/* Fill in a new frame's header.  func (may be NULL) is a reference the
 * frame takes over. */
static inline void frame_init(TwFrame *f, TwCodeObject *co, TwObject *func, TwObject *globals,
                              TwObject *builtins, TwObject *locals)
{
    f->previous = NULL;
    f->code = co;
    f->func = func;
    f->globals = globals;
    f->builtins = builtins;
    f->locals = locals;
    f->ip = co->code;
    f->sp = f->localsplus + co->nlocalsplus;
    f->owner = TW_FRAME_ON_DATASTACK;
    f->is_entry = 0;
    f->state = TW_FRAME_RUNNING;
}

void tw_frame_init_for_call(TwFrame *f, TwObject *func, uint8_t owner)
{
    TwFunctionObject *fn = (TwFunctionObject *)func;
    TwCodeObject *co = (TwCodeObject *)fn->code;
    frame_init(f, co, tw_newref(func), fn->globals, fn->builtins, NULL);
    f->owner = owner;
    memset(f->localsplus, 0, (size_t)co->nlocalsplus * sizeof(TwObject *));
}

TwObject *tw_eval_frame(TwThreadState *ts, TwFrame *frame, int throwflag);

TwObject *tw_function_vectorcall(TwObject *func, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    TwFunctionObject *fn = (TwFunctionObject *)func;
    TwCodeObject *co = (TwCodeObject *)fn->code;
    if (co->flags & TW_CO_GENERATOR)
        return tw_gen_new_from_call(func, args, nargs, kwnames);
    TwThreadState *ts = get_tstate();
    TwFrame *f = tw_frame_push(ts, co);
    if (f == NULL)
        return NULL;
    tw_frame_init_for_call(f, func, TW_FRAME_ON_DATASTACK);
    if (tw_frame_bind_args(f, func, args, nargs, kwnames) < 0) {
        tw_frame_clear(f);
        tw_frame_pop(ts, f);
        return NULL;
    }
    return tw_eval_frame(ts, f, 0);
}

TwObject *tw_eval_class_body(TwObject *func, TwObject *ns)
{
    if (!tw_function_check(func)) {
        tw_err_set_string(&tw_exc_TypeError, "class body must be a function");
        return NULL;
    }
    TwFunctionObject *fn = (TwFunctionObject *)func;
    TwCodeObject *co = (TwCodeObject *)fn->code;
    TwThreadState *ts = get_tstate();
    TwFrame *f = tw_frame_push(ts, co);
    if (f == NULL)
        return NULL;
    tw_frame_init_for_call(f, func, TW_FRAME_ON_DATASTACK);
    f->locals = tw_newref(ns);
    if (frame_init_cells(f, fn) < 0) {
        tw_frame_clear(f);
        tw_frame_pop(ts, f);
        return NULL;
    }
    return tw_eval_frame(ts, f, 0);
}

TwObject *tw_eval_code(TwObject *code, TwObject *globals, TwObject *locals)
{
    if (tw_compile_types_ready() < 0)
        return NULL;
    TwCodeObject *co = (TwCodeObject *)code;
    TwThreadState *ts = get_tstate();
    TwObject *builtins = tw_builtins_dict();
    if (builtins == NULL)
        return NULL;
    TwFrame *f = tw_frame_push(ts, co);
    if (f == NULL) {
        tw_decref(builtins);
        return NULL;
    }
    frame_init(f, co, NULL, globals, builtins, tw_newref(locals));
    memset(f->localsplus, 0, (size_t)co->nlocalsplus * sizeof(TwObject *));
    /* code and globals stay alive: the caller holds them until we return. */
    TwObject *r = tw_eval_frame(ts, f, 0);
    tw_decref(builtins);
    /* A module imported while other threads run: its definitions become
     * immortal as if it had been loaded before they started. */
    if (r != NULL && globals == locals && !(co->flags & TW_CO_OPTIMIZED) &&
        !tw_atomic_load_relaxed(&caches_mortal_ok) && is_module_namespace(globals))
        immortalize_namespace(globals, 0, 0, 0);
    return r;
}

/* ---- introspection ----------------------------------------------------------------------------
 */

TwObject *tw_eval_get_globals(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL || ts->frame == NULL)
        return NULL;
    return tw_newref(ts->frame->globals);
}

static TwObject *current_module_name(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL || ts->frame == NULL)
        return NULL;
    TwObject *name = NULL;
    if (tw_dict_get_item_ref(ts->frame->globals, s___name__, &name) <= 0) {
        tw_err_clear();
        return NULL;
    }
    return name;
}

TwObject *tw_eval_get_locals(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL || ts->frame == NULL)
        return NULL;
    TwFrame *f = ts->frame;
    if (f->locals != NULL)
        return tw_newref(f->locals);
    TwObject *d = tw_dict_new();
    if (d == NULL)
        return NULL;
    TwCodeObject *co = f->code;
    for (int i = 0; i < co->nlocalsplus; i++) {
        TwObject *v = f->localsplus[i];
        if (v == NULL)
            continue;
        if (co->localkinds[i] & (TW_LOCAL_CELL | TW_LOCAL_FREE)) {
            v = tw_cell_get(v);
            if (v == NULL)
                continue;
        } else {
            tw_incref(v);
        }
        int r = tw_dict_set_item(d, tw_tuple_get_item_borrowed(co->localnames, i), v);
        tw_decref(v);
        if (r < 0) {
            tw_decref(d);
            return NULL;
        }
    }
    return d;
}

/* The exception being handled: the innermost entry of the chain that has
 * one (a generator that handles nothing sees its caller's). */
static inline TwObject *handled_exception(TwThreadState *ts)
{
    for (TwExcInfo *ei = ts->exc_info; ei != NULL; ei = ei->previous)
        if (ei->exc != NULL)
            return ei->exc;
    return NULL;
}

TwObject *tw_eval_handled_exception(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL || ts->exc_info == NULL)
        return NULL;
    TwObject *e = handled_exception(ts);
    return e ? tw_newref(e) : NULL;
}

/* exc.__context__ = the exception being handled, unless that is exc
 * itself; a link back to exc in the handled exception's own chain is cut
 * so that no cycle forms.  `only_if_unset`: leave an existing context. */
static void chain_context(TwThreadState *ts, TwObject *exc, int only_if_unset)
{
    TwObject *handled = handled_exception(ts);
    if (handled == NULL || handled == exc || !tw_exception_check(exc))
        return;
    if (only_if_unset) {
        TwObject *old = tw_exception_get_context(exc);
        if (old != NULL) {
            tw_decref(old);
            return;
        }
    }
    TwObject *o = tw_newref(handled);
    for (int steps = 0; steps < 10000; steps++) {
        TwObject *ctx = tw_exception_get_context(o);
        if (ctx == NULL)
            break;
        if (ctx == exc) {
            tw_exception_set_context(o, NULL);
            tw_decref(ctx);
            break;
        }
        tw_decref(o);
        o = ctx;
    }
    tw_decref(o);
    tw_exception_set_context(exc, handled);
}

/* ---- inline caches ------------------------------------------------------------------------------
 *
 * LOAD_GLOBAL keeps, per instruction, the globals dict it looked in, the
 * versions of the globals and builtins dicts at the time, and the value
 * it found (borrowed).  While both versions are unchanged the value is
 * still the one the dicts hold, so it can be pushed without a lookup.
 *
 * Free-threading: the entry is a seqlock (core/code.h), so a reader never
 * mixes fields of two fills.  A borrowed pointer is only safe while the
 * object cannot be freed between the version check and our incref; with a
 * GIL (or a single thread) nothing runs in between.  Once other threads run
 * Python code without a GIL, an entry is used only if the object was
 * immortal when cached (flag CACHE_IMMORTAL): functions, classes, modules
 * and builtins are, from then on; other values take the dict lookup. */

#define CACHE_FILLED   ((uintptr_t)1)
#define CACHE_IMMORTAL ((uintptr_t)2)
#define CACHE_TAGS     ((uintptr_t)3)

/* A dict's version, read without the dict's lock: an aligned 64-bit load,
 * so never torn; a stale value only makes the cache miss or (as with any
 * unlocked read) see the state just before a concurrent write. */
static inline uint64_t dict_version(TwObject *d)
{
    return __atomic_load_n(&((TwDictObject *)d)->version, __ATOMIC_RELAXED);
}

static inline TwObject *cache_read(TwCacheEntry *ce, uintptr_t key, uint64_t v1, uint64_t v2)
{
    uint32_t seq = tw_atomic_load_acquire(&ce->seq);
    if (seq & 1)
        return NULL;
    uintptr_t k = tw_atomic_load_relaxed(&ce->key);
    uint64_t a = tw_atomic_load_relaxed(&ce->version);
    uint64_t b = tw_atomic_load_relaxed(&ce->aux);
    uintptr_t val = tw_atomic_load_relaxed(&ce->value);
    atomic_thread_fence(memory_order_acquire);
    if (tw_atomic_load_relaxed(&ce->seq) != seq)
        return NULL;
    if (k != key || a != v1 || b != v2 || !(val & CACHE_FILLED))
        return NULL;
    if (!(val & CACHE_IMMORTAL) && !tw_atomic_load_relaxed(&caches_mortal_ok))
        return NULL;
    return (TwObject *)(val & ~CACHE_TAGS);
}

static void cache_write(TwCacheEntry *ce, uintptr_t key, uint64_t v1, uint64_t v2, TwObject *obj)
{
    int immortal = tw_is_immortal(obj);
    if (!immortal && !tw_atomic_load_relaxed(&caches_mortal_ok))
        return;
    uint32_t seq = tw_atomic_load_relaxed(&ce->seq);
    if ((seq & 1) || !tw_atomic_cas_acqrel(&ce->seq, &seq, seq + 1))
        return; /* another thread is filling it */
    tw_atomic_store_relaxed(&ce->key, key);
    tw_atomic_store_relaxed(&ce->version, v1);
    tw_atomic_store_relaxed(&ce->aux, v2);
    tw_atomic_store_relaxed(&ce->value,
                            (uintptr_t)obj | CACHE_FILLED | (immortal ? CACHE_IMMORTAL : 0));
    tw_atomic_store_release(&ce->seq, seq + 2);
}

static TwObject *load_global(TwFrame *f, TwCacheEntry *ce)
{
    TwObject *globals = f->globals, *builtins = f->builtins;
    uint64_t gv = dict_version(globals), bv = dict_version(builtins);
    TwObject *v = cache_read(ce, (uintptr_t)globals, gv, bv);
    if (tw_likely(v != NULL))
        return tw_newref(v);
    TwObject *name = tw_tuple_get_item_borrowed(f->code->names, ce->name);
    int r = tw_dict_get_item_ref(globals, name, &v);
    if (r == 0)
        r = tw_dict_get_item_ref(builtins, name, &v);
    if (r < 0)
        return NULL;
    if (r == 0) {
        tw_err_format(&tw_exc_NameError, "name '%s' is not defined", tw_str_utf8(name));
        return NULL;
    }
    cache_write(ce, (uintptr_t)globals, gv, bv, v);
    return v;
}

/* ---- attribute caches
 * ----------------------------------------------------------------------------
 *
 * LOAD_ATTR, LOAD_METHOD and STORE_ATTR remember, per instruction, what
 * the attribute lookup on a type found: the entry's key is the type, its
 * version the type's tp_version (which changes whenever the namespace of
 * the type or of a class in its MRO changes), aux says how to use the
 * entry and value is the class attribute found (borrowed, may be NULL).
 * A hit skips the walk of the MRO; what is left is the instance dict,
 * which the generic algorithm consults anyway.  Class attributes may be
 * borrowed in every build: the type system never frees a value dropped
 * from a class namespace while another thread could still be reading it
 * (core/typeobject.c, release_class_value).  Module attributes use the
 * module dict's version instead, like LOAD_GLOBAL. */

enum {
    ATTR_INSTANCE = 1, /* instance dict, then the class attribute `value` (or none) */
    ATTR_DESCR,        /* `value` is a data descriptor: call its __get__ */
    ATTR_METHOD,       /* LOAD_METHOD: instance dict, else `value` called with self */
    ATTR_MODULE,       /* key: a module's dict; `value` is the attribute */
    STORE_INSTANCE,    /* STORE_ATTR: the instance dict */
    STORE_DESCR,       /* STORE_ATTR: `value` is a data descriptor: call its __set__ */
};

static inline int cache_read_kind(TwCacheEntry *ce, uintptr_t key, uint64_t version, uint64_t *kind,
                                  TwObject **value)
{
    uint32_t seq = tw_atomic_load_acquire(&ce->seq);
    if (seq & 1)
        return 0;
    uintptr_t k = tw_atomic_load_relaxed(&ce->key);
    uint64_t a = tw_atomic_load_relaxed(&ce->version);
    uint64_t b = tw_atomic_load_relaxed(&ce->aux);
    uintptr_t val = tw_atomic_load_relaxed(&ce->value);
    atomic_thread_fence(memory_order_acquire);
    if (tw_atomic_load_relaxed(&ce->seq) != seq || k != key || a != version ||
        !(val & CACHE_FILLED))
        return 0;
    if (!(val & CACHE_IMMORTAL) && !tw_atomic_load_relaxed(&caches_mortal_ok))
        return 0;
    *kind = b;
    *value = (TwObject *)(val & ~CACHE_TAGS);
    return 1;
}

/* class_attr: obj comes from a class namespace, so it may always be
 * borrowed (see above). */
static void cache_write_kind(TwCacheEntry *ce, uintptr_t key, uint64_t version, uint64_t kind,
                             TwObject *obj, int class_attr)
{
    uintptr_t tags = CACHE_FILLED;
    if (class_attr || obj == NULL || tw_is_immortal(obj))
        tags |= CACHE_IMMORTAL;
    else if (!tw_atomic_load_relaxed(&caches_mortal_ok))
        return;
    uint32_t seq = tw_atomic_load_relaxed(&ce->seq);
    if ((seq & 1) || !tw_atomic_cas_acqrel(&ce->seq, &seq, seq + 1))
        return;
    tw_atomic_store_relaxed(&ce->key, key);
    tw_atomic_store_relaxed(&ce->version, version);
    tw_atomic_store_relaxed(&ce->aux, kind);
    tw_atomic_store_relaxed(&ce->value, (uintptr_t)obj | tags);
    tw_atomic_store_release(&ce->seq, seq + 2);
}

/* Attribute instructions own two entries (see emit_cached): a hit in
 * either serves. */
static inline int attr_cache_read(TwCacheEntry *ce, uintptr_t key, uint64_t version, uint64_t *kind,
                                  TwObject **value)
{
    return cache_read_kind(&ce[0], key, version, kind, value) ||
           cache_read_kind(&ce[1], key, version, kind, value);
}

/* The entry of the pair to fill for key: the one already about key or
 * empty, else the second (the first keeps the class seen first). */
static inline TwCacheEntry *attr_cache_victim(TwCacheEntry *ce, uintptr_t key)
{
    uintptr_t k0 = tw_atomic_load_relaxed(&ce[0].key);
    if (k0 == key || k0 == 0)
        return &ce[0];
    return &ce[1];
}

/* The type's version, read as the type system publishes it. */
static inline uint64_t type_version(TwType *t)
{
    return __atomic_load_n(&t->tp_version, __ATOMIC_ACQUIRE);
}

/* obj's __dict__ if it has one yet (borrowed: lives as long as obj). */
static inline TwObject *instance_dict(TwObject *obj)
{
    TwObject **slot = tw_object_dict_ptr(obj);
    return slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : NULL;
}

static inline int generic_getattr(TwType *t)
{
    return t->tp_getattro == NULL || t->tp_getattro == tw_object_generic_getattr;
}

static inline int generic_setattr(TwType *t)
{
    return t->tp_setattro == NULL || t->tp_setattro == tw_object_generic_setattr;
}

/* Record what the MRO of t holds for name (read under version tv). */
static void fill_attr_cache(TwCacheEntry *ce, TwType *t, uint64_t tv, TwObject *name,
                            int for_method)
{
    TwObject *descr = tw_type_lookup_ref(t, name);
    uint64_t kind;
    if (descr != NULL && TW_TYPE(descr)->tp_descr_set != NULL) {
        if (TW_TYPE(descr)->tp_descr_get == NULL) {
            tw_decref(descr);
            return; /* a data descriptor without __get__: rare, not cached */
        }
        kind = ATTR_DESCR;
    } else if (for_method && descr != NULL &&
               (TW_TYPE(descr)->tp_flags & TW_TPFLAGS_METHOD_DESCRIPTOR)) {
        kind = ATTR_METHOD;
    } else {
        kind = ATTR_INSTANCE;
    }
    cache_write_kind(attr_cache_victim(ce, (uintptr_t)t), (uintptr_t)t, tv, kind, descr, 1);
    tw_xdecref(descr);
}

/* The attribute through a cache hit of kind ATTR_INSTANCE or ATTR_DESCR: a
 * new reference, NULL with an exception, or NULL and *miss = 1 to take the
 * general path. */
static inline TwObject *attr_from_cache(uint64_t kind, TwObject *v, TwObject *obj, TwObject *name,
                                        int *miss)
{
    TwType *t = TW_TYPE(obj);
    if (kind == ATTR_DESCR) {
        tw_incref(v);
        TwObject *r = TW_TYPE(v)->tp_descr_get(v, obj, (TwObject *)t);
        tw_decref(v);
        return r;
    }
    TwObject *d = instance_dict(obj);
    if (d != NULL) {
        TwObject *r;
        int rc = tw_dict_get_item_ref(d, name, &r);
        if (rc != 0)
            return rc > 0 ? r : NULL;
    }
    if (v == NULL) {
        *miss = 1; /* the general path raises AttributeError (or finds __getattr__) */
        return NULL;
    }
    tw_descrgetfunc get = TW_TYPE(v)->tp_descr_get;
    if (get == NULL)
        return tw_newref(v);
    tw_incref(v);
    TwObject *r = get(v, obj, (TwObject *)t);
    tw_decref(v);
    return r;
}

static TwObject *load_module_attr(TwCacheEntry *ce, TwObject *mod, TwObject *name)
{
    TwObject *d = tw_module_dict_borrowed(mod);
    uint64_t dv = dict_version(d), kind;
    TwObject *v;
    if (cache_read_kind(ce, (uintptr_t)d, dv, &kind, &v) && kind == ATTR_MODULE)
        return tw_newref(v);
    TwObject *r = tw_object_getattr(mod, name);
    if (r != NULL) {
        TwObject *check = NULL;
        if (tw_dict_get_item_ref(d, name, &check) > 0 && check == r)
            cache_write_kind(ce, (uintptr_t)d, dv, ATTR_MODULE, r, 0);
        tw_xdecref(check);
        if (tw_err_occurred())
            tw_err_clear(); /* only the cache fill failed */
    }
    return r;
}

static TwObject *load_attr(TwCodeObject *co, TwCacheEntry *ce, TwObject *obj)
{
    TwType *t = TW_TYPE(obj);
    TwObject *name = tw_tuple_get_item_borrowed(co->names, ce->name);
    if (t == &tw_module_type)
        return load_module_attr(ce, obj, name);
    uint64_t tv = type_version(t), kind;
    TwObject *v;
    if (tv != 0 && attr_cache_read(ce, (uintptr_t)t, tv, &kind, &v) &&
        (kind == ATTR_INSTANCE || kind == ATTR_DESCR)) {
        int miss = 0;
        TwObject *r = attr_from_cache(kind, v, obj, name, &miss);
        if (!miss)
            return r;
    }
    TwObject *r = tw_object_getattr(obj, name);
    if (tv != 0 && generic_getattr(t)) {
        TwObject *exc = r == NULL ? tw_err_fetch() : NULL;
        fill_attr_cache(ce, t, tv, name, 0);
        if (exc != NULL)
            tw_err_restore(exc);
    }
    return r;
}

/* LOAD_METHOD: *unbound = 1 when the result is a function to call with
 * obj as its first argument. */
static TwObject *load_method(TwCodeObject *co, TwCacheEntry *ce, TwObject *obj, int *unbound)
{
    TwType *t = TW_TYPE(obj);
    TwObject *name = tw_tuple_get_item_borrowed(co->names, ce->name);
    *unbound = 0;
    if (t == &tw_module_type)
        return load_module_attr(ce, obj, name);
    uint64_t tv = type_version(t), kind;
    TwObject *v;
    if (tv != 0 && attr_cache_read(ce, (uintptr_t)t, tv, &kind, &v)) {
        if (kind == ATTR_METHOD) {
            TwObject *d = instance_dict(obj);
            if (d != NULL) {
                TwObject *r;
                int rc = tw_dict_get_item_ref(d, name, &r);
                if (rc != 0)
                    return rc > 0 ? r : NULL;
            }
            *unbound = 1;
            return tw_newref(v);
        }
        if (kind == ATTR_INSTANCE || kind == ATTR_DESCR) {
            int miss = 0;
            TwObject *r = attr_from_cache(kind, v, obj, name, &miss);
            if (!miss)
                return r;
        }
    }
    TwObject *r = tw_object_get_method(obj, name, unbound);
    if (tv != 0 && generic_getattr(t)) {
        TwObject *exc = r == NULL ? tw_err_fetch() : NULL;
        fill_attr_cache(ce, t, tv, name, 1);
        if (exc != NULL)
            tw_err_restore(exc);
    }
    return r;
}

static int store_attr(TwCodeObject *co, TwCacheEntry *ce, TwObject *obj, TwObject *value)
{
    TwType *t = TW_TYPE(obj);
    TwObject *name = tw_tuple_get_item_borrowed(co->names, ce->name);
    uint64_t tv = type_version(t), kind;
    TwObject *v;
    if (tv != 0 && attr_cache_read(ce, (uintptr_t)t, tv, &kind, &v)) {
        if (kind == STORE_INSTANCE) {
            TwObject *d = tw_object_instance_dict(obj, 1);
            if (d != NULL)
                return tw_dict_set_item(d, name, value);
            return -1;
        }
        if (kind == STORE_DESCR) {
            tw_incref(v);
            int r = TW_TYPE(v)->tp_descr_set(v, obj, value);
            tw_decref(v);
            return r;
        }
    }
    int r = tw_object_setattr(obj, name, value);
    if (r == 0 && tv != 0 && generic_setattr(t) && t != &tw_module_type) {
        TwObject *descr = tw_type_lookup_ref(t, name);
        if (descr != NULL && TW_TYPE(descr)->tp_descr_set != NULL)
            cache_write_kind(attr_cache_victim(ce, (uintptr_t)t), (uintptr_t)t, tv, STORE_DESCR,
                             descr, 1);
        else if (descr == NULL && t->tp_dictoffset != 0)
            cache_write_kind(attr_cache_victim(ce, (uintptr_t)t), (uintptr_t)t, tv, STORE_INSTANCE,
                             NULL, 1);
        else if (descr != NULL && t->tp_dictoffset != 0)
            cache_write_kind(attr_cache_victim(ce, (uintptr_t)t), (uintptr_t)t, tv, STORE_INSTANCE,
                             NULL, 1);
        tw_xdecref(descr);
    }
    return r;
}

/* super().name without making the super object: [super, cls, self].  When
 * `super` is the built-in and cls is a class that self (or, for class
 * methods, the class self) derives from, look name up in the MRO after cls,
 * as super(cls, self) would.  The entry caches the result per (type of the
 * start of the MRO walk, its version, cls).  Anything unusual makes a real
 * super object.  Returns a new reference; *unbound = 1 (for_method only)
 * when the result is a function to call with self. */
static TwObject *super_lookup(TwCodeObject *co, TwCacheEntry *ce, TwObject *sup, TwObject *cls,
                              TwObject *self, int for_method, int *unbound)
{
    TwObject *name = tw_tuple_get_item_borrowed(co->names, ce->name);
    *unbound = 0;
    /* super().__class__ is the super object's own class, as in CPython. */
    if (sup == (TwObject *)&tw_super_type && (TW_TYPE(cls)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) &&
        !tw_str_equal_cstr(name, "__class__")) {
        TwType *start = NULL;
        if ((TW_TYPE(self)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) &&
            tw_type_is_subtype((TwType *)self, (TwType *)cls))
            start = (TwType *)self;
        else if (tw_type_is_subtype(TW_TYPE(self), (TwType *)cls))
            start = TW_TYPE(self);
        uint64_t tv = start ? type_version(start) : 0, kind;
        TwObject *descr = NULL;
        int found = 0;
        if (tv != 0 && cache_read_kind(ce, (uintptr_t)start, tv, &kind, &descr) &&
            kind == (uint64_t)(uintptr_t)cls) {
            found = descr != NULL;
            if (found)
                tw_incref(descr);
        } else if (tv != 0 && start->tp_mro != NULL) {
            TwObject *mro = start->tp_mro;
            intptr_t n = tw_tuple_size(mro), i = 0;
            while (i < n && tw_tuple_get_item_borrowed(mro, i) != cls)
                i++;
            for (i++; i < n && !found; i++) {
                TwType *t = (TwType *)tw_tuple_get_item_borrowed(mro, i);
                if (t->tp_dict == NULL)
                    continue;
                int r = tw_dict_get_item_ref(t->tp_dict, name, &descr);
                if (r < 0)
                    return NULL;
                found = r;
            }
            if (found)
                cache_write_kind(ce, (uintptr_t)start, tv, (uint64_t)(uintptr_t)cls, descr, 1);
        }
        if (found) {
            if (for_method && start == TW_TYPE(self) &&
                (TW_TYPE(descr)->tp_flags & TW_TPFLAGS_METHOD_DESCRIPTOR)) {
                *unbound = 1;
                return descr;
            }
            tw_descrgetfunc get = TW_TYPE(descr)->tp_descr_get;
            if (get == NULL)
                return descr;
            TwObject *r = get(descr, self == (TwObject *)start ? NULL : self, (TwObject *)start);
            tw_decref(descr);
            return r;
        }
    }
    /* The general way. */
    TwObject *args[2] = {cls, self};
    TwObject *obj = tw_object_vectorcall(sup, args, 2, NULL);
    if (obj == NULL)
        return NULL;
    TwObject *r =
        for_method ? tw_object_get_method(obj, name, unbound) : tw_object_getattr(obj, name);
    if (r != NULL && *unbound) {
        /* A method of the super object itself: call it bound to that. */
        TwObject *bound = tw_method_new(r, obj);
        tw_decref(r);
        r = bound;
        *unbound = 0;
    }
    tw_decref(obj);
    return r;
}

/* ---- helpers for instructions -------------------------------------------------------------------
 */

static void format_unbound_local(TwCodeObject *co, int slot)
{
    TwObject *name = tw_tuple_get_item_borrowed(co->localnames, slot);
    if (co->localkinds[slot] & TW_LOCAL_FREE)
        tw_err_format(&tw_exc_NameError,
                      "cannot access free variable '%s' where it is not associated with a value "
                      "in enclosing scope",
                      tw_str_utf8(name));
    else
        tw_err_format(&tw_exc_UnboundLocalError,
                      "cannot access local variable '%s' where it is not associated with a value",
                      tw_str_utf8(name));
}

static TwObject *load_name(TwFrame *f, TwObject *name)
{
    TwObject *v;
    int r;
    if (f->locals != NULL) {
        if (TW_TYPE(f->locals) == &tw_dict_type || tw_dict_check(f->locals))
            r = tw_dict_get_item_ref(f->locals, name, &v);
        else {
            v = tw_object_getitem(f->locals, name);
            r = v != NULL;
            if (v == NULL) {
                if (!tw_err_matches(&tw_exc_KeyError))
                    return NULL;
                tw_err_clear();
            }
        }
        if (r != 0)
            return r > 0 ? v : NULL;
    }
    r = f->locals == f->globals ? 0 : tw_dict_get_item_ref(f->globals, name, &v);
    if (r == 0)
        r = tw_dict_get_item_ref(f->builtins, name, &v);
    if (r < 0)
        return NULL;
    if (r == 0) {
        tw_err_format(&tw_exc_NameError, "name '%s' is not defined", tw_str_utf8(name));
        return NULL;
    }
    return v;
}

static int store_name(TwFrame *f, TwObject *name, TwObject *v)
{
    if (f->locals == NULL) {
        tw_err_format(&tw_exc_SystemError, "no locals when storing '%s'", tw_str_utf8(name));
        return -1;
    }
    if (TW_TYPE(f->locals) == &tw_dict_type || tw_dict_check(f->locals))
        return tw_dict_set_item(f->locals, name, v);
    return tw_object_setitem(f->locals, name, v);
}

static int delete_from(TwObject *dict, TwObject *name)
{
    int r = tw_dict_contains(dict, name);
    if (r < 0)
        return -1;
    if (r == 0) {
        tw_err_format(&tw_exc_NameError, "name '%s' is not defined", tw_str_utf8(name));
        return -1;
    }
    return tw_dict_del_item(dict, name);
}

/* ascii(): repr with non-ASCII characters escaped. */
static TwObject *object_ascii(TwObject *v)
{
    TwObject *r = tw_object_repr(v);
    if (r == NULL || ((TwStrObject *)r)->ascii)
        return r;
    const unsigned char *s = (const unsigned char *)tw_str_utf8(r);
    size_t n = (size_t)tw_str_byte_size(r);
    char *buf = malloc(n * 10 / 2 + 16);
    if (buf == NULL) {
        tw_decref(r);
        return tw_err_no_memory();
    }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            buf[o++] = (char)c;
            i++;
            continue;
        }
        int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        uint32_t cp = c & (0xff >> (len + 1));
        for (int k = 1; k < len; k++)
            cp = (cp << 6) | (s[i + (size_t)k] & 0x3f);
        i += (size_t)len;
        if (cp <= 0xff)
            o += (size_t)sprintf(buf + o, "\\x%02x", cp);
        else if (cp <= 0xffff)
            o += (size_t)sprintf(buf + o, "\\u%04x", cp);
        else
            o += (size_t)sprintf(buf + o, "\\U%08x", cp);
    }
    TwObject *res = tw_str_from_utf8(buf, o);
    free(buf);
    tw_decref(r);
    return res;
}

static TwObject *format_value(TwObject *v, int conv, TwObject *spec)
{
    TwObject *conv_v = NULL;
    switch (conv) {
    case TW_FMT_STR:
        conv_v = tw_object_str(v);
        break;
    case TW_FMT_REPR:
        conv_v = tw_object_repr(v);
        break;
    case TW_FMT_ASCII:
        conv_v = object_ascii(v);
        break;
    default:
        conv_v = tw_newref(v);
        break;
    }
    if (conv_v == NULL)
        return NULL;
    if (spec == NULL && TW_TYPE(conv_v) == &tw_str_type)
        return conv_v;
    TwObject *r = tw_object_format(conv_v, spec ? spec : s_empty);
    tw_decref(conv_v);
    return r;
}

static TwObject *build_string(TwObject **items, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += (size_t)tw_str_byte_size(items[i]);
    char small[256];
    char *buf = total < sizeof small ? small : malloc(total + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = (size_t)tw_str_byte_size(items[i]);
        memcpy(buf + o, tw_str_utf8(items[i]), len);
        o += len;
    }
    TwObject *r = tw_str_from_utf8(buf, o);
    if (buf != small)
        free(buf);
    return r;
}

/* Push the n items of an iterable in reverse (UNPACK_SEQUENCE). */
static int unpack_iterable(TwObject *seq, int n, TwObject **top)
{
    TwType *t = TW_TYPE(seq);
    if (t == &tw_tuple_type || t == &tw_list_type) {
        TwObject *tuple = t == &tw_tuple_type ? tw_newref(seq) : tw_list_as_tuple(seq);
        if (tuple == NULL)
            return -1;
        intptr_t len = tw_tuple_size(tuple);
        if (len != n) {
            if (len < n)
                tw_err_format(&tw_exc_ValueError,
                              "not enough values to unpack (expected %d, got %zd)", n,
                              (ssize_t)len);
            else
                tw_err_format(&tw_exc_ValueError, "too many values to unpack (expected %d)", n);
            tw_decref(tuple);
            return -1;
        }
        for (int i = 0; i < n; i++)
            top[n - 1 - i] = tw_newref(tw_tuple_get_item_borrowed(tuple, i));
        tw_decref(tuple);
        return 0;
    }
    TwObject *it = tw_object_iter(seq);
    if (it == NULL) {
        if (tw_err_matches(&tw_exc_TypeError) && t->tp_iter == NULL && t->tp_getitem == NULL) {
            tw_err_clear();
            tw_err_format(&tw_exc_TypeError, "cannot unpack non-iterable %s object", t->tp_name);
        }
        return -1;
    }
    int i = 0;
    for (; i < n; i++) {
        TwObject *v = tw_iter_next(it);
        if (v == NULL) {
            if (!tw_err_occurred())
                tw_err_format(&tw_exc_ValueError,
                              "not enough values to unpack (expected %d, got %d)", n, i);
            goto fail;
        }
        top[n - 1 - i] = v;
    }
    TwObject *extra = tw_iter_next(it);
    if (extra != NULL) {
        tw_decref(extra);
        tw_err_format(&tw_exc_ValueError, "too many values to unpack (expected %d)", n);
        goto fail;
    }
    if (tw_err_occurred())
        goto fail;
    tw_decref(it);
    return 0;
fail:
    for (int k = 0; k < i; k++)
        TW_CLEAR(top[n - 1 - k]);
    tw_decref(it);
    return -1;
}

/* UNPACK_EX: before items, a list of the middle, after items. */
static int unpack_ex(TwObject *seq, int before, int after, TwObject **top)
{
    TwObject *it = tw_object_iter(seq);
    if (it == NULL) {
        TwType *t = TW_TYPE(seq);
        if (tw_err_matches(&tw_exc_TypeError) && t->tp_iter == NULL && t->tp_getitem == NULL) {
            tw_err_clear();
            tw_err_format(&tw_exc_TypeError, "cannot unpack non-iterable %s object", t->tp_name);
        }
        return -1;
    }
    TwObject *all = tw_sequence_list(it);
    tw_decref(it);
    if (all == NULL)
        return -1;
    intptr_t len = tw_list_size(all);
    if (len < before + after) {
        tw_err_format(&tw_exc_ValueError,
                      "not enough values to unpack (expected at least %d, got %zd)", before + after,
                      (ssize_t)len);
        tw_decref(all);
        return -1;
    }
    int total = before + 1 + after;
    /* top[total - 1] is stored first: the first item. */
    for (int i = 0; i < before; i++)
        top[total - 1 - i] = tw_list_get_item(all, i);
    TwObject *middle = tw_list_new(0);
    if (middle == NULL) {
        tw_decref(all);
        return -1;
    }
    for (intptr_t i = before; i < len - after; i++) {
        TwObject *v = tw_list_get_item(all, i);
        tw_list_append(middle, v);
        tw_decref(v);
    }
    top[after] = middle;
    for (int i = 0; i < after; i++)
        top[after - 1 - i] = tw_list_get_item(all, len - after + i);
    tw_decref(all);
    return 0;
}

static int extend_list(TwObject *list, TwObject *iterable)
{
    TwType *t = TW_TYPE(iterable);
    if (t == &tw_list_type || t == &tw_tuple_type)
        return tw_list_extend(list, iterable);
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL)
        return -1;
    TwObject *v;
    while ((v = tw_iter_next(it)) != NULL) {
        int r = tw_list_append(list, v);
        tw_decref(v);
        if (r < 0) {
            tw_decref(it);
            return -1;
        }
    }
    tw_decref(it);
    return tw_err_occurred() ? -1 : 0;
}

static int update_set(TwObject *set, TwObject *iterable)
{
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL)
        return -1;
    TwObject *v;
    while ((v = tw_iter_next(it)) != NULL) {
        int r = tw_set_add(set, v);
        tw_decref(v);
        if (r < 0) {
            tw_decref(it);
            return -1;
        }
    }
    tw_decref(it);
    return tw_err_occurred() ? -1 : 0;
}

/* f(**m): merge m into the keyword dict, refusing duplicates. */
static int dict_merge_kwargs(TwObject *dict, TwObject *mapping, TwObject *callable)
{
    TwObject *tmp = tw_dict_new();
    if (tmp == NULL)
        return -1;
    if (tw_dict_merge_any(tmp, mapping) < 0) {
        tw_decref(tmp);
        if (tw_err_matches(&tw_exc_TypeError) && !tw_dict_check(mapping)) {
            tw_err_clear();
            tw_err_format(&tw_exc_TypeError, "%s%s argument after ** must be a mapping, not %s",
                          tw_function_check(callable) ? func_qualname((TwFunctionObject *)callable)
                                                      : "",
                          tw_function_check(callable) ? "()" : "", TW_TYPE(mapping)->tp_name);
        }
        return -1;
    }
    intptr_t pos = 0;
    TwObject *k, *v;
    int it;
    while ((it = tw_dict_next_ref(tmp, &pos, &k, &v)) == 1) {
        int r = 0;
        if (!tw_str_check(k)) {
            tw_err_set_string(&tw_exc_TypeError, "keywords must be strings");
            r = -1;
        } else {
            int has = tw_dict_contains(dict, k);
            if (has > 0) {
                tw_err_format(
                    &tw_exc_TypeError, "%s%s got multiple values for keyword argument '%s'",
                    tw_function_check(callable) ? func_qualname((TwFunctionObject *)callable)
                                                : "function",
                    "()", tw_str_utf8(k));
                r = -1;
            } else if (has < 0 || tw_dict_set_item(dict, k, v) < 0) {
                r = -1;
            }
        }
        tw_decref(k);
        tw_decref(v);
        if (r < 0) {
            tw_decref(tmp);
            return -1;
        }
    }
    tw_decref(tmp);
    return it < 0 ? -1 : 0;
}

/* except T: T must be an exception class or a tuple of them. */
static int exception_matches(TwObject *exc, TwObject *type)
{
    if (tw_tuple_check(type)) {
        intptr_t n = tw_tuple_size(type);
        for (intptr_t i = 0; i < n; i++)
            if (!tw_exception_class_check(tw_tuple_get_item_borrowed(type, i)))
                goto bad;
        for (intptr_t i = 0; i < n; i++)
            if (tw_type_is_subtype(TW_TYPE(exc), (TwType *)tw_tuple_get_item_borrowed(type, i)))
                return 1;
        return 0;
    }
    if (!tw_exception_class_check(type))
        goto bad;
    return tw_type_is_subtype(TW_TYPE(exc), (TwType *)type);
bad:
    tw_err_set_string(&tw_exc_TypeError,
                      "catching classes that do not inherit from BaseException is not allowed");
    return -1;
}

/* raise exc [from cause]: instantiate classes, check types, set the
 * cause and context.  Steals both references; sets the exception. */
static void do_raise(TwThreadState *ts, TwObject *exc, TwObject *cause)
{
    TwObject *value = NULL;
    if (tw_exception_class_check(exc)) {
        value = tw_object_call_noargs(exc);
        if (value == NULL)
            goto done;
        if (!tw_exception_check(value)) {
            tw_err_format(&tw_exc_TypeError,
                          "calling %s should have returned an instance of BaseException, not %s",
                          ((TwType *)exc)->tp_name, TW_TYPE(value)->tp_name);
            goto done;
        }
    } else if (tw_exception_check(exc)) {
        value = tw_newref(exc);
    } else {
        tw_err_set_string(&tw_exc_TypeError, "exceptions must derive from BaseException");
        goto done;
    }
    if (cause != NULL) {
        TwObject *c = NULL;
        if (tw_exception_class_check(cause)) {
            c = tw_object_call_noargs(cause);
            if (c == NULL)
                goto done;
        } else if (tw_exception_check(cause) || cause == TW_NONE) {
            c = tw_newref(cause);
        } else {
            tw_err_set_string(&tw_exc_TypeError, "exception causes must derive from BaseException");
            goto done;
        }
        tw_exception_set_cause(value, c);
        tw_decref(c);
    }
    chain_context(ts, value, 0);
    tw_err_restore(value);
    value = NULL;
done:
    tw_xdecref(value);
    tw_decref(exc);
    tw_xdecref(cause);
}

/* The callable for a special method found on a type, bound to obj. */
static TwObject *bind_special(TwObject *descr, TwObject *obj)
{
    tw_descrgetfunc get = TW_TYPE(descr)->tp_descr_get;
    if (get == NULL)
        return tw_newref(descr);
    return get(descr, obj, (TwObject *)TW_TYPE(obj));
}

/* with mgr: -> (bound __exit__, mgr.__enter__()) */
static int before_with(TwObject *mgr, TwObject **exit_out, TwObject **value_out)
{
    TwType *t = TW_TYPE(mgr);
    TwObject *enter = tw_type_lookup_ref(t, s___enter__);
    TwObject *exitd = enter ? tw_type_lookup_ref(t, s___exit__) : NULL;
    if (enter == NULL || exitd == NULL) {
        tw_xdecref(enter);
        if (!tw_err_occurred())
            tw_err_format(&tw_exc_TypeError,
                          "'%s' object does not support the context manager protocol", t->tp_name);
        return -1;
    }
    TwObject *exit = bind_special(exitd, mgr);
    tw_decref(exitd);
    if (exit == NULL) {
        tw_decref(enter);
        return -1;
    }
    TwObject *benter = bind_special(enter, mgr);
    tw_decref(enter);
    TwObject *value = benter ? tw_object_call_noargs(benter) : NULL;
    tw_xdecref(benter);
    if (value == NULL) {
        tw_decref(exit);
        return -1;
    }
    *exit_out = exit;
    *value_out = value;
    return 0;
}

static int import_star(TwFrame *f, TwObject *module)
{
    if (f->locals == NULL) {
        tw_err_set_string(&tw_exc_SystemError, "import * outside a module");
        return -1;
    }
    TwObject *all = tw_object_getattr(module, s___all__);
    TwObject *names;
    if (all == NULL) {
        if (!tw_err_matches(&tw_exc_AttributeError))
            return -1;
        tw_err_clear();
        if (!tw_module_check(module)) {
            tw_err_set_string(&tw_exc_ImportError,
                              "from-import-* object has no __dict__ and no __all__");
            return -1;
        }
        names = tw_dict_keys(tw_module_dict_borrowed(module));
        if (names == NULL)
            return -1;
    } else {
        names = tw_sequence_list(all);
        tw_decref(all);
        if (names == NULL)
            return -1;
    }
    int r = 0;
    intptr_t n = tw_list_size(names);
    for (intptr_t i = 0; i < n && r == 0; i++) {
        TwObject *name = tw_list_get_item(names, i);
        if (name == NULL) {
            r = -1;
            break;
        }
        if (all == NULL && tw_str_check(name) && tw_str_utf8(name)[0] == '_') {
            tw_decref(name);
            continue;
        }
        TwObject *v = tw_object_getattr(module, name);
        if (v == NULL || store_name(f, name, v) < 0)
            r = -1;
        tw_xdecref(v);
        tw_decref(name);
    }
    tw_decref(names);
    return r;
}

/* Fast int paths: both operands exact ints holding their value inline. */
static inline int both_small_ints(TwObject *a, TwObject *b)
{
    return TW_TYPE(a) == &tw_int_type && TW_TYPE(b) == &tw_int_type && tw_int_is_small(a) &&
           tw_int_is_small(b);
}

static inline int64_t small_value(TwObject *o)
{
    return ((TwIntObject *)o)->value;
}

/* a op b for small ints into *r: 1, or 0 to take the general path
 * (overflow, division by zero, negative shifts). */
static inline int small_int_op(int op, int64_t x, int64_t y, int64_t *r)
{
    switch (op) {
    case TW_OP_ADD:
        return !__builtin_add_overflow(x, y, r);
    case TW_OP_SUB:
        return !__builtin_sub_overflow(x, y, r);
    case TW_OP_MUL:
        return !__builtin_mul_overflow(x, y, r);
    case TW_OP_FLOORDIV:
        if (y == 0 || (y == -1 && x == INT64_MIN))
            return 0;
        *r = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0)))
            (*r)--;
        return 1;
    case TW_OP_MOD:
        if (y == 0)
            return 0;
        if (y == -1) {
            *r = 0;
            return 1;
        }
        *r = x % y;
        if (*r != 0 && ((*r < 0) != (y < 0)))
            *r += y;
        return 1;
    case TW_OP_BITAND:
        *r = x & y;
        return 1;
    case TW_OP_BITOR:
        *r = x | y;
        return 1;
    case TW_OP_BITXOR:
        *r = x ^ y;
        return 1;
    case TW_OP_LSHIFT:
        if (y < 0 || y >= 63 || x > (INT64_MAX >> y) || x < (INT64_MIN >> y) / 2)
            return 0;
        *r = (int64_t)((uint64_t)x << y);
        return 1;
    case TW_OP_RSHIFT:
        if (y < 0)
            return 0;
        *r = y >= 63 ? (x < 0 ? -1 : 0) : x >> y;
        return 1;
    }
    return 0;
}

static inline int float_op(int op, double x, double y, double *r)
{
    switch (op) {
    case TW_OP_ADD:
        *r = x + y;
        return 1;
    case TW_OP_SUB:
        *r = x - y;
        return 1;
    case TW_OP_MUL:
        *r = x * y;
        return 1;
    case TW_OP_DIV:
        if (y == 0.0)
            return 0;
        *r = x / y;
        return 1;
    }
    return 0;
}

/* An operand the value stack holds the only reference to can take the
 * result in place: ints and floats are immutable only as far as anyone can
 * tell, and nobody else can.  (The count is exact here: another thread
 * would need a reference of its own to change it.) */
static inline int unique_temporary(TwObject *o)
{
    return tw_is_unique(o);
}

/* Box an int result; consumes a and b. */
static inline TwObject *int_result(int64_t v, TwObject *a, TwObject *b)
{
    TwObject *r;
    if (v >= TW_SMALL_INT_MIN && v <= TW_SMALL_INT_MAX) {
        r = tw_int_from_i64(v); /* the shared small int: `is` works as in CPython */
    } else if (v != TW_INT_BIG && unique_temporary(a)) {
        ((TwIntObject *)a)->value = v;
        tw_decref(b);
        return a;
    } else if (v != TW_INT_BIG && unique_temporary(b)) {
        ((TwIntObject *)b)->value = v;
        tw_decref(a);
        return b;
    } else {
        r = tw_int_from_i64(v);
    }
    if (r != NULL) {
        tw_decref(a);
        tw_decref(b);
    }
    return r;
}

/* Box a float result; consumes a and b (floats both). */
static inline TwObject *float_result(double v, TwObject *a, TwObject *b)
{
    if (unique_temporary(a)) {
        ((TwFloatObject *)a)->value = v;
        tw_decref(b);
        return a;
    }
    if (unique_temporary(b)) {
        ((TwFloatObject *)b)->value = v;
        tw_decref(a);
        return b;
    }
    TwObject *r = tw_float_from_double(v);
    if (r != NULL) {
        tw_decref(a);
        tw_decref(b);
    }
    return r;
}

static inline int compare_i64(int op, int64_t x, int64_t y)
{
    switch (op) {
    case TW_LT:
        return x < y;
    case TW_LE:
        return x <= y;
    case TW_EQ:
        return x == y;
    case TW_NE:
        return x != y;
    case TW_GT:
        return x > y;
    default:
        return x >= y;
    }
}

static inline int compare_double(int op, double x, double y)
{
    switch (op) {
    case TW_LT:
        return x < y;
    case TW_LE:
        return x <= y;
    case TW_EQ:
        return x == y;
    case TW_NE:
        return x != y;
    case TW_GT:
        return x > y;
    default:
        return x >= y;
    }
}

/* Truth of v for the conditional jumps: 1, 0 or -1. */
static inline int truth(TwObject *v)
{
    if (v == TW_TRUE)
        return 1;
    if (v == TW_FALSE || v == TW_NONE)
        return 0;
    return tw_object_is_true(v);
}

/* yield from: send `value` into the sub-iterator.  Returns 1 with the
 * value it yielded, 0 with its return value when it is exhausted, or -1. */
static int send_into(TwObject *iter, TwObject *value, TwObject **result)
{
    if (tw_gen_check(iter))
        return tw_gen_send(iter, value, result);
    TwObject *r;
    if (value == TW_NONE && TW_TYPE(iter)->tp_iternext != NULL)
        r = TW_TYPE(iter)->tp_iternext(iter);
    else
        r = tw_object_call_method(iter, "send", &value, 1);
    if (r != NULL) {
        *result = r;
        return 1;
    }
    if (!tw_err_occurred()) {
        *result = tw_newref(TW_NONE);
        return 0;
    }
    if (tw_err_matches(&tw_exc_StopIteration)) {
        TwObject *exc = tw_err_fetch();
        *result = tw_stopiteration_value(exc);
        tw_decref(exc);
        if (*result == NULL)
            *result = tw_newref(TW_NONE);
        return 0;
    }
    return -1;
}

/* A generator frame that FOR_ITER runs inline stops (state SUSPENDED or
 * COMPLETED): give the thread back its exception state and frame chain,
 * and release the generator.  A completed frame drops its references; the
 * generator object itself is still held by the loop's stack. */
static void gen_frame_leave(TwThreadState *ts, TwFrame *f, uint8_t state)
{
    TwGenObject *g = tw_gen_of_frame(f);
    ts->frame = f->previous;
    ts->exc_info = g->exc_state.previous;
    g->exc_state.previous = NULL;
    f->state = state;
    f->is_entry = 1;
    if (state == TW_FRAME_COMPLETED)
        tw_frame_clear(f);
    tw_gen_stop(g);
}

/* PEP 479: StopIteration escaping a generator becomes RuntimeError. */
static void stopiteration_to_runtime_error(void)
{
    if (!tw_err_matches(&tw_exc_StopIteration))
        return;
    TwObject *stop = tw_err_fetch();
    tw_err_set_string(&tw_exc_RuntimeError, "generator raised StopIteration");
    TwObject *exc = tw_err_fetch();
    if (exc != NULL) {
        tw_exception_set_cause(exc, stop);
        tw_exception_set_context(exc, stop);
        tw_err_restore(exc);
    }
    tw_decref(stop);
}

/* ---- the loop
 * ------------------------------------------------------------------------------------ */

#if defined(__GNUC__)
#define USE_COMPUTED_GOTO 1
#else
#define USE_COMPUTED_GOTO 0
#endif

#define TOP()    (sp[-1])
#define SECOND() (sp[-2])
#define PEEK(n)  (sp[-(intptr_t)(n)])
#define PUSH(v)  (*sp++ = (v))
#define POP()    (*--sp)

#if USE_COMPUTED_GOTO
#define TARGET(op) L_##op:
#define DISPATCH()                                                                                 \
    do {                                                                                           \
        word = *ip++;                                                                              \
        arg = TW_ARG(word);                                                                        \
        goto *dispatch_table[TW_OP(word)];                                                         \
    } while (0)
#else
#define TARGET(op) case TW_OP_##op:
#define DISPATCH() goto dispatch
#endif

/* Load the running frame's state into the loop's registers. */
#define LOAD_FRAME()                                                                               \
    do {                                                                                           \
        co = frame->code;                                                                          \
        ip = frame->ip;                                                                            \
        sp = frame->sp;                                                                            \
        slots = frame->localsplus;                                                                 \
        consts = ((TwTupleObject *)co->consts)->items;                                             \
    } while (0)

/* Save the registers before anything that may inspect the frame. */
#define SAVE_FRAME()                                                                               \
    do {                                                                                           \
        frame->ip = ip;                                                                            \
        frame->sp = sp;                                                                            \
    } while (0)

/* Run `frame` (already linked to nothing; its slots bound) until it
 * returns, yields (generators) or raises.  throwflag: an exception is set
 * and must be raised at the frame's current instruction (generator.throw).
 * On return the frame has been cleared, and popped from the data stack
 * unless a generator owns it. */
TwObject *tw_eval_frame(TwThreadState *ts, TwFrame *frame, int throwflag)
{
#if USE_COMPUTED_GOTO
    static void *const dispatch_table[TW_OP_COUNT] = {
#define TW_OPCODE_LABEL(name) &&L_##name,
        TW_OPCODES(TW_OPCODE_LABEL)
#undef TW_OPCODE_LABEL
    };
#endif
    TwCodeObject *co;
    const uint32_t *ip;
    TwObject **sp, **slots, **consts;
    uint32_t word, arg;
    TwObject *retval = NULL;
    char stack_probe;

    if (tw_unlikely(ts->c_stack_limit == 0)) {
        tw_eval_init_c_stack_limit(ts);
        /* A thread other than the main one runs Python code: if nobody
         * called tw_eval_threads_starting, caches stop borrowing now. */
        if (!ts->is_main && tw_atomic_load_relaxed(&caches_mortal_ok) && !tw_gil_is_enabled())
            tw_atomic_store_relaxed(&caches_mortal_ok, 0);
    }
    frame->is_entry = 1;
    frame->previous = ts->frame;
    ts->frame = frame;
    if (tw_unlikely((uintptr_t)&stack_probe < ts->c_stack_limit)) {
        tw_err_set_string(&tw_exc_RecursionError, "maximum recursion depth exceeded");
        LOAD_FRAME();
        goto exit_unwind;
    }
    if (throwflag) {
        ts->py_depth++;
        LOAD_FRAME();
        goto error;
    }

start_frame:
    /* A frame starts (or a generator resumes): the recursion limit and a
     * check point. */
    if (tw_unlikely(++ts->py_depth > tw_atomic_load_relaxed(&recursion_limit))) {
        ts->py_depth--;
        tw_err_set_string(&tw_exc_RecursionError, "maximum recursion depth exceeded");
        LOAD_FRAME();
        goto exit_unwind;
    }
    LOAD_FRAME();
    if (tw_unlikely(tw_eval_breaker_check() < 0))
        goto error;
    DISPATCH();

#if !USE_COMPUTED_GOTO
dispatch:
    word = *ip++;
    arg = TW_ARG(word);
    switch (TW_OP(word)) {
#endif

        TARGET(NOP)
        {
            DISPATCH();
        }

        TARGET(POP_TOP)
        {
            TwObject *v = POP();
            tw_xdecref(v);
            DISPATCH();
        }

        TARGET(PUSH_NULL)
        {
            PUSH(NULL);
            DISPATCH();
        }

        TARGET(COPY)
        {
            TwObject *v = PEEK(arg);
            tw_xincref(v);
            PUSH(v);
            DISPATCH();
        }

        TARGET(SWAP)
        {
            TwObject *t = TOP();
            TOP() = PEEK(arg);
            PEEK(arg) = t;
            DISPATCH();
        }

        TARGET(LOAD_CONST)
        {
            TwObject *v = consts[arg];
            tw_incref(v);
            PUSH(v);
            DISPATCH();
        }

        TARGET(LOAD_FAST)
        {
            TwObject *v = slots[arg];
            if (tw_unlikely(v == NULL)) {
                format_unbound_local(co, (int)arg);
                goto error;
            }
            tw_incref(v);
            PUSH(v);
            DISPATCH();
        }

        TARGET(LOAD_FAST_LOAD_FAST)
        {
            TwObject *a = slots[arg & 0xfff], *b = slots[arg >> 12];
            if (tw_unlikely(a == NULL || b == NULL)) {
                format_unbound_local(co, (int)(a == NULL ? arg & 0xfff : arg >> 12));
                goto error;
            }
            tw_incref(a);
            tw_incref(b);
            sp[0] = a;
            sp[1] = b;
            sp += 2;
            DISPATCH();
        }

        TARGET(STORE_FAST)
        {
            TwObject *old = slots[arg];
            slots[arg] = POP();
            tw_xdecref(old);
            DISPATCH();
        }

        TARGET(DELETE_FAST)
        {
            TwObject *old = slots[arg];
            if (old == NULL) {
                format_unbound_local(co, (int)arg);
                goto error;
            }
            slots[arg] = NULL;
            tw_decref(old);
            DISPATCH();
        }

        TARGET(LOAD_DEREF)
        {
            TwObject *v = tw_cell_get(slots[arg]);
            if (v == NULL) {
                format_unbound_local(co, (int)arg);
                goto error;
            }
            PUSH(v);
            DISPATCH();
        }

        TARGET(STORE_DEREF)
        {
            TwObject *v = POP();
            tw_cell_set(slots[arg], v);
            tw_decref(v);
            DISPATCH();
        }

        TARGET(DELETE_DEREF)
        {
            TwObject *v = tw_cell_get(slots[arg]);
            if (v == NULL) {
                format_unbound_local(co, (int)arg);
                goto error;
            }
            tw_decref(v);
            tw_cell_set(slots[arg], NULL);
            DISPATCH();
        }

        TARGET(LOAD_CLOSURE)
        {
            TwObject *cell = slots[arg];
            tw_incref(cell);
            PUSH(cell);
            DISPATCH();
        }

        TARGET(LOAD_CLASSDEREF)
        {
            TwObject *name = tw_tuple_get_item_borrowed(co->localnames, arg);
            TwObject *v = NULL;
            if (frame->locals != NULL) {
                int r = tw_dict_get_item_ref(frame->locals, name, &v);
                if (r < 0)
                    goto error;
            }
            if (v == NULL) {
                v = tw_cell_get(slots[arg]);
                if (v == NULL) {
                    format_unbound_local(co, (int)arg);
                    goto error;
                }
            }
            PUSH(v);
            DISPATCH();
        }

        TARGET(LOAD_NAME)
        {
            SAVE_FRAME();
            TwObject *v = load_name(frame, tw_tuple_get_item_borrowed(co->names, arg));
            if (v == NULL)
                goto error;
            PUSH(v);
            DISPATCH();
        }

        TARGET(STORE_NAME)
        {
            TwObject *v = POP();
            SAVE_FRAME();
            int r = store_name(frame, tw_tuple_get_item_borrowed(co->names, arg), v);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DELETE_NAME)
        {
            SAVE_FRAME();
            if (frame->locals == NULL ||
                delete_from(frame->locals, tw_tuple_get_item_borrowed(co->names, arg)) < 0)
                goto error;
            DISPATCH();
        }

        TARGET(LOAD_GLOBAL)
        {
            TwObject *v = load_global(frame, &co->caches[arg]);
            if (v == NULL)
                goto error;
            PUSH(v);
            DISPATCH();
        }

        TARGET(STORE_GLOBAL)
        {
            TwObject *v = POP();
            SAVE_FRAME();
            int r = tw_dict_set_item(frame->globals, tw_tuple_get_item_borrowed(co->names, arg), v);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DELETE_GLOBAL)
        {
            SAVE_FRAME();
            if (delete_from(frame->globals, tw_tuple_get_item_borrowed(co->names, arg)) < 0)
                goto error;
            DISPATCH();
        }

        TARGET(LOAD_ATTR)
        {
            TwObject *obj = TOP();
            SAVE_FRAME();
            TwObject *v = load_attr(co, &co->caches[arg], obj);
            if (v == NULL)
                goto error;
            TOP() = v;
            tw_decref(obj);
            DISPATCH();
        }

        TARGET(LOAD_METHOD)
        {
            TwObject *obj = TOP();
            int unbound;
            SAVE_FRAME();
            TwObject *m = load_method(co, &co->caches[arg], obj, &unbound);
            if (m == NULL)
                goto error;
            TOP() = m;
            if (unbound) {
                PUSH(obj);
            } else {
                PUSH(NULL);
                tw_decref(obj);
            }
            DISPATCH();
        }

        TARGET(LOAD_SUPER_ATTR)
        {
            TwObject *self = POP();
            TwObject *cls = POP();
            TwObject *sup = TOP();
            int unbound;
            SAVE_FRAME();
            TwObject *v = super_lookup(co, &co->caches[arg], sup, cls, self, 0, &unbound);
            tw_decref(self);
            tw_decref(cls);
            if (v == NULL)
                goto error;
            TOP() = v;
            tw_decref(sup);
            DISPATCH();
        }

        TARGET(LOAD_SUPER_METHOD)
        {
            TwObject *self = POP();
            TwObject *cls = POP();
            TwObject *sup = TOP();
            int unbound;
            SAVE_FRAME();
            TwObject *v = super_lookup(co, &co->caches[arg], sup, cls, self, 1, &unbound);
            tw_decref(cls);
            if (v == NULL) {
                tw_decref(self);
                goto error;
            }
            TOP() = v;
            tw_decref(sup);
            if (unbound) {
                PUSH(self);
            } else {
                PUSH(NULL);
                tw_decref(self);
            }
            DISPATCH();
        }

        TARGET(STORE_ATTR)
        {
            TwObject *obj = POP();
            TwObject *v = POP();
            SAVE_FRAME();
            int r = store_attr(co, &co->caches[arg], obj, v);
            tw_decref(v);
            tw_decref(obj);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DELETE_ATTR)
        {
            TwObject *obj = POP();
            SAVE_FRAME();
            int r = tw_object_setattr(obj, tw_tuple_get_item_borrowed(co->names, arg), NULL);
            tw_decref(obj);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(BINARY_OP)
        {
            TwObject *b = POP();
            TwObject *a = TOP();
            int op = (int)(arg & 0xf);
            TwObject *r = NULL;
            if (both_small_ints(a, b)) {
                int64_t v;
                if (small_int_op(op, small_value(a), small_value(b), &v)) {
                    r = int_result(v, a, b);
                    if (r == NULL) {
                        PUSH(b);
                        goto error;
                    }
                    TOP() = r;
                    DISPATCH();
                }
            } else if (TW_TYPE(a) == &tw_float_type && TW_TYPE(b) == &tw_float_type) {
                double v;
                if (float_op(op, ((TwFloatObject *)a)->value, ((TwFloatObject *)b)->value, &v)) {
                    r = float_result(v, a, b);
                    if (r == NULL) {
                        PUSH(b);
                        goto error;
                    }
                    TOP() = r;
                    DISPATCH();
                }
            } else if (op == TW_OP_ADD && TW_TYPE(a) == &tw_str_type &&
                       TW_TYPE(b) == &tw_str_type) {
                SAVE_FRAME();
                /* `s += t` followed by the store back into the local s:
                 * drop the local's reference first, and if the stack's is
                 * then the only one, append in place (linear, not
                 * quadratic, string building). */
                if ((arg & TW_BINOP_INPLACE) && TW_OP(*ip) == TW_OP_STORE_FAST &&
                    slots[TW_ARG(*ip)] == a && !tw_is_immortal(a)) {
                    slots[TW_ARG(*ip)] = NULL;
                    tw_decref(a); /* never the last: the stack holds a too */
                    if (tw_is_unique(a)) {
                        r = tw_str_concat_unique(a, b);
                        if (r != NULL) {
                            tw_decref(b);
                            TOP() = r;
                            DISPATCH();
                        }
                        tw_err_clear(); /* a is intact: try a fresh string */
                    }
                }
                r = tw_str_concat(a, b);
                if (r == NULL) {
                    PUSH(b);
                    goto error;
                }
            }
            if (r == NULL) {
                SAVE_FRAME();
                r = tw_number_binop(op, a, b, (arg & TW_BINOP_INPLACE) != 0);
                if (r == NULL) {
                    PUSH(b);
                    goto error;
                }
            }
            tw_decref(a);
            tw_decref(b);
            TOP() = r;
            DISPATCH();
        }

        TARGET(UNARY_NEGATIVE)
        {
            TwObject *a = TOP();
            SAVE_FRAME();
            TwObject *r = tw_number_negative(a);
            if (r == NULL)
                goto error;
            TOP() = r;
            tw_decref(a);
            DISPATCH();
        }

        TARGET(UNARY_POSITIVE)
        {
            TwObject *a = TOP();
            SAVE_FRAME();
            TwObject *r = tw_number_positive(a);
            if (r == NULL)
                goto error;
            TOP() = r;
            tw_decref(a);
            DISPATCH();
        }

        TARGET(UNARY_INVERT)
        {
            TwObject *a = TOP();
            SAVE_FRAME();
            TwObject *r = tw_number_invert(a);
            if (r == NULL)
                goto error;
            TOP() = r;
            tw_decref(a);
            DISPATCH();
        }

        TARGET(UNARY_NOT)
        {
            TwObject *a = TOP();
            SAVE_FRAME();
            int t = truth(a);
            if (t < 0)
                goto error;
            TOP() = t ? TW_FALSE : TW_TRUE;
            tw_decref(a);
            DISPATCH();
        }

        TARGET(COMPARE_OP)
        {
            TwObject *b = POP();
            TwObject *a = TOP();
            TwObject *r;
            if (both_small_ints(a, b)) {
                r = compare_i64((int)arg, small_value(a), small_value(b)) ? TW_TRUE : TW_FALSE;
            } else if (TW_TYPE(a) == &tw_float_type && TW_TYPE(b) == &tw_float_type) {
                r = compare_double((int)arg, ((TwFloatObject *)a)->value,
                                   ((TwFloatObject *)b)->value)
                        ? TW_TRUE
                        : TW_FALSE;
            } else {
                SAVE_FRAME();
                r = tw_object_richcompare(a, b, (int)arg);
                if (r == NULL) {
                    PUSH(b);
                    goto error;
                }
            }
            tw_decref(a);
            tw_decref(b);
            TOP() = r;
            DISPATCH();
        }

        TARGET(IS_OP)
        {
            TwObject *b = POP();
            TwObject *a = TOP();
            int r = (a == b) ^ (int)arg;
            tw_decref(a);
            tw_decref(b);
            TOP() = r ? TW_TRUE : TW_FALSE;
            DISPATCH();
        }

        TARGET(CONTAINS_OP)
        {
            TwObject *b = POP();
            TwObject *a = TOP();
            SAVE_FRAME();
            int r = tw_sequence_contains(b, a);
            if (r < 0) {
                PUSH(b);
                goto error;
            }
            tw_decref(a);
            tw_decref(b);
            TOP() = (r ^ (int)arg) ? TW_TRUE : TW_FALSE;
            DISPATCH();
        }

        TARGET(BINARY_SUBSCR)
        {
            TwObject *k = POP();
            TwObject *o = TOP();
            TwObject *r;
            SAVE_FRAME();
            if (TW_TYPE(o) == &tw_list_type && TW_TYPE(k) == &tw_int_type && tw_int_is_small(k))
                r = tw_list_get_item(o, (intptr_t)small_value(k));
            else if (TW_TYPE(o) == &tw_tuple_type && TW_TYPE(k) == &tw_int_type &&
                     tw_int_is_small(k))
                r = tw_tuple_get_item(o, (intptr_t)small_value(k));
            else
                r = tw_object_getitem(o, k);
            if (r == NULL) {
                PUSH(k);
                goto error;
            }
            tw_decref(o);
            tw_decref(k);
            TOP() = r;
            DISPATCH();
        }

        TARGET(STORE_SUBSCR)
        {
            TwObject *k = POP();
            TwObject *o = POP();
            TwObject *v = POP();
            SAVE_FRAME();
            int r;
            if (TW_TYPE(o) == &tw_list_type && TW_TYPE(k) == &tw_int_type && tw_int_is_small(k))
                r = tw_list_set_item(o, (intptr_t)small_value(k), v);
            else
                r = tw_object_setitem(o, k, v);
            tw_decref(k);
            tw_decref(o);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DELETE_SUBSCR)
        {
            TwObject *k = POP();
            TwObject *o = POP();
            SAVE_FRAME();
            int r = tw_object_delitem(o, k);
            tw_decref(k);
            tw_decref(o);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(BUILD_SLICE)
        {
            TwObject *step = arg == 3 ? POP() : NULL;
            TwObject *stop = POP();
            TwObject *start = TOP();
            TwObject *s = tw_slice_new(start, stop, step);
            tw_xdecref(step);
            tw_decref(stop);
            if (s == NULL) {
                TOP() = NULL;
                tw_decref(start);
                goto error;
            }
            tw_decref(start);
            TOP() = s;
            DISPATCH();
        }

        TARGET(BUILD_TUPLE)
        {
            TwObject *t = tw_tuple_new((intptr_t)arg);
            if (t == NULL)
                goto error;
            sp -= arg;
            for (uint32_t i = 0; i < arg; i++)
                tw_tuple_init_item(t, (intptr_t)i, sp[i]);
            PUSH(t);
            DISPATCH();
        }

        TARGET(BUILD_LIST)
        {
            TwObject *l = tw_list_new((intptr_t)arg);
            if (l == NULL)
                goto error;
            for (uint32_t i = 0; i < arg; i++) {
                if (tw_list_append(l, sp[(intptr_t)i - (intptr_t)arg]) < 0) {
                    tw_decref(l);
                    goto error;
                }
            }
            for (uint32_t i = 0; i < arg; i++)
                tw_decref(*--sp);
            PUSH(l);
            DISPATCH();
        }

        TARGET(BUILD_SET)
        {
            TwObject *s = tw_set_new();
            if (s == NULL)
                goto error;
            SAVE_FRAME();
            for (uint32_t i = 0; i < arg; i++) {
                if (tw_set_add(s, sp[(intptr_t)i - (intptr_t)arg]) < 0) {
                    tw_decref(s);
                    goto error;
                }
            }
            for (uint32_t i = 0; i < arg; i++)
                tw_decref(*--sp);
            PUSH(s);
            DISPATCH();
        }

        TARGET(BUILD_MAP)
        {
            TwObject *d = tw_dict_new();
            if (d == NULL)
                goto error;
            SAVE_FRAME();
            TwObject **items = sp - 2 * (intptr_t)arg;
            for (uint32_t i = 0; i < arg; i++) {
                if (tw_dict_set_item(d, items[2 * i], items[2 * i + 1]) < 0) {
                    tw_decref(d);
                    goto error;
                }
            }
            for (uint32_t i = 0; i < 2 * arg; i++)
                tw_decref(*--sp);
            PUSH(d);
            DISPATCH();
        }

        TARGET(LIST_APPEND)
        {
            TwObject *v = POP();
            int r = tw_list_append(PEEK(arg), v);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(SET_ADD)
        {
            TwObject *v = POP();
            SAVE_FRAME();
            int r = tw_set_add(PEEK(arg), v);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(MAP_ADD)
        {
            TwObject *v = POP();
            TwObject *k = POP();
            SAVE_FRAME();
            int r = tw_dict_set_item(PEEK(arg), k, v);
            tw_decref(k);
            tw_decref(v);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(LIST_EXTEND)
        {
            TwObject *it = POP();
            SAVE_FRAME();
            int r = extend_list(PEEK(arg), it);
            tw_decref(it);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(SET_UPDATE)
        {
            TwObject *it = POP();
            SAVE_FRAME();
            int r = update_set(PEEK(arg), it);
            tw_decref(it);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DICT_UPDATE)
        {
            TwObject *m = POP();
            SAVE_FRAME();
            int r = tw_dict_merge_any(PEEK(arg), m);
            if (r < 0 && tw_err_matches(&tw_exc_TypeError) && !tw_dict_check(m) &&
                TW_TYPE(m)->tp_getitem == NULL) {
                tw_err_clear();
                tw_err_format(&tw_exc_TypeError, "'%s' object is not a mapping",
                              TW_TYPE(m)->tp_name);
            }
            tw_decref(m);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(DICT_MERGE)
        {
            TwObject *m = POP();
            SAVE_FRAME();
            int r = dict_merge_kwargs(PEEK(arg), m, PEEK(arg + 3));
            tw_decref(m);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(LIST_TO_TUPLE)
        {
            TwObject *l = TOP();
            TwObject *t = tw_list_as_tuple(l);
            if (t == NULL)
                goto error;
            TOP() = t;
            tw_decref(l);
            DISPATCH();
        }

        TARGET(BUILD_STRING)
        {
            TwObject *s = build_string(sp - arg, arg);
            if (s == NULL)
                goto error;
            for (uint32_t i = 0; i < arg; i++)
                tw_decref(*--sp);
            PUSH(s);
            DISPATCH();
        }

        TARGET(FORMAT_VALUE)
        {
            TwObject *spec = (arg & TW_FMT_HAVE_SPEC) ? POP() : NULL;
            TwObject *v = TOP();
            SAVE_FRAME();
            TwObject *r = format_value(v, (int)(arg & 3), spec);
            tw_xdecref(spec);
            if (r == NULL)
                goto error;
            TOP() = r;
            tw_decref(v);
            DISPATCH();
        }

        TARGET(UNPACK_SEQUENCE)
        {
            TwObject *seq = POP();
            SAVE_FRAME();
            if (unpack_iterable(seq, (int)arg, sp) < 0) {
                tw_decref(seq);
                goto error;
            }
            sp += arg;
            tw_decref(seq);
            DISPATCH();
        }

        TARGET(UNPACK_EX)
        {
            TwObject *seq = POP();
            int before = (int)(arg & 0xff), after = (int)(arg >> 8);
            SAVE_FRAME();
            if (unpack_ex(seq, before, after, sp) < 0) {
                tw_decref(seq);
                goto error;
            }
            sp += before + after + 1;
            tw_decref(seq);
            DISPATCH();
        }

        TARGET(GET_ITER)
        {
            TwObject *o = TOP();
            SAVE_FRAME();
            TwObject *it = tw_object_iter(o);
            if (it == NULL)
                goto error;
            TOP() = it;
            tw_decref(o);
            DISPATCH();
        }

        TARGET(FOR_ITER)
        {
            TwObject *it = TOP();
            SAVE_FRAME();
            if (TW_TYPE(it) == &tw_gen_type) {
                /* A generator runs in this loop, as a frame above ours:
                 * its yield pushes the next item here (see `suspend`). */
                TwGenObject *g = (TwGenObject *)it;
                TwFrame *gf = tw_gen_frame(g);
                if ((gf->state == TW_FRAME_SUSPENDED || gf->state == TW_FRAME_CREATED) &&
                    tw_gen_try_start(g)) {
                    if (gf->state == TW_FRAME_SUSPENDED)
                        *gf->sp++ = TW_NONE; /* what the paused yield evaluates to */
                    gf->state = TW_FRAME_RUNNING;
                    gf->is_entry = 0;
                    gf->previous = frame;
                    g->exc_state.previous = ts->exc_info;
                    ts->exc_info = &g->exc_state;
                    frame = gf;
                    ts->frame = gf;
                    goto start_frame;
                }
            }
            TwObject *v = TW_TYPE(it)->tp_iternext(it);
            if (v != NULL) {
                PUSH(v);
                DISPATCH();
            }
            if (tw_err_occurred()) {
                if (!tw_err_matches(&tw_exc_StopIteration))
                    goto error;
                tw_err_clear();
            }
            (void)POP();
            tw_decref(it);
            ip = co->code + arg;
            DISPATCH();
        }

        TARGET(JUMP)
        {
            ip = co->code + arg;
            DISPATCH();
        }

        TARGET(JUMP_BACKWARD)
        {
            /* The check point of every loop; an exception it raises
             * (KeyboardInterrupt) belongs to this instruction. */
            if (tw_unlikely(tw_eval_breaker_check() < 0))
                goto error;
            ip = co->code + arg;
            DISPATCH();
        }

        TARGET(POP_JUMP_IF_FALSE)
        {
            TwObject *v = POP();
            if (v == TW_FALSE) {
                ip = co->code + arg;
            } else if (v != TW_TRUE) {
                SAVE_FRAME();
                int t = truth(v);
                tw_decref(v);
                if (t < 0)
                    goto error;
                if (!t)
                    ip = co->code + arg;
            }
            DISPATCH();
        }

        TARGET(POP_JUMP_IF_TRUE)
        {
            TwObject *v = POP();
            if (v == TW_TRUE) {
                ip = co->code + arg;
            } else if (v != TW_FALSE) {
                SAVE_FRAME();
                int t = truth(v);
                tw_decref(v);
                if (t < 0)
                    goto error;
                if (t)
                    ip = co->code + arg;
            }
            DISPATCH();
        }

        TARGET(POP_JUMP_IF_NONE)
        {
            TwObject *v = POP();
            if (v == TW_NONE)
                ip = co->code + arg;
            else
                tw_decref(v);
            DISPATCH();
        }

        TARGET(POP_JUMP_IF_NOT_NONE)
        {
            TwObject *v = POP();
            if (v != TW_NONE) {
                tw_decref(v);
                ip = co->code + arg;
            }
            DISPATCH();
        }

        TARGET(JUMP_IF_FALSE_OR_POP)
        {
            TwObject *v = TOP();
            SAVE_FRAME();
            int t = truth(v);
            if (t < 0)
                goto error;
            if (!t) {
                ip = co->code + arg;
            } else {
                (void)POP();
                tw_decref(v);
            }
            DISPATCH();
        }

        TARGET(JUMP_IF_TRUE_OR_POP)
        {
            TwObject *v = TOP();
            SAVE_FRAME();
            int t = truth(v);
            if (t < 0)
                goto error;
            if (t) {
                ip = co->code + arg;
            } else {
                (void)POP();
                tw_decref(v);
            }
            DISPATCH();
        }

        TARGET(RETURN_VALUE)
        {
            retval = POP();
            goto return_retval;
        }

        TARGET(RETURN_CONST)
        {
            retval = consts[arg];
            tw_incref(retval);
            goto return_retval;
        }

        TARGET(CALL)
        {
            TwObject **args = sp - arg;
            TwObject *callable = args[-2];
            size_t nargs = arg;
            TwObject **base = args - 2;
            if (args[-1] != NULL) {
                args--;
                nargs++;
            } else if (TW_TYPE(callable) == &tw_method_type) {
                /* A bound method: call its function with self in front. */
                TwMethodObject *m = (TwMethodObject *)callable;
                args[-1] = tw_newref(m->im_self);
                args[-2] = tw_newref(m->im_func);
                tw_decref(callable);
                callable = args[-2];
                args--;
                nargs++;
            }
            if (TW_TYPE(callable) == &tw_function_type) {
                TwFunctionObject *fn = (TwFunctionObject *)callable;
                TwCodeObject *nco = (TwCodeObject *)fn->code;
                if (!(nco->flags & TW_CO_GENERATOR)) {
                    /* A Python function: push its frame and run it here. */
                    TwFrame *nf = tw_frame_push(ts, nco);
                    if (nf == NULL)
                        goto error;
                    frame_init(nf, nco, callable, fn->globals, fn->builtins, NULL);
                    size_t nparams = (size_t)nco->argcount;
                    size_t ndefaults = fn->defaults ? (size_t)tw_tuple_size(fn->defaults) : 0;
                    if ((nco->flags & TW_CO_SIMPLE_ARGS) && nargs <= nparams &&
                        nargs + ndefaults >= nparams) {
                        /* The arguments move from our stack to its slots;
                         * defaults fill the rest. */
                        TwObject **slot = nf->localsplus;
                        for (size_t i = 0; i < nargs; i++)
                            slot[i] = args[i];
                        for (size_t i = nargs; i < nparams; i++)
                            slot[i] = tw_newref(tw_tuple_get_item_borrowed(
                                fn->defaults, (intptr_t)(i - (nparams - ndefaults))));
                        for (size_t i = nparams, n = (size_t)nco->nlocalsplus; i < n; i++)
                            slot[i] = NULL;
                    } else {
                        memset(nf->localsplus, 0, (size_t)nco->nlocalsplus * sizeof(TwObject *));
                        SAVE_FRAME();
                        int r = tw_frame_bind_args(nf, callable, args, nargs, NULL);
                        for (size_t i = 0; i < nargs; i++)
                            tw_decref(args[i]);
                        if (r < 0) {
                            sp = base;
                            tw_frame_clear(nf); /* drops the callable's reference */
                            tw_frame_pop(ts, nf);
                            goto error;
                        }
                    }
                    sp = base;
                    SAVE_FRAME();
                    nf->previous = frame;
                    frame = nf;
                    ts->frame = nf;
                    goto start_frame;
                }
            }
            SAVE_FRAME();
            TwObject *res = tw_object_vectorcall(callable, args, nargs, NULL);
            for (size_t i = 0; i < nargs; i++)
                tw_decref(args[i]);
            tw_decref(callable);
            sp = base;
            if (res == NULL)
                goto error;
            PUSH(res);
            DISPATCH();
        }

        TARGET(CALL_KW)
        {
            TwObject *kwnames = POP();
            size_t nkw = (size_t)tw_tuple_size(kwnames);
            TwObject **args = sp - arg;
            TwObject *callable = args[-2];
            size_t nargs = arg - nkw;
            TwObject **base = args - 2;
            if (args[-1] != NULL) {
                args--;
                nargs++;
            } else if (TW_TYPE(callable) == &tw_method_type) {
                TwMethodObject *m = (TwMethodObject *)callable;
                args[-1] = tw_newref(m->im_self);
                args[-2] = tw_newref(m->im_func);
                tw_decref(callable);
                callable = args[-2];
                args--;
                nargs++;
            }
            size_t total = nargs + nkw;
            if (TW_TYPE(callable) == &tw_function_type &&
                !(((TwCodeObject *)((TwFunctionObject *)callable)->code)->flags &
                  TW_CO_GENERATOR)) {
                TwFunctionObject *fn = (TwFunctionObject *)callable;
                TwCodeObject *nco = (TwCodeObject *)fn->code;
                TwFrame *nf = tw_frame_push(ts, nco);
                if (nf == NULL) {
                    PUSH(kwnames);
                    goto error;
                }
                frame_init(nf, nco, callable, fn->globals, fn->builtins, NULL);
                memset(nf->localsplus, 0, (size_t)nco->nlocalsplus * sizeof(TwObject *));
                SAVE_FRAME();
                int r = tw_frame_bind_args(nf, callable, args, nargs, kwnames);
                for (size_t i = 0; i < total; i++)
                    tw_decref(args[i]);
                tw_decref(kwnames);
                sp = base;
                if (r < 0) {
                    tw_frame_clear(nf);
                    tw_frame_pop(ts, nf);
                    goto error;
                }
                SAVE_FRAME();
                nf->previous = frame;
                frame = nf;
                ts->frame = nf;
                goto start_frame;
            }
            SAVE_FRAME();
            TwObject *res = tw_object_vectorcall(callable, args, nargs, kwnames);
            for (size_t i = 0; i < total; i++)
                tw_decref(args[i]);
            tw_decref(callable);
            tw_decref(kwnames);
            sp = base;
            if (res == NULL)
                goto error;
            PUSH(res);
            DISPATCH();
        }

        TARGET(CALL_EX)
        {
            TwObject *kwargs = (arg & 1) ? POP() : NULL;
            TwObject *callargs = POP();
            TwObject *self = POP();
            TwObject *callable = TOP();
            SAVE_FRAME();
            TwObject *res;
            if (self != NULL) {
                /* Not emitted by the compiler; kept for completeness. */
                TwObject *l = tw_list_new(0);
                res = NULL;
                if (l != NULL && tw_list_append(l, self) == 0 && tw_list_extend(l, callargs) == 0) {
                    TwObject *t = tw_list_as_tuple(l);
                    if (t != NULL) {
                        res = tw_object_call(callable, t, kwargs);
                        tw_decref(t);
                    }
                }
                tw_xdecref(l);
                tw_decref(self);
            } else if (kwargs == NULL || tw_dict_size(kwargs) == 0) {
                res = tw_object_vectorcall(callable, ((TwTupleObject *)callargs)->items,
                                           (size_t)tw_tuple_size(callargs), NULL);
            } else {
                res = tw_object_call(callable, callargs, kwargs);
            }
            tw_xdecref(kwargs);
            tw_decref(callargs);
            tw_decref(callable);
            if (res == NULL) {
                (void)POP();
                goto error;
            }
            TOP() = res;
            DISPATCH();
        }

        TARGET(MAKE_FUNCTION)
        {
            TwObject *code = POP();
            TwObject *fnobj = tw_function_new(code, frame->globals);
            tw_decref(code);
            if (fnobj == NULL)
                goto error;
            TwFunctionObject *fn = (TwFunctionObject *)fnobj;
            if (arg & TW_MKFN_CLOSURE)
                fn->closure = POP();
            if (arg & TW_MKFN_KWDEFAULTS)
                fn->kwdefaults = POP();
            if (arg & TW_MKFN_DEFAULTS)
                fn->defaults = POP();
            PUSH(fnobj);
            DISPATCH();
        }

        TARGET(LOAD_BUILD_CLASS)
        {
            TwObject *bc;
            int r = tw_dict_get_item_ref(frame->builtins, s___build_class__, &bc);
            if (r < 0)
                goto error;
            if (r == 0) {
                tw_err_set_string(&tw_exc_NameError, "__build_class__ not found");
                goto error;
            }
            PUSH(bc);
            DISPATCH();
        }

        TARGET(MAKE_CELL)
        {
            TwObject *cell = tw_cell_new(NULL);
            if (cell == NULL)
                goto error;
            PUSH(cell);
            DISPATCH();
        }

        TARGET(STORE_CLASSCELL)
        {
            TwObject *cls = POP();
            TwObject *cell = TOP();
            tw_cell_set(cell, cls);
            TOP() = cls;
            tw_decref(cell);
            DISPATCH();
        }

        TARGET(RAISE_VARARGS)
        {
            SAVE_FRAME();
            if (arg == 0) {
                TwObject *exc = handled_exception(ts);
                if (exc == NULL) {
                    tw_err_set_string(&tw_exc_RuntimeError, "No active exception to reraise");
                    goto error;
                }
                tw_err_restore(tw_newref(exc));
                goto exception_unwind;
            }
            TwObject *cause = arg == 2 ? POP() : NULL;
            TwObject *exc = POP();
            do_raise(ts, exc, cause);
            goto error;
        }

        TARGET(RERAISE)
        {
            TwObject *exc = POP();
            tw_err_restore(exc);
            goto exception_unwind;
        }

        TARGET(PUSH_EXC_INFO)
        {
            TwObject *exc = TOP();
            TwExcInfo *ei = ts->exc_info;
            TwObject *prev = ei->exc;
            TOP() = prev != NULL ? prev : tw_newref(TW_NONE);
            ei->exc = tw_newref(exc);
            PUSH(exc);
            DISPATCH();
        }

        TARGET(POP_EXCEPT)
        {
            TwObject *prev = POP();
            TwExcInfo *ei = ts->exc_info;
            TwObject *old = ei->exc;
            if (prev == TW_NONE) {
                ei->exc = NULL;
                tw_decref(prev);
            } else {
                ei->exc = prev;
            }
            tw_xdecref(old);
            DISPATCH();
        }

        TARGET(CHECK_EXC_MATCH)
        {
            TwObject *type = TOP();
            SAVE_FRAME();
            int r = exception_matches(SECOND(), type);
            if (r < 0)
                goto error;
            TOP() = r ? TW_TRUE : TW_FALSE;
            tw_decref(type);
            DISPATCH();
        }

        TARGET(BEFORE_WITH)
        {
            TwObject *mgr = TOP();
            TwObject *exit, *value;
            SAVE_FRAME();
            if (before_with(mgr, &exit, &value) < 0)
                goto error;
            TOP() = exit;
            tw_decref(mgr);
            PUSH(value);
            DISPATCH();
        }

        TARGET(WITH_EXIT)
        {
            TwObject *exit = TOP();
            TwObject *args[3] = {TW_NONE, TW_NONE, TW_NONE};
            SAVE_FRAME();
            TwObject *r = tw_object_vectorcall(exit, args, 3, NULL);
            if (r == NULL)
                goto error;
            TOP() = r;
            tw_decref(exit);
            DISPATCH();
        }

        TARGET(WITH_EXCEPT_START)
        {
            TwObject *exc = TOP();
            TwObject *exit = PEEK(3);
            TwObject *tb = tw_exception_get_traceback(exc);
            TwObject *args[3] = {(TwObject *)TW_TYPE(exc), exc, tb ? tb : TW_NONE};
            SAVE_FRAME();
            TwObject *r = tw_object_vectorcall(exit, args, 3, NULL);
            tw_xdecref(tb);
            if (r == NULL)
                goto error;
            PUSH(r);
            DISPATCH();
        }

        TARGET(YIELD_VALUE)
        {
            retval = POP();
            SAVE_FRAME();
            frame->state = TW_FRAME_SUSPENDED;
            goto suspend;
        }

        TARGET(YIELD_FROM)
        {
            TwObject *v = POP();
            TwObject *iter = TOP();
            TwObject *r;
            SAVE_FRAME();
            int st = send_into(iter, v, &r);
            tw_decref(v);
            if (st < 0)
                goto error;
            if (st == 1) {
                /* Suspend here: resuming pushes the sent value and runs
                 * YIELD_FROM again. */
                retval = r;
                frame->ip = ip - 1;
                frame->sp = sp;
                frame->state = TW_FRAME_SUSPENDED;
                goto suspend;
            }
            TOP() = r;
            tw_decref(iter);
            DISPATCH();
        }

        TARGET(GET_YIELD_FROM_ITER)
        {
            TwObject *o = TOP();
            if (!tw_gen_check(o)) {
                SAVE_FRAME();
                TwObject *it = tw_object_iter(o);
                if (it == NULL)
                    goto error;
                TOP() = it;
                tw_decref(o);
            }
            DISPATCH();
        }

        TARGET(IMPORT_NAME)
        {
            TwObject *name = tw_tuple_get_item_borrowed(co->names, arg & ((1u << 22) - 1));
            SAVE_FRAME();
            if (arg & (1u << 23)) {
                tw_err_set_string(&tw_exc_ImportError,
                                  "attempted relative import with no known parent package");
                goto error;
            }
            TwObject *m = tw_import_module(name);
            if (m == NULL)
                goto error;
            if (arg & (1u << 22)) {
                const char *s = tw_str_utf8(name);
                const char *dot = strchr(s, '.');
                TwObject *top = dot ? tw_str_from_utf8(s, (size_t)(dot - s)) : NULL;
                tw_decref(m);
                m = top ? tw_import_module(top) : NULL;
                tw_xdecref(top);
                if (m == NULL)
                    goto error;
            }
            PUSH(m);
            DISPATCH();
        }

        TARGET(IMPORT_FROM)
        {
            SAVE_FRAME();
            TwObject *v = tw_import_from(TOP(), tw_tuple_get_item_borrowed(co->names, arg));
            if (v == NULL)
                goto error;
            PUSH(v);
            DISPATCH();
        }

        TARGET(IMPORT_STAR)
        {
            TwObject *m = POP();
            SAVE_FRAME();
            int r = import_star(frame, m);
            tw_decref(m);
            if (r < 0)
                goto error;
            DISPATCH();
        }

        TARGET(LOAD_ASSERTION_ERROR)
        {
            PUSH(tw_newref((TwObject *)&tw_exc_AssertionError));
            DISPATCH();
        }

#if !USE_COMPUTED_GOTO
    default:
        tw_fatal("eval: unknown opcode %u", (unsigned)TW_OP(word));
    }
#endif

    /* ---- leaving a frame ----------------------------------------------------------------------
     */

return_retval:
    /* The value stack is empty here (the compiler unwinds before returning). */
    while (sp > tw_frame_stack_base(frame))
        tw_xdecref(*--sp);
    frame->sp = sp;
    ts->py_depth--;
    if (frame->is_entry) {
        ts->frame = frame->previous;
        if (frame->owner == TW_FRAME_IN_GENERATOR) {
            frame->state = TW_FRAME_COMPLETED;
            tw_frame_clear(frame);
        } else {
            tw_frame_clear(frame);
            tw_frame_pop(ts, frame);
        }
        return retval;
    }
    if (frame->owner == TW_FRAME_IN_GENERATOR) {
        /* A generator run by FOR_ITER finished: the loop is over. */
        TwFrame *caller = frame->previous;
        gen_frame_leave(ts, frame, TW_FRAME_COMPLETED);
        tw_decref(retval);
        frame = caller;
        LOAD_FRAME();
        TwObject *it = POP();
        ip = co->code + TW_ARG(ip[-1]);
        tw_decref(it);
        DISPATCH();
    }
    {
        /* Back to the caller: the frame's memory is released, so its
         * slots need no clearing, only their references dropping. */
        TwFrame *caller = frame->previous;
        ts->frame = caller;
        TwObject **slot = frame->localsplus;
        for (int i = 0, n = co->nlocalsplus; i < n; i++)
            tw_xdecref(slot[i]);
        tw_xdecref(frame->locals);
        tw_xdecref(frame->func);
        tw_frame_pop(ts, frame);
        frame = caller;
        LOAD_FRAME();
        PUSH(retval);
        DISPATCH();
    }

suspend:
    /* A generator's frame stops at a yield; it stays as it is. */
    ts->py_depth--;
    if (!frame->is_entry) {
        /* Run by FOR_ITER: the value is the loop's next item. */
        TwFrame *caller = frame->previous;
        gen_frame_leave(ts, frame, TW_FRAME_SUSPENDED);
        frame = caller;
        LOAD_FRAME();
        PUSH(retval);
        DISPATCH();
    }
    ts->frame = frame->previous;
    return retval;

error:
    /* An exception arrives in this frame: record the frame in its
     * traceback and chain it to the exception being handled. */
    {
        tw_assert(tw_err_occurred());
        TwObject *exc = ts->curexc;
        if (exc != NULL) {
            chain_context(ts, exc, 1);
            tw_traceback_add(exc, co, (int)(ip - co->code) - 1);
        }
    }
exception_unwind : {
    int lasti = (int)(ip - co->code) - 1;
    const TwExcTableEntry *h = lasti >= 0 ? tw_code_find_handler(co, lasti) : NULL;
    if (h != NULL) {
        TwObject **keep = tw_frame_stack_base(frame) + h->depth;
        while (sp > keep)
            tw_xdecref(*--sp);
        PUSH(tw_err_fetch());
        ip = co->code + h->handler;
        DISPATCH();
    }
}
    /* No handler: the frame is done. */
    while (sp > tw_frame_stack_base(frame))
        tw_xdecref(*--sp);
    frame->sp = sp;
    ts->py_depth--;
exit_unwind:
    /* Reached with py_depth already decremented for this frame. */
    frame->sp = sp;
    if (frame->is_entry) {
        ts->frame = frame->previous;
        if (frame->owner == TW_FRAME_IN_GENERATOR) {
            frame->state = TW_FRAME_COMPLETED;
            tw_frame_clear(frame);
        } else {
            tw_frame_clear(frame);
            tw_frame_pop(ts, frame);
        }
        return NULL;
    }
    if (frame->owner == TW_FRAME_IN_GENERATOR) {
        /* A generator run by FOR_ITER raised: it is finished, and the
         * exception goes on in the loop's frame. */
        TwFrame *caller = frame->previous;
        gen_frame_leave(ts, frame, TW_FRAME_COMPLETED);
        stopiteration_to_runtime_error();
        frame = caller;
        LOAD_FRAME();
        goto error;
    }
    {
        TwFrame *caller = frame->previous;
        ts->frame = caller;
        tw_frame_clear(frame);
        tw_frame_pop(ts, frame);
        frame = caller;
        LOAD_FRAME();
        goto error;
    }
}
