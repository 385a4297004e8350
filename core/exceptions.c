/* Built-in exception classes and the current-exception mechanism.
 *
 * The current exception lives in the calling thread's state (owner-only),
 * so setting and fetching it needs no lock in either build. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/tstate.h"

static void exception_dealloc(TwObject *op)
{
    TW_CLEAR(((TwBaseException *)op)->args);
    tw_object_free(op);
}

TwObject *tw_exception_str(TwObject *op)
{
    TwObject *args = ((TwBaseException *)op)->args;
    intptr_t n = args ? tw_tuple_size(args) : 0;
    if (n == 0)
        return tw_str_from_cstr("");
    if (n == 1) {
        TwObject *arg = tw_tuple_get_item_borrowed(args, 0);
        /* KeyError shows its key as a repr, so that '' and missing keys read clearly. */
        if (tw_type_is_subtype(TW_TYPE(op), &tw_exc_KeyError))
            return tw_object_repr(arg);
        return tw_object_str(arg);
    }
    return tw_object_repr(args);
}

static TwObject *exception_repr(TwObject *op)
{
    TwObject *args = ((TwBaseException *)op)->args;
    const char *name = TW_TYPE(op)->tp_name;
    intptr_t n = args ? tw_tuple_size(args) : 0;
    if (n == 0)
        return tw_str_from_format("%s()", name);
    TwObject *inner = tw_object_repr(n == 1 ? tw_tuple_get_item_borrowed(args, 0) : args);
    if (inner == NULL)
        return NULL;
    TwObject *r = n == 1 ? tw_str_from_format("%s(%s)", name, tw_str_utf8(inner))
                         : tw_str_from_format("%s%s", name, tw_str_utf8(inner));
    tw_decref(inner);
    return r;
}

#define EXCEPTION_TYPE(cname, pyname, base)                                                        \
    TwType tw_exc_##cname = {                                                                      \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = pyname,                                                                         \
        .tp_basicsize = sizeof(TwBaseException),                                                  \
        .tp_flags = TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_BASETYPE,                                    \
        .tp_base = base,                                                                           \
        .tp_dealloc = exception_dealloc,                                                           \
        .tp_repr = exception_repr,                                                                 \
        .tp_str = tw_exception_str,                                                                \
    }

EXCEPTION_TYPE(BaseException, "BaseException", &tw_object_type);
EXCEPTION_TYPE(Exception, "Exception", &tw_exc_BaseException);
EXCEPTION_TYPE(ArithmeticError, "ArithmeticError", &tw_exc_Exception);
EXCEPTION_TYPE(OverflowError, "OverflowError", &tw_exc_ArithmeticError);
EXCEPTION_TYPE(ZeroDivisionError, "ZeroDivisionError", &tw_exc_ArithmeticError);
EXCEPTION_TYPE(LookupError, "LookupError", &tw_exc_Exception);
EXCEPTION_TYPE(IndexError, "IndexError", &tw_exc_LookupError);
EXCEPTION_TYPE(KeyError, "KeyError", &tw_exc_LookupError);
EXCEPTION_TYPE(TypeError, "TypeError", &tw_exc_Exception);
EXCEPTION_TYPE(ValueError, "ValueError", &tw_exc_Exception);
EXCEPTION_TYPE(UnicodeError, "UnicodeError", &tw_exc_ValueError);
EXCEPTION_TYPE(RuntimeError, "RuntimeError", &tw_exc_Exception);
EXCEPTION_TYPE(RecursionError, "RecursionError", &tw_exc_RuntimeError);
EXCEPTION_TYPE(NotImplementedError, "NotImplementedError", &tw_exc_RuntimeError);
EXCEPTION_TYPE(MemoryError, "MemoryError", &tw_exc_Exception);
EXCEPTION_TYPE(SystemError, "SystemError", &tw_exc_Exception);
EXCEPTION_TYPE(AttributeError, "AttributeError", &tw_exc_Exception);
EXCEPTION_TYPE(StopIteration, "StopIteration", &tw_exc_Exception);
EXCEPTION_TYPE(KeyboardInterrupt, "KeyboardInterrupt", &tw_exc_BaseException);

/* MemoryError must be raisable without allocating: one static immortal
 * instance whose args is the (immortal) empty tuple. */
static TwBaseException memory_error_instance = {.ob_base = TW_OBJECT_HEAD_INIT(&tw_exc_MemoryError)};

TwObject *tw_exception_new(TwType *type, TwObject *args_tuple)
{
    TwObject *args = args_tuple ? tw_newref(args_tuple) : tw_tuple_new(0);
    if (args == NULL)
        return NULL;
    TwBaseException *exc = (TwBaseException *)tw_object_new(type, 0);
    if (exc == NULL) {
        tw_decref(args);
        return NULL;
    }
    exc->args = args;
    return (TwObject *)exc;
}

static TwThreadState *current(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL)
        tw_fatal("exception raised in a thread without a thread state");
    return ts;
}

void tw_err_restore(TwObject *exc)
{
    TwThreadState *ts = current();
    TwObject *old = ts->curexc;
    ts->curexc = exc;
    tw_xdecref(old);
}

void tw_err_set_object(TwType *type, TwObject *value)
{
    TwObject *args = tw_tuple_pack(1, value);
    if (args == NULL)
        return; /* MemoryError is already set */
    TwObject *exc = tw_exception_new(type, args);
    tw_decref(args);
    if (exc != NULL)
        tw_err_restore(exc);
}

void tw_err_set_string(TwType *type, const char *msg)
{
    TwObject *s = tw_str_from_cstr(msg);
    if (s == NULL)
        return;
    tw_err_set_object(type, s);
    tw_decref(s);
}

void tw_err_format(TwType *type, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        tw_err_set_string(type, fmt);
        return;
    }
    if ((size_t)n < sizeof small) {
        tw_err_set_string(type, small);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        tw_err_no_memory();
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tw_err_set_string(type, big);
    free(big);
}

void tw_exceptions_init(void)
{
    if (memory_error_instance.args == NULL)
        memory_error_instance.args = tw_tuple_new(0); /* the immortal empty tuple */
}

TwObject *tw_err_no_memory(void)
{
    tw_err_restore((TwObject *)&memory_error_instance);
    return NULL;
}

TwType *tw_err_occurred(void)
{
    TwThreadState *ts = tw_tstate_fast();
    return (ts && ts->curexc) ? TW_TYPE(ts->curexc) : NULL;
}

int tw_err_matches(TwType *type)
{
    TwType *t = tw_err_occurred();
    return t != NULL && tw_type_is_subtype(t, type);
}

TwObject *tw_err_fetch(void)
{
    TwThreadState *ts = current();
    TwObject *exc = ts->curexc;
    ts->curexc = NULL;
    return exc;
}

void tw_err_clear(void)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts != NULL)
        TW_CLEAR(ts->curexc);
}
