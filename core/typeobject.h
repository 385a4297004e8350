/* Internal: what the files of the type system share (core/typeobject.c,
 * core/descrobject.c, core/abstract.c, core/exceptions.c and the container
 * method tables core/listmethods.c, dictmethods.c, setmethods.c,
 * tuplemethods.c).  Not part of the public API.
 *
 * Heap types.  A class made at run time is a TwHeapType: a TwType followed
 * by the storage its pointers lead to (its own number slots, its name).
 * It is refcounted like any object; each instance holds a reference to its
 * class (taken by tw_object_new, dropped by tw_object_free).  Its tp_mro
 * tuple starts with the type itself WITHOUT a reference (a class must not
 * keep itself alive); type_dealloc clears that slot before releasing the
 * tuple, and the tuple is never handed out (__mro__ returns a copy).
 *
 * Instance dictionaries.  tp_dictoffset locates the __dict__ pointer of an
 * instance: positive, inside the object (fixed-size layouts); negative, in
 * a pre-header that tw_object_new places before the object (-8: the pointer
 * sits just below the header; the pre-header is TW_PREHEADER_SIZE bytes so
 * the object stays 16-byte aligned).  Variable-size bases (tuple, str,
 * int) use the pre-header since their items follow the fixed part.  The
 * pointer is written once, from NULL, with a compare-and-swap (two threads
 * that set the first attribute at once agree on one dict) and never
 * changes after that: assigning obj.__dict__ replaces the dict's contents.
 * So a reader may use the dict borrowed while it holds the instance.
 *
 * Locks.  type_lock (a TwMutex in typeobject.c) serialises readying types,
 * creating classes, the subclass lists and every change to a heap type's
 * namespace and slots.  The attribute cache is lock-free (see
 * typeobject.c). */
#ifndef TWINPY_CORE_TYPEOBJECT_H
#define TWINPY_CORE_TYPEOBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/twinpy.h>
#include <twinpy/abstract.h>
#include <twinpy/module.h>

#define TW_PREHEADER_SIZE 16

typedef struct TwHeapType {
    TwType type;               /* first: a TwHeapType is a TwType */
    TwNumberMethods as_number; /* type.tp_as_number points here */
    TwObject *ht_name;         /* str: __name__ (tp_name is its UTF-8); written under type_lock
                                  with a release store, read with acquire loads; a replaced
                                  value is never freed (readers take no lock) */
    TwObject *ht_qualname;     /* str: __qualname__; same rules */
    TwType **subclasses;       /* direct heap subclasses, borrowed (removed when they die); type_lock */
    intptr_t nsubclasses, subclasses_cap;
} TwHeapType;

static inline int tw_type_is_heap(TwType *t) { return (t->tp_flags & TW_TPFLAGS_HEAPTYPE) != 0; }

/* The address of obj's __dict__ pointer, or NULL if its type gives none. */
static inline TwObject **tw_object_dict_ptr(TwObject *obj)
{
    intptr_t off = TW_TYPE(obj)->tp_dictoffset;
    return off == 0 ? NULL : (TwObject **)((char *)obj + off);
}
/* obj's __dict__, created if absent (borrowed: lives as long as obj), or
 * NULL (with an exception only when `create` failed); see above. */
TwObject *tw_object_instance_dict(TwObject *obj, int create);

/* ---- slot wrappers (typeobject.c) --------------------------------------
 * One TwSlotDef per special method name: which slot it fills, how to call
 * that slot from Python (wrapper) and the function a heap type installs
 * when a class defines the method (generic).  Several names may share a
 * slot (__add__ / __radd__ share nb_add). */
typedef TwObject *(*tw_wrapperfunc)(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames, void *wrapped, int arg);
typedef struct TwSlotDef {
    const char *name;
    size_t offset;  /* in TwType, or in TwNumberMethods when in_number */
    int in_number;
    void *generic;  /* the heap type's slot function */
    tw_wrapperfunc wrapper;
    int arg;        /* passed to wrapper: the comparison operator */
    int keywords;   /* the wrapper accepts keyword arguments (__call__, __init__) */
} TwSlotDef;

