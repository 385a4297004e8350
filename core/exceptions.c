/* Built-in exception classes and the current-exception mechanism.
 *
 * Exceptions are ordinary classes: BaseException's __new__ stores the
 * positional arguments as `args`, __init__ stores them again (so a
 * subclass that overrides __init__ without calling the base still has
 * them), and every exception has a __dict__ for its attributes.  The
 * families with more state (StopIteration, SystemExit, OSError,
 * ImportError, NameError, AttributeError) extend the instance layout and
 * parse their arguments in __init__ as CPython does; OSError(errno, ...)
 * becomes the subclass for that errno.
 *
 * The fields of an exception instance are protected by its critical
 * section: accessors swap pointers inside it and drop the old reference
 * after it.  The current exception lives in the calling thread's state
 * (owner-only), so setting and fetching it needs no lock in either build. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"

#define EXC(op) ((TwBaseException *)(op))

/* ---- fields ----------------------------------------------------------------------- */

/* Replace *slot with value (a new reference taken here; NULL clears)
 * under the exception's section; the old value is released after it. */
static void set_field(TwObject *exc, TwObject **slot, TwObject *value)
{
    TwObject *old;
    if (value != NULL)
        tw_incref(value);
    TW_BEGIN_CRITICAL_SECTION(exc);
    old = *slot;
    *slot = value;
    TW_END_CRITICAL_SECTION();
    tw_xdecref(old);
}

/* A new reference to *slot (or NULL) read under the section. */
static TwObject *get_field(TwObject *exc, TwObject **slot)
{
    TwObject *v;
    TW_BEGIN_CRITICAL_SECTION(exc);
    v = *slot;
    if (v != NULL)
        tw_incref(v);
    TW_END_CRITICAL_SECTION();
    return v;
}

void tw_exception_clear_base(TwObject *op)
{
    TwBaseException *e = EXC(op);
    TW_CLEAR(e->args);
    TW_CLEAR(e->dict);
    TW_CLEAR(e->traceback);
    TW_CLEAR(e->context);
    TW_CLEAR(e->cause);
}

static void base_dealloc(TwObject *op)
{
    tw_exception_clear_base(op);
    tw_object_free(op);
}

static TwObject *args_tuple(TwObject *const *args, size_t nargs)
{
    TwObject *t = tw_tuple_new((intptr_t)nargs);
    if (t != NULL)
        for (size_t i = 0; i < nargs; i++)
            tw_tuple_init_item(t, (intptr_t)i, tw_newref(args[i]));
    return t;
}

/* ---- BaseException ------------------------------------------------------------------- */

static TwObject *base_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwBaseException *e = (TwBaseException *)tw_object_new(type, 0);
    if (e == NULL)
        return NULL;
    e->args = args_tuple(args, nargs);
    if (e->args == NULL) {
        tw_decref((TwObject *)e);
        return NULL;
    }
    return (TwObject *)e;
}

static int base_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_nkw(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", TW_TYPE(self)->tp_name);
        return -1;
    }
    TwObject *t = args_tuple(args, nargs);
    if (t == NULL)
        return -1;
    set_field(self, &EXC(self)->args, t);
    tw_decref(t);
    return 0;
}

/* The message: "" for no arguments, str(arg) for one, str(args) else. */
static TwObject *base_str(TwObject *op)
{
    TwObject *args = tw_exception_get_args(op);
    intptr_t n = args ? tw_tuple_size(args) : 0;
    TwObject *r;
    if (n == 0)
        r = tw_str_from_cstr("");
    else if (n == 1)
        r = tw_object_str(tw_tuple_get_item_borrowed(args, 0));
    else
        r = tw_object_str(args);
    tw_xdecref(args);
    return r;
}

TwObject *tw_exception_str(TwObject *exc) { return tw_object_str(exc); }

/* "Name(arg)" for one argument, "Name(a, b)" for several, "Name()". */
static TwObject *base_repr(TwObject *op)
{
    TwObject *args = tw_exception_get_args(op);
    const char *name = TW_TYPE(op)->tp_name;
    intptr_t n = args ? tw_tuple_size(args) : 0;
    TwObject *r = NULL;
    if (n == 0) {
        r = tw_str_from_format("%s()", name);
    } else {
        TwObject *inner = tw_object_repr(n == 1 ? tw_tuple_get_item_borrowed(args, 0) : args);
        if (inner != NULL) {
            r = n == 1 ? tw_str_from_format("%s(%s)", name, tw_str_utf8(inner))
                       : tw_str_from_format("%s%s", name, tw_str_utf8(inner));
            tw_decref(inner);
        }
    }
    tw_xdecref(args);
    return r;
}

static TwObject *none_if_null(TwObject *v) { return v ? v : tw_newref(TW_NONE); }

TwObject *tw_exception_get_args(TwObject *exc) { return get_field(exc, &EXC(exc)->args); }
TwObject *tw_exception_get_traceback(TwObject *exc) { return get_field(exc, &EXC(exc)->traceback); }
TwObject *tw_exception_get_context(TwObject *exc) { return get_field(exc, &EXC(exc)->context); }
TwObject *tw_exception_get_cause(TwObject *exc) { return get_field(exc, &EXC(exc)->cause); }

void tw_exception_set_traceback(TwObject *exc, TwObject *tb)
{
    set_field(exc, &EXC(exc)->traceback, tb == TW_NONE ? NULL : tb);
}

void tw_exception_set_context(TwObject *exc, TwObject *context)
{
    set_field(exc, &EXC(exc)->context, context == TW_NONE ? NULL : context);
}

void tw_exception_set_cause(TwObject *exc, TwObject *cause)
{
    set_field(exc, &EXC(exc)->cause, cause == TW_NONE ? NULL : cause);
    TW_BEGIN_CRITICAL_SECTION(exc);
    EXC(exc)->suppress_context = 1;
    TW_END_CRITICAL_SECTION();
}

