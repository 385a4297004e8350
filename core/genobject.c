/* Generators: a frame that outlives its call, resumed by next/send/throw.
 *
 * The generator object holds its frame inline (one allocation per
 * generator).  Resuming runs the frame with tw_eval_frame (a C call, like
 * CPython: generators do not share their caller's C frame); YIELD_VALUE
 * and YIELD_FROM return from it leaving the frame suspended.  While a
 * generator runs, its own handled-exception entry is linked into the
 * thread's chain, so `except` blocks inside it neither see nor disturb the
 * caller's, yet a bare `raise` with nothing handled inside still finds the
 * caller's exception.
 *
 * Thread safety: `running` is only changed by the thread that runs the
 * generator, which first checks it is clear; two threads resuming one
 * generator at once is a race in Python code too (CPython raises
 * "generator already executing" for the one that loses, which we do on a
 * best-effort basis: the flag is an atomic exchange). */
#include <string.h>

#include "core/eval.h"
#include "core/frame.h"
#include "core/function.h"
#include "core/opcode.h"
#include "core/tstate.h"
#include "core/typeobject.h"
#include <twinpy/abstract.h>

#define GEN(op)      ((TwGenObject *)(op))
#define GEN_FRAME(g) tw_gen_frame(g)

TwObject *tw_gen_new_from_call(TwObject *func, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    TwFunctionObject *fn = (TwFunctionObject *)func;
    TwCodeObject *co = (TwCodeObject *)fn->code;
    TwGenObject *g = (TwGenObject *)tw_object_new(&tw_gen_type, tw_frame_words(co));
    if (g == NULL)
        return NULL;
    TwFrame *f = GEN_FRAME(g);
    tw_frame_init_for_call(f, func, TW_FRAME_IN_GENERATOR);
    f->state = TW_FRAME_CREATED;
    g->name = tw_newref(fn->name);
    g->qualname = tw_newref(fn->qualname);
    if (tw_frame_bind_args(f, func, args, nargs, kwnames) < 0) {
        tw_frame_clear(f);
        f->state = TW_FRAME_COMPLETED;
        tw_decref((TwObject *)g);
        return NULL;
    }
    return (TwObject *)g;
}

/* Run the frame once more.  push: the value the paused yield evaluates to
 * (NULL: push nothing).  throwing: an exception is set and is raised at the
 * paused instruction.  Returns 1 (yielded), 0 (returned), -1 (raised),
 * with the yielded or returned value in *result. */
