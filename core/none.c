/* None, True and False, and the truth value of objects.
 *
 * All three are static immortal objects: their headers come from
 * TW_OBJECT_HEAD_INIT, so reference counting never changes them and no
 * thread ever frees them.  True and False are ints whose type is bool
 * (bool subclasses int); int's arithmetic, hash and comparisons therefore
 * accept them unchanged. */
#include "core/scalar.h"
#include "core/tstate.h"

static TwObject *none_repr(TwObject *op)
{
    return tw_str_from_cstr("None");
}

/* A constant, so sets holding None iterate the same way in every run; it is
 * the value CPython 3.12 and later give hash(None). */
static tw_hash_t none_hash(TwObject *op)
{
    return (tw_hash_t)0xFCA86420;
}

/* None equals only itself and has no order. */
static TwObject *none_richcompare(TwObject *a, TwObject *b, int op)
{
    if (op == TW_EQ || op == TW_NE)
        return tw_bool_from_long((a == b) == (op == TW_EQ));
    return tw_scalar_compare_unsupported(a, b, op);
}

/* The immortal singletons are never freed; a call means a broken refcount. */
static void singleton_dealloc(TwObject *op)
{
    tw_fatal("deallocating the immortal %s singleton", TW_TYPE(op)->tp_name);
}

/* NoneType() returns None, as type(None)() does in Python. */
static TwObject *none_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs > 0 || (kwnames != NULL && tw_tuple_size(kwnames) > 0)) {
        tw_err_set_string(&tw_exc_TypeError, "NoneType takes no arguments");
        return NULL;
    }
    return TW_NONE;
}

static int none_bool(TwObject *op)
{
    return 0;
}

static const TwNumberMethods none_number_methods = {
    .nb_bool = none_bool,
};

TwType tw_none_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "NoneType",
    .tp_basicsize = sizeof(TwObject),
    .tp_itemsize = 0,
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = singleton_dealloc,
    .tp_hash = none_hash,
    .tp_richcompare = none_richcompare,
    .tp_repr = none_repr,
    .tp_str = NULL,
    .tp_as_number = &none_number_methods,
    .tp_new = none_new,
};

TwObject tw_none_object = TW_OBJECT_HEAD_INIT(&tw_none_type);

/* bool reuses int's slots: True == 1, hash(True) == hash(1), True < 2. */
static tw_hash_t bool_hash(TwObject *op)
{
    return tw_int_type.tp_hash(op);
}

static TwObject *bool_richcompare(TwObject *a, TwObject *b, int op)
{
    return tw_int_type.tp_richcompare(a, b, op);
}

static TwObject *bool_repr(TwObject *op)
{
    return tw_str_from_cstr(((TwIntObject *)op)->value ? "True" : "False");
}

/* bool(x): the truth value of x (False with no argument). */
static TwObject *bool_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_set_string(&tw_exc_TypeError, "bool() takes no keyword arguments");
        return NULL;
    }
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "bool expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (nargs == 0)
        return TW_FALSE;
    int t = tw_object_is_true(args[0]);
    return t < 0 ? NULL : tw_bool_from_long(t);
}

TwType tw_bool_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "bool",
    .tp_basicsize = sizeof(TwIntObject),
    .tp_itemsize = 0,
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES, /* not subclassable, as in Python */
    .tp_base = &tw_int_type,
    .tp_dealloc = singleton_dealloc,
    .tp_hash = bool_hash,
    .tp_richcompare = bool_richcompare,
    .tp_repr = bool_repr,
    .tp_str = NULL,
    .tp_as_number = &tw_bool_number_methods,
    .tp_new = bool_new,
};

TwIntObject tw_true_object = {.ob_base = TW_OBJECT_HEAD_INIT(&tw_bool_type), .value = 1};
TwIntObject tw_false_object = {.ob_base = TW_OBJECT_HEAD_INIT(&tw_bool_type), .value = 0};

/* Truth value: None is false; numbers are true when nonzero (NaN is true);
 * strings, bytes and containers when nonempty; other objects ask their
 * type's nb_bool, then tp_len (__bool__, __len__), and are true without
 * either.  The three singletons are recognised by address before any type
 * test.  A big int is never zero, and its `value` (TW_INT_BIG) is nonzero. */
int tw_object_is_true(TwObject *op)
{
    if (op == TW_TRUE)
        return 1;
    if (op == TW_FALSE || op == TW_NONE)
        return 0;
    if (tw_int_check(op))
        return ((TwIntObject *)op)->value != 0;
    if (tw_float_check(op))
        return ((TwFloatObject *)op)->value != 0.0;
    if (tw_str_check(op) || tw_bytes_check(op) || tw_tuple_check(op))
        return TW_SIZE(op) != 0;
    if (tw_list_check(op))
        return tw_list_size(op) != 0;
    if (tw_dict_check(op))
        return tw_dict_size(op) != 0;
    if (tw_set_check(op))
        return tw_set_size(op) != 0;
    TwType *tp = TW_TYPE(op);
    if (tp->tp_as_number != NULL && tp->tp_as_number->nb_bool != NULL)
        return tp->tp_as_number->nb_bool(op);
    if (tp->tp_len != NULL) {
        intptr_t n = tp->tp_len(op);
        return n < 0 ? -1 : n != 0;
    }
    return 1;
}