int tw_exception_get_suppress_context(TwObject *exc)
{
    int r;
    TW_BEGIN_CRITICAL_SECTION(exc);
    r = EXC(exc)->suppress_context;
    TW_END_CRITICAL_SECTION();
    return r;
}

static TwObject *exc_get_args(TwObject *op, void *c) { return none_if_null(tw_exception_get_args(op)); }

static int exc_set_args(TwObject *op, TwObject *value, void *c)
{
    if (value == NULL) {
        tw_err_set_string(&tw_exc_TypeError, "args may not be deleted");
        return -1;
    }
    TwObject *t = tw_sequence_tuple(value);
    if (t == NULL)
        return -1;
    set_field(op, &EXC(op)->args, t);
    tw_decref(t);
    return 0;
}

static TwObject *exc_get_traceback(TwObject *op, void *c) { return none_if_null(tw_exception_get_traceback(op)); }

static int exc_set_traceback(TwObject *op, TwObject *value, void *c)
{
    if (value == NULL) {
        tw_err_set_string(&tw_exc_TypeError, "__traceback__ may not be deleted");
        return -1;
    }
    if (value != TW_NONE && strcmp(TW_TYPE(value)->tp_name, "traceback") != 0) {
        tw_err_set_string(&tw_exc_TypeError, "__traceback__ must be a traceback or None");
        return -1;
    }
    tw_exception_set_traceback(op, value);
    return 0;
}

static int check_exc_or_none(TwObject *value, const char *what)
{
    if (value == NULL) {
        tw_err_format(&tw_exc_TypeError, "%s may not be deleted", what);
        return -1;
    }
    if (value != TW_NONE && !tw_exception_check(value)) {
        tw_err_format(&tw_exc_TypeError, "exception %s must be None or derive from BaseException",
                      strcmp(what, "__cause__") == 0 ? "cause" : "context");
        return -1;
    }
    return 0;
}

static TwObject *exc_get_context(TwObject *op, void *c) { return none_if_null(tw_exception_get_context(op)); }

static int exc_set_context(TwObject *op, TwObject *value, void *c)
{
    if (check_exc_or_none(value, "__context__") < 0)
        return -1;
    tw_exception_set_context(op, value);
    return 0;
}

static TwObject *exc_get_cause(TwObject *op, void *c) { return none_if_null(tw_exception_get_cause(op)); }

static int exc_set_cause(TwObject *op, TwObject *value, void *c)
{
    if (check_exc_or_none(value, "__cause__") < 0)
        return -1;
    tw_exception_set_cause(op, value);
    return 0;
}

static TwObject *exc_get_suppress(TwObject *op, void *c)
{
    return tw_newref(tw_bool_from_long(tw_exception_get_suppress_context(op)));
}

static int exc_set_suppress(TwObject *op, TwObject *value, void *c)
{
    if (value == NULL) {
        tw_err_set_string(&tw_exc_TypeError, "__suppress_context__ may not be deleted");
        return -1;
    }
    int t = tw_object_is_true(value);
    if (t < 0)
        return -1;
    TW_BEGIN_CRITICAL_SECTION(op);
    EXC(op)->suppress_context = (char)t;
    TW_END_CRITICAL_SECTION();
    return 0;
}

static TwObject *exc_get_dict(TwObject *op, void *c) { return tw_object_get_dict(op); }

static TwObject *exc_with_traceback(TwObject *self, TwObject *tb)
{
    if (exc_set_traceback(self, tb, NULL) < 0)
        return NULL;
    return tw_newref(self);
}

/* add_note(note): append to the __notes__ list in the instance dict. */
static TwObject *exc_add_note(TwObject *self, TwObject *note)
{
    if (!tw_str_check(note)) {
        tw_err_format(&tw_exc_TypeError, "note must be a str, not '%s'", TW_TYPE(note)->tp_name);
        return NULL;
    }
    TwObject *dict = tw_object_instance_dict(self, 1);
    if (dict == NULL)
        return NULL;
    TwObject *notes = NULL;
    TwObject *fresh = tw_list_new(0);
    if (fresh == NULL)
        return NULL;
    int rc = tw_dict_set_default_ref(dict, tw_str_intern_cstr("__notes__"), fresh, &notes);
    tw_decref(fresh);
    if (rc < 0)
        return NULL;
    if (!tw_list_check(notes)) {
        tw_decref(notes);
        tw_err_set_string(&tw_exc_TypeError, "Cannot add note: __notes__ is not a list");
        return NULL;
    }
    rc = tw_list_append(notes, note);
    tw_decref(notes);
    return rc < 0 ? NULL : tw_newref(TW_NONE);
}

