/* Exceptions in the C API.
 *
 * One mechanism carries errors: the calling thread's current exception, an
 * exception object held by its thread state.  A function that fails sets it
 * and returns its error value (NULL, or -1 for int results); the caller
 * either handles it (tw_err_fetch / tw_err_clear) or returns its own error
 * value.  Exception classes are static immortal types whose tp_base chain
 * mirrors CPython's hierarchy. */
#ifndef TWINPY_ERROR_H
#define TWINPY_ERROR_H

#include <twinpy/object.h>

/* An exception instance: its class is ob_type; args is a tuple. */
typedef struct TwBaseException {
    TwObject ob_base;
    TwObject *args; /* tuple; never NULL once built */
} TwBaseException;

extern TwType tw_exc_BaseException;
extern TwType tw_exc_Exception;
extern TwType tw_exc_ArithmeticError;
extern TwType tw_exc_OverflowError;
extern TwType tw_exc_ZeroDivisionError;
extern TwType tw_exc_LookupError;
extern TwType tw_exc_IndexError;
extern TwType tw_exc_KeyError;
extern TwType tw_exc_TypeError;
extern TwType tw_exc_ValueError;
extern TwType tw_exc_UnicodeError;
extern TwType tw_exc_RuntimeError;
extern TwType tw_exc_RecursionError;
extern TwType tw_exc_NotImplementedError;
extern TwType tw_exc_MemoryError;
extern TwType tw_exc_SystemError;
extern TwType tw_exc_AttributeError;
extern TwType tw_exc_StopIteration;
extern TwType tw_exc_KeyboardInterrupt;

/* Set the current exception to type(msg). */
void tw_err_set_string(TwType *type, const char *msg);
/* Set the current exception to type(msg) with msg formatted printf-style. */
void tw_err_format(TwType *type, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Set the current exception to type(value), e.g. KeyError(key). */
void tw_err_set_object(TwType *type, TwObject *value);
/* MemoryError; returns NULL so callers can `return tw_err_no_memory();`. */
TwObject *tw_err_no_memory(void);
/* The type of the current exception, or NULL. */
TwType *tw_err_occurred(void);
/* 1 if the current exception is an instance of type (or a subclass). */
int tw_err_matches(TwType *type);
/* Take the current exception (a new reference), leaving none; NULL if none. */
TwObject *tw_err_fetch(void);
/* Make exc (a reference that is stolen) the current exception. */
void tw_err_restore(TwObject *exc);
void tw_err_clear(void);

/* Build an exception instance type(*args) directly (new reference). */
TwObject *tw_exception_new(TwType *type, TwObject *args_tuple);
/* The message: str(args[0]) for one argument, as CPython's str(exc). */
TwObject *tw_exception_str(TwObject *exc);

#endif
