/* Descriptors and method objects: the method, attribute and slot-wrapper
 * descriptors that tw_type_ready puts in a built-in type's namespace; bound
 * methods; staticmethod, classmethod, property; super; and the read-only
 * mapping proxy a class's __dict__ returns.
 *
 * All of these are immutable after construction (property's name is set
 * once, by __set_name__ while the class is created, before other threads
 * can see the class), so any thread may read their fields without a lock.
 * A descriptor's d_type is borrowed: the class owns the namespace that
 * owns the descriptor. */
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"

/* ---- shared parts of the descriptors ------------------------------------------- */

static TwObject *descr_alloc(TwType *descrtype, TwType *type, const char *name)
{
    TwDescrObject *d = (TwDescrObject *)tw_object_new(descrtype, 0);
    if (d == NULL)
        return NULL;
    d->d_type = type;
    d->d_name = tw_str_intern_cstr(name);
    if (d->d_name == NULL) {
        tw_decref((TwObject *)d);
        return NULL;
    }
    return (TwObject *)d;
}

static void descr_dealloc(TwObject *op)
{
    TW_CLEAR(((TwDescrObject *)op)->d_name);
    tw_object_free(op);
}

static const char *descr_name(TwObject *op) { return tw_str_utf8(((TwDescrObject *)op)->d_name); }

static TwObject *descr_get_name(TwObject *op, void *closure)
{
    return tw_newref(((TwDescrObject *)op)->d_name);
}

static TwObject *descr_get_qualname(TwObject *op, void *closure)
{
    TwDescrObject *d = (TwDescrObject *)op;
    TwObject *tq = tw_type_get_qualname(d->d_type);
    if (tq == NULL)
        return NULL;
    TwObject *r = tw_str_from_format("%s.%s", tw_str_utf8(tq), tw_str_utf8(d->d_name));
    tw_decref(tq);
    return r;
}

static TwObject *descr_get_objclass(TwObject *op, void *closure)
{
    return tw_newref((TwObject *)((TwDescrObject *)op)->d_type);
}

/* obj must be an instance of the descriptor's class. */
static int descr_check(TwObject *op, TwObject *obj)
{
    TwDescrObject *d = (TwDescrObject *)op;
    if (tw_type_is_subtype(TW_TYPE(obj), d->d_type))
        return 0;
    tw_err_format(&tw_exc_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                  descr_name(op), d->d_type->tp_name, TW_TYPE(obj)->tp_name);
    return -1;
}