typedef struct TwDescrObject {
    TwObject ob_base;
    TwType *d_type; /* the class that defines it (static or kept alive by its dict) */
    TwObject *d_name; /* str */
} TwDescrObject;

typedef struct TwMethodDescrObject {
    TwDescrObject base;
    const TwMethodDef *d_method;
} TwMethodDescrObject;

typedef struct TwGetSetDescrObject {
    TwDescrObject base;
    const TwGetSetDef *d_getset;
} TwGetSetDescrObject;

typedef struct TwWrapperDescrObject {
    TwDescrObject base;
    const TwSlotDef *d_slot;
    void *d_wrapped; /* the C slot function it calls */
} TwWrapperDescrObject;

/* Descriptor constructors (descrobject.c); new references. */
TwObject *tw_method_descr_new(TwType *type, const TwMethodDef *def);
TwObject *tw_getset_descr_new(TwType *type, const TwGetSetDef *def);
TwObject *tw_wrapper_descr_new(TwType *type, const TwSlotDef *slot, void *wrapped);
TwObject *tw_staticmethod_new(TwObject *callable);
TwObject *tw_classmethod_new(TwObject *callable);
TwObject *tw_mappingproxy_new(TwObject *mapping);
/* Ready the descriptor types (descrobject.c). */
int tw_descr_types_init(void);

/* ---- typeobject.c internals ------------------------------------------ */
/* Interned names used on hot paths (immortal after tw_types_init). */
extern TwObject *tw_id___init__, *tw_id___new__, *tw_id___dict__, *tw_id___class__,
    *tw_id___module__, *tw_id___qualname__, *tw_id___name__, *tw_id___doc__, *tw_id___hash__,
    *tw_id___eq__, *tw_id___getattr__, *tw_id___len__, *tw_id___bool__, *tw_id___iter__,
    *tw_id___next__, *tw_id___missing__, *tw_id___set_name__, *tw_id___init_subclass__,
    *tw_id___format__, *tw_id___classcell__, *tw_id___index__, *tw_id___reversed__,
    *tw_id_keys, *tw_id___getitem__, *tw_id___contains__, *tw_id___class_getitem__;

/* Call the special method `name` of obj's type with obj first (no bound
 * method is built).  *found (may be NULL) is 0 when the type has no such
 * attribute; then NULL is returned without an exception. */
TwObject *tw_call_special(TwObject *obj, TwObject *name, TwObject *const *args, size_t nargs,
                          int *found);
/* Call callable(first, args...) (vectorcall with one more argument). */
TwObject *tw_call_prepend(TwObject *callable, TwObject *first, TwObject *const *args, size_t nargs,
                          TwObject *kwnames);

/* A tp_new that allocates a zeroed instance and leaves the arguments to
 * tp_init (descriptor types, super). */
TwObject *tw_object_generic_new_any(TwType *type, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames);

/* The answer of a built-in type's tp_richcompare for an operand it does
 * not know, following the convention of the core types (core/scalar.h):
 * NotImplemented when b's class is a Python class (which may implement the
 * reflected operation), else final: unequal, and TypeError for orderings. */
TwObject *tw_compare_unsupported(TwObject *a, TwObject *b, int op);

/* The default repr "<module.Qualname object at 0x...>". */
TwObject *tw_object_default_repr(TwObject *obj);

/* ---- exceptions.c ------------------------------------------------------ */
int tw_exception_types_init(void);

/* ---- container method tables (listmethods.c, ...) ---------------------- */
/* Install the protocol slots and method tables on the static container
 * types before they are readied. */
void tw_listmethods_init(void);
void tw_tuplemethods_init(void);
void tw_dictmethods_init(void);
void tw_setmethods_init(void);
/* Ready the types of abstract.c (NotImplemented, Ellipsis). */
void tw_abstract_types_init(void);

/* Read `(type, nargs)`-style arguments: TypeError "f() takes no keyword
 * arguments" when kwnames holds any. */
static inline size_t tw_nkw(TwObject *kwnames) { return kwnames ? (size_t)tw_tuple_size(kwnames) : 0; }

#endif