static int gen_resume(TwGenObject *g, TwObject *push, int throwing, TwObject **result)
{
    TwFrame *f = GEN_FRAME(g);
    *result = NULL;
    if (!tw_gen_try_start(g)) {
        tw_err_set_string(&tw_exc_ValueError, "generator already executing");
        return -1;
    }
    TwThreadState *ts = tw_tstate_fast();
    if (ts->exc_info == NULL)
        ts->exc_info = &ts->exc_base;
    if (push != NULL)
        *f->sp++ = tw_newref(push);
    f->state = TW_FRAME_RUNNING;
    g->exc_state.previous = ts->exc_info;
    ts->exc_info = &g->exc_state;
    TwObject *r = tw_eval_frame(ts, f, throwing);
    ts->exc_info = g->exc_state.previous;
    g->exc_state.previous = NULL;
    tw_gen_stop(g);
    if (r != NULL) {
        *result = r;
        return f->state == TW_FRAME_SUSPENDED ? 1 : 0;
    }
    /* PEP 479: a StopIteration escaping the body becomes RuntimeError. */
    if (tw_err_matches(&tw_exc_StopIteration)) {
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
    return -1;
}

/* send(value): the generator must have started unless value is None. */
static int gen_send_ex(TwGenObject *g, TwObject *value, TwObject **result)
{
    TwFrame *f = GEN_FRAME(g);
    *result = NULL;
    if (f->state == TW_FRAME_COMPLETED) {
        *result = tw_newref(TW_NONE);
        return 0;
    }
    if (f->state == TW_FRAME_CREATED) {
        if (value != TW_NONE) {
            tw_err_set_string(&tw_exc_TypeError,
                              "can't send non-None value to a just-started generator");
            return -1;
        }
        return gen_resume(g, NULL, 0, result);
    }
    if (f->state == TW_FRAME_RUNNING) {
        tw_err_set_string(&tw_exc_ValueError, "generator already executing");
        return -1;
    }
    return gen_resume(g, value, 0, result);
}

int tw_gen_send(TwObject *gen, TwObject *value, TwObject **result)
{
    return gen_send_ex(GEN(gen), value, result);
}

/* The sub-iterator a generator paused in `yield from` delegates to, or
 * NULL (borrowed). */
static TwObject *gen_yieldfrom(TwGenObject *g)
{
    TwFrame *f = GEN_FRAME(g);
    if (f->state != TW_FRAME_SUSPENDED || TW_OP(*f->ip) != TW_OP_YIELD_FROM)
        return NULL;
    return f->sp[-1];
}

/* Raise the current exception inside the generator at its pause point. */
static int gen_throw_here(TwGenObject *g, TwObject **result)
{
    TwFrame *f = GEN_FRAME(g);
    if (f->state == TW_FRAME_COMPLETED)
        return -1; /* the exception stays set */
    if (f->state == TW_FRAME_SUSPENDED && TW_OP(*f->ip) == TW_OP_YIELD_FROM)
        f->ip++; /* raise at the YIELD_FROM itself */
    return gen_resume(g, NULL, 1, result);
}

static int gen_close_internal(TwGenObject *g);

/* throw(exc) where exc is an exception instance (stolen). */
static int gen_throw_exc(TwGenObject *g, TwObject *exc, TwObject **result)
{
    *result = NULL;
    TwObject *yf = gen_yieldfrom(g);
    if (yf != NULL) {
        tw_incref(yf);
        int st;
        TwObject *r = NULL;
        if (tw_type_is_subtype(TW_TYPE(exc), &tw_exc_GeneratorExit)) {
            /* Close the sub-iterator, then raise GeneratorExit here. */
            int cr = 0;
            if (tw_gen_check(yf)) {
                cr = gen_close_internal(GEN(yf));
            } else {
                TwObject *closer = tw_object_getattr_cstr(yf, "close");
                if (closer == NULL) {
                    if (tw_err_matches(&tw_exc_AttributeError))
                        tw_err_clear();
                    else
                        cr = -1;
                } else {
                    TwObject *cres = tw_object_call_noargs(closer);
                    tw_decref(closer);
                    if (cres == NULL)
                        cr = -1;
                    tw_xdecref(cres);
                }
            }
            tw_decref(yf);
            if (cr < 0) {
                tw_decref(exc);
                return gen_throw_here(g, result);
            }
            tw_err_restore(exc);
            return gen_throw_here(g, result);
        }
        if (tw_gen_check(yf)) {
            st = gen_throw_exc(GEN(yf), exc, &r);
        } else {
            TwObject *thrower = tw_object_getattr_cstr(yf, "throw");
            if (thrower == NULL) {
                tw_decref(yf);
                if (!tw_err_matches(&tw_exc_AttributeError)) {
                    tw_decref(exc);
                    return gen_throw_here(g, result);
                }
                tw_err_clear();
                tw_err_restore(exc);
                return gen_throw_here(g, result);
            }
            r = tw_object_call_one(thrower, exc);
            tw_decref(thrower);
            tw_decref(exc);
            st = r != NULL ? 1 : -1;
            if (st < 0 && tw_err_matches(&tw_exc_StopIteration)) {
                TwObject *stop = tw_err_fetch();
                r = tw_stopiteration_value(stop);
                tw_decref(stop);
                if (r == NULL)
                    r = tw_newref(TW_NONE);
                st = 0;
            }
        }
        tw_decref(yf);
        if (st == 1) {
            *result = r; /* the sub-iterator yielded: we stay paused */
            return 1;
        }
        if (st == 0) {
            /* The sub-iterator finished: its value is the result of the
             * `yield from`; continue after it. */
            TwFrame *f = GEN_FRAME(g);
            TwObject *old = f->sp[-1];
            f->sp[-1] = r;
            tw_decref(old);
            f->ip++;
            return gen_resume(g, NULL, 0, result);
        }
        return gen_throw_here(g, result);
    }
    tw_err_restore(exc);
    return gen_throw_here(g, result);
}

/* close(): throw GeneratorExit and expect it (or StopIteration) back. */
static int gen_close_internal(TwGenObject *g)
{
    TwFrame *f = GEN_FRAME(g);
    if (f->state == TW_FRAME_CREATED) {
        tw_frame_clear(f);
        f->state = TW_FRAME_COMPLETED;
        return 0;
    }
    if (f->state != TW_FRAME_SUSPENDED)
        return 0;
    TwObject *exc = tw_exception_new(&tw_exc_GeneratorExit, NULL);
    if (exc == NULL)
        return -1;
    TwObject *r;
    int st = gen_throw_exc(g, exc, &r);
    if (st >= 0) {
        tw_decref(r);
        if (st == 1) {
            tw_err_set_string(&tw_exc_RuntimeError, "generator ignored GeneratorExit");
            return -1;
        }
        return 0;
    }
    if (tw_err_matches(&tw_exc_GeneratorExit) || tw_err_matches(&tw_exc_StopIteration)) {
        tw_err_clear();
        return 0;
    }
    return -1;
}

/* ---- the Python-visible methods ------------------------------------------------------------- */

static TwObject *stop_iteration(TwObject *value)
{
    if (value == TW_NONE) {
        tw_decref(value);
        tw_err_restore(tw_exception_new(&tw_exc_StopIteration, NULL));
        return NULL;
    }
    tw_err_set_object(&tw_exc_StopIteration, value);
    tw_decref(value);
    return NULL;
}

static TwObject *gen_iternext(TwObject *op)
{
    TwObject *r;
    int st = gen_send_ex(GEN(op), TW_NONE, &r);
    if (st == 1)
        return r;
    if (st == 0) {
        if (r == TW_NONE) {
            tw_decref(r);
            return NULL; /* exhausted: no exception */
        }
        return stop_iteration(r);
    }
    return NULL;
}

static TwObject *gen_send(TwObject *op, TwObject *value)
{
    TwObject *r;
    int st = gen_send_ex(GEN(op), value, &r);
    if (st == 1)
        return r;
    if (st == 0)
        return stop_iteration(r);
    return NULL;
}

/* throw(value) or the deprecated throw(type[, value[, tb]]). */
static TwObject *gen_throw(TwObject *op, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("throw", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "throw expected at least 1 argument, got %zu", nargs);
        return NULL;
    }
    TwObject *typ = args[0], *val = nargs > 1 ? args[1] : NULL, *tb = nargs > 2 ? args[2] : NULL;
    TwObject *exc;
    if (tw_exception_class_check(typ)) {
        if (val != NULL && val != TW_NONE && tw_type_is_subtype(TW_TYPE(val), (TwType *)typ)) {
            exc = tw_newref(val);
        } else if (val == NULL || val == TW_NONE) {
            exc = tw_object_call_noargs(typ);
        } else {
            exc = tw_object_call_one(typ, val);
        }
        if (exc == NULL)
            return NULL;
    } else if (tw_exception_check(typ)) {
        if (val != NULL && val != TW_NONE) {
            tw_err_set_string(&tw_exc_TypeError,
                              "instance exception may not have a separate value");
            return NULL;
        }
        exc = tw_newref(typ);
    } else {
        tw_err_format(&tw_exc_TypeError,
                      "exceptions must be classes or instances deriving from BaseException, not %s",
                      TW_TYPE(typ)->tp_name);
        return NULL;
    }
    if (tb != NULL && tb != TW_NONE)
        tw_exception_set_traceback(exc, tb);
    TwObject *r;
    int st = gen_throw_exc(GEN(op), exc, &r);
    if (st == 1)
        return r;
    if (st == 0)
        return stop_iteration(r);
    return NULL;
}

