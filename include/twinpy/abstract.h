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

#endif
