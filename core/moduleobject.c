/* Module objects, built-in function objects and the registry of built-in
 * modules.  include/twinpy/module.h states the invariants. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "core/tstate.h"
#include <twinpy/module.h>

/* ---- modules ---------------------------------------------------------------- */

static void module_dealloc(TwObject *op)
{
    TwModuleObject *m = (TwModuleObject *)op;
    TW_CLEAR(m->dict);
    TW_CLEAR(m->name);
    tw_object_free(op);
}

TwObject *tw_module_new(TwObject *name)
{
    if (!tw_str_check(name)) {
        tw_err_format(&tw_exc_TypeError, "module name must be str, not %s", TW_TYPE(name)->tp_name);
        return NULL;
    }
    TwModuleObject *m = (TwModuleObject *)tw_object_new(&tw_module_type, 0);
    if (m == NULL)
        return NULL;
    m->name = tw_newref(name);
    m->dict = tw_dict_new();
    if (m->dict == NULL)
        goto fail;
    if (tw_dict_set_item_cstr(m->dict, "__name__", name) < 0)
        goto fail;
    static const char *const none_fields[] = {"__doc__", "__package__", "__loader__", "__spec__"};
    for (size_t i = 0; i < sizeof(none_fields) / sizeof(none_fields[0]); i++)
        if (tw_dict_set_item_cstr(m->dict, none_fields[i], TW_NONE) < 0)
            goto fail;
    return (TwObject *)m;
fail:
    tw_decref((TwObject *)m);
    return NULL;
}

TwObject *tw_module_new_cstr(const char *name)
{
    TwObject *s = tw_str_intern_cstr(name);
    if (s == NULL)
        return NULL;
    TwObject *m = tw_module_new(s);
    tw_decref(s);
    return m;
}

TwObject *tw_module_get_dict(TwObject *m)
{
    return tw_newref(((TwModuleObject *)m)->dict);
}

TwObject *tw_module_get_name(TwObject *m)
{
    return tw_newref(((TwModuleObject *)m)->name);
}

int tw_module_add_object(TwObject *m, const char *name, TwObject *value)
{
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL)
        return -1;
    int r = tw_dict_set_item(((TwModuleObject *)m)->dict, key, value);
    tw_decref(key);
    return r;
}

int tw_module_add_int(TwObject *m, const char *name, int64_t value)
{
    TwObject *v = tw_int_from_i64(value);
    if (v == NULL)
        return -1;
    int r = tw_module_add_object(m, name, v);
    tw_decref(v);
    return r;
}

int tw_module_add_string(TwObject *m, const char *name, const char *value)
{
    TwObject *v = tw_str_from_cstr(value);
    if (v == NULL)
        return -1;
    int r = tw_module_add_object(m, name, v);
    tw_decref(v);
    return r;
}