static const TwMethodDef base_methods[] = {
    {"with_traceback", (void (*)(void))exc_with_traceback, TW_METH_O, NULL},
    {"add_note", (void (*)(void))exc_add_note, TW_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef base_getset[] = {
    {"args", exc_get_args, exc_set_args, NULL},
    {"__traceback__", exc_get_traceback, exc_set_traceback, NULL},
    {"__context__", exc_get_context, exc_set_context, NULL},
    {"__cause__", exc_get_cause, exc_set_cause, NULL},
    {"__suppress_context__", exc_get_suppress, exc_set_suppress, NULL},
    {"__dict__", exc_get_dict, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

/* ---- member attributes of the families: closure = offset of the field ---- */

static TwObject *member_get(TwObject *op, void *closure)
{
    return none_if_null(get_field(op, (TwObject **)((char *)op + (size_t)closure)));
}

static int member_set(TwObject *op, TwObject *value, void *closure)
{
    set_field(op, (TwObject **)((char *)op + (size_t)closure), value);
    return 0;
}

#define MEMBER(name, type, field) {name, member_get, member_set, (void *)offsetof(type, field)}

/* ---- StopIteration: value ------------------------------------------------------------- */

static int stopiteration_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (base_init(self, args, nargs, kwnames) < 0)
        return -1;
    set_field(self, &((TwStopIterationObject *)self)->value, nargs > 0 ? args[0] : TW_NONE);
    return 0;
}

static void stopiteration_dealloc(TwObject *op)
{
    TW_CLEAR(((TwStopIterationObject *)op)->value);
    base_dealloc(op);
}

static const TwGetSetDef stopiteration_getset[] = {
    MEMBER("value", TwStopIterationObject, value),
    {NULL, NULL, NULL, NULL},
};

TwObject *tw_stopiteration_value(TwObject *exc)
{
    if (!tw_type_is_subtype(TW_TYPE(exc), &tw_exc_StopIteration))
        return tw_newref(TW_NONE);
    return none_if_null(get_field(exc, &((TwStopIterationObject *)exc)->value));
}

/* ---- SystemExit: code ----------------------------------------------------------------- */

static int systemexit_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (base_init(self, args, nargs, kwnames) < 0)
        return -1;
    TwSystemExitObject *e = (TwSystemExitObject *)self;
    if (nargs == 0) {
        set_field(self, &e->code, TW_NONE);
    } else if (nargs == 1) {
        set_field(self, &e->code, args[0]);
    } else {
        TwObject *a = tw_exception_get_args(self);
        set_field(self, &e->code, a);
        tw_xdecref(a);
    }
    return 0;
}

static void systemexit_dealloc(TwObject *op)
{
    TW_CLEAR(((TwSystemExitObject *)op)->code);
    base_dealloc(op);
}

static const TwGetSetDef systemexit_getset[] = {
    MEMBER("code", TwSystemExitObject, code),
    {NULL, NULL, NULL, NULL},
};

TwObject *tw_systemexit_code(TwObject *exc)
{
    if (!tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SystemExit))
        return tw_newref(TW_NONE);
    return none_if_null(get_field(exc, &((TwSystemExitObject *)exc)->code));
}

/* ---- OSError: errno, strerror, filename, filename2 --------------------------------------- */

/* The subclass CPython picks for an errno. */
static TwType *errno_subclass(int e)
{
    switch (e) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EALREADY:
    case EINPROGRESS:
        return &tw_exc_BlockingIOError;
    case ECHILD:
        return &tw_exc_ChildProcessError;
    case EPIPE:
    case ESHUTDOWN:
        return &tw_exc_BrokenPipeError;
    case ECONNABORTED:
        return &tw_exc_ConnectionAbortedError;
    case ECONNREFUSED:
        return &tw_exc_ConnectionRefusedError;
    case ECONNRESET:
        return &tw_exc_ConnectionResetError;
    case EEXIST:
        return &tw_exc_FileExistsError;
    case ENOENT:
        return &tw_exc_FileNotFoundError;
    case EISDIR:
        return &tw_exc_IsADirectoryError;
    case ENOTDIR:
        return &tw_exc_NotADirectoryError;
    case EINTR:
        return &tw_exc_InterruptedError;
    case EACCES:
    case EPERM:
        return &tw_exc_PermissionError;
    case ESRCH:
        return &tw_exc_ProcessLookupError;
    case ETIMEDOUT:
        return &tw_exc_TimeoutError;
    default:
        return NULL;
    }
}

static TwObject *oserror_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (type == &tw_exc_OSError && nargs >= 2 && nargs <= 5 && tw_int_check(args[0])) {
        int64_t e = tw_int_as_i64(args[0]);
        if (e == -1 && tw_err_occurred())
            tw_err_clear();
        else if (e >= INT32_MIN && e <= INT32_MAX) {
            TwType *sub = errno_subclass((int)e);
            if (sub != NULL)
                type = sub;
        }
    }
    return base_new(type, args, nargs, kwnames);
}

/* OSError(errno, strerror[, filename[, winerror[, filename2]]]): with a
 * filename, args keeps only (errno, strerror). */
static int oserror_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (base_init(self, args, nargs, kwnames) < 0)
        return -1;
    TwOSErrorObject *e = (TwOSErrorObject *)self;
    if (nargs >= 2 && nargs <= 5) {
        set_field(self, &e->myerrno, args[0]);
        set_field(self, &e->strerror, args[1]);
        if (nargs >= 3 && args[2] != TW_NONE) {
            set_field(self, &e->filename, args[2]);
            if (nargs == 5)
                set_field(self, &e->filename2, args[4]);
            TwObject *t = args_tuple(args, 2);
            if (t == NULL)
                return -1;
            set_field(self, &EXC(self)->args, t);
            tw_decref(t);
        }
    }
    return 0;
}

static void oserror_dealloc(TwObject *op)
{
    TwOSErrorObject *e = (TwOSErrorObject *)op;
    TW_CLEAR(e->myerrno);
    TW_CLEAR(e->strerror);
    TW_CLEAR(e->filename);
    TW_CLEAR(e->filename2);
    base_dealloc(op);
}

