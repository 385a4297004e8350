/* Function and cell objects (see core/function.h for what protects what). */
#include <string.h>

#include "core/code.h"
#include "core/eval.h"
#include "core/function.h"
#include "core/tstate.h"
#include "core/builtins.h"
#include "nogil/lockfree.h"
#include <twinpy/abstract.h>

/* ---- functions ---------------------------------------------------------------------------- */

TwObject *tw_function_new(TwObject *code, TwObject *globals)
{
    TwCodeObject *co = (TwCodeObject *)code;
    TwFunctionObject *fn = (TwFunctionObject *)tw_object_new(&tw_function_type, 0);
    if (fn == NULL)
        return NULL;
    fn->code = tw_newref(code);
    fn->globals = tw_newref(globals);
    fn->builtins = tw_builtins_dict();
    fn->name = tw_newref(co->name);
    fn->qualname = tw_newref(co->qualname);
    TwObject *doc =
        tw_tuple_size(co->consts) > 0 ? tw_tuple_get_item_borrowed(co->consts, 0) : NULL;
    fn->doc = tw_newref(
        doc != NULL && tw_str_check(doc) && (co->flags & TW_CO_OPTIMIZED) ? doc : TW_NONE);
    TwObject *module = NULL;
    /* The interned "__name__" (immortal); threads racing to set it store
     * the same pointer. */
    static _Atomic(TwObject *) s_name;
    TwObject *name_key = tw_atomic_load_relaxed(&s_name);
    if (name_key == NULL) {
        name_key = tw_str_intern_cstr("__name__");
        tw_atomic_store_relaxed(&s_name, name_key);
    }
    if (name_key == NULL || tw_dict_get_item_ref(globals, name_key, &module) < 0 ||
        fn->builtins == NULL) {
        tw_decref((TwObject *)fn);
        return NULL;
    }
    fn->module = module ? module : tw_newref(TW_NONE);
    return (TwObject *)fn;
}

static void function_dealloc(TwObject *op)
{
    TwFunctionObject *fn = (TwFunctionObject *)op;
    TW_CLEAR(fn->code);
    TW_CLEAR(fn->globals);
    TW_CLEAR(fn->builtins);
    TW_CLEAR(fn->closure);
    TW_CLEAR(fn->name);
    TW_CLEAR(fn->qualname);
    TW_CLEAR(fn->defaults);
    TW_CLEAR(fn->kwdefaults);
    TW_CLEAR(fn->doc);
    TW_CLEAR(fn->module);
    TW_CLEAR(fn->dict);
    tw_object_free(op);
}

static TwObject *function_repr(TwObject *op)
{
    TwFunctionObject *fn = (TwFunctionObject *)op;
    return tw_str_from_format("<function %s at %p>", tw_str_utf8(fn->qualname), (void *)op);
}

/* Replace one of the mutable fields: the old value is never freed (see
 * core/function.h), so concurrent callers cannot read freed memory. */
static void replace_field(TwObject *fn, TwObject **field, TwObject *value)
{
    TW_BEGIN_CRITICAL_SECTION(fn);
    TwObject *old = *field;
    *field = value ? tw_newref(value) : NULL;
    if (old != NULL)
        tw_set_immortal(old);
    TW_END_CRITICAL_SECTION();
}

#define FN(op) ((TwFunctionObject *)(op))

static TwObject *get_or_none(TwObject *v)
{
    return tw_newref(v ? v : TW_NONE);
}

static TwObject *fn_get_name(TwObject *op, void *c)
{
    return tw_newref(FN(op)->name);
}
static int fn_set_name(TwObject *op, TwObject *v, void *c)
{
    if (v == NULL || !tw_str_check(v)) {
        tw_err_set_string(&tw_exc_TypeError, "__name__ must be set to a string object");
        return -1;
    }
    replace_field(op, &FN(op)->name, v);
    return 0;
}
static TwObject *fn_get_qualname(TwObject *op, void *c)
{
    return tw_newref(FN(op)->qualname);
}
static int fn_set_qualname(TwObject *op, TwObject *v, void *c)
{
    if (v == NULL || !tw_str_check(v)) {
        tw_err_set_string(&tw_exc_TypeError, "__qualname__ must be set to a string object");
        return -1;
    }
    replace_field(op, &FN(op)->qualname, v);
    return 0;
}
static TwObject *fn_get_doc(TwObject *op, void *c)
{
    return get_or_none(FN(op)->doc);
}
static int fn_set_doc(TwObject *op, TwObject *v, void *c)
{
    replace_field(op, &FN(op)->doc, v ? v : TW_NONE);
    return 0;
}
static TwObject *fn_get_module(TwObject *op, void *c)
{
    return get_or_none(FN(op)->module);
}
static int fn_set_module(TwObject *op, TwObject *v, void *c)
{
    replace_field(op, &FN(op)->module, v ? v : TW_NONE);
    return 0;
}
static TwObject *fn_get_defaults(TwObject *op, void *c)
{
    return get_or_none(FN(op)->defaults);
}
static int fn_set_defaults(TwObject *op, TwObject *v, void *c)
{
    if (v == TW_NONE)
        v = NULL;
    if (v != NULL && !tw_tuple_check(v)) {
        tw_err_set_string(&tw_exc_TypeError, "__defaults__ must be set to a tuple object");
        return -1;
    }
    replace_field(op, &FN(op)->defaults, v);
    return 0;
}
static TwObject *fn_get_kwdefaults(TwObject *op, void *c)
{
    return get_or_none(FN(op)->kwdefaults);
}
static int fn_set_kwdefaults(TwObject *op, TwObject *v, void *c)
{
    if (v == TW_NONE)
        v = NULL;
    if (v != NULL && !tw_dict_check(v)) {
        tw_err_set_string(&tw_exc_TypeError, "__kwdefaults__ must be set to a dict object");
        return -1;
    }
    replace_field(op, &FN(op)->kwdefaults, v);
    return 0;
}
static TwObject *fn_get_code(TwObject *op, void *c)
{
    return tw_newref(FN(op)->code);
}
static TwObject *fn_get_globals(TwObject *op, void *c)
{
    return tw_newref(FN(op)->globals);
}
static TwObject *fn_get_builtins(TwObject *op, void *c)
{
    return tw_newref(FN(op)->builtins);
}
static TwObject *fn_get_closure(TwObject *op, void *c)
{
    return get_or_none(FN(op)->closure);
}
static TwObject *fn_get_dict(TwObject *op, void *c)
{
    return tw_object_get_dict(op);
}
static TwObject *fn_get_annotations(TwObject *op, void *c)
{
    return tw_dict_new();
}