int tw_module_add_functions(TwObject *m, const TwMethodDef *defs)
{
    TwObject *modname = ((TwModuleObject *)m)->name;
    for (const TwMethodDef *d = defs; d->name != NULL; d++) {
        TwObject *f = tw_cfunction_new(d, m, modname);
        if (f == NULL)
            return -1;
        int r = tw_module_add_object(m, d->name, f);
        tw_decref(f);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int name_error(TwModuleObject *m, TwObject *name)
{
    tw_err_format(&tw_exc_AttributeError, "module '%s' has no attribute '%s'", tw_str_utf8(m->name),
                  tw_str_utf8(name));
    return -1;
}

/* Attribute lookup: the module's own namespace first (the hot path:
 * `math.sqrt`), then the attributes of the module type (__dict__,
 * __class__, ...), then a module-level __getattr__ function. */
static TwObject *module_getattro(TwObject *op, TwObject *name)
{
    TwModuleObject *m = (TwModuleObject *)op;
    TwObject *v;
    int r = tw_dict_get_item_ref(m->dict, name, &v);
    if (r != 0)
        return r > 0 ? v : NULL;
    TwObject *attr = tw_type_lookup(TW_TYPE(op), name);
    if (attr != NULL) {
        tw_descrgetfunc get = TW_TYPE(attr)->tp_descr_get;
        if (get != NULL)
            return get(attr, op, (TwObject *)TW_TYPE(op));
        return tw_newref(attr);
    }
    TwObject *hook;
    r = tw_dict_get_item_cstr_ref(m->dict, "__getattr__", &hook);
    if (r < 0)
        return NULL;
    if (r > 0) {
        TwObject *res = tw_object_call_one(hook, name);
        tw_decref(hook);
        return res;
    }
    name_error(m, name);
    return NULL;
}

/* Assignment and deletion write the namespace; __dict__ itself is
 * read-only. */
static int module_setattro(TwObject *op, TwObject *name, TwObject *value)
{
    TwModuleObject *m = (TwModuleObject *)op;
    if (tw_str_equal_cstr(name, "__dict__")) {
        tw_err_set_string(&tw_exc_AttributeError, "readonly attribute");
        return -1;
    }
    if (value != NULL)
        return tw_dict_set_item(m->dict, name, value);
    int r = tw_dict_contains(m->dict, name);
    if (r <= 0)
        return r < 0 ? -1 : name_error(m, name);
    return tw_dict_del_item(m->dict, name);
}

/* "<module 'm' from '/path/m.py'>", "<module 'sys' (built-in)>" or
 * "<module 'm'>". */
static TwObject *module_repr(TwObject *op)
{
    TwModuleObject *m = (TwModuleObject *)op;
    TwObject *file;
    int r = tw_dict_get_item_cstr_ref(m->dict, "__file__", &file);
    if (r < 0)
        return NULL;
    if (r > 0 && tw_str_check(file)) {
        TwObject *res =
            tw_str_from_format("<module '%s' from '%s'>", tw_str_utf8(m->name), tw_str_utf8(file));
        tw_decref(file);
        return res;
    }
    tw_xdecref(file);
    if (tw_module_is_builtin(tw_str_utf8(m->name)))
        return tw_str_from_format("<module '%s' (built-in)>", tw_str_utf8(m->name));
    return tw_str_from_format("<module '%s'>", tw_str_utf8(m->name));
}

static TwObject *module_get_dict(TwObject *op, void *closure)
{
    return tw_newref(((TwModuleObject *)op)->dict);
}

static const TwGetSetDef module_getset[] = {
    {"__dict__", module_get_dict, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static tw_hash_t identity_hash(TwObject *op)
{
    uintptr_t p = (uintptr_t)op;
    tw_hash_t h = (tw_hash_t)((p >> 4) | (p << (8 * sizeof(p) - 4)));
    return h == -1 ? -2 : h;
}

TwType tw_module_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "module",
    .tp_basicsize = sizeof(TwModuleObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = module_dealloc,
    .tp_hash = identity_hash,
    .tp_repr = module_repr,
    .tp_getattro = module_getattro,
    .tp_setattro = module_setattro,
    .tp_getset = module_getset,
    /* vars(m) and dir(m) find the namespace through the generic machinery. */
    .tp_dictoffset = offsetof(TwModuleObject, dict),
};

/* ---- built-in function objects ------------------------------------------------- */

TwObject *tw_cfunction_new(const TwMethodDef *def, TwObject *self, TwObject *module_name)
{
    TwCFunctionObject *f = (TwCFunctionObject *)tw_object_new(&tw_cfunction_type, 0);
    if (f == NULL)
        return NULL;
    f->def = def;
    f->self = self ? tw_newref(self) : NULL;
    f->module = module_name ? tw_newref(module_name) : NULL;
    return (TwObject *)f;
}

static void cfunction_dealloc(TwObject *op)
{
    TwCFunctionObject *f = (TwCFunctionObject *)op;
    TW_CLEAR(f->self);
    TW_CLEAR(f->module);
    tw_object_free(op);
}

/* The name used in argument-count errors: "len" for functions, "list.append"
 * for methods of an instance or a class. */
static void qualified_name(const TwMethodDef *def, TwObject *self, char *buf, size_t size)
{
    if (self == NULL || tw_module_check(self))
        snprintf(buf, size, "%s", def->name);
    else if (tw_type_is_subtype(TW_TYPE(self), &tw_type_type))
        snprintf(buf, size, "%s.%s", ((TwType *)self)->tp_name, def->name);
    else
        snprintf(buf, size, "%s.%s", TW_TYPE(self)->tp_name, def->name);
}

typedef TwObject *(*fastcall_fn)(TwObject *, TwObject *const *, size_t, TwObject *);
typedef TwObject *(*onearg_fn)(TwObject *, TwObject *);

/* Dispatch on the calling convention of def->flags. */
TwObject *tw_cfunction_call_def(const TwMethodDef *def, TwObject *self, TwObject *const *args,
                                size_t nargs, TwObject *kwnames)
{
    int conv = def->flags & (TW_METH_FASTCALL | TW_METH_NOARGS | TW_METH_O);
    if (conv == TW_METH_FASTCALL)
        return ((fastcall_fn)def->func)(self, args, nargs, kwnames);
    char name[160];
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        qualified_name(def, self, name, sizeof(name));
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", name);
        return NULL;
    }
    if (conv == TW_METH_NOARGS) {
        if (nargs == 0)
            return ((onearg_fn)def->func)(self, NULL);
        qualified_name(def, self, name, sizeof(name));
        tw_err_format(&tw_exc_TypeError, "%s() takes no arguments (%zu given)", name, nargs);
        return NULL;
    }
    if (conv == TW_METH_O) {
        if (nargs == 1)
            return ((onearg_fn)def->func)(self, args[0]);
        qualified_name(def, self, name, sizeof(name));
        tw_err_format(&tw_exc_TypeError, "%s() takes exactly one argument (%zu given)", name,
                      nargs);
        return NULL;
    }
    tw_err_format(&tw_exc_SystemError, "%s(): bad calling convention flags %d", def->name,
                  def->flags);
    return NULL;
}

static TwObject *cfunction_call(TwObject *callable, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    TwCFunctionObject *f = (TwCFunctionObject *)callable;
    return tw_cfunction_call_def(f->def, f->self, args, nargs, kwnames);
}

static TwObject *cfunction_repr(TwObject *op)
{
    TwCFunctionObject *f = (TwCFunctionObject *)op;
    if (f->self == NULL || tw_module_check(f->self))
        return tw_str_from_format("<built-in function %s>", f->def->name);
    return tw_str_from_format("<built-in method %s of %s object at %p>", f->def->name,
                              TW_TYPE(f->self)->tp_name, (void *)f->self);
}

static TwObject *cfunction_get_name(TwObject *op, void *closure)
{
    return tw_str_from_cstr(((TwCFunctionObject *)op)->def->name);
}

static TwObject *cfunction_get_qualname(TwObject *op, void *closure)
{
    TwCFunctionObject *f = (TwCFunctionObject *)op;
    char name[160];
    qualified_name(f->def, f->self, name, sizeof(name));
    return tw_str_from_cstr(name);
}

static TwObject *cfunction_get_module(TwObject *op, void *closure)
{
    TwCFunctionObject *f = (TwCFunctionObject *)op;
    return tw_newref(f->module ? f->module : TW_NONE);
}

static TwObject *cfunction_get_self(TwObject *op, void *closure)
{
    TwCFunctionObject *f = (TwCFunctionObject *)op;
    return tw_newref(f->self ? f->self : TW_NONE);
}

static TwObject *cfunction_get_doc(TwObject *op, void *closure)
{
    const char *doc = ((TwCFunctionObject *)op)->def->doc;
    return doc ? tw_str_from_cstr(doc) : tw_newref(TW_NONE);
}

static const TwGetSetDef cfunction_getset[] = {
    {"__name__", cfunction_get_name, NULL, NULL},
    {"__qualname__", cfunction_get_qualname, NULL, NULL},
    {"__module__", cfunction_get_module, NULL, NULL},
    {"__self__", cfunction_get_self, NULL, NULL},
    {"__doc__", cfunction_get_doc, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_cfunction_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "builtin_function_or_method",
    .tp_basicsize = sizeof(TwCFunctionObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = cfunction_dealloc,
    .tp_hash = identity_hash,
    .tp_repr = cfunction_repr,
    .tp_call = cfunction_call,
    .tp_getset = cfunction_getset,
};

/* ---- the registry of built-in modules ---------------------------------------------
 *
 * A fixed table, process-wide, protected by registry_mutex (a plain
 * pthread mutex: it is held only for a table scan and never while touching
 * objects, so it needs no detach). */

#define MAX_BUILTIN_MODULES 64

static struct {
    const char *name;
    tw_module_create_fn create;
} registry[MAX_BUILTIN_MODULES]; /* registry_mutex */
static int registry_count;       /* registry_mutex */
static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;

int tw_module_register_builtin(const char *name, tw_module_create_fn create)
{
    int r = -1;
    pthread_mutex_lock(&registry_mutex);
    for (int i = 0; i < registry_count; i++) {
        if (strcmp(registry[i].name, name) == 0) {
            registry[i].create = create;
            r = 0;
            goto out;
        }
    }
    if (registry_count < MAX_BUILTIN_MODULES) {
        registry[registry_count].name = name;
        registry[registry_count].create = create;
        registry_count++;
        r = 0;
    }
out:
    pthread_mutex_unlock(&registry_mutex);
    return r;
}

tw_module_create_fn tw_module_find_builtin(const char *name)
{
    tw_module_create_fn fn = NULL;
    pthread_mutex_lock(&registry_mutex);
    for (int i = 0; i < registry_count; i++) {
        if (strcmp(registry[i].name, name) == 0) {
            fn = registry[i].create;
            break;
        }
    }
    pthread_mutex_unlock(&registry_mutex);
    return fn;
}

int tw_module_is_builtin(const char *name)
{
    return tw_module_find_builtin(name) != NULL;
}
