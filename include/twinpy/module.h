/* Modules, built-in function objects and the registry of built-in modules
 * (core/moduleobject.c).
 *
 * A module is a namespace: a dict plus the name it was created with.  The
 * dict is created with the module and never replaced, so the pointer is
 * immutable after creation; the dict's own critical section protects its
 * contents.  Attribute access reads and writes the dict; a missing name
 * raises AttributeError "module 'm' has no attribute 'x'".
 *
 * Built-in function objects ("builtin_function_or_method") wrap one
 * TwMethodDef (include/twinpy/abstract.h) together with the object passed
 * as `self` (the module for module functions, NULL for the builtins).  They
 * are immutable after creation.
 *
 * The registry maps a module name to the C function that creates the
 * module.  It is process-wide (registrations survive a runtime restart) and
 * guarded by its own mutex, so modules may register from any thread at any
 * time; `import name` consults it after sys.modules (core/import.c). */
#ifndef TWINPY_MODULE_H
#define TWINPY_MODULE_H

#include <twinpy/object.h>
#include <twinpy/abstract.h>

typedef struct TwModuleObject {
    TwObject ob_base;
    TwObject *dict; /* immutable pointer after creation; the dict locks itself */
    TwObject *name; /* str; immutable */
} TwModuleObject;

extern TwType tw_module_type;
static inline int tw_module_check(TwObject *op)
{
    return tw_type_is_subtype(TW_TYPE(op), &tw_module_type);
}

/* A new empty module whose dict holds __name__ = name, __doc__ = None,
 * __package__ = None, __loader__ = None and __spec__ = None. */
TwObject *tw_module_new(TwObject *name);
TwObject *tw_module_new_cstr(const char *name);
/* The module's namespace dict / name (new references). */
TwObject *tw_module_get_dict(TwObject *m);
TwObject *tw_module_get_name(TwObject *m);
/* Borrowed: the dict lives as long as the module, and the module's pointer
 * to it never changes, so this is safe while the caller holds m. */
static inline TwObject *tw_module_dict_borrowed(TwObject *m)
{
    return ((TwModuleObject *)m)->dict;
}

/* Set m.<name> = value (value is not stolen).  0 or -1. */
int tw_module_add_object(TwObject *m, const char *name, TwObject *value);
int tw_module_add_int(TwObject *m, const char *name, int64_t value);
int tw_module_add_string(TwObject *m, const char *name, const char *value);
/* Add one built-in function per entry of a NULL-terminated table; each
 * receives the module as `self`.  The table must outlive the functions
 * (static tables do).  0 or -1. */
int tw_module_add_functions(TwObject *m, const TwMethodDef *defs);

/* ---- built-in function objects ------------------------------------------- */

typedef struct TwCFunctionObject {
    TwObject ob_base;
    const TwMethodDef *def; /* immutable */
    TwObject *self;         /* immutable; may be NULL */
    TwObject *module;       /* immutable; the module's name (str) or NULL */
} TwCFunctionObject;

/* type name "builtin_function_or_method"; repr "<built-in function len>". */
extern TwType tw_cfunction_type;
static inline int tw_cfunction_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_cfunction_type;
}
/* A callable for def bound to self (may be NULL); module_name may be NULL. */
TwObject *tw_cfunction_new(const TwMethodDef *def, TwObject *self, TwObject *module_name);
/* Call a TwMethodDef's C function with the calling convention its flags
 * name, checking the argument count for TW_METH_NOARGS / TW_METH_O
 * ("len() takes exactly one argument (2 given)").  Shared with the method
 * descriptors of the type system. */
TwObject *tw_cfunction_call_def(const TwMethodDef *def, TwObject *self, TwObject *const *args,
                                size_t nargs, TwObject *kwnames);

/* ---- the registry of built-in modules ------------------------------------ */

typedef TwObject *(*tw_module_create_fn)(void);
/* Register `create` as the maker of the built-in module `name` (the string
 * must be static).  A second registration of a name replaces the first.
 * 0, or -1 when the table is full (no exception: callers run at startup). */
int tw_module_register_builtin(const char *name, tw_module_create_fn create);
/* The creation function for name, or NULL if none is registered. */
tw_module_create_fn tw_module_find_builtin(const char *name);
/* 1 if name is a registered built-in module. */
int tw_module_is_builtin(const char *name);

#endif
