/* The object protocol (include/twinpy/abstract.h): calls, the number
 * operators with NotImplemented and reflected operands, containers and
 * iteration, isinstance/issubclass, format(), the repr recursion guard,
 * argument parsing for C functions, and the NotImplemented and Ellipsis
 * singletons.  Every operation dispatches through type slots; the error
 * messages are CPython's.
 *
 * Nothing here holds shared mutable state except the repr guard, which is
 * thread-local. */
#include <string.h>

#include "core/ast.h"
#include "core/builtins.h"
#include "core/tstate.h"
#include "core/typeobject.h"

/* ---- NotImplemented and Ellipsis ------------------------------------------ */

static TwObject *notimplemented_repr(TwObject *op) { return tw_str_from_cstr("NotImplemented"); }
static TwObject *ellipsis_repr(TwObject *op) { return tw_str_from_cstr("Ellipsis"); }

static void singleton_dealloc(TwObject *op)
{
    tw_fatal("deallocating the immortal %s singleton", TW_TYPE(op)->tp_name);
}

/* type(NotImplemented)() and type(...)() return the singletons. */
static TwObject *singleton_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs != 0 || tw_nkw(kwnames) != 0) {
        tw_err_format(&tw_exc_TypeError, "%s takes no arguments", type->tp_name);
        return NULL;
    }
    return tw_newref(type == &tw_ellipsis_type ? TW_ELLIPSIS : TW_NOTIMPLEMENTED);
}

TwType tw_notimplemented_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "NotImplementedType",
    .tp_basicsize = sizeof(TwObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = singleton_dealloc,
    .tp_repr = notimplemented_repr,
    .tp_new = singleton_new,
};
TwObject tw_notimplemented_object = TW_OBJECT_HEAD_INIT(&tw_notimplemented_type);

TwType tw_ellipsis_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "ellipsis",
    .tp_basicsize = sizeof(TwObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = singleton_dealloc,
    .tp_repr = ellipsis_repr,
    .tp_new = singleton_new,
};
TwObject tw_ellipsis_object = TW_OBJECT_HEAD_INIT(&tw_ellipsis_type);

/* ---- calls ------------------------------------------------------------------ */

TwObject *tw_object_vectorcall(TwObject *callable, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    tw_vectorcallfunc f = TW_TYPE(callable)->tp_call;
    if (tw_unlikely(f == NULL)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not callable", TW_TYPE(callable)->tp_name);
        return NULL;
    }
    TwObject *r = f(callable, args, nargs, kwnames);
    tw_assert(r != NULL || tw_err_occurred());
    return r;
}

/* callable(*args_tuple, **kwargs_dict): flatten into one vector, keyword
 * values after the positional ones, names in a tuple. */
TwObject *tw_object_call(TwObject *callable, TwObject *args_tuple, TwObject *kwargs_dict)
{
    intptr_t nargs = args_tuple ? tw_tuple_size(args_tuple) : 0;
    intptr_t nkw = kwargs_dict ? tw_dict_size(kwargs_dict) : 0;
    if (nkw == 0)
        return tw_object_vectorcall(callable,
                                    nargs ? &((TwTupleObject *)args_tuple)->items[0] : NULL,
                                    (size_t)nargs, NULL);
    TwObject *kwnames = tw_tuple_new(nkw);
    TwObject **vec = tw_mem_malloc((size_t)(nargs + nkw) * sizeof(TwObject *));
    TwObject *r = NULL;
    intptr_t filled = 0;
    if (kwnames == NULL || vec == NULL) {
        tw_err_no_memory();
        goto out;
    }
    for (intptr_t i = 0; i < nargs; i++)
        vec[i] = tw_tuple_get_item_borrowed(args_tuple, i);
    intptr_t pos = 0;
    TwObject *k, *v;
    int rc;
    while ((rc = tw_dict_next_ref(kwargs_dict, &pos, &k, &v)) > 0) {
        if (filled == nkw) {
            tw_decref(k);
            tw_decref(v);
            tw_err_set_string(&tw_exc_RuntimeError, "dictionary changed size during iteration");
            goto out;
        }
        if (!tw_str_check(k)) {
            tw_err_set_string(&tw_exc_TypeError, "keywords must be strings");
            tw_decref(k);
            tw_decref(v);
            goto out;
        }
        tw_tuple_init_item(kwnames, filled, k);
        vec[nargs + filled] = v; /* our reference, dropped below */
        filled++;
    }
    if (rc < 0)
        goto out;
    if (filled != nkw) {
        tw_err_set_string(&tw_exc_RuntimeError, "dictionary changed size during iteration");
        goto out;
    }
    r = tw_object_vectorcall(callable, vec, (size_t)nargs, kwnames);
out:
    if (vec != NULL)
        for (intptr_t i = 0; i < filled; i++)
            tw_decref(vec[nargs + i]);
    tw_mem_free(vec);
    if (kwnames != NULL) {
        /* Unfilled slots of a failed build: make it a valid tuple to free. */
        for (intptr_t i = filled; i < nkw; i++)
            tw_tuple_init_item(kwnames, i, tw_newref(TW_NONE));
        tw_decref(kwnames);
    }
    return r;
}

