/* tuple's Python face: len, indexing and slices, `in`, iteration, + and *,
 * tuple(iterable) and the methods index and count.
 *
 * Tuples never change after creation (core/tuple.c), so nothing here
 * locks: items are read directly and borrowed references stay valid while
 * the tuple lives. */
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"
#include <twinpy/slice.h>

#define ITEMS(op) (((TwTupleObject *)(op))->items)

/* ---- iterator ------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *tuple; /* NULL once exhausted; used by one thread at a time */
    intptr_t index;
} TupleIterObject;

static TwObject *tuple_iter(TwObject *t)
{
    TupleIterObject *it = (TupleIterObject *)tw_object_new(&tw_tuple_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->tuple = tw_newref(t);
    it->index = 0;
    return (TwObject *)it;
}

static void tuple_iter_dealloc(TwObject *op)
{
    TW_CLEAR(((TupleIterObject *)op)->tuple);
    tw_object_free(op);
}

static TwObject *tuple_iter_next(TwObject *op)
{
    TupleIterObject *it = (TupleIterObject *)op;
    if (it->tuple == NULL)
        return NULL;
    if (it->index >= TW_SIZE(it->tuple)) {
        TW_CLEAR(it->tuple);
        return NULL;
    }
    return tw_newref(ITEMS(it->tuple)[it->index++]);
}

static TwObject *iter_self(TwObject *op) { return tw_newref(op); }

TwType tw_tuple_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "tuple_iterator",
    .tp_basicsize = sizeof(TupleIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = tuple_iter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = tuple_iter_next,
};

/* ---- protocol slots ----------------------------------------------------------------- */

static intptr_t tuple_len(TwObject *t) { return TW_SIZE(t); }

static int is_index(TwObject *key)
{
    return tw_int_check(key) ||
           (TW_TYPE(key)->tp_as_number != NULL && TW_TYPE(key)->tp_as_number->nb_index != NULL);
}

/* A new tuple of the n items at items[0], items[step], ... */
static TwObject *tuple_from_items(TwObject *const *items, intptr_t n, intptr_t step)
{
    TwObject *r = tw_tuple_new(n);
    if (r != NULL)
        for (intptr_t k = 0; k < n; k++)
            tw_tuple_init_item(r, k, tw_newref(items[k * step]));
    return r;
}

static TwObject *tuple_subscript(TwObject *t, TwObject *key)
{
    if (is_index(key)) {
        intptr_t i = tw_number_as_ssize(key, &tw_exc_IndexError);
        if (i == -1 && tw_err_occurred())
            return NULL;
        return tw_tuple_get_item(t, i);
    }
    if (tw_slice_check(key)) {
        intptr_t start, stop, step, n;
        if (tw_slice_indices(key, TW_SIZE(t), &start, &stop, &step, &n) < 0)
            return NULL;
        if (n == TW_SIZE(t) && step == 1 && TW_TYPE(t) == &tw_tuple_type)
            return tw_newref(t);
        if (n <= 0)
            return tw_tuple_new(0);
        return tuple_from_items(&ITEMS(t)[start], n, step);
    }
    tw_err_format(&tw_exc_TypeError, "tuple indices must be integers or slices, not %s",
                  TW_TYPE(key)->tp_name);
    return NULL;
}

static int tuple_contains(TwObject *t, TwObject *x)
{
    for (intptr_t i = 0; i < TW_SIZE(t); i++) {
        int eq = tw_object_richcompare_bool(ITEMS(t)[i], x, TW_EQ);
        if (eq != 0)
            return eq;
    }
    return 0;
}

static TwObject *tuple_concat(TwObject *a, TwObject *b)
{
    if (!tw_tuple_check(a) || !tw_tuple_check(b))
        return tw_newref(TW_NOTIMPLEMENTED);
    intptr_t na = TW_SIZE(a), nb = TW_SIZE(b);
    if (nb == 0 && TW_TYPE(a) == &tw_tuple_type)
        return tw_newref(a);
    if (na == 0 && TW_TYPE(b) == &tw_tuple_type)
        return tw_newref(b);
    TwObject *r = tw_tuple_new(na + nb);
    if (r == NULL)
        return NULL;
    for (intptr_t i = 0; i < na; i++)
        tw_tuple_init_item(r, i, tw_newref(ITEMS(a)[i]));
    for (intptr_t i = 0; i < nb; i++)
        tw_tuple_init_item(r, na + i, tw_newref(ITEMS(b)[i]));
    return r;
}

static TwObject *tuple_repeat(TwObject *a, TwObject *b)
{
    TwObject *t = tw_tuple_check(a) ? a : tw_tuple_check(b) ? b : NULL;
    if (t == NULL)
        return tw_newref(TW_NOTIMPLEMENTED);
    TwObject *n = t == a ? b : a;
    if (!is_index(n))
        return tw_newref(TW_NOTIMPLEMENTED);
    intptr_t k = tw_number_as_ssize(n, &tw_exc_OverflowError);
    if (k == -1 && tw_err_occurred())
        return NULL;
    intptr_t len = TW_SIZE(t);
    if (k <= 0 || len == 0)
        return tw_tuple_new(0);
    if (k == 1 && TW_TYPE(t) == &tw_tuple_type)
        return tw_newref(t);
    if (k > INTPTR_MAX / len / (intptr_t)sizeof(TwObject *))
        return tw_err_no_memory();
    TwObject *r = tw_tuple_new(len * k);
    if (r == NULL)
        return NULL;
    for (intptr_t j = 0; j < k; j++)
        for (intptr_t i = 0; i < len; i++)
            tw_tuple_init_item(r, j * len + i, tw_newref(ITEMS(t)[i]));
    return r;
}

static const TwNumberMethods tuple_as_number = {
    .nb_add = tuple_concat,
    .nb_multiply = tuple_repeat,
};

/* tuple(iterable); a subclass gets its own instance holding the items. */
static TwObject *tuple_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (type == &tw_tuple_type && tw_arg_no_kwargs("tuple", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "tuple expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    TwObject *base = nargs ? tw_sequence_tuple(args[0]) : tw_tuple_new(0);
    if (base == NULL || type == &tw_tuple_type)
        return base;
    intptr_t n = TW_SIZE(base);
    TwObject *r = tw_object_new(type, (size_t)n);
    if (r != NULL) {
        TW_SIZE(r) = n;
        for (intptr_t i = 0; i < n; i++)
            ITEMS(r)[i] = tw_newref(ITEMS(base)[i]);
    }
    tw_decref(base);
    return r;
}

/* ---- methods --------------------------------------------------------------------------- */

static int clamp_arg(TwObject *v, intptr_t size, intptr_t *out)
{
    intptr_t i = tw_number_as_ssize(v, NULL);
    if (i == -1 && tw_err_occurred())
        return -1;
    if (i < 0) {
        i += size;
        if (i < 0)
            i = 0;
    }
    *out = i;
    return 0;
}

static TwObject *m_index(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", "", NULL};
    static const TwArgSpec spec = {"index", names, 3, 1, 3};
    TwObject *a[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    intptr_t n = TW_SIZE(self), start = 0, stop = n;
    if (a[1] != NULL && clamp_arg(a[1], n, &start) < 0)
        return NULL;
    if (a[2] != NULL && clamp_arg(a[2], n, &stop) < 0)
        return NULL;
    if (stop > n)
        stop = n;
    for (intptr_t i = start; i < stop; i++) {
        int eq = tw_object_richcompare_bool(ITEMS(self)[i], a[0], TW_EQ);
        if (eq < 0)
            return NULL;
        if (eq)
            return tw_int_from_i64(i);
    }
    tw_err_set_string(&tw_exc_ValueError, "tuple.index(x): x not in tuple");
    return NULL;
}

static TwObject *m_count(TwObject *self, TwObject *x)
{
    intptr_t c = 0;
    for (intptr_t i = 0; i < TW_SIZE(self); i++) {
        int eq = tw_object_richcompare_bool(ITEMS(self)[i], x, TW_EQ);
        if (eq < 0)
            return NULL;
        c += eq;
    }
    return tw_int_from_i64(c);
}

static const TwMethodDef tuple_methods[] = {
    {"index", (void (*)(void))m_index, TW_METH_FASTCALL, NULL},
    {"count", (void (*)(void))m_count, TW_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

void tw_tuplemethods_init(void)
{
    TwType *t = &tw_tuple_type;
    t->tp_len = tuple_len;
    t->tp_getitem = tuple_subscript;
    t->tp_contains = tuple_contains;
    t->tp_iter = tuple_iter;
    t->tp_as_number = &tuple_as_number;
    t->tp_new = tuple_new;
    t->tp_methods = tuple_methods;
}
