/* The interpreter's object protocol: the operations the eval loop and the
 * built-in functions perform on any object, dispatching through type slots
 * (core/abstract.c, core/typeobject.c).
 *
 * Conventions: every function returns a new reference, or NULL (or -1) with
 * an exception set.  Binary operators follow Python: try the left operand's
 * slot, then the right operand's reflected slot (first, if the right type is
 * a subclass of the left); a slot that does not handle the pair returns
 * TW_NOTIMPLEMENTED (a new reference to the immortal NotImplemented), and
 * when both decline the operation raises CPython's TypeError, e.g.
 * "unsupported operand type(s) for +: 'int' and 'str'". */
#ifndef TWINPY_ABSTRACT_H
#define TWINPY_ABSTRACT_H

#include <stddef.h>
#include <twinpy/object.h>

/* NotImplemented and Ellipsis: immortal singletons. */
extern TwType tw_notimplemented_type;
extern TwObject tw_notimplemented_object;
#define TW_NOTIMPLEMENTED (&tw_notimplemented_object)
extern TwType tw_ellipsis_type;
extern TwObject tw_ellipsis_object;
#define TW_ELLIPSIS (&tw_ellipsis_object)

/* Number slots.  A binary slot receives (left, right) where either operand
 * may be the slot's type; it returns TW_NOTIMPLEMENTED for pairs it does not
 * handle.  nb_power's third argument is the modulus or None. */
typedef struct TwNumberMethods {
    tw_binaryfunc nb_add, nb_subtract, nb_multiply, nb_true_divide, nb_floor_divide,
        nb_remainder, nb_lshift, nb_rshift, nb_and, nb_or, nb_xor, nb_divmod, nb_matmul;
    tw_ternaryfunc nb_power;
    tw_reprfunc nb_negative, nb_positive, nb_absolute, nb_invert;
    tw_inquiry nb_bool; /* 1, 0, -1 */
    tw_reprfunc nb_int, nb_float, nb_index;
    /* In-place forms (x += y); NULL falls back to the binary form. */
    tw_binaryfunc nb_inplace_add, nb_inplace_subtract, nb_inplace_multiply, nb_inplace_true_divide,
        nb_inplace_floor_divide, nb_inplace_remainder, nb_inplace_lshift, nb_inplace_rshift,
        nb_inplace_and, nb_inplace_or, nb_inplace_xor, nb_inplace_matmul;
    tw_ternaryfunc nb_inplace_power;
} TwNumberMethods;

/* A C function exposed as a method or a module function. */
typedef enum {
    TW_METH_FASTCALL = 1, /* TwObject *f(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames) */
    TW_METH_NOARGS = 2,   /* TwObject *f(TwObject *self, TwObject *unused) */
    TW_METH_O = 4,        /* TwObject *f(TwObject *self, TwObject *arg) */
    TW_METH_CLASS = 8,    /* bound to the class (classmethod) */
    TW_METH_STATIC = 16,  /* not bound (staticmethod) */
} TwMethodFlags;

typedef struct TwMethodDef {
    const char *name; /* NULL ends a table */
    void (*func)(void);
    int flags;
    const char *doc;
} TwMethodDef;

typedef struct TwGetSetDef {
    const char *name; /* NULL ends a table */
    TwObject *(*get)(TwObject *self, void *closure);
    int (*set)(TwObject *self, TwObject *value, void *closure); /* NULL: read-only */
    void *closure;
} TwGetSetDef;

/* ---- types ---------------------------------------------------------------- */

/* Fill tp_dict from tp_methods/tp_getset, compute tp_mro, inherit slots
 * from the base.  Idempotent and thread-safe (one thread readies, others
 * wait).  Every static type is readied at runtime start. */
int tw_type_ready(TwType *type);
/* Find name in the type's MRO (a borrowed reference valid while the type is
 * alive, or NULL with no exception). */
TwObject *tw_type_lookup(TwType *type, TwObject *name);

/* ---- attributes ------------------------------------------------------------ */
TwObject *tw_object_getattr(TwObject *obj, TwObject *name);
TwObject *tw_object_getattr_cstr(TwObject *obj, const char *name);
int tw_object_setattr(TwObject *obj, TwObject *name, TwObject *value); /* value NULL deletes */
int tw_object_hasattr(TwObject *obj, TwObject *name);
/* The default: data descriptors on the type, then the instance __dict__,
 * then other class attributes; AttributeError "'X' object has no attribute 'y'". */