static const TwGetSetDef descr_getset[] = {
    {"__name__", descr_get_name, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL},
    {"__objclass__", descr_get_objclass, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

/* ---- method descriptors (TwMethodDef in a type) ------------------------------------ */

TwObject *tw_method_descr_new(TwType *type, const TwMethodDef *def)
{
    TwType *dt = (def->flags & TW_METH_CLASS) ? &tw_classmethod_descr_type : &tw_method_descr_type;
    TwMethodDescrObject *d = (TwMethodDescrObject *)descr_alloc(dt, type, def->name);
    if (d != NULL)
        d->d_method = def;
    return (TwObject *)d;
}

/* list.append(l, x): the first argument is the instance. */
static TwObject *method_descr_call(TwObject *callable, TwObject *const *args, size_t nargs,
                                   TwObject *kwnames)
{
    TwMethodDescrObject *d = (TwMethodDescrObject *)callable;
    if (nargs < 1) {
        tw_err_format(&tw_exc_TypeError, "unbound method %s.%s() needs an argument",
                      d->base.d_type->tp_name, d->d_method->name);
        return NULL;
    }
    if (descr_check(callable, args[0]) < 0)
        return NULL;
    return tw_cfunction_call_def(d->d_method, args[0], args + 1, nargs - 1, kwnames);
}

static TwObject *method_descr_get(TwObject *op, TwObject *obj, TwObject *type)
{
    if (obj == NULL)
        return tw_newref(op);
    if (descr_check(op, obj) < 0)
        return NULL;
    return tw_cfunction_new(((TwMethodDescrObject *)op)->d_method, obj, NULL);
}

static TwObject *method_descr_repr(TwObject *op)
{
    return tw_str_from_format("<method '%s' of '%s' objects>", descr_name(op),
                              ((TwDescrObject *)op)->d_type->tp_name);
}

static TwObject *method_descr_get_doc(TwObject *op, void *closure)
{
    const char *doc = ((TwMethodDescrObject *)op)->d_method->doc;
    return doc ? tw_str_from_cstr(doc) : tw_newref(TW_NONE);
}

static const TwGetSetDef method_descr_getset[] = {
    {"__name__", descr_get_name, NULL, NULL},
    {"__qualname__", descr_get_qualname, NULL, NULL},
    {"__objclass__", descr_get_objclass, NULL, NULL},
    {"__doc__", method_descr_get_doc, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_method_descr_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "method_descriptor",
    .tp_basicsize = sizeof(TwMethodDescrObject),
    .tp_flags = TW_TPFLAGS_METHOD_DESCRIPTOR | TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = descr_dealloc,
    .tp_repr = method_descr_repr,
    .tp_call = method_descr_call,
    .tp_descr_get = method_descr_get,
    .tp_getset = method_descr_getset,
};

/* ---- classmethod descriptors (TW_METH_CLASS entries: dict.fromkeys) ---------------- */

static int classdescr_check(TwObject *op, TwObject *type)
{
    TwDescrObject *d = (TwDescrObject *)op;
    if (!(TW_TYPE(type)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS)) {
        tw_err_format(&tw_exc_TypeError, "descriptor '%s' for type '%s' needs a type, not a '%s' as arg 2",
                      descr_name(op), d->d_type->tp_name, TW_TYPE(type)->tp_name);
        return -1;
    }
    if (!tw_type_is_subtype((TwType *)type, d->d_type)) {
        tw_err_format(&tw_exc_TypeError, "descriptor '%s' requires a subtype of '%s' but received '%s'",
                      descr_name(op), d->d_type->tp_name, ((TwType *)type)->tp_name);
        return -1;
    }
    return 0;
}

static TwObject *classmethod_descr_get(TwObject *op, TwObject *obj, TwObject *type)
{
    if (type == NULL)
        type = (TwObject *)TW_TYPE(obj);
    if (classdescr_check(op, type) < 0)
        return NULL;
    return tw_cfunction_new(((TwMethodDescrObject *)op)->d_method, type, NULL);
}

static TwObject *classmethod_descr_call(TwObject *callable, TwObject *const *args, size_t nargs,
                                        TwObject *kwnames)
{
    TwMethodDescrObject *d = (TwMethodDescrObject *)callable;
    if (nargs < 1) {
        tw_err_format(&tw_exc_TypeError, "descriptor '%s' of '%s' object needs an argument",
                      d->d_method->name, d->base.d_type->tp_name);
        return NULL;
    }
    if (classdescr_check(callable, args[0]) < 0)
        return NULL;
    return tw_cfunction_call_def(d->d_method, args[0], args + 1, nargs - 1, kwnames);
}

TwType tw_classmethod_descr_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "classmethod_descriptor",
    .tp_basicsize = sizeof(TwMethodDescrObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = descr_dealloc,
    .tp_repr = method_descr_repr,
    .tp_call = classmethod_descr_call,
    .tp_descr_get = classmethod_descr_get,
    .tp_getset = method_descr_getset,
};

/* ---- getset descriptors (TwGetSetDef in a type) ------------------------------------------ */

TwObject *tw_getset_descr_new(TwType *type, const TwGetSetDef *def)
{
    TwGetSetDescrObject *d = (TwGetSetDescrObject *)descr_alloc(&tw_getset_descr_type, type, def->name);
    if (d != NULL)
        d->d_getset = def;
    return (TwObject *)d;
}

static TwObject *getset_get(TwObject *op, TwObject *obj, TwObject *type)
{
    if (obj == NULL)
        return tw_newref(op);
    if (descr_check(op, obj) < 0)
        return NULL;
    const TwGetSetDef *g = ((TwGetSetDescrObject *)op)->d_getset;
    return g->get(obj, g->closure);
}

static int getset_set(TwObject *op, TwObject *obj, TwObject *value)
{
    if (descr_check(op, obj) < 0)
        return -1;
    const TwGetSetDef *g = ((TwGetSetDescrObject *)op)->d_getset;
    if (g->set == NULL) {
        tw_err_format(&tw_exc_AttributeError, "attribute '%s' of '%s' objects is not writable",
                      descr_name(op), ((TwDescrObject *)op)->d_type->tp_name);
        return -1;
    }
    return g->set(obj, value, g->closure);
}

static TwObject *getset_repr(TwObject *op)
{
    return tw_str_from_format("<attribute '%s' of '%s' objects>", descr_name(op),
                              ((TwDescrObject *)op)->d_type->tp_name);
}

TwType tw_getset_descr_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "getset_descriptor",
    .tp_basicsize = sizeof(TwGetSetDescrObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = descr_dealloc,
    .tp_repr = getset_repr,
    .tp_descr_get = getset_get,
    .tp_descr_set = getset_set,
    .tp_getset = descr_getset,
};

/* ---- slot wrappers ------------------------------------------------------------------- */

TwObject *tw_wrapper_descr_new(TwType *type, const TwSlotDef *slot, void *wrapped)
{
    TwWrapperDescrObject *d = (TwWrapperDescrObject *)descr_alloc(&tw_wrapper_descr_type, type, slot->name);
    if (d != NULL) {
        d->d_slot = slot;
        d->d_wrapped = wrapped;
    }
    return (TwObject *)d;
}

static TwObject *wrapper_invoke(TwWrapperDescrObject *d, TwObject *self, TwObject *const *args,
                                size_t nargs, TwObject *kwnames)
{
    if (!d->d_slot->keywords && tw_nkw(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "wrapper %s() takes no keyword arguments", d->d_slot->name);
        return NULL;
    }
    return d->d_slot->wrapper(self, args, nargs, kwnames, d->d_wrapped, d->d_slot->arg);
}

/* int.__add__(1, 2): the first argument is the instance. */
static TwObject *wrapper_descr_call(TwObject *callable, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    TwWrapperDescrObject *d = (TwWrapperDescrObject *)callable;
    if (nargs < 1) {
        tw_err_format(&tw_exc_TypeError, "descriptor '%s' of '%s' object needs an argument",
                      descr_name(callable), d->base.d_type->tp_name);
        return NULL;
    }
    if (!tw_type_is_subtype(TW_TYPE(args[0]), d->base.d_type)) {
        tw_err_format(&tw_exc_TypeError, "descriptor '%s' requires a '%s' object but received a '%s'",
                      descr_name(callable), d->base.d_type->tp_name, TW_TYPE(args[0])->tp_name);
        return NULL;
    }
    return wrapper_invoke(d, args[0], args + 1, nargs - 1, kwnames);
}

typedef struct {
    TwObject ob_base;
    TwWrapperDescrObject *descr; /* immutable */
    TwObject *self;              /* immutable */
} MethodWrapperObject;

static TwObject *wrapper_descr_get(TwObject *op, TwObject *obj, TwObject *type)
{
    if (obj == NULL)
        return tw_newref(op);
    if (descr_check(op, obj) < 0)
        return NULL;
    MethodWrapperObject *w = (MethodWrapperObject *)tw_object_new(&tw_method_wrapper_type, 0);
    if (w == NULL)
        return NULL;
    w->descr = (TwWrapperDescrObject *)tw_newref(op);
    w->self = tw_newref(obj);
    return (TwObject *)w;
}

static TwObject *wrapper_descr_repr(TwObject *op)
{
    return tw_str_from_format("<slot wrapper '%s' of '%s' objects>", descr_name(op),
                              ((TwDescrObject *)op)->d_type->tp_name);
}

TwType tw_wrapper_descr_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "wrapper_descriptor",
    .tp_basicsize = sizeof(TwWrapperDescrObject),
    .tp_flags = TW_TPFLAGS_METHOD_DESCRIPTOR | TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = descr_dealloc,
    .tp_repr = wrapper_descr_repr,
    .tp_call = wrapper_descr_call,
    .tp_descr_get = wrapper_descr_get,
    .tp_getset = descr_getset,
};

static void method_wrapper_dealloc(TwObject *op)
{
    MethodWrapperObject *w = (MethodWrapperObject *)op;
    tw_decref((TwObject *)w->descr);
    tw_decref(w->self);
    tw_object_free(op);
}

static TwObject *method_wrapper_call(TwObject *callable, TwObject *const *args, size_t nargs,
                                     TwObject *kwnames)
{
    MethodWrapperObject *w = (MethodWrapperObject *)callable;
    return wrapper_invoke(w->descr, w->self, args, nargs, kwnames);
}

static TwObject *method_wrapper_repr(TwObject *op)
{
    MethodWrapperObject *w = (MethodWrapperObject *)op;
    return tw_str_from_format("<method-wrapper '%s' of %s object at %p>", descr_name((TwObject *)w->descr),
                              TW_TYPE(w->self)->tp_name, (void *)w->self);
}

static TwObject *method_wrapper_get_self(TwObject *op, void *closure)
{
    return tw_newref(((MethodWrapperObject *)op)->self);
}

static TwObject *method_wrapper_get_name(TwObject *op, void *closure)
{
    return tw_newref(((MethodWrapperObject *)op)->descr->base.d_name);
}

static TwObject *method_wrapper_richcompare(TwObject *a, TwObject *b, int op)
{
    if ((op != TW_EQ && op != TW_NE) || TW_TYPE(b) != &tw_method_wrapper_type)
        return tw_newref(TW_NOTIMPLEMENTED);
    MethodWrapperObject *x = (MethodWrapperObject *)a, *y = (MethodWrapperObject *)b;
    int eq = x->descr == y->descr && x->self == y->self;
    return tw_newref(tw_bool_from_long(op == TW_EQ ? eq : !eq));
}

static tw_hash_t method_wrapper_hash(TwObject *op)
{
    MethodWrapperObject *w = (MethodWrapperObject *)op;
    tw_hash_t h = (tw_hash_t)(((uintptr_t)w->self >> 4) ^ ((uintptr_t)w->descr >> 4));
    return h == -1 ? -2 : h;
}

static const TwGetSetDef method_wrapper_getset[] = {
    {"__self__", method_wrapper_get_self, NULL, NULL},
    {"__name__", method_wrapper_get_name, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_method_wrapper_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "method-wrapper",
    .tp_basicsize = sizeof(MethodWrapperObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = method_wrapper_dealloc,
    .tp_hash = method_wrapper_hash,
    .tp_richcompare = method_wrapper_richcompare,
    .tp_repr = method_wrapper_repr,
    .tp_call = method_wrapper_call,
    .tp_getset = method_wrapper_getset,
};

/* ---- bound methods --------------------------------------------------------------------- */

TwObject *tw_method_new(TwObject *func, TwObject *self)
{
    TwMethodObject *m = (TwMethodObject *)tw_object_new(&tw_method_type, 0);
    if (m == NULL)
        return NULL;
    m->im_func = tw_newref(func);
    m->im_self = tw_newref(self);
    return (TwObject *)m;
}

TwObject *tw_function_descr_get(TwObject *func, TwObject *obj, TwObject *type)
{
    if (obj == NULL)
        return tw_newref(func);
    return tw_method_new(func, obj);
}

static void method_dealloc(TwObject *op)
{
    TwMethodObject *m = (TwMethodObject *)op;
    tw_decref(m->im_func);
    tw_decref(m->im_self);
    tw_object_free(op);
}

static TwObject *method_call(TwObject *callable, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwMethodObject *m = (TwMethodObject *)callable;
    return tw_call_prepend(m->im_func, m->im_self, args, nargs, kwnames);
}

/* The function's __qualname__ (or __name__), for reprs. */
static TwObject *callable_qualname(TwObject *func)
{
    TwObject *n = tw_object_getattr(func, tw_id___qualname__);
    if (n == NULL && tw_err_matches(&tw_exc_AttributeError)) {
        tw_err_clear();
        n = tw_object_getattr(func, tw_id___name__);
    }
    if (n == NULL && tw_err_matches(&tw_exc_AttributeError)) {
        tw_err_clear();
        return tw_str_from_cstr("?");
    }
    if (n != NULL && !tw_str_check(n)) {
        tw_decref(n);
        return tw_str_from_cstr("?");
    }
    return n;
}

static TwObject *method_repr(TwObject *op)
{
    TwMethodObject *m = (TwMethodObject *)op;
    TwObject *name = callable_qualname(m->im_func);
    if (name == NULL)
        return NULL;
    TwObject *sr = tw_object_repr(m->im_self);
    if (sr == NULL) {
        tw_decref(name);
        return NULL;
    }
    TwObject *r = tw_str_from_format("<bound method %s of %s>", tw_str_utf8(name), tw_str_utf8(sr));
    tw_decref(name);
    tw_decref(sr);
    return r;
}

/* Equal when bound to the same object and the functions are equal. */
static TwObject *method_richcompare(TwObject *a, TwObject *b, int op)
{
    if ((op != TW_EQ && op != TW_NE) || TW_TYPE(b) != &tw_method_type)
        return tw_newref(TW_NOTIMPLEMENTED);
    TwMethodObject *x = (TwMethodObject *)a, *y = (TwMethodObject *)b;
    int eq = x->im_self == y->im_self;
    if (eq) {
        eq = tw_object_eq(x->im_func, y->im_func);
        if (eq < 0)
            return NULL;
    }
    return tw_newref(tw_bool_from_long(op == TW_EQ ? eq : !eq));
}

static tw_hash_t method_hash(TwObject *op)
{
    TwMethodObject *m = (TwMethodObject *)op;
    tw_hash_t hf = tw_object_hash(m->im_func);
    if (hf == -1)
        return -1;
    tw_hash_t h = hf ^ (tw_hash_t)((uintptr_t)m->im_self >> 4);
    return h == -1 ? -2 : h;
}

/* The method's own attributes (__func__, __self__), then the function's. */
static TwObject *method_getattro(TwObject *op, TwObject *name)
{
    TwObject *descr = tw_type_lookup_ref(&tw_method_type, name);
    if (descr != NULL) {
        tw_descrgetfunc get = TW_TYPE(descr)->tp_descr_get;
        if (get != NULL) {
            TwObject *r = get(descr, op, (TwObject *)TW_TYPE(op));
            tw_decref(descr);
            return r;
        }
        return descr;
    }
    return tw_object_getattr(((TwMethodObject *)op)->im_func, name);
}

static TwObject *method_get_func(TwObject *op, void *closure)
{
    return tw_newref(((TwMethodObject *)op)->im_func);
}

static TwObject *method_get_self(TwObject *op, void *closure)
{
    return tw_newref(((TwMethodObject *)op)->im_self);
}

static const TwGetSetDef method_getset[] = {
    {"__func__", method_get_func, NULL, NULL},
    {"__self__", method_get_self, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_method_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "method",
    .tp_basicsize = sizeof(TwMethodObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = method_dealloc,
    .tp_hash = method_hash,
    .tp_richcompare = method_richcompare,
    .tp_repr = method_repr,
    .tp_getattro = method_getattro,
    .tp_call = method_call,
    .tp_getset = method_getset,
};

/* ---- staticmethod and classmethod ---------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *callable; /* set once by __init__ before the object is shared */
} WrapperObject;

static TwObject *wrapper_object_new(TwType *type, TwObject *callable)
{
    WrapperObject *w = (WrapperObject *)tw_object_new(type, 0);
    if (w != NULL)
        w->callable = tw_newref(callable);
    return (TwObject *)w;
}

TwObject *tw_staticmethod_new(TwObject *callable) { return wrapper_object_new(&tw_staticmethod_type, callable); }
TwObject *tw_classmethod_new(TwObject *callable) { return wrapper_object_new(&tw_classmethod_type, callable); }

static void wrapper_object_dealloc(TwObject *op)
{
    TW_CLEAR(((WrapperObject *)op)->callable);
    tw_object_free(op);
}

static int wrapper_object_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    const char *name = tw_type_is_subtype(TW_TYPE(self), &tw_staticmethod_type) ? "staticmethod" : "classmethod";
    if (tw_arg_no_kwargs(name, kwnames) < 0)
        return -1;
    if (nargs != 1) {
        tw_err_format(&tw_exc_TypeError, "%s expected 1 argument, got %zu", name, nargs);
        return -1;
    }
    WrapperObject *w = (WrapperObject *)self;
    TwObject *old = w->callable;
    w->callable = tw_newref(args[0]);
    tw_xdecref(old);
    return 0;
}

static TwObject *wrapper_object_callable(TwObject *op)
{
    TwObject *c = ((WrapperObject *)op)->callable;
    if (c == NULL)
        tw_err_format(&tw_exc_RuntimeError, "uninitialized %s object", TW_TYPE(op)->tp_name);
    return c;
}

static TwObject *staticmethod_get(TwObject *op, TwObject *obj, TwObject *type)
{
    TwObject *c = wrapper_object_callable(op);
    return c ? tw_newref(c) : NULL;
}

static TwObject *staticmethod_call(TwObject *callable, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *c = wrapper_object_callable(callable);
    return c ? tw_object_vectorcall(c, args, nargs, kwnames) : NULL;
}

static TwObject *classmethod_get(TwObject *op, TwObject *obj, TwObject *type)
{
    TwObject *c = wrapper_object_callable(op);
    if (c == NULL)
        return NULL;
    if (type == NULL)
        type = (TwObject *)TW_TYPE(obj);
    return tw_method_new(c, type);
}

static TwObject *wrapper_object_repr(TwObject *op)
{
    TwObject *c = wrapper_object_callable(op);
    if (c == NULL)
        return NULL;
    TwObject *cr = tw_object_repr(c);
    if (cr == NULL)
        return NULL;
    TwObject *r = tw_str_from_format("<%s(%s)>", TW_TYPE(op)->tp_name, tw_str_utf8(cr));
    tw_decref(cr);
    return r;
}

static TwObject *wrapper_object_get_func(TwObject *op, void *closure)
{
    TwObject *c = wrapper_object_callable(op);
    return c ? tw_newref(c) : NULL;
}

/* __name__, __doc__ and the like come from the wrapped callable. */
static TwObject *wrapper_object_getattro(TwObject *op, TwObject *name)
{
    TwObject *r = tw_object_generic_getattr(op, name);
    if (r != NULL || !tw_err_matches(&tw_exc_AttributeError))
        return r;
    if (name == tw_id___name__ || name == tw_id___qualname__ || name == tw_id___doc__ ||
        tw_str_equal_cstr(name, "__module__")) {
        TwObject *c = ((WrapperObject *)op)->callable;
        if (c != NULL) {
            TwObject *exc = tw_err_fetch();
            r = tw_object_getattr(c, name);
            if (r != NULL)
                tw_decref(exc);
            else {
                tw_err_clear();
                tw_err_restore(exc);
            }
        }
    }
    return r;
}

static const TwGetSetDef wrapper_object_getset[] = {
    {"__func__", wrapper_object_get_func, NULL, NULL},
    {"__wrapped__", wrapper_object_get_func, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_staticmethod_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "staticmethod",
    .tp_basicsize = sizeof(WrapperObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = wrapper_object_dealloc,
    .tp_repr = wrapper_object_repr,
    .tp_getattro = wrapper_object_getattro,
    .tp_call = staticmethod_call,
    .tp_descr_get = staticmethod_get,
    .tp_new = tw_object_generic_new_any,
    .tp_init = wrapper_object_init,
    .tp_getset = wrapper_object_getset,
};

TwType tw_classmethod_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "classmethod",
    .tp_basicsize = sizeof(WrapperObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = wrapper_object_dealloc,
    .tp_repr = wrapper_object_repr,
    .tp_getattro = wrapper_object_getattro,
    .tp_descr_get = classmethod_get,
    .tp_new = tw_object_generic_new_any,
    .tp_init = wrapper_object_init,
    .tp_getset = wrapper_object_getset,
};

/* ---- property --------------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *fget, *fset, *fdel, *doc; /* NULL when absent; set by __init__ before sharing */
    TwObject *name;                      /* from __set_name__, or NULL */
    int getter_doc;                      /* doc was taken from fget */
} PropertyObject;

static void property_dealloc(TwObject *op)
{
    PropertyObject *p = (PropertyObject *)op;
    TW_CLEAR(p->fget);
    TW_CLEAR(p->fset);
    TW_CLEAR(p->fdel);
    TW_CLEAR(p->doc);
    TW_CLEAR(p->name);
    tw_object_free(op);
}

static TwObject *none_to_null(TwObject *o) { return o == TW_NONE ? NULL : o; }

/* Fill a property (fresh, or re-initialised by __init__). */
static int property_fill(PropertyObject *p, TwObject *fget, TwObject *fset, TwObject *fdel, TwObject *doc)
{
    fget = fget ? none_to_null(fget) : NULL;
    fset = fset ? none_to_null(fset) : NULL;
    fdel = fdel ? none_to_null(fdel) : NULL;
    doc = doc ? none_to_null(doc) : NULL;
    TW_CLEAR(p->fget);
    TW_CLEAR(p->fset);
    TW_CLEAR(p->fdel);
    TW_CLEAR(p->doc);
    p->fget = fget ? tw_newref(fget) : NULL;
    p->fset = fset ? tw_newref(fset) : NULL;
    p->fdel = fdel ? tw_newref(fdel) : NULL;
    p->getter_doc = 0;
    if (doc != NULL) {
        p->doc = tw_newref(doc);
    } else if (fget != NULL) {
        TwObject *d = tw_object_getattr(fget, tw_id___doc__);
        if (d == NULL) {
            if (!tw_err_matches(&tw_exc_AttributeError))
                return -1;
            tw_err_clear();
        } else if (d == TW_NONE) {
            tw_decref(d);
        } else {
            p->doc = d;
            p->getter_doc = 1;
        }
    }
    return 0;
}

TwObject *tw_property_new(TwObject *fget, TwObject *fset, TwObject *fdel, TwObject *doc)
{
    PropertyObject *p = (PropertyObject *)tw_object_new(&tw_property_type, 0);
    if (p == NULL)
        return NULL;
    if (property_fill(p, fget, fset, fdel, doc) < 0) {
        tw_decref((TwObject *)p);
        return NULL;
    }
    return (TwObject *)p;
}

static int property_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"fget", "fset", "fdel", "doc", NULL};
    static const TwArgSpec spec = {"property", names, 0, 0, 4};
    TwObject *a[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return -1;
    return property_fill((PropertyObject *)self, a[0], a[1], a[2], a[3]);
}

/* "property 'x' of 'A' object has no getter" (the name when known). */
static void property_error(PropertyObject *p, TwObject *obj, const char *what)
{
    TwObject *qual = tw_type_get_qualname(TW_TYPE(obj));
    const char *tn = qual ? tw_str_utf8(qual) : TW_TYPE(obj)->tp_name;
    if (p->name != NULL && tw_str_check(p->name))
        tw_err_format(&tw_exc_AttributeError, "property '%s' of '%s' object has no %s",
                      tw_str_utf8(p->name), tn, what);
    else
        tw_err_format(&tw_exc_AttributeError, "property of '%s' object has no %s", tn, what);
    tw_xdecref(qual);
}

static TwObject *property_get(TwObject *op, TwObject *obj, TwObject *type)
{
    PropertyObject *p = (PropertyObject *)op;
    if (obj == NULL)
        return tw_newref(op);
    if (p->fget == NULL) {
        property_error(p, obj, "getter");
        return NULL;
    }
    return tw_object_call_one(p->fget, obj);
}

static int property_set(TwObject *op, TwObject *obj, TwObject *value)
{
    PropertyObject *p = (PropertyObject *)op;
    TwObject *f = value ? p->fset : p->fdel;
    if (f == NULL) {
        property_error(p, obj, value ? "setter" : "deleter");
        return -1;
    }
    TwObject *args[2] = {obj, value};
    TwObject *r = tw_object_vectorcall(f, args, value ? 2 : 1, NULL);
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

/* A copy with one function replaced, made by calling the property's own
 * class (so subclasses of property survive .setter). */
static TwObject *property_copy(TwObject *op, TwObject *fget, TwObject *fset, TwObject *fdel)
{
    PropertyObject *p = (PropertyObject *)op;
    TwObject *doc = (p->getter_doc && fget != NULL) ? TW_NONE : (p->doc ? p->doc : TW_NONE);
    TwObject *args[4] = {fget ? fget : (p->fget ? p->fget : TW_NONE),
                         fset ? fset : (p->fset ? p->fset : TW_NONE),
                         fdel ? fdel : (p->fdel ? p->fdel : TW_NONE), doc};
    TwObject *r = tw_object_vectorcall((TwObject *)TW_TYPE(op), args, 4, NULL);
    if (r != NULL && tw_type_is_subtype(TW_TYPE(r), &tw_property_type) && p->name != NULL) {
        PropertyObject *q = (PropertyObject *)r;
        TwObject *old = q->name;
        q->name = tw_newref(p->name);
        tw_xdecref(old);
    }
    return r;
}

static TwObject *property_getter(TwObject *self, TwObject *f) { return property_copy(self, f, NULL, NULL); }
static TwObject *property_setter(TwObject *self, TwObject *f) { return property_copy(self, NULL, f, NULL); }
static TwObject *property_deleter(TwObject *self, TwObject *f) { return property_copy(self, NULL, NULL, f); }

static TwObject *property_set_name(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "__set_name__() takes 2 positional arguments but %zu were given", nargs);
        return NULL;
    }
    PropertyObject *p = (PropertyObject *)self;
    TwObject *old = p->name;
    p->name = tw_newref(args[1]);
    tw_xdecref(old);
    return tw_newref(TW_NONE);
}

static TwObject *property_field(TwObject *f) { return tw_newref(f ? f : TW_NONE); }
static TwObject *property_get_fget(TwObject *op, void *c) { return property_field(((PropertyObject *)op)->fget); }
static TwObject *property_get_fset(TwObject *op, void *c) { return property_field(((PropertyObject *)op)->fset); }
static TwObject *property_get_fdel(TwObject *op, void *c) { return property_field(((PropertyObject *)op)->fdel); }
static TwObject *property_get_doc(TwObject *op, void *c) { return property_field(((PropertyObject *)op)->doc); }

static int property_set_doc(TwObject *op, TwObject *value, void *c)
{
    PropertyObject *p = (PropertyObject *)op;
    TwObject *old = p->doc;
    p->doc = value ? tw_newref(value) : NULL;
    tw_xdecref(old);
    return 0;
}

static const TwMethodDef property_methods[] = {
    {"getter", (void (*)(void))property_getter, TW_METH_O, NULL},
    {"setter", (void (*)(void))property_setter, TW_METH_O, NULL},
    {"deleter", (void (*)(void))property_deleter, TW_METH_O, NULL},
    {"__set_name__", (void (*)(void))property_set_name, TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef property_getsetdefs[] = {
    {"fget", property_get_fget, NULL, NULL},
    {"fset", property_get_fset, NULL, NULL},
    {"fdel", property_get_fdel, NULL, NULL},
    {"__doc__", property_get_doc, property_set_doc, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_property_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "property",
    .tp_basicsize = sizeof(PropertyObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = property_dealloc,
    .tp_descr_get = property_get,
    .tp_descr_set = property_set,
    .tp_new = tw_object_generic_new_any,
    .tp_init = property_init,
    .tp_methods = property_methods,
    .tp_getset = property_getsetdefs,
};

/* ---- super ------------------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwType *type;      /* the class after which the search starts; owned */
    TwObject *obj;     /* the instance or class, or NULL (unbound super) */
    TwType *obj_type;  /* whose MRO is searched; owned */
} SuperObject;

static void super_dealloc(TwObject *op)
{
    SuperObject *s = (SuperObject *)op;
    TW_CLEAR(s->type);
    TW_CLEAR(s->obj);
    TW_CLEAR(s->obj_type);
    tw_object_free(op);
}

/* The class whose MRO super() searches: obj itself when it is a subclass
 * of type (classmethods), else obj's class. */
static TwType *supercheck(TwType *type, TwObject *obj)
{
    if ((TW_TYPE(obj)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) && tw_type_is_subtype((TwType *)obj, type))
        return (TwType *)obj;
    if (tw_type_is_subtype(TW_TYPE(obj), type))
        return TW_TYPE(obj);
    tw_err_set_string(&tw_exc_TypeError, "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

static int super_fill(SuperObject *s, TwObject *type, TwObject *obj)
{
    if (!(TW_TYPE(type)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS)) {
        tw_err_format(&tw_exc_TypeError, "super() argument 1 must be a type, not %s", TW_TYPE(type)->tp_name);
        return -1;
    }
    TwType *obj_type = NULL;
    if (obj != NULL && obj != TW_NONE) {
        obj_type = supercheck((TwType *)type, obj);
        if (obj_type == NULL)
            return -1;
    } else {
        obj = NULL;
    }
    TW_CLEAR(s->type);
    TW_CLEAR(s->obj);
    TW_CLEAR(s->obj_type);
    s->type = (TwType *)tw_newref(type);
    s->obj = obj ? tw_newref(obj) : NULL;
    s->obj_type = obj_type ? (TwType *)tw_newref((TwObject *)obj_type) : NULL;
    return 0;
}

TwObject *tw_super_new(TwType *cls, TwObject *self)
{
    SuperObject *s = (SuperObject *)tw_object_new(&tw_super_type, 0);
    if (s == NULL)
        return NULL;
    if (super_fill(s, (TwObject *)cls, self) < 0) {
        tw_decref((TwObject *)s);
        return NULL;
    }
    return (TwObject *)s;
}

static int super_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("super", kwnames) < 0)
        return -1;
    if (nargs == 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "super(): no arguments");
        return -1;
    }
    if (nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "super() takes at most 2 arguments (%zu given)", nargs);
        return -1;
    }
    return super_fill((SuperObject *)self, args[0], nargs == 2 ? args[1] : NULL);
}

/* Search obj_type's MRO after `type`, binding what is found to obj. */
static TwObject *super_getattro(TwObject *op, TwObject *name)
{
    SuperObject *s = (SuperObject *)op;
    if (s->obj_type != NULL && tw_str_check(name) && name != tw_id___class__ &&
        !tw_str_equal_cstr(name, "__class__")) {
        TwObject *mro = s->obj_type->tp_mro;
        intptr_t n = mro ? tw_tuple_size(mro) : 0, i;
        for (i = 0; i < n; i++)
            if (tw_tuple_get_item_borrowed(mro, i) == (TwObject *)s->type)
                break;
        for (i++; i < n; i++) {
            TwType *t = (TwType *)tw_tuple_get_item_borrowed(mro, i);
            TwObject *res = NULL;
            int rc = tw_dict_get_item_ref(t->tp_dict, name, &res);
            if (rc < 0)
                return NULL;
            if (rc == 0)
                continue;
            tw_descrgetfunc get = TW_TYPE(res)->tp_descr_get;
            if (get != NULL) {
                TwObject *obj = s->obj == (TwObject *)s->obj_type ? NULL : s->obj;
                TwObject *r = get(res, obj, (TwObject *)s->obj_type);
                tw_decref(res);
                return r;
            }
            return res;
        }
    }
    return tw_object_generic_getattr(op, name);
}

static TwObject *super_repr(TwObject *op)
{
    SuperObject *s = (SuperObject *)op;
    const char *tn = s->type ? s->type->tp_name : "NULL";
    if (s->obj_type != NULL)
        return tw_str_from_format("<super: <class '%s'>, <%s object>>", tn, s->obj_type->tp_name);
    return tw_str_from_format("<super: <class '%s'>, NULL>", tn);
}

static TwObject *super_get_thisclass(TwObject *op, void *c)
{
    SuperObject *s = (SuperObject *)op;
    return tw_newref(s->type ? (TwObject *)s->type : TW_NONE);
}

static TwObject *super_get_self(TwObject *op, void *c)
{
    SuperObject *s = (SuperObject *)op;
    return tw_newref(s->obj ? s->obj : TW_NONE);
}

static TwObject *super_get_self_class(TwObject *op, void *c)
{
    SuperObject *s = (SuperObject *)op;
    return tw_newref(s->obj_type ? (TwObject *)s->obj_type : TW_NONE);
}

static const TwGetSetDef super_getset[] = {
    {"__thisclass__", super_get_thisclass, NULL, NULL},
    {"__self__", super_get_self, NULL, NULL},
    {"__self_class__", super_get_self_class, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_super_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "super",
    .tp_basicsize = sizeof(SuperObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = super_dealloc,
    .tp_repr = super_repr,
    .tp_getattro = super_getattro,
    .tp_new = tw_object_generic_new_any,
    .tp_init = super_init,
    .tp_getset = super_getset,
};

/* ---- mappingproxy ------------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *mapping; /* immutable */
} MappingProxyObject;

TwObject *tw_mappingproxy_new(TwObject *mapping)
{
    MappingProxyObject *m = (MappingProxyObject *)tw_object_new(&tw_mappingproxy_type, 0);
    if (m != NULL)
        m->mapping = tw_newref(mapping);
    return (TwObject *)m;
}

static void mappingproxy_dealloc(TwObject *op)
{
    tw_decref(((MappingProxyObject *)op)->mapping);
    tw_object_free(op);
}

#define MAPPING(op) (((MappingProxyObject *)(op))->mapping)

static TwObject *mp_getitem(TwObject *op, TwObject *key) { return tw_object_getitem(MAPPING(op), key); }
static intptr_t mp_len(TwObject *op) { return tw_object_len(MAPPING(op)); }
static TwObject *mp_iter(TwObject *op) { return tw_object_iter(MAPPING(op)); }
static int mp_contains(TwObject *op, TwObject *key) { return tw_sequence_contains(MAPPING(op), key); }
static TwObject *mp_str(TwObject *op) { return tw_object_str(MAPPING(op)); }

static TwObject *mp_repr(TwObject *op)
{
    TwObject *r = tw_object_repr(MAPPING(op));
    if (r == NULL)
        return NULL;
    TwObject *s = tw_str_from_format("mappingproxy(%s)", tw_str_utf8(r));
    tw_decref(r);
    return s;
}

static TwObject *mp_richcompare(TwObject *a, TwObject *b, int op)
{
    return tw_object_richcompare(MAPPING(a), b, op);
}

static TwObject *mp_forward(TwObject *op, const char *name, TwObject *const *args, size_t nargs)
{
    return tw_object_call_method(MAPPING(op), name, args, nargs);
}

static TwObject *mp_keys(TwObject *op, TwObject *u) { return mp_forward(op, "keys", NULL, 0); }
static TwObject *mp_values(TwObject *op, TwObject *u) { return mp_forward(op, "values", NULL, 0); }
static TwObject *mp_items(TwObject *op, TwObject *u) { return mp_forward(op, "items", NULL, 0); }
static TwObject *mp_copy(TwObject *op, TwObject *u) { return mp_forward(op, "copy", NULL, 0); }

static TwObject *mp_get(TwObject *op, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("get", kwnames) < 0)
        return NULL;
    if (nargs < 1 || nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "get expected %s 1 argument%s, got %zu",
                      nargs < 1 ? "at least" : "at most", nargs < 1 ? "" : "s", nargs);
        return NULL;
    }
    return mp_forward(op, "get", args, nargs);
}

static const TwMethodDef mappingproxy_methods[] = {
    {"keys", (void (*)(void))mp_keys, TW_METH_NOARGS, NULL},
    {"values", (void (*)(void))mp_values, TW_METH_NOARGS, NULL},
    {"items", (void (*)(void))mp_items, TW_METH_NOARGS, NULL},
    {"copy", (void (*)(void))mp_copy, TW_METH_NOARGS, NULL},
    {"get", (void (*)(void))mp_get, TW_METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

TwType tw_mappingproxy_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "mappingproxy",
    .tp_basicsize = sizeof(MappingProxyObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = mappingproxy_dealloc,
    .tp_richcompare = mp_richcompare,
    .tp_repr = mp_repr,
    .tp_str = mp_str,
    .tp_iter = mp_iter,
    .tp_len = mp_len,
    .tp_getitem = mp_getitem,
    .tp_contains = mp_contains,
    .tp_methods = mappingproxy_methods,
};

/* ---- start-up ---------------------------------------------------------------------------- */

int tw_descr_types_init(void)
{
    static TwType *const types[] = {
        &tw_method_descr_type, &tw_classmethod_descr_type, &tw_getset_descr_type,
        &tw_wrapper_descr_type, &tw_method_wrapper_type, &tw_method_type,
        &tw_staticmethod_type, &tw_classmethod_type, &tw_property_type,
        &tw_super_type, &tw_mappingproxy_type,
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (tw_type_ready(types[i]) < 0)
            return -1;
    return 0;
}