/* "[Errno 2] msg: 'file'", "[Errno 2] msg: 'a' -> 'b'", "[Errno 2] msg". */
static TwObject *oserror_str(TwObject *op)
{
    TwOSErrorObject *e = (TwOSErrorObject *)op;
    TwObject *no = get_field(op, &e->myerrno), *msg = get_field(op, &e->strerror);
    TwObject *f1 = get_field(op, &e->filename), *f2 = get_field(op, &e->filename2);
    TwObject *r = NULL, *sno = NULL, *smsg = NULL, *r1 = NULL, *r2 = NULL;
    if (no == NULL || msg == NULL) {
        r = base_str(op);
        goto out;
    }
    sno = tw_object_str(no);
    smsg = sno ? tw_object_str(msg) : NULL;
    if (smsg == NULL)
        goto out;
    if (f1 != NULL) {
        r1 = tw_object_repr(f1);
        if (r1 == NULL)
            goto out;
        if (f2 != NULL) {
            r2 = tw_object_repr(f2);
            if (r2 == NULL)
                goto out;
            r = tw_str_from_format("[Errno %s] %s: %s -> %s", tw_str_utf8(sno), tw_str_utf8(smsg),
                                   tw_str_utf8(r1), tw_str_utf8(r2));
        } else {
            r = tw_str_from_format("[Errno %s] %s: %s", tw_str_utf8(sno), tw_str_utf8(smsg),
                                   tw_str_utf8(r1));
        }
    } else {
        r = tw_str_from_format("[Errno %s] %s", tw_str_utf8(sno), tw_str_utf8(smsg));
    }
out:
    tw_xdecref(no);
    tw_xdecref(msg);
    tw_xdecref(f1);
    tw_xdecref(f2);
    tw_xdecref(sno);
    tw_xdecref(smsg);
    tw_xdecref(r1);
    tw_xdecref(r2);
    return r;
}

static const TwGetSetDef oserror_getset[] = {
    MEMBER("errno", TwOSErrorObject, myerrno),
    MEMBER("strerror", TwOSErrorObject, strerror),
    MEMBER("filename", TwOSErrorObject, filename),
    MEMBER("filename2", TwOSErrorObject, filename2),
    {NULL, NULL, NULL, NULL},
};

/* ---- keyword-accepting families: ImportError, NameError, AttributeError ------------------- */

/* Split keyword arguments named in `names` off into vals[]; anything else
 * is "'x' is an invalid keyword argument for Name()". */
static int take_keywords(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames,
                         const char *const *names, TwObject **vals, int nnames)
{
    for (int i = 0; i < nnames; i++)
        vals[i] = NULL;
    size_t nkw = tw_nkw(kwnames);
    for (size_t k = 0; k < nkw; k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        int i;
        for (i = 0; i < nnames; i++)
            if (tw_str_equal_cstr(key, names[i]))
                break;
        if (i == nnames) {
            tw_err_format(&tw_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                          tw_str_utf8(key), TW_TYPE(self)->tp_name);
            return -1;
        }
        vals[i] = args[nargs + k];
    }
    return 0;
}

static int importerror_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"name", "path"};
    TwObject *vals[2];
    if (take_keywords(self, args, nargs, kwnames, names, vals, 2) < 0)
        return -1;
    if (base_init(self, args, nargs, NULL) < 0)
        return -1;
    TwImportErrorObject *e = (TwImportErrorObject *)self;
    set_field(self, &e->name, vals[0]);
    set_field(self, &e->path, vals[1]);
    set_field(self, &e->msg, nargs == 1 ? args[0] : NULL);
    return 0;
}

static void importerror_dealloc(TwObject *op)
{
    TwImportErrorObject *e = (TwImportErrorObject *)op;
    TW_CLEAR(e->msg);
    TW_CLEAR(e->name);
    TW_CLEAR(e->path);
    base_dealloc(op);
}

static TwObject *importerror_str(TwObject *op)
{
    TwObject *msg = get_field(op, &((TwImportErrorObject *)op)->msg);
    if (msg != NULL && tw_str_check(msg))
        return msg;
    tw_xdecref(msg);
    return base_str(op);
}

static const TwGetSetDef importerror_getset[] = {
    MEMBER("msg", TwImportErrorObject, msg),
    MEMBER("name", TwImportErrorObject, name),
    MEMBER("path", TwImportErrorObject, path),
    {NULL, NULL, NULL, NULL},
};

static int nameerror_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"name"};
    TwObject *vals[1];
    if (take_keywords(self, args, nargs, kwnames, names, vals, 1) < 0)
        return -1;
    if (base_init(self, args, nargs, NULL) < 0)
        return -1;
    set_field(self, &((TwNameErrorObject *)self)->name, vals[0]);
    return 0;
}

static void nameerror_dealloc(TwObject *op)
{
    TW_CLEAR(((TwNameErrorObject *)op)->name);
    base_dealloc(op);
}

static const TwGetSetDef nameerror_getset[] = {
    MEMBER("name", TwNameErrorObject, name),
    {NULL, NULL, NULL, NULL},
};

static int attributeerror_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"name", "obj"};
    TwObject *vals[2];
    if (take_keywords(self, args, nargs, kwnames, names, vals, 2) < 0)
        return -1;
    if (base_init(self, args, nargs, NULL) < 0)
        return -1;
    TwAttributeErrorObject *e = (TwAttributeErrorObject *)self;
    set_field(self, &e->name, vals[0]);
    set_field(self, &e->obj, vals[1]);
    return 0;
}

static void attributeerror_dealloc(TwObject *op)
{
    TwAttributeErrorObject *e = (TwAttributeErrorObject *)op;
    TW_CLEAR(e->name);
    TW_CLEAR(e->obj);
    base_dealloc(op);
}

static const TwGetSetDef attributeerror_getset[] = {
    MEMBER("name", TwAttributeErrorObject, name),
    MEMBER("obj", TwAttributeErrorObject, obj),
    {NULL, NULL, NULL, NULL},
};

/* ---- KeyError: str shows the key's repr ------------------------------------------------- */

static TwObject *keyerror_str(TwObject *op)
{
    TwObject *args = tw_exception_get_args(op);
    TwObject *r;
    if (args != NULL && tw_tuple_size(args) == 1)
        r = tw_object_repr(tw_tuple_get_item_borrowed(args, 0));
    else
        r = base_str(op);
    tw_xdecref(args);
    return r;
}

/* ---- UnicodeDecodeError / UnicodeEncodeError ---------------------------------------------- */