TwObject *tw_object_generic_getattr(TwObject *obj, TwObject *name);
int tw_object_generic_setattr(TwObject *obj, TwObject *name, TwObject *value);
/* Method lookup without creating a bound method: returns the function and
 * sets *is_unbound = 1 when the caller should pass obj as the first
 * argument, else a ready callable with *is_unbound = 0. */
TwObject *tw_object_get_method(TwObject *obj, TwObject *name, int *is_unbound);

/* ---- calls ------------------------------------------------------------------- */
TwObject *tw_object_vectorcall(TwObject *callable, TwObject *const *args, size_t nargs,
                               TwObject *kwnames);
TwObject *tw_object_call(TwObject *callable, TwObject *args_tuple, TwObject *kwargs_dict);
TwObject *tw_object_call_noargs(TwObject *callable);
TwObject *tw_object_call_one(TwObject *callable, TwObject *arg);
TwObject *tw_object_call_method(TwObject *obj, const char *name, TwObject *const *args, size_t nargs);
int tw_callable_check(TwObject *obj);

/* ---- numbers ------------------------------------------------------------------ */
TwObject *tw_number_add(TwObject *a, TwObject *b);
TwObject *tw_number_subtract(TwObject *a, TwObject *b);
TwObject *tw_number_multiply(TwObject *a, TwObject *b);
TwObject *tw_number_true_divide(TwObject *a, TwObject *b);
TwObject *tw_number_floor_divide(TwObject *a, TwObject *b);
TwObject *tw_number_remainder(TwObject *a, TwObject *b);
TwObject *tw_number_divmod(TwObject *a, TwObject *b);
TwObject *tw_number_power(TwObject *a, TwObject *b, TwObject *mod_or_none);
TwObject *tw_number_lshift(TwObject *a, TwObject *b);
TwObject *tw_number_rshift(TwObject *a, TwObject *b);
TwObject *tw_number_and(TwObject *a, TwObject *b);
TwObject *tw_number_or(TwObject *a, TwObject *b);
TwObject *tw_number_xor(TwObject *a, TwObject *b);
TwObject *tw_number_matmul(TwObject *a, TwObject *b);
/* op is a TwBinOp (core/ast.h order); inplace selects the nb_inplace_* slot first. */
TwObject *tw_number_binop(int op, TwObject *a, TwObject *b, int inplace);
TwObject *tw_number_negative(TwObject *a);
TwObject *tw_number_positive(TwObject *a);
TwObject *tw_number_invert(TwObject *a);
TwObject *tw_number_absolute(TwObject *a);
/* operator.index(): an int, or TypeError "'X' object cannot be interpreted as an integer". */
TwObject *tw_number_index(TwObject *a);
/* An index for sequences: clamps to intptr_t; IndexError/OverflowError as CPython. */
intptr_t tw_number_as_ssize(TwObject *a, TwType *overflow_exc);

/* ---- containers and iteration --------------------------------------------------- */
intptr_t tw_object_len(TwObject *obj); /* -1 with TypeError "object of type 'X' has no len()" */
TwObject *tw_object_getitem(TwObject *obj, TwObject *key);
int tw_object_setitem(TwObject *obj, TwObject *key, TwObject *value);
int tw_object_delitem(TwObject *obj, TwObject *key);
int tw_sequence_contains(TwObject *container, TwObject *item); /* `in`: 1, 0, -1 */
TwObject *tw_object_iter(TwObject *obj); /* TypeError "'X' object is not iterable" */
/* The next item (new reference), or NULL: exhausted when tw_err_occurred() is NULL. */
TwObject *tw_iter_next(TwObject *iter);
/* list(iterable) / tuple(iterable). */
TwObject *tw_sequence_list(TwObject *iterable);
TwObject *tw_sequence_tuple(TwObject *iterable);

/* ---- misc ---------------------------------------------------------------------- */
int tw_object_isinstance(TwObject *obj, TwObject *cls_or_tuple); /* 1, 0, -1 */
int tw_object_issubclass(TwObject *cls, TwObject *cls_or_tuple);
/* format(value, spec) through __format__. */
TwObject *tw_object_format(TwObject *obj, TwObject *spec);
/* repr() with a recursion guard for containers: returns 1 if obj is already
 * being repr'd by this thread (print "[...]"), 0 after marking it, -1 error;
 * tw_repr_leave unmarks. */