static const TwGetSetDef function_getset[] = {
    {"__name__", fn_get_name, fn_set_name, NULL},
    {"__qualname__", fn_get_qualname, fn_set_qualname, NULL},
    {"__doc__", fn_get_doc, fn_set_doc, NULL},
    {"__module__", fn_get_module, fn_set_module, NULL},
    {"__defaults__", fn_get_defaults, fn_set_defaults, NULL},
    {"__kwdefaults__", fn_get_kwdefaults, fn_set_kwdefaults, NULL},
    {"__code__", fn_get_code, NULL, NULL},
    {"__globals__", fn_get_globals, NULL, NULL},
    {"__builtins__", fn_get_builtins, NULL, NULL},
    {"__closure__", fn_get_closure, NULL, NULL},
    {"__dict__", fn_get_dict, NULL, NULL},
    {"__annotations__", fn_get_annotations, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_function_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "function",
    .tp_basicsize = sizeof(TwFunctionObject),
    .tp_flags = TW_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_base = &tw_object_type,
    .tp_dealloc = function_dealloc,
    .tp_repr = function_repr,
    .tp_call = tw_function_vectorcall,
    .tp_descr_get = tw_function_descr_get,
    .tp_getset = function_getset,
    .tp_dictoffset = offsetof(TwFunctionObject, dict),
};

/* ---- cells ---------------------------------------------------------------------------------- */

TwObject *tw_cell_new(TwObject *value)
{
    TwCellObject *c = (TwCellObject *)tw_object_new(&tw_cell_type, 0);
    if (c == NULL)
        return NULL;
    c->ref = value ? tw_newref(value) : NULL;
    return (TwObject *)c;
}

/* Cells follow the containers' lock-free reading (nogil/lockfree.h): a
 * cell no other thread has touched is read by its owner without locking;
 * the first access by another thread takes the cell's critical section and
 * marks it shared, after which every thread reads without locking and
 * writers release replaced values only after a grace period
 * (tw_decref_delayed), so a reader that loaded the old pointer can still
 * take its reference.  Writers always hold the critical section.  With a
 * GIL every access takes the (empty) section. */
/* tw_cell_get's locked path: the first read by a thread other than the
 * owner, which marks the cell shared. */
static TW_LF_SLOW_PATH TwObject *cell_get_locked(TwCellObject *c)
{
    TwObject *v;
    TW_BEGIN_CRITICAL_SECTION(c);
    tw_lf_mark((TwObject *)c);
    v = c->ref;
    tw_xincref(v);
    TW_END_CRITICAL_SECTION();
    return v;
}

/* Every closure-variable read: the lock-free path stays free of the
 * locked path's stack frame. */
TwObject *tw_cell_get(TwObject *cell)
{
    TwCellObject *c = (TwCellObject *)cell;
    if (tw_lf_can_read(cell)) {
        TwObject *v = tw_lf_load_acquire(&c->ref);
        tw_xincref(v);
        return v;
    }
    return cell_get_locked(c);
}

void tw_cell_set(TwObject *cell, TwObject *value)
{
    TwCellObject *c = (TwCellObject *)cell;
    TwObject *old;
    int shared;
    tw_xincref(value);
    TW_BEGIN_CRITICAL_SECTION(cell);
    shared = tw_lf_mark(cell);
    old = c->ref;
    tw_lf_store_release(&c->ref, value);
    TW_END_CRITICAL_SECTION();
    /* after the section: a destructor may run code */
    if (old != NULL) {
        if (shared)
            tw_decref_delayed(old);
        else
            tw_decref(old);
    }
}

static void cell_dealloc(TwObject *op)
{
    TW_CLEAR(((TwCellObject *)op)->ref);
    tw_object_free(op);
}

static TwObject *cell_repr(TwObject *op)
{
    TwObject *v = tw_cell_get(op);
    TwObject *r;
    if (v == NULL)
        r = tw_str_from_format("<cell at %p: empty>", (void *)op);
    else
        r = tw_str_from_format("<cell at %p: %s object at %p>", (void *)op, TW_TYPE(v)->tp_name,
                               (void *)v);
    tw_xdecref(v);
    return r;
}

static TwObject *cell_get_contents(TwObject *op, void *c)
{
    TwObject *v = tw_cell_get(op);
    if (v == NULL)
        tw_err_set_string(&tw_exc_ValueError, "Cell is empty");
    return v;
}

static int cell_set_contents(TwObject *op, TwObject *v, void *c)
{
    tw_cell_set(op, v);
    return 0;
}

static const TwGetSetDef cell_getset[] = {
    {"cell_contents", cell_get_contents, cell_set_contents, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_cell_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "cell",
    .tp_basicsize = sizeof(TwCellObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = cell_dealloc,
    .tp_repr = cell_repr,
    .tp_getset = cell_getset,
};