/* (encoding, object, start, end, reason): five arguments, checked. */
static int unicode_error_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs != 5) {
        tw_err_format(&tw_exc_TypeError, "function takes exactly 5 arguments (%zu given)", nargs);
        return -1;
    }
    return base_init(self, args, nargs, kwnames);
}

static TwObject *unicode_error_str(TwObject *op)
{
    TwObject *args = tw_exception_get_args(op);
    if (args == NULL || tw_tuple_size(args) != 5 || !tw_str_check(tw_tuple_get_item_borrowed(args, 0)) ||
        !tw_str_check(tw_tuple_get_item_borrowed(args, 4))) {
        tw_xdecref(args);
        return base_str(op);
    }
    const char *enc = tw_str_utf8(tw_tuple_get_item_borrowed(args, 0));
    const char *reason = tw_str_utf8(tw_tuple_get_item_borrowed(args, 4));
    TwObject *obj = tw_tuple_get_item_borrowed(args, 1);
    int64_t start = tw_int_as_i64(tw_tuple_get_item_borrowed(args, 2));
    int64_t end = tw_int_as_i64(tw_tuple_get_item_borrowed(args, 3));
    TwObject *r = NULL;
    if (tw_err_occurred())
        goto out;
    int decode = tw_type_is_subtype(TW_TYPE(op), &tw_exc_UnicodeDecodeError);
    if (end == start + 1) {
        if (decode && tw_bytes_check(obj) && start >= 0 && start < tw_bytes_size(obj)) {
            r = tw_str_from_format("'%s' codec can't decode byte 0x%02x in position %lld: %s", enc,
                                   (unsigned char)tw_bytes_data(obj)[start], (long long)start, reason);
            goto out;
        }
        if (!decode && tw_str_check(obj) && start >= 0 && start < tw_str_length(obj)) {
            TwObject *ch = tw_str_getitem(obj, (intptr_t)start);
            if (ch == NULL)
                goto out;
            const unsigned char *p = (const unsigned char *)tw_str_utf8(ch);
            uint32_t cp = p[0];
            if (p[0] >= 0xF0)
                cp = ((p[0] & 7u) << 18) | ((p[1] & 63u) << 12) | ((p[2] & 63u) << 6) | (p[3] & 63u);
            else if (p[0] >= 0xE0)
                cp = ((p[0] & 15u) << 12) | ((p[1] & 63u) << 6) | (p[2] & 63u);
            else if (p[0] >= 0xC0)
                cp = ((p[0] & 31u) << 6) | (p[1] & 63u);
            tw_decref(ch);
            char esc[16];
            if (cp <= 0xff)
                snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
            else if (cp <= 0xffff)
                snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
            else
                snprintf(esc, sizeof esc, "\\U%08x", (unsigned)cp);
            r = tw_str_from_format("'%s' codec can't encode character '%s' in position %lld: %s", enc,
                                   esc, (long long)start, reason);
            goto out;
        }
    }
    r = tw_str_from_format("'%s' codec can't %s in position %lld-%lld: %s", enc,
                           decode ? "decode bytes" : "encode characters", (long long)start,
                           (long long)(end - 1), reason);
out:
    tw_decref(args);
    return r;
}

/* encoding, object, start, end, reason: the five constructor arguments
 * (closure: the position in args); None when args has another shape. */
static TwObject *unicode_error_field(TwObject *op, void *closure)
{
    TwObject *args = tw_exception_get_args(op);
    if (args == NULL)
        return NULL;
    intptr_t i = (intptr_t)closure;
    TwObject *r = tw_newref(tw_tuple_size(args) == 5 ? tw_tuple_get_item_borrowed(args, i) : TW_NONE);
    tw_decref(args);
    return r;
}

static const TwGetSetDef unicode_error_getset[] = {
    {"encoding", unicode_error_field, NULL, (void *)0},
    {"object", unicode_error_field, NULL, (void *)1},
    {"start", unicode_error_field, NULL, (void *)2},
    {"end", unicode_error_field, NULL, (void *)3},
    {"reason", unicode_error_field, NULL, (void *)4},
    {NULL, NULL, NULL, NULL},
};

/* Raise a codec error with CPython's five arguments; if building them fails,
 * that failure (MemoryError) is what stays set. */
static void raise_unicode_error(TwType *type, const char *encoding, TwObject *obj, size_t start,
                                size_t end, const char *reason)
{
    TwObject *enc = tw_str_from_cstr(encoding);
    TwObject *lo = tw_int_from_i64((int64_t)start);
    TwObject *hi = tw_int_from_i64((int64_t)end);
    TwObject *why = tw_str_from_cstr(reason);
    TwObject *args = NULL;
    if (enc && lo && hi && why)
        args = tw_tuple_pack(5, enc, obj, lo, hi, why);
    tw_xdecref(enc);
    tw_xdecref(lo);
    tw_xdecref(hi);
    tw_xdecref(why);
    if (args == NULL)
        return;
    TwObject *exc = tw_exception_new(type, args);
    tw_decref(args);
    if (exc != NULL)
        tw_err_restore(exc);
}

void tw_err_unicode_decode(const char *encoding, const char *data, size_t n, size_t start,
                           size_t end, const char *reason)
{
    TwObject *obj = tw_bytes_from_data(data, n);
    if (obj == NULL)
        return;
    raise_unicode_error(&tw_exc_UnicodeDecodeError, encoding, obj, start, end, reason);
    tw_decref(obj);
}

void tw_err_unicode_encode(const char *encoding, TwObject *str, size_t start, size_t end,
                           const char *reason)
{
    raise_unicode_error(&tw_exc_UnicodeEncodeError, encoding, str, start, end, reason);
}

/* ---- the class table ------------------------------------------------------------------------- */

#define EXC_FLAGS (TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_BASETYPE)

#define EXCEPTION_TYPE(cname, pyname, base)                                                        \
    TwType tw_exc_##cname = {                                                                      \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = pyname,                                                                         \
        .tp_flags = EXC_FLAGS,                                                                     \
        .tp_base = base,                                                                           \
    }