TwObject *tw_object_call_noargs(TwObject *callable) { return tw_object_vectorcall(callable, NULL, 0, NULL); }

TwObject *tw_object_call_one(TwObject *callable, TwObject *arg)
{
    return tw_object_vectorcall(callable, &arg, 1, NULL);
}

TwObject *tw_object_call_method(TwObject *obj, const char *name, TwObject *const *args, size_t nargs)
{
    TwObject *n = tw_str_intern_cstr(name);
    if (n == NULL)
        return NULL;
    int unbound;
    TwObject *m = tw_object_get_method(obj, n, &unbound);
    if (m == NULL)
        return NULL;
    TwObject *r = unbound ? tw_call_prepend(m, obj, args, nargs, NULL)
                          : tw_object_vectorcall(m, args, nargs, NULL);
    tw_decref(m);
    return r;
}

int tw_callable_check(TwObject *obj) { return TW_TYPE(obj)->tp_call != NULL; }

/* ---- numbers ---------------------------------------------------------------------- */

#define NB_OFF(field) offsetof(TwNumberMethods, field)

static inline tw_binaryfunc nb_binary(TwType *t, size_t off)
{
    return t->tp_as_number ? *(tw_binaryfunc *)((char *)t->tp_as_number + off) : NULL;
}

/* Try a's slot and b's slot (b's first if b's class is a subclass of
 * a's); NotImplemented (a new reference) when neither handles the pair. */
