/* Internal: function objects and cells.
 *
 * A function is a code object plus what a `def` statement evaluated when
 * it ran: the globals, defaults, keyword-only defaults and the closure (a
 * tuple of cells, one per free variable of the code).  Calling it from C
 * goes through tp_call (tw_function_vectorcall); the eval loop calls
 * Python functions itself, pushing their frames without recursing in C.
 *
 * Thread safety: code, globals, builtins and closure never change after
 * creation.  name, qualname, doc, module, defaults and kwdefaults may be
 * reassigned from Python (f.__defaults__ = ...); the setters hold the
 * function's critical section and never free the previous value (it is
 * made immortal), so a thread calling the function concurrently reads
 * either the old or the new object, never freed memory.  Assigning these
 * attributes is rare; the leak is the price of lock-free calls.
 *
 * A cell holds one variable shared between a function and the functions
 * defined inside it.  Writers hold the cell's critical section; readers
 * take it only the first time a thread other than the cell's owner looks,
 * as containers do (core/function.c, tw_cell_get). */
#ifndef TWINPY_CORE_FUNCTION_H
#define TWINPY_CORE_FUNCTION_H

#include <twinpy/twinpy.h>

typedef struct TwFunctionObject {
    TwObject ob_base;
    TwObject *code;       /* TwCodeObject; immutable */
    TwObject *globals;    /* dict; immutable */
    TwObject *builtins;   /* dict; immutable */
    TwObject *closure;    /* tuple of cells, or NULL; immutable */
    TwObject *name;       /* str */
    TwObject *qualname;   /* str */
    TwObject *defaults;   /* tuple or NULL */
    TwObject *kwdefaults; /* dict or NULL */
    TwObject *doc;        /* any object */
    TwObject *module;     /* __module__: globals['__name__'] when made, or None */
    TwObject *dict;       /* __dict__, created on first use (tp_dictoffset) */
} TwFunctionObject;

extern TwType tw_function_type;
static inline int tw_function_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_function_type;
}

/* A function for code with the given globals (name and qualname come
 * from the code; the docstring is the code's first constant if a str). */
TwObject *tw_function_new(TwObject *code, TwObject *globals);
/* Call a function with the vectorcall convention (its tp_call). */
TwObject *tw_function_vectorcall(TwObject *func, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames);

typedef struct TwCellObject {
    TwObject ob_base;
    TwObject *ref; /* the contents, or NULL when empty: see above */
} TwCellObject;

extern TwType tw_cell_type;
static inline int tw_cell_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_cell_type;
}
/* A cell holding value (may be NULL: empty). */
TwObject *tw_cell_new(TwObject *value);
/* The contents (new reference) or NULL (no exception) when empty. */
TwObject *tw_cell_get(TwObject *cell);
/* Replace the contents (value may be NULL: empty the cell). */
void tw_cell_set(TwObject *cell, TwObject *value);

/* For __build_class__: run the body of a class statement, `func` (the
 * function the compiler made of the body), with `ns` as its namespace.
 * Returns None (a new reference), or NULL with an exception.  The
 * __class__ cell that zero-argument super() reads is the compiler's
 * business: the code running the class statement makes it, passes it in
 * func's closure and fills it once __build_class__ has returned the class
 * (opcodes MAKE_CELL and STORE_CLASSCELL), so __build_class__ and type()
 * never see it. */
TwObject *tw_eval_class_body(TwObject *func, TwObject *ns);

#endif