TwType tw_exc_BaseException = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "BaseException",
    .tp_basicsize = sizeof(TwBaseException),
    .tp_flags = EXC_FLAGS,
    .tp_base = &tw_object_type,
    .tp_dealloc = base_dealloc,
    .tp_repr = base_repr,
    .tp_str = base_str,
    .tp_new = base_new,
    .tp_init = base_init,
    .tp_methods = base_methods,
    .tp_getset = base_getset,
    .tp_dictoffset = offsetof(TwBaseException, dict),
};

#define FAMILY_TYPE(cname, pyname, base, layout, dealloc, init, str, getset)                      \
    TwType tw_exc_##cname = {                                                                      \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = pyname,                                                                         \
        .tp_basicsize = sizeof(layout),                                                            \
        .tp_flags = EXC_FLAGS,                                                                     \
        .tp_base = base,                                                                           \
        .tp_dealloc = dealloc,                                                                     \
        .tp_str = str,                                                                             \
        .tp_init = init,                                                                           \
        .tp_getset = getset,                                                                       \
    }

EXCEPTION_TYPE(Exception, "Exception", &tw_exc_BaseException);
EXCEPTION_TYPE(GeneratorExit, "GeneratorExit", &tw_exc_BaseException);
EXCEPTION_TYPE(KeyboardInterrupt, "KeyboardInterrupt", &tw_exc_BaseException);
FAMILY_TYPE(SystemExit, "SystemExit", &tw_exc_BaseException, TwSystemExitObject, systemexit_dealloc,
            systemexit_init, NULL, systemexit_getset);
EXCEPTION_TYPE(ArithmeticError, "ArithmeticError", &tw_exc_Exception);
EXCEPTION_TYPE(FloatingPointError, "FloatingPointError", &tw_exc_ArithmeticError);
EXCEPTION_TYPE(OverflowError, "OverflowError", &tw_exc_ArithmeticError);
EXCEPTION_TYPE(ZeroDivisionError, "ZeroDivisionError", &tw_exc_ArithmeticError);
EXCEPTION_TYPE(AssertionError, "AssertionError", &tw_exc_Exception);
FAMILY_TYPE(AttributeError, "AttributeError", &tw_exc_Exception, TwAttributeErrorObject,
            attributeerror_dealloc, attributeerror_init, NULL, attributeerror_getset);
EXCEPTION_TYPE(BufferError, "BufferError", &tw_exc_Exception);
EXCEPTION_TYPE(EOFError, "EOFError", &tw_exc_Exception);
FAMILY_TYPE(ImportError, "ImportError", &tw_exc_Exception, TwImportErrorObject, importerror_dealloc,
            importerror_init, importerror_str, importerror_getset);
EXCEPTION_TYPE(ModuleNotFoundError, "ModuleNotFoundError", &tw_exc_ImportError);
EXCEPTION_TYPE(LookupError, "LookupError", &tw_exc_Exception);
EXCEPTION_TYPE(IndexError, "IndexError", &tw_exc_LookupError);
TwType tw_exc_KeyError = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "KeyError",
    .tp_flags = EXC_FLAGS,
    .tp_base = &tw_exc_LookupError,
    .tp_str = keyerror_str,
};
EXCEPTION_TYPE(MemoryError, "MemoryError", &tw_exc_Exception);
FAMILY_TYPE(NameError, "NameError", &tw_exc_Exception, TwNameErrorObject, nameerror_dealloc,
            nameerror_init, NULL, nameerror_getset);
EXCEPTION_TYPE(UnboundLocalError, "UnboundLocalError", &tw_exc_NameError);
TwType tw_exc_OSError = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "OSError",
    .tp_basicsize = sizeof(TwOSErrorObject),
    .tp_flags = EXC_FLAGS,
    .tp_base = &tw_exc_Exception,
    .tp_dealloc = oserror_dealloc,
    .tp_str = oserror_str,
    .tp_new = oserror_new,
    .tp_init = oserror_init,
    .tp_getset = oserror_getset,
};
EXCEPTION_TYPE(BlockingIOError, "BlockingIOError", &tw_exc_OSError);
EXCEPTION_TYPE(ChildProcessError, "ChildProcessError", &tw_exc_OSError);
EXCEPTION_TYPE(ConnectionError, "ConnectionError", &tw_exc_OSError);
EXCEPTION_TYPE(BrokenPipeError, "BrokenPipeError", &tw_exc_ConnectionError);
EXCEPTION_TYPE(ConnectionAbortedError, "ConnectionAbortedError", &tw_exc_ConnectionError);
EXCEPTION_TYPE(ConnectionRefusedError, "ConnectionRefusedError", &tw_exc_ConnectionError);
EXCEPTION_TYPE(ConnectionResetError, "ConnectionResetError", &tw_exc_ConnectionError);
EXCEPTION_TYPE(FileExistsError, "FileExistsError", &tw_exc_OSError);
EXCEPTION_TYPE(FileNotFoundError, "FileNotFoundError", &tw_exc_OSError);
EXCEPTION_TYPE(InterruptedError, "InterruptedError", &tw_exc_OSError);
EXCEPTION_TYPE(IsADirectoryError, "IsADirectoryError", &tw_exc_OSError);
EXCEPTION_TYPE(NotADirectoryError, "NotADirectoryError", &tw_exc_OSError);
EXCEPTION_TYPE(PermissionError, "PermissionError", &tw_exc_OSError);
EXCEPTION_TYPE(ProcessLookupError, "ProcessLookupError", &tw_exc_OSError);
EXCEPTION_TYPE(TimeoutError, "TimeoutError", &tw_exc_OSError);
EXCEPTION_TYPE(ReferenceError, "ReferenceError", &tw_exc_Exception);
EXCEPTION_TYPE(RuntimeError, "RuntimeError", &tw_exc_Exception);
EXCEPTION_TYPE(NotImplementedError, "NotImplementedError", &tw_exc_RuntimeError);
EXCEPTION_TYPE(RecursionError, "RecursionError", &tw_exc_RuntimeError);
EXCEPTION_TYPE(StopAsyncIteration, "StopAsyncIteration", &tw_exc_Exception);
FAMILY_TYPE(StopIteration, "StopIteration", &tw_exc_Exception, TwStopIterationObject,
            stopiteration_dealloc, stopiteration_init, NULL, stopiteration_getset);