static TwObject *binary_op1(TwObject *a, TwObject *b, size_t off)
{
    TwType *ta = TW_TYPE(a), *tb = TW_TYPE(b);
    tw_binaryfunc slota = nb_binary(ta, off), slotb = NULL;
    if (tb != ta) {
        slotb = nb_binary(tb, off);
        if (slotb == slota)
            slotb = NULL;
    }
    TwObject *r;
    if (slota != NULL) {
        if (slotb != NULL && tw_type_is_subtype(tb, ta)) {
            r = slotb(a, b);
            if (r != TW_NOTIMPLEMENTED)
                return r;
            tw_decref(r);
            slotb = NULL;
        }
        r = slota(a, b);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (slotb != NULL) {
        r = slotb(a, b);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    return tw_newref(TW_NOTIMPLEMENTED);
}

static TwObject *binop_type_error(TwObject *a, TwObject *b, const char *opname)
{
    tw_err_format(&tw_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", opname,
                  TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
    return NULL;
}

static int is_builtin_sequence(TwObject *o)
{
    return tw_list_check(o) || tw_tuple_check(o) || tw_str_check(o) || tw_bytes_check(o);
}

/* The messages of the sequence concatenation and repetition that CPython
 * reports when no number slot takes the pair. */
static TwObject *sequence_op_error(TwObject *a, TwObject *b, int multiply, const char *opname)
{
    if (multiply) {
        TwObject *seq = is_builtin_sequence(a) ? a : b;
        TwObject *other = seq == a ? b : a;
        if (is_builtin_sequence(seq)) {
            tw_err_format(&tw_exc_TypeError, "can't multiply sequence by non-int of type '%s'",
                          TW_TYPE(other)->tp_name);
            return NULL;
        }
        return binop_type_error(a, b, opname);
    }
    if (tw_bytes_check(a)) {
        tw_err_format(&tw_exc_TypeError, "can't concat %s to %s", TW_TYPE(b)->tp_name,
                      TW_TYPE(a)->tp_name);
        return NULL;
    }
    if (tw_list_check(a) || tw_tuple_check(a) || tw_str_check(a)) {
        const char *what = tw_list_check(a) ? "list" : tw_tuple_check(a) ? "tuple" : "str";
        tw_err_format(&tw_exc_TypeError, "can only concatenate %s (not \"%s\") to %s", what,
                      TW_TYPE(b)->tp_name, what);
        return NULL;
    }
    return binop_type_error(a, b, opname);
}

static TwObject *binary_op(TwObject *a, TwObject *b, size_t off, const char *opname)
{
    TwObject *r = binary_op1(a, b, off);
    if (r != TW_NOTIMPLEMENTED)
        return r;
    tw_decref(r);
    if (off == NB_OFF(nb_add))
        return sequence_op_error(a, b, 0, opname);
    if (off == NB_OFF(nb_multiply))
        return sequence_op_error(a, b, 1, opname);
    return binop_type_error(a, b, opname);
}

TwObject *tw_number_add(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_add), "+"); }
TwObject *tw_number_subtract(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_subtract), "-"); }
TwObject *tw_number_multiply(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_multiply), "*"); }
TwObject *tw_number_true_divide(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_true_divide), "/"); }
TwObject *tw_number_floor_divide(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_floor_divide), "//"); }
TwObject *tw_number_remainder(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_remainder), "%"); }
TwObject *tw_number_divmod(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_divmod), "divmod()"); }
TwObject *tw_number_lshift(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_lshift), "<<"); }
TwObject *tw_number_rshift(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_rshift), ">>"); }
TwObject *tw_number_and(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_and), "&"); }
TwObject *tw_number_or(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_or), "|"); }
TwObject *tw_number_xor(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_xor), "^"); }
TwObject *tw_number_matmul(TwObject *a, TwObject *b) { return binary_op(a, b, NB_OFF(nb_matmul), "@"); }

static inline tw_ternaryfunc nb_ternary(TwType *t, size_t off)
{
    return t->tp_as_number ? *(tw_ternaryfunc *)((char *)t->tp_as_number + off) : NULL;
}

/* pow(a, b, mod): like binary_op1 with the modulus passed along, then the
 * modulus's own slot as a last resort. */
