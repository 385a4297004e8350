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

/* An exception instance: its class is ob_type.  Exceptions are ordinary
 * classes (core/exceptions.c): Python code subclasses them, constructs them
 * with any arguments and sets attributes on them.  The fields are
 * protected by the exception's critical section; the accessors below take
 * it, so an exception shared between threads is never torn. */
typedef struct TwBaseException {
    TwObject ob_base;
    TwObject *args;          /* tuple; never NULL once built */
    TwObject *dict;          /* instance attributes (__dict__), created on first use */
    TwObject *traceback;     /* __traceback__ or NULL: the eval loop's traceback object */
    TwObject *context;       /* __context__ or NULL */
    TwObject *cause;         /* __cause__ or NULL */
    char suppress_context;   /* __suppress_context__ */
} TwBaseException;

/* The exception families that carry more state (CPython's attributes). */
typedef struct TwStopIterationObject {
    TwBaseException base;
    TwObject *value; /* StopIteration.value: args[0] or None */
} TwStopIterationObject;

typedef struct TwSystemExitObject {
    TwBaseException base;
    TwObject *code; /* SystemExit.code: None, args[0], or args */
} TwSystemExitObject;

typedef struct TwOSErrorObject {
    TwBaseException base;
    TwObject *myerrno, *strerror, *filename, *filename2; /* None when not given */
} TwOSErrorObject;

typedef struct TwImportErrorObject {
    TwBaseException base;
    TwObject *msg, *name, *path; /* None when not given */
} TwImportErrorObject;

typedef struct TwNameErrorObject {
    TwBaseException base;
    TwObject *name; /* the missing name, or None */
} TwNameErrorObject;

typedef struct TwAttributeErrorObject {
    TwBaseException base;
    TwObject *name, *obj; /* the missing attribute and the object, or None */
} TwAttributeErrorObject;

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
extern TwType tw_exc_SystemExit;
extern TwType tw_exc_GeneratorExit;
extern TwType tw_exc_FloatingPointError;
extern TwType tw_exc_AssertionError;
extern TwType tw_exc_BufferError;
extern TwType tw_exc_EOFError;
extern TwType tw_exc_ImportError;
extern TwType tw_exc_ModuleNotFoundError;
extern TwType tw_exc_NameError;
extern TwType tw_exc_UnboundLocalError;
extern TwType tw_exc_ReferenceError;
extern TwType tw_exc_StopAsyncIteration;
extern TwType tw_exc_UnicodeDecodeError;
extern TwType tw_exc_UnicodeEncodeError;
extern TwType tw_exc_UnicodeTranslateError;
extern TwType tw_exc_OSError;
extern TwType tw_exc_BlockingIOError;
extern TwType tw_exc_ChildProcessError;
extern TwType tw_exc_ConnectionError;
extern TwType tw_exc_BrokenPipeError;
extern TwType tw_exc_ConnectionAbortedError;
extern TwType tw_exc_ConnectionRefusedError;
extern TwType tw_exc_ConnectionResetError;
extern TwType tw_exc_FileExistsError;
extern TwType tw_exc_FileNotFoundError;
extern TwType tw_exc_InterruptedError;
extern TwType tw_exc_IsADirectoryError;
extern TwType tw_exc_NotADirectoryError;
extern TwType tw_exc_PermissionError;
extern TwType tw_exc_ProcessLookupError;
extern TwType tw_exc_TimeoutError;
extern TwType tw_exc_Warning;
extern TwType tw_exc_UserWarning;
extern TwType tw_exc_DeprecationWarning;
extern TwType tw_exc_PendingDeprecationWarning;
extern TwType tw_exc_SyntaxWarning;
extern TwType tw_exc_RuntimeWarning;
extern TwType tw_exc_FutureWarning;
extern TwType tw_exc_ImportWarning;
extern TwType tw_exc_UnicodeWarning;
extern TwType tw_exc_BytesWarning;
extern TwType tw_exc_ResourceWarning;
extern TwType tw_exc_EncodingWarning;

/* 1 if op is an exception instance (BaseException or a subclass). */
static inline int tw_exception_check(TwObject *op)
{
    return (TW_TYPE(op)->tp_flags & TW_TPFLAGS_EXCEPTION) != 0;
}
/* 1 if op is an exception class. */
int tw_exception_class_check(TwObject *op);

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
/* UnicodeDecodeError(encoding, bytes(data[0:n]), start, end, reason) and
 * UnicodeEncodeError(encoding, str, start, end, reason), as the codecs
 * raise them; start/end index the bytes or the code points. */
void tw_err_unicode_decode(const char *encoding, const char *data, size_t n, size_t start,
                           size_t end, const char *reason);
void tw_err_unicode_encode(const char *encoding, TwObject *str, size_t start, size_t end,
                           const char *reason);
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

/* OSError from the C errno: OSError(errno, strerror(errno)[, filename]),
 * which becomes the subclass for that errno (ENOENT: FileNotFoundError,
 * ...) as in CPython.  `type` NULL means OSError.  Returns NULL. */
TwObject *tw_err_set_from_errno(TwType *type);
TwObject *tw_err_set_from_errno_filename(TwType *type, const char *filename);
/* The same with filename objects (a str or bytes path as the caller gave
 * it, or NULL): OSError(errno, strerror, f1, None, f2), whose message is
 * "[Errno 2] No such file or directory: 'a' -> 'b'" when both are given. */
TwObject *tw_err_set_from_errno_objects(TwType *type, TwObject *f1, TwObject *f2);
/* AttributeError "'X' object has no attribute 'name'" with .name and .obj set. */
void tw_err_no_attribute(TwObject *obj, TwObject *name);
/* NameError (or UnboundLocalError, a subclass) with the message `msg`
 * and .name set to `name`, as the eval loop raises for unbound names. */
void tw_err_name_error(TwType *type, const char *msg, TwObject *name);

/* Build an exception instance type(*args) (new reference); args_tuple NULL
 * means no arguments.  Built-in classes are built directly; other classes
 * are called. */
TwObject *tw_exception_new(TwType *type, TwObject *args_tuple);
/* The message: str(args[0]) for one argument, as CPython's str(exc). */
TwObject *tw_exception_str(TwObject *exc);

/* Attributes of an exception instance (new references, or NULL with no
 * exception when unset).  Setting __cause__ also sets __suppress_context__,
 * as `raise ... from ...` does.  Values are not stolen; NULL clears. */
TwObject *tw_exception_get_args(TwObject *exc);
TwObject *tw_exception_get_traceback(TwObject *exc);
void tw_exception_set_traceback(TwObject *exc, TwObject *tb);
TwObject *tw_exception_get_context(TwObject *exc);
void tw_exception_set_context(TwObject *exc, TwObject *context);
TwObject *tw_exception_get_cause(TwObject *exc);
void tw_exception_set_cause(TwObject *exc, TwObject *cause);
int tw_exception_get_suppress_context(TwObject *exc);
/* StopIteration.value (None when absent); SystemExit.code. */
TwObject *tw_stopiteration_value(TwObject *exc);
TwObject *tw_systemexit_code(TwObject *exc);

/* For exception families defined in other files (SyntaxError in
 * core/parser.c): a tp_dealloc must release the base fields with this
 * before tw_object_free. */
void tw_exception_clear_base(TwObject *exc);

/* Add every built-in exception class to `dict` under its name (plus the
 * aliases EnvironmentError and IOError); for the builtins module. */
int tw_exceptions_add_to_dict(TwObject *dict);

#endif