EXCEPTION_TYPE(SystemError, "SystemError", &tw_exc_Exception);
EXCEPTION_TYPE(TypeError, "TypeError", &tw_exc_Exception);
EXCEPTION_TYPE(ValueError, "ValueError", &tw_exc_Exception);
EXCEPTION_TYPE(UnicodeError, "UnicodeError", &tw_exc_ValueError);
TwType tw_exc_UnicodeDecodeError = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "UnicodeDecodeError",
    .tp_flags = EXC_FLAGS,
    .tp_base = &tw_exc_UnicodeError,
    .tp_str = unicode_error_str,
    .tp_init = unicode_error_init,
    .tp_getset = unicode_error_getset,
};
TwType tw_exc_UnicodeEncodeError = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "UnicodeEncodeError",
    .tp_flags = EXC_FLAGS,
    .tp_base = &tw_exc_UnicodeError,
    .tp_str = unicode_error_str,
    .tp_init = unicode_error_init,
    .tp_getset = unicode_error_getset,
};
EXCEPTION_TYPE(UnicodeTranslateError, "UnicodeTranslateError", &tw_exc_UnicodeError);
EXCEPTION_TYPE(Warning, "Warning", &tw_exc_Exception);
EXCEPTION_TYPE(UserWarning, "UserWarning", &tw_exc_Warning);
EXCEPTION_TYPE(DeprecationWarning, "DeprecationWarning", &tw_exc_Warning);
EXCEPTION_TYPE(PendingDeprecationWarning, "PendingDeprecationWarning", &tw_exc_Warning);
EXCEPTION_TYPE(SyntaxWarning, "SyntaxWarning", &tw_exc_Warning);
EXCEPTION_TYPE(RuntimeWarning, "RuntimeWarning", &tw_exc_Warning);
EXCEPTION_TYPE(FutureWarning, "FutureWarning", &tw_exc_Warning);
EXCEPTION_TYPE(ImportWarning, "ImportWarning", &tw_exc_Warning);
EXCEPTION_TYPE(UnicodeWarning, "UnicodeWarning", &tw_exc_Warning);
EXCEPTION_TYPE(BytesWarning, "BytesWarning", &tw_exc_Warning);
EXCEPTION_TYPE(ResourceWarning, "ResourceWarning", &tw_exc_Warning);
EXCEPTION_TYPE(EncodingWarning, "EncodingWarning", &tw_exc_Warning);

/* Every built-in exception class, bases before subclasses. */
static TwType *const exception_types[] = {
    &tw_exc_BaseException, &tw_exc_Exception, &tw_exc_GeneratorExit, &tw_exc_KeyboardInterrupt,
    &tw_exc_SystemExit, &tw_exc_ArithmeticError, &tw_exc_FloatingPointError, &tw_exc_OverflowError,
    &tw_exc_ZeroDivisionError, &tw_exc_AssertionError, &tw_exc_AttributeError, &tw_exc_BufferError,
    &tw_exc_EOFError, &tw_exc_ImportError, &tw_exc_ModuleNotFoundError, &tw_exc_LookupError,
    &tw_exc_IndexError, &tw_exc_KeyError, &tw_exc_MemoryError, &tw_exc_NameError,
    &tw_exc_UnboundLocalError, &tw_exc_OSError, &tw_exc_BlockingIOError, &tw_exc_ChildProcessError,
    &tw_exc_ConnectionError, &tw_exc_BrokenPipeError, &tw_exc_ConnectionAbortedError,
    &tw_exc_ConnectionRefusedError, &tw_exc_ConnectionResetError, &tw_exc_FileExistsError,
    &tw_exc_FileNotFoundError, &tw_exc_InterruptedError, &tw_exc_IsADirectoryError,
    &tw_exc_NotADirectoryError, &tw_exc_PermissionError, &tw_exc_ProcessLookupError,
    &tw_exc_TimeoutError, &tw_exc_ReferenceError, &tw_exc_RuntimeError, &tw_exc_NotImplementedError,
    &tw_exc_RecursionError, &tw_exc_StopAsyncIteration, &tw_exc_StopIteration, &tw_exc_SystemError,
    &tw_exc_TypeError, &tw_exc_ValueError, &tw_exc_UnicodeError, &tw_exc_UnicodeDecodeError,
    &tw_exc_UnicodeEncodeError, &tw_exc_UnicodeTranslateError, &tw_exc_Warning, &tw_exc_UserWarning,
    &tw_exc_DeprecationWarning, &tw_exc_PendingDeprecationWarning, &tw_exc_SyntaxWarning,
    &tw_exc_RuntimeWarning, &tw_exc_FutureWarning, &tw_exc_ImportWarning, &tw_exc_UnicodeWarning,
    &tw_exc_BytesWarning, &tw_exc_ResourceWarning, &tw_exc_EncodingWarning,
};

int tw_exception_types_init(void)
{
    for (size_t i = 0; i < sizeof(exception_types) / sizeof(exception_types[0]); i++)
        if (tw_type_ready(exception_types[i]) < 0)
            return -1;
    return 0;
}

static int add_interned(TwObject *dict, const char *name, TwObject *value)
{
    TwObject *key = tw_str_intern_cstr(name);
    return key ? tw_dict_set_item(dict, key, value) : -1;
}