int tw_repr_enter(TwObject *obj);
void tw_repr_leave(TwObject *obj);


/* ==== the type system (core/typeobject.c, core/descrobject.c) ================
 *
 * Type flags beyond those of object.h. */
#define TW_TPFLAGS_HEAPTYPE          (1u << 8) /* created at run time (class statement, type(...)); refcounted */
#define TW_TPFLAGS_METHOD_DESCRIPTOR (1u << 9) /* instances bind like functions: obj.f(...) may call
                                                  f(obj, ...) without building a bound method */
#define TW_TPFLAGS_TYPE_SUBCLASS     (1u << 10) /* instances are types (type and its subclasses) */

/* A type's identity for attribute caches: a process-unique nonzero number,
 * replaced (never reused) whenever the namespace of the type or of a class
 * in its MRO changes.  0 means "do not cache" (the type is not ready yet).
 * An inline cache stores (version, result) and may reuse the result while
 * tw_type_version(type) still returns the stored version; results that are
 * not immortal must still be re-fetched with a new reference
 * (tw_type_lookup_ref) unless the GIL serialises threads. */
uint64_t tw_type_version(TwType *type);
/* As tw_type_lookup but a new reference (or NULL, no exception): safe in the
 * free-threaded build even while another thread rebinds the attribute. */
TwObject *tw_type_lookup_ref(TwType *type, TwObject *name);
/* Ready every static type of the core (object, type, the scalars and
 * containers, descriptors, exceptions); called by tw_runtime_init.  Static
 * types defined elsewhere are readied on first use, or explicitly with
 * tw_type_ready.  0 or -1. */
int tw_types_init(void);
/* __name__, __qualname__ and __module__ of a type (new str references).  A
 * static type whose tp_name is "m.Name" has __module__ "m", else "builtins". */
TwObject *tw_type_get_name(TwType *type);
TwObject *tw_type_get_qualname(TwType *type);
TwObject *tw_type_get_module(TwType *type);
/* type(name, bases, ns): a new class (heap type) created by `metatype`
 * (&tw_type_type or a subclass).  bases may be the empty tuple. */
TwObject *tw_type_new_class(TwType *metatype, TwObject *name, TwObject *bases, TwObject *ns);
/* Allocate an instance of `type` (zeroed, with room for its instance
 * __dict__): the tp_new of every built-in type must allocate subclass
 * instances through this (or tw_object_new, which is the same thing). */
TwObject *tw_type_generic_alloc(TwType *type, size_t nitems);
/* The tp_new of types whose instances need no arguments to exist
 * (object.__new__). */
TwObject *tw_object_generic_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames);

/* Where the eval loop supplies the name of the module that runs the
 * current code (its globals' __name__), so type(name, bases, ns) can set
 * __module__ as CPython does.  NULL, or a hook returning NULL: "__main__". */
extern TwObject *(*tw_type_current_module_hook)(void);

/* ---- instances ----------------------------------------------------------- */

/* obj.__dict__ (a new reference), created on first use for instances of
 * classes; NULL with AttributeError "'X' object has no attribute
 * '__dict__'" for objects without one.  vars(obj) uses it. */
TwObject *tw_object_get_dict(TwObject *obj);
/* dir(obj) helper: a new list of the attribute names of obj (instance dict
 * and the classes of its MRO), unsorted, without duplicates. */
TwObject *tw_object_dir(TwObject *obj);

/* ---- descriptors and method objects (core/descrobject.c) ------------------ */

extern TwType tw_method_type;             /* "method": a function bound to an object */
extern TwType tw_method_descr_type;       /* "method_descriptor": a TwMethodDef in a type */
extern TwType tw_classmethod_descr_type;  /* "classmethod_descriptor": TW_METH_CLASS entries */
extern TwType tw_getset_descr_type;       /* "getset_descriptor": a TwGetSetDef in a type */
extern TwType tw_wrapper_descr_type;      /* "wrapper_descriptor": a C slot as __add__ etc. */
extern TwType tw_method_wrapper_type;     /* "method-wrapper": a slot wrapper bound to an object */
extern TwType tw_property_type;
extern TwType tw_staticmethod_type;
extern TwType tw_classmethod_type;
extern TwType tw_super_type;
extern TwType tw_mappingproxy_type;       /* the read-only view a class's __dict__ returns */