static TwObject *gen_close(TwObject *op, TwObject *unused)
{
    if (gen_close_internal(GEN(op)) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *gen_iter(TwObject *op)
{
    return tw_newref(op);
}

static TwObject *gen_repr(TwObject *op)
{
    return tw_str_from_format("<generator object %s at %p>", tw_str_utf8(GEN(op)->qualname),
                              (void *)op);
}

/* Finalisation: a generator paused inside try/finally or with gets
 * close()d, as in CPython.  The object is not resurrected: nothing the
 * frame runs can reach the generator object itself (the frame does not
 * refer to it), so no reference is taken. */
static void gen_dealloc(TwObject *op)
{
    TwGenObject *g = GEN(op);
    TwFrame *f = GEN_FRAME(g);
    if (f->state == TW_FRAME_SUSPENDED) {
        int lasti = (int)(f->ip - f->code->code);
        if (TW_OP(*f->ip) != TW_OP_YIELD_FROM)
            lasti--;
        if (tw_code_find_handler(f->code, lasti) != NULL) {
            TwObject *saved = tw_err_fetch();
            if (gen_close_internal(g) < 0)
                tw_err_clear(); /* CPython reports it as unraisable; we drop it */
            tw_err_restore(saved);
        }
    }
    if (f->state != TW_FRAME_COMPLETED)
        tw_frame_clear(f);
    TW_CLEAR(g->exc_state.exc);
    TW_CLEAR(g->name);
    TW_CLEAR(g->qualname);
    tw_object_free(op);
}

static TwObject *gen_get_name(TwObject *op, void *c)
{
    return tw_newref(GEN(op)->name);
}
static TwObject *gen_get_qualname(TwObject *op, void *c)
{
    return tw_newref(GEN(op)->qualname);
}
static TwObject *gen_get_running(TwObject *op, void *c)
{
    return tw_newref(tw_bool_from_long(tw_atomic_load_relaxed(&GEN(op)->running)));
}
static TwObject *gen_get_code(TwObject *op, void *c)
{
    return tw_newref((TwObject *)GEN_FRAME(GEN(op))->code);
}
static TwObject *gen_get_yieldfrom(TwObject *op, void *c)
{
    TwObject *yf = gen_yieldfrom(GEN(op));
    return tw_newref(yf ? yf : TW_NONE);
}
static TwObject *gen_get_none(TwObject *op, void *c)
{
    return tw_newref(TW_NONE);
}

static const TwGetSetDef gen_getset[] = {
    {"__name__", gen_get_name, NULL, NULL},
    {"__qualname__", gen_get_qualname, NULL, NULL},
    {"gi_running", gen_get_running, NULL, NULL},
    {"gi_code", gen_get_code, NULL, NULL},
    {"gi_yieldfrom", gen_get_yieldfrom, NULL, NULL},
    {"gi_frame", gen_get_none, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

#define FNPTR(f) ((void (*)(void))(f))
static const TwMethodDef gen_methods[] = {
    {"send", FNPTR(gen_send), TW_METH_O, "send(arg) -> send 'arg' into generator"},
    {"throw", FNPTR(gen_throw), TW_METH_FASTCALL, "throw(value) -> raise exception in generator"},
    {"close", FNPTR(gen_close), TW_METH_NOARGS, "close() -> raise GeneratorExit inside generator."},
    {NULL, NULL, 0, NULL},
};

TwType tw_gen_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "generator",
    .tp_basicsize = sizeof(TwGenObject),
    .tp_itemsize = sizeof(TwObject *),
    .tp_base = &tw_object_type,
    .tp_dealloc = gen_dealloc,
    .tp_repr = gen_repr,
    .tp_iter = gen_iter,
    .tp_iternext = gen_iternext,
    .tp_methods = gen_methods,
    .tp_getset = gen_getset,
};