/* Keys are interned strs (namespaces are looked up by interned names). */
int tw_exceptions_add_to_dict(TwObject *dict)
{
    if (tw_exception_types_init() < 0)
        return -1;
    for (size_t i = 0; i < sizeof(exception_types) / sizeof(exception_types[0]); i++)
        if (add_interned(dict, exception_types[i]->tp_name, (TwObject *)exception_types[i]) < 0)
            return -1;
    if (add_interned(dict, "EnvironmentError", (TwObject *)&tw_exc_OSError) < 0 ||
        add_interned(dict, "IOError", (TwObject *)&tw_exc_OSError) < 0)
        return -1;
    return 0;
}

int tw_exception_class_check(TwObject *op)
{
    return (TW_TYPE(op)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) &&
           (((TwType *)op)->tp_flags & TW_TPFLAGS_EXCEPTION);
}

/* MemoryError must be raisable without allocating: one static immortal
 * instance whose args is the (immortal) empty tuple. */
static TwBaseException memory_error_instance = {.ob_base = TW_OBJECT_HEAD_INIT(&tw_exc_MemoryError)};

/* type(*args): built-in classes through their own __new__ and __init__
 * (which also fill the family fields), other classes by a call. */
TwObject *tw_exception_new(TwType *type, TwObject *args_tuple)
{
    intptr_t n = args_tuple ? tw_tuple_size(args_tuple) : 0;
    TwObject *const *items = n ? &((TwTupleObject *)args_tuple)->items[0] : NULL;
    TwObject *exc;
    if (tw_type_is_heap(type)) {
        exc = tw_object_vectorcall((TwObject *)type, items, (size_t)n, NULL);
        if (exc != NULL && !tw_exception_check(exc)) {
            tw_err_format(&tw_exc_TypeError,
                          "calling %s should have returned an instance of BaseException, not %s",
                          type->tp_name, TW_TYPE(exc)->tp_name);
            TW_CLEAR(exc);
        }
        return exc;
    }
    if (tw_type_ready(type) < 0)
        return NULL;
    exc = type->tp_new(type, items, (size_t)n, NULL);
    if (exc == NULL)
        return NULL;
    tw_initfunc init = TW_TYPE(exc)->tp_init;
    if (init != NULL && init(exc, items, (size_t)n, NULL) < 0) {
        tw_decref(exc);
        return NULL;
    }
    return exc;
}

/* ---- the current exception ----------------------------------------------------------------- */

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

/* OSError(errno, strerror(errno)[, f1[, None, f2]]), mapped to its subclass. */
TwObject *tw_err_set_from_errno_objects(TwType *type, TwObject *f1, TwObject *f2)
{
    int e = errno;
    char buf[256];
    const char *msg = strerror_r(e, buf, sizeof buf);
    TwObject *no = tw_int_from_i64(e);
    TwObject *s = tw_str_from_cstr(msg);
    TwObject *args = NULL;
    if (no != NULL && s != NULL) {
        if (f1 != NULL && f2 != NULL)
            args = tw_tuple_pack(5, no, s, f1, TW_NONE, f2);
        else if (f1 != NULL)
            args = tw_tuple_pack(3, no, s, f1);
        else
            args = tw_tuple_pack(2, no, s);
    }
    tw_xdecref(no);
    tw_xdecref(s);
    if (args == NULL)
        return NULL;
    TwObject *exc = tw_exception_new(type ? type : &tw_exc_OSError, args);
    tw_decref(args);
    if (exc != NULL)
        tw_err_restore(exc);
    return NULL;
}

TwObject *tw_err_set_from_errno_filename(TwType *type, const char *filename)
{
    int e = errno;
    TwObject *f = filename ? tw_str_from_cstr(filename) : NULL;
    if (filename != NULL && f == NULL)
        return NULL;
    errno = e;
    tw_err_set_from_errno_objects(type, f, NULL);
    tw_xdecref(f);
    return NULL;
}

TwObject *tw_err_set_from_errno(TwType *type) { return tw_err_set_from_errno_filename(type, NULL); }

void tw_err_no_attribute(TwObject *obj, TwObject *name)
{
    TwObject *msg = tw_str_from_format("'%s' object has no attribute '%s'", TW_TYPE(obj)->tp_name,
                                       tw_str_check(name) ? tw_str_utf8(name) : "?");
    if (msg == NULL)
        return;
    TwObject *args = tw_tuple_pack(1, msg);
    tw_decref(msg);
    if (args == NULL)
        return;
    TwObject *exc = tw_exception_new(&tw_exc_AttributeError, args);
    tw_decref(args);
    if (exc == NULL)
        return;
    TwAttributeErrorObject *e = (TwAttributeErrorObject *)exc;
    set_field(exc, &e->name, name);
    set_field(exc, &e->obj, obj);
    tw_err_restore(exc);
}

void tw_err_name_error(TwType *type, const char *msg, TwObject *name)
{
    TwObject *m = tw_str_from_cstr(msg);
    if (m == NULL)
        return;
    TwObject *args = tw_tuple_pack(1, m);
    tw_decref(m);
    if (args == NULL)
        return;
    TwObject *exc = tw_exception_new(type, args);
    tw_decref(args);
    if (exc == NULL)
        return;
    if (tw_type_is_subtype(TW_TYPE(exc), &tw_exc_NameError))
        set_field(exc, &((TwNameErrorObject *)exc)->name, name);
    tw_err_restore(exc);
}

void tw_exceptions_init(void)
{
    if (memory_error_instance.args == NULL)
        memory_error_instance.args = tw_tuple_new(0); /* the immortal empty tuple */
}

TwObject *tw_err_no_memory(void)
{
    tw_err_restore(tw_newref((TwObject *)&memory_error_instance));
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