typedef struct TwMethodObject {
    TwObject ob_base;
    TwObject *im_func; /* immutable */
    TwObject *im_self; /* immutable */
} TwMethodObject;

/* A bound method: calling it calls func(self, *args).  Functions' tp_descr_get
 * returns one of these; repr "<bound method A.f of <__main__.A object at 0x...>>". */
TwObject *tw_method_new(TwObject *func, TwObject *self);
/* The tp_descr_get of function-like callables (Python functions): obj NULL
 * returns func itself, otherwise a bound method. */
TwObject *tw_function_descr_get(TwObject *func, TwObject *obj, TwObject *type);
/* super() with zero arguments: the compiler passes the class of the
 * enclosing class body (the __class__ cell) and the function's first
 * argument.  Errors as CPython's super(cls, self). */
TwObject *tw_super_new(TwType *cls, TwObject *self);
/* property(fget, fset, fdel, doc) from C (any argument may be NULL). */
TwObject *tw_property_new(TwObject *fget, TwObject *fset, TwObject *fdel, TwObject *doc);

/* ---- comparisons --------------------------------------------------------- */

/* a <op> b as a C int: 1, 0 or -1 with an exception. */
int tw_object_richcompare_bool(TwObject *a, TwObject *b, int op);

/* ---- argument parsing for TW_METH_FASTCALL functions --------------------- */

/* The parameters of a C function: `names` lists them in order (NULL
 * terminated); the first `posonly` may not be passed by keyword, the first
 * `required` must be given, and at most `maxpos` may be passed positionally
 * (the rest are keyword-only).  tw_arg_parse stores a borrowed reference
 * (or NULL when not given) for each parameter in out[], or raises
 * CPython's TypeError ("sort() takes no positional arguments", "'x' is an
 * invalid keyword argument for sort()", "get expected at most 2 arguments,
 * got 3"). */
typedef struct TwArgSpec {
    const char *fname;
    const char *const *names;
    int posonly, required, maxpos;
} TwArgSpec;
int tw_arg_parse(const TwArgSpec *spec, TwObject *const *args, size_t nargs, TwObject *kwnames,
                 TwObject **out);
/* TypeError "f() takes no keyword arguments" unless kwnames is NULL or empty. */
int tw_arg_no_kwargs(const char *fname, TwObject *kwnames);

/* ---- container types of the protocol (core/listmethods.c and siblings) ------ */

extern TwType tw_frozenset_type;
static inline int tw_frozenset_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_frozenset_type); }
/* set or frozenset (or a subclass of either). */
int tw_anyset_check(TwObject *op);
/* frozenset(iterable) (iterable NULL: empty). */
TwObject *tw_frozenset_new(TwObject *iterable);
extern TwType tw_list_iter_type, tw_list_reviter_type, tw_tuple_iter_type, tw_set_iter_type;
extern TwType tw_dict_keys_type, tw_dict_values_type, tw_dict_items_type;
extern TwType tw_dict_keyiter_type, tw_dict_valueiter_type, tw_dict_itemiter_type;
/* Iterators over the containers; changing a dict's or set's size while an
 * iterator walks it makes the next step raise RuntimeError ("dictionary
 * changed size during iteration" / "Set changed size during iteration"). */
TwObject *tw_list_iter_new(TwObject *list);
TwObject *tw_list_reviter_new(TwObject *list);
/* Extended slices of lists: list[slice] (a new list), list[slice] = iterable,
 * del list[slice] (value NULL). */
TwObject *tw_list_get_slice(TwObject *list, TwObject *slice);
int tw_list_set_slice(TwObject *list, TwObject *slice, TwObject *value);
/* list.sort(key=, reverse=): key may be NULL or None. */
int tw_list_sort_key(TwObject *list, TwObject *key, int reverse);
/* dict.update(other) for any mapping (keys() and __getitem__) or iterable of pairs. */
int tw_dict_merge_any(TwObject *dict, TwObject *other);

/* ---- str's iterator (core/strmethods.c, the text part) -------------------- */
TwObject *tw_str_iter_new(TwObject *str);
extern TwType tw_str_iter_type;

#endif