static TwObject *ternary_op1(TwObject *a, TwObject *b, TwObject *c)
{
    TwType *ta = TW_TYPE(a), *tb = TW_TYPE(b);
    size_t off = NB_OFF(nb_power);
    tw_ternaryfunc slota = nb_ternary(ta, off), slotb = NULL;
    if (tb != ta) {
        slotb = nb_ternary(tb, off);
        if (slotb == slota)
            slotb = NULL;
    }
    TwObject *r;
    if (slota != NULL) {
        if (slotb != NULL && tw_type_is_subtype(tb, ta)) {
            r = slotb(a, b, c);
            if (r != TW_NOTIMPLEMENTED)
                return r;
            tw_decref(r);
            slotb = NULL;
        }
        r = slota(a, b, c);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (slotb != NULL) {
        r = slotb(a, b, c);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (c != TW_NONE) {
        tw_ternaryfunc slotc = nb_ternary(TW_TYPE(c), off);
        if (slotc != NULL && slotc != slota && slotc != slotb) {
            r = slotc(a, b, c);
            if (r != TW_NOTIMPLEMENTED)
                return r;
            tw_decref(r);
        }
    }
    return tw_newref(TW_NOTIMPLEMENTED);
}

static TwObject *power_error(TwObject *a, TwObject *b, TwObject *c, const char *opname)
{
    if (c == TW_NONE)
        tw_err_format(&tw_exc_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", opname,
                      TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
    else
        tw_err_format(&tw_exc_TypeError, "unsupported operand type(s) for %s: '%s', '%s', '%s'", opname,
                      TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name, TW_TYPE(c)->tp_name);
    return NULL;
}

TwObject *tw_number_power(TwObject *a, TwObject *b, TwObject *mod_or_none)
{
    if (mod_or_none == NULL)
        mod_or_none = TW_NONE;
    TwObject *r = ternary_op1(a, b, mod_or_none);
    if (r != TW_NOTIMPLEMENTED)
        return r;
    tw_decref(r);
    return power_error(a, b, mod_or_none, "** or pow()");
}

/* The binary slot of each TwBinOp, its operator text and its in-place slot. */
static const struct {
    size_t off, ioff;
    const char *name, *iname;
} binops[] = {
    [TW_OP_ADD] = {NB_OFF(nb_add), NB_OFF(nb_inplace_add), "+", "+="},
    [TW_OP_SUB] = {NB_OFF(nb_subtract), NB_OFF(nb_inplace_subtract), "-", "-="},
    [TW_OP_MUL] = {NB_OFF(nb_multiply), NB_OFF(nb_inplace_multiply), "*", "*="},
    [TW_OP_MATMUL] = {NB_OFF(nb_matmul), NB_OFF(nb_inplace_matmul), "@", "@="},
    [TW_OP_DIV] = {NB_OFF(nb_true_divide), NB_OFF(nb_inplace_true_divide), "/", "/="},
    [TW_OP_MOD] = {NB_OFF(nb_remainder), NB_OFF(nb_inplace_remainder), "%", "%="},
    [TW_OP_POW] = {NB_OFF(nb_power), NB_OFF(nb_inplace_power), "** or pow()", "**="},
    [TW_OP_LSHIFT] = {NB_OFF(nb_lshift), NB_OFF(nb_inplace_lshift), "<<", "<<="},
    [TW_OP_RSHIFT] = {NB_OFF(nb_rshift), NB_OFF(nb_inplace_rshift), ">>", ">>="},
    [TW_OP_BITOR] = {NB_OFF(nb_or), NB_OFF(nb_inplace_or), "|", "|="},
    [TW_OP_BITXOR] = {NB_OFF(nb_xor), NB_OFF(nb_inplace_xor), "^", "^="},
    [TW_OP_BITAND] = {NB_OFF(nb_and), NB_OFF(nb_inplace_and), "&", "&="},
    [TW_OP_FLOORDIV] = {NB_OFF(nb_floor_divide), NB_OFF(nb_inplace_floor_divide), "//", "//="},
};

TwObject *tw_number_binop(int op, TwObject *a, TwObject *b, int inplace)
{
    if (op < 0 || (size_t)op >= sizeof(binops) / sizeof(binops[0])) {
        tw_err_format(&tw_exc_SystemError, "bad binary operator %d", op);
        return NULL;
    }
    if (op == TW_OP_POW) {
        if (inplace) {
            tw_ternaryfunc islot = nb_ternary(TW_TYPE(a), binops[op].ioff);
            if (islot != NULL) {
                TwObject *r = islot(a, b, TW_NONE);
                if (r != TW_NOTIMPLEMENTED)
                    return r;
                tw_decref(r);
            }
            TwObject *r = ternary_op1(a, b, TW_NONE);
            if (r != TW_NOTIMPLEMENTED)
                return r;
            tw_decref(r);
            return power_error(a, b, TW_NONE, "**=");
        }
        return tw_number_power(a, b, TW_NONE);
    }
    if (!inplace)
        return binary_op(a, b, binops[op].off, binops[op].name);
    tw_binaryfunc islot = nb_binary(TW_TYPE(a), binops[op].ioff);
    if (islot != NULL) {
        TwObject *r = islot(a, b);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    TwObject *r = binary_op1(a, b, binops[op].off);
    if (r != TW_NOTIMPLEMENTED)
        return r;
    tw_decref(r);
    if (op == TW_OP_ADD)
        return sequence_op_error(a, b, 0, "+=");
    if (op == TW_OP_MUL)
        return sequence_op_error(a, b, 1, "*=");
    return binop_type_error(a, b, binops[op].iname);
}

static TwObject *unary_op(TwObject *a, size_t off, const char *what)
{
    TwType *t = TW_TYPE(a);
    tw_reprfunc f = t->tp_as_number ? *(tw_reprfunc *)((char *)t->tp_as_number + off) : NULL;
    if (f != NULL)
        return f(a);
    tw_err_format(&tw_exc_TypeError, "bad operand type for %s: '%s'", what, t->tp_name);
    return NULL;
}

TwObject *tw_number_negative(TwObject *a) { return unary_op(a, NB_OFF(nb_negative), "unary -"); }
TwObject *tw_number_positive(TwObject *a) { return unary_op(a, NB_OFF(nb_positive), "unary +"); }
TwObject *tw_number_invert(TwObject *a) { return unary_op(a, NB_OFF(nb_invert), "unary ~"); }
TwObject *tw_number_absolute(TwObject *a) { return unary_op(a, NB_OFF(nb_absolute), "abs()"); }

TwObject *tw_number_index(TwObject *a)
{
    if (tw_int_check(a))
        return tw_newref(a);
    TwType *t = TW_TYPE(a);
    if (t->tp_as_number != NULL && t->tp_as_number->nb_index != NULL) {
        TwObject *r = t->tp_as_number->nb_index(a);
        if (r != NULL && !tw_int_check(r)) {
            tw_err_format(&tw_exc_TypeError, "__index__ returned non-int (type %s)", TW_TYPE(r)->tp_name);
            TW_CLEAR(r);
        }
        return r;
    }
    tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer", t->tp_name);
    return NULL;
}

intptr_t tw_number_as_ssize(TwObject *a, TwType *overflow_exc)
{
    TwObject *idx = tw_number_index(a);
    if (idx == NULL)
        return -1;
    int64_t v = tw_int_as_i64(idx);
    if (v == -1 && tw_err_occurred()) {
        if (!tw_err_matches(&tw_exc_OverflowError)) {
            tw_decref(idx);
            return -1;
        }
        tw_err_clear();
        if (overflow_exc != NULL) {
            tw_err_format(overflow_exc, "cannot fit '%s' into an index-sized integer", TW_TYPE(a)->tp_name);
            tw_decref(idx);
            return -1;
        }
        TwObject *zero = tw_int_from_i64(0);
        int neg = tw_object_richcompare_bool(idx, zero, TW_LT);
        tw_decref(zero);
        tw_decref(idx);
        if (neg < 0)
            return -1;
        return neg ? INTPTR_MIN : INTPTR_MAX;
    }
    tw_decref(idx);
    return (intptr_t)v;
}

/* ---- comparisons ------------------------------------------------------------------------- */

int tw_object_richcompare_bool(TwObject *a, TwObject *b, int op)
{
    if (a == b) {
        if (op == TW_EQ)
            return 1;
        if (op == TW_NE)
            return 0;
    }
    TwObject *r = tw_object_richcompare(a, b, op);
    if (r == NULL)
        return -1;
    int t = r == TW_TRUE ? 1 : r == TW_FALSE ? 0 : tw_object_is_true(r);
    tw_decref(r);
    return t;
}

TwObject *tw_compare_unsupported(TwObject *a, TwObject *b, int op)
{
    static const char *const names[] = {"<", "<=", "==", "!=", ">", ">="};
    if (TW_TYPE(b)->tp_flags & TW_TPFLAGS_HEAPTYPE)
        return tw_newref(TW_NOTIMPLEMENTED);
    if (op == TW_EQ || op == TW_NE)
        return tw_newref(tw_bool_from_long(op == TW_NE));
    tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                  names[op], TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
    return NULL;
}

/* ---- containers ----------------------------------------------------------------------------- */

intptr_t tw_object_len(TwObject *obj)
{
    tw_lenfunc f = TW_TYPE(obj)->tp_len;
    if (f != NULL)
        return f(obj);
    tw_err_format(&tw_exc_TypeError, "object of type '%s' has no len()", TW_TYPE(obj)->tp_name);
    return -1;
}

TwObject *tw_object_getitem(TwObject *obj, TwObject *key)
{
    tw_binaryfunc f = TW_TYPE(obj)->tp_getitem;
    if (f != NULL)
        return f(obj, key);
    if (TW_TYPE(obj)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) {
        /* cls[key]: __class_getitem__ (generic aliases are not modelled). */
        TwObject *meth = tw_object_getattr(obj, tw_id___class_getitem__);
        if (meth != NULL) {
            TwObject *r = tw_object_call_one(meth, key);
            tw_decref(meth);
            return r;
        }
        if (!tw_err_matches(&tw_exc_AttributeError))
            return NULL;
        tw_err_clear();
        TwObject *n = tw_type_get_name((TwType *)obj);
        if (n != NULL) {
            tw_err_format(&tw_exc_TypeError, "type '%s' is not subscriptable", tw_str_utf8(n));
            tw_decref(n);
        }
        return NULL;
    }
    tw_err_format(&tw_exc_TypeError, "'%s' object is not subscriptable", TW_TYPE(obj)->tp_name);
    return NULL;
}

int tw_object_setitem(TwObject *obj, TwObject *key, TwObject *value)
{
    tw_setitemfunc f = TW_TYPE(obj)->tp_setitem;
    if (f != NULL)
        return f(obj, key, value);
    tw_err_format(&tw_exc_TypeError, "'%s' object does not support item assignment",
                  TW_TYPE(obj)->tp_name);
    return -1;
}

int tw_object_delitem(TwObject *obj, TwObject *key)
{
    tw_setitemfunc f = TW_TYPE(obj)->tp_setitem;
    if (f != NULL)
        return f(obj, key, NULL);
    tw_err_format(&tw_exc_TypeError, "'%s' object doesn't support item deletion", TW_TYPE(obj)->tp_name);
    return -1;
}

/* `in` without __contains__: compare with each item (identity first). */
static int iter_contains(TwObject *container, TwObject *item)
{
    TwObject *it = tw_object_iter(container);
    if (it == NULL) {
        if (tw_err_matches(&tw_exc_TypeError)) {
            tw_err_clear();
            tw_err_format(&tw_exc_TypeError, "argument of type '%s' is not iterable",
                          TW_TYPE(container)->tp_name);
        }
        return -1;
    }
    int found = 0;
    TwObject *x;
    while ((x = tw_iter_next(it)) != NULL) {
        int eq = tw_object_richcompare_bool(x, item, TW_EQ);
        tw_decref(x);
        if (eq != 0) {
            found = eq;
            break;
        }
    }
    tw_decref(it);
    if (found == 0 && tw_err_occurred())
        return -1;
    return found;
}

int tw_sequence_contains(TwObject *container, TwObject *item)
{
    tw_containsfunc f = TW_TYPE(container)->tp_contains;
    if (f != NULL)
        return f(container, item);
    return iter_contains(container, item);
}

TwObject *tw_object_iter(TwObject *obj)
{
    TwType *t = TW_TYPE(obj);
    if (t->tp_iter != NULL) {
        TwObject *it = t->tp_iter(obj);
        if (it != NULL && TW_TYPE(it)->tp_iternext == NULL) {
            tw_err_format(&tw_exc_TypeError, "iter() returned non-iterator of type '%s'",
                          TW_TYPE(it)->tp_name);
            TW_CLEAR(it);
        }
        return it;
    }
    if (t->tp_getitem != NULL && !tw_dict_check(obj))
        return tw_seqiter_new(obj);
    tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", t->tp_name);
    return NULL;
}

TwObject *tw_iter_next(TwObject *iter)
{
    tw_reprfunc f = TW_TYPE(iter)->tp_iternext;
    if (f == NULL) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not an iterator", TW_TYPE(iter)->tp_name);
        return NULL;
    }
    return f(iter);
}

TwObject *tw_sequence_list(TwObject *iterable)
{
    TwObject *list = tw_list_new(0);
    if (list == NULL)
        return NULL;
    TwType *t = TW_TYPE(iterable);
    if (t == &tw_list_type || t == &tw_tuple_type || t == &tw_set_type || t == &tw_dict_type) {
        if (tw_list_extend(list, iterable) < 0)
            TW_CLEAR(list);
        return list;
    }
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL) {
        tw_decref(list);
        return NULL;
    }
    TwObject *x;
    while ((x = tw_iter_next(it)) != NULL) {
        int rc = tw_list_append(list, x);
        tw_decref(x);
        if (rc < 0)
            break;
    }
    tw_decref(it);
    if (tw_err_occurred())
        TW_CLEAR(list);
    return list;
}

TwObject *tw_sequence_tuple(TwObject *iterable)
{
    if (TW_TYPE(iterable) == &tw_tuple_type)
        return tw_newref(iterable);
    TwObject *list = tw_sequence_list(iterable);
    if (list == NULL)
        return NULL;
    TwObject *t = tw_list_as_tuple(list);
    tw_decref(list);
    return t;
}

/* ---- isinstance / issubclass ------------------------------------------------------------------ */

static int is_type(TwObject *o) { return (TW_TYPE(o)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) != 0; }

static int isinstance_depth(TwObject *obj, TwObject *cls, int depth)
{
    if (is_type(cls))
        return tw_type_is_subtype(TW_TYPE(obj), (TwType *)cls);
    if (tw_tuple_check(cls)) {
        if (depth > 100) {
            tw_err_set_string(&tw_exc_RecursionError, "maximum recursion depth exceeded in __instancecheck__");
            return -1;
        }
        for (intptr_t i = 0; i < tw_tuple_size(cls); i++) {
            int r = isinstance_depth(obj, tw_tuple_get_item_borrowed(cls, i), depth + 1);
            if (r != 0)
                return r;
        }
        return 0;
    }
    tw_err_set_string(&tw_exc_TypeError,
                      "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return -1;
}

int tw_object_isinstance(TwObject *obj, TwObject *cls_or_tuple)
{
    return isinstance_depth(obj, cls_or_tuple, 0);
}

static int issubclass_depth(TwObject *cls, TwObject *target, int depth)
{
    if (is_type(target))
        return tw_type_is_subtype((TwType *)cls, (TwType *)target);
    if (tw_tuple_check(target)) {
        if (depth > 100) {
            tw_err_set_string(&tw_exc_RecursionError, "maximum recursion depth exceeded in __subclasscheck__");
            return -1;
        }
        for (intptr_t i = 0; i < tw_tuple_size(target); i++) {
            int r = issubclass_depth(cls, tw_tuple_get_item_borrowed(target, i), depth + 1);
            if (r != 0)
                return r;
        }
        return 0;
    }
    tw_err_set_string(&tw_exc_TypeError,
                      "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    return -1;
}

int tw_object_issubclass(TwObject *cls, TwObject *cls_or_tuple)
{
    if (!is_type(cls)) {
        tw_err_set_string(&tw_exc_TypeError, "issubclass() arg 1 must be a class");
        return -1;
    }
    return issubclass_depth(cls, cls_or_tuple, 0);
}

/* ---- format ------------------------------------------------------------------------------------ */

TwObject *tw_object_format(TwObject *obj, TwObject *spec)
{
    TwObject *empty = NULL;
    if (spec == NULL) {
        empty = tw_str_from_cstr("");
        if (empty == NULL)
            return NULL;
        spec = empty;
    }
    if (tw_str_length(spec) == 0 && TW_TYPE(obj) == &tw_str_type) {
        tw_xdecref(empty);
        return tw_newref(obj);
    }
    int found;
    TwObject *r = tw_call_special(obj, tw_id___format__, &spec, 1, &found);
    tw_xdecref(empty);
    if (!found) {
        tw_err_format(&tw_exc_TypeError, "Type %s doesn't define __format__", TW_TYPE(obj)->tp_name);
        return NULL;
    }
    if (r != NULL && !tw_str_check(r)) {
        tw_err_format(&tw_exc_TypeError, "__format__ must return a str, not %s", TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

/* ---- the repr guard ------------------------------------------------------------------------------
 * The objects whose repr this thread is computing (thread-local). */

static _Thread_local TwObject **repr_stack;
static _Thread_local intptr_t repr_len, repr_cap;

int tw_repr_enter(TwObject *obj)
{
    for (intptr_t i = 0; i < repr_len; i++)
        if (repr_stack[i] == obj)
            return 1;
    if (repr_len == repr_cap) {
        intptr_t cap = repr_cap ? repr_cap * 2 : 16;
        TwObject **s = tw_mem_realloc(repr_stack, (size_t)cap * sizeof(TwObject *));
        if (s == NULL) {
            tw_err_no_memory();
            return -1;
        }
        repr_stack = s;
        repr_cap = cap;
    }
    repr_stack[repr_len++] = obj;
    return 0;
}

void tw_repr_leave(TwObject *obj)
{
    for (intptr_t i = repr_len - 1; i >= 0; i--) {
        if (repr_stack[i] == obj) {
            memmove(&repr_stack[i], &repr_stack[i + 1], (size_t)(repr_len - i - 1) * sizeof(TwObject *));
            repr_len--;
            return;
        }
    }
}

/* ---- argument parsing -------------------------------------------------------------------------------- */

int tw_arg_no_kwargs(const char *fname, TwObject *kwnames)
{
    if (tw_nkw(kwnames) == 0)
        return 0;
    tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", fname);
    return -1;
}

int tw_arg_parse(const TwArgSpec *spec, TwObject *const *args, size_t nargs, TwObject *kwnames,
                 TwObject **out)
{
    int n = 0;
    while (spec->names[n] != NULL)
        n++;
    for (int i = 0; i < n; i++)
        out[i] = NULL;
    int posonly_style = spec->posonly >= n; /* CPython's "f expected ..." wording */
    size_t nkw = tw_nkw(kwnames);
    if (nargs > (size_t)spec->maxpos) {
        if (spec->maxpos == 0)
            tw_err_format(&tw_exc_TypeError, "%s() takes no positional arguments", spec->fname);
        else if (posonly_style && spec->required == spec->maxpos)
            tw_err_format(&tw_exc_TypeError, "%s expected %d argument%s, got %zu", spec->fname,
                          spec->maxpos, spec->maxpos == 1 ? "" : "s", nargs);
        else if (posonly_style)
            tw_err_format(&tw_exc_TypeError, "%s expected at most %d argument%s, got %zu", spec->fname,
                          spec->maxpos, spec->maxpos == 1 ? "" : "s", nargs);
        else
            tw_err_format(&tw_exc_TypeError, "%s() takes at most %d positional argument%s (%zu given)",
                          spec->fname, spec->maxpos, spec->maxpos == 1 ? "" : "s", nargs);
        return -1;
    }
    for (size_t i = 0; i < nargs; i++)
        out[i] = args[i];
    if (nkw > 0 && posonly_style) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", spec->fname);
        return -1;
    }
    for (size_t k = 0; k < nkw; k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        int j;
        for (j = spec->posonly; j < n; j++)
            if (tw_str_equal_cstr(key, spec->names[j]))
                break;
        if (j >= n) {
            tw_err_format(&tw_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                          tw_str_utf8(key), spec->fname);
            return -1;
        }
        if (out[j] != NULL) {
            tw_err_format(&tw_exc_TypeError, "argument for %s() given by name ('%s') and position (%d)",
                          spec->fname, spec->names[j], j + 1);
            return -1;
        }
        out[j] = args[nargs + k];
    }
    for (int i = 0; i < spec->required; i++) {
        if (out[i] != NULL)
            continue;
        if (posonly_style)
            tw_err_format(&tw_exc_TypeError, "%s expected %s%d argument%s, got %zu", spec->fname,
                          spec->required == spec->maxpos ? "" : "at least ", spec->required,
                          spec->required == 1 ? "" : "s", nargs);
        else
            tw_err_format(&tw_exc_TypeError, "%s() missing required argument '%s' (pos %d)",
                          spec->fname, spec->names[i], i + 1);
        return -1;
    }
    return 0;
}

/* ---- start-up ----------------------------------------------------------------------------------- */

void tw_abstract_types_init(void)
{
    (void)tw_type_ready(&tw_notimplemented_type);
    (void)tw_type_ready(&tw_ellipsis_type);
}
