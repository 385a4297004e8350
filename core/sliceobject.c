/* slice objects and the slice index arithmetic shared by the sequences
 * (include/twinpy/slice.h). */
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include <twinpy/slice.h>

TwObject *tw_slice_new(TwObject *start, TwObject *stop, TwObject *step)
{
    TwSliceObject *s = (TwSliceObject *)tw_object_new(&tw_slice_type, 0);
    if (s == NULL)
        return NULL;
    s->start = tw_newref(start ? start : TW_NONE);
    s->stop = tw_newref(stop ? stop : TW_NONE);
    s->step = tw_newref(step ? step : TW_NONE);
    return (TwObject *)s;
}

static void slice_dealloc(TwObject *op)
{
    TwSliceObject *s = (TwSliceObject *)op;
    TW_CLEAR(s->start);
    TW_CLEAR(s->stop);
    TW_CLEAR(s->step);
    tw_object_free(op);
}

/* An index value clamped to [INTPTR_MIN, INTPTR_MAX]: slicing with a huge
 * bound selects up to the end of the sequence rather than failing. */
static int clamped_index(TwObject *v, intptr_t *out)
{
    TwObject *i = tw_number_index(v);
    if (i == NULL) {
        if (tw_err_matches(&tw_exc_TypeError)) {
            tw_err_clear();
            tw_err_set_string(&tw_exc_TypeError,
                              "slice indices must be integers or None or have an __index__ method");
        }
        return -1;
    }
    int overflow = 0;
    int64_t x = tw_int_as_i64_overflow(i, &overflow);
    if (overflow != 0)
        x = overflow > 0 ? INT64_MAX : INT64_MIN;
    tw_decref(i);
    *out = (intptr_t)x;
    return 0;
}

int tw_slice_unpack(TwObject *slice, intptr_t *start, intptr_t *stop, intptr_t *step)
{
    TwSliceObject *s = (TwSliceObject *)slice;
    if (s->step == TW_NONE) {
        *step = 1;
    } else {
        if (clamped_index(s->step, step) < 0)
            return -1;
        if (*step == 0) {
            tw_err_set_string(&tw_exc_ValueError, "slice step cannot be zero");
            return -1;
        }
        /* -step must stay representable for the reverse-length arithmetic. */
        if (*step < -INTPTR_MAX)
            *step = -INTPTR_MAX;
    }
    if (s->start == TW_NONE)
        *start = *step < 0 ? INTPTR_MAX : 0;
    else if (clamped_index(s->start, start) < 0)
        return -1;
    if (s->stop == TW_NONE)
        *stop = *step < 0 ? INTPTR_MIN : INTPTR_MAX;
    else if (clamped_index(s->stop, stop) < 0)
        return -1;
    return 0;
}

/* Negative bounds count from the end; bounds beyond either end stop just
 * outside it (-1 or length for a negative step, 0 or length otherwise). */
intptr_t tw_slice_adjust(intptr_t length, intptr_t *start, intptr_t *stop, intptr_t step)
{
    if (*start < 0) {
        *start += length;
        if (*start < 0)
            *start = step < 0 ? -1 : 0;
    } else if (*start >= length) {
        *start = step < 0 ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0)
            *stop = step < 0 ? -1 : 0;
    } else if (*stop >= length) {
        *stop = step < 0 ? length - 1 : length;
    }
    if (step < 0) {
        if (*stop < *start)
            return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int tw_slice_indices(TwObject *slice, intptr_t length, intptr_t *start, intptr_t *stop,
                     intptr_t *step, intptr_t *slicelength)
{
    if (tw_slice_unpack(slice, start, stop, step) < 0)
        return -1;
    *slicelength = tw_slice_adjust(length, start, stop, *step);
    return 0;
}

/* ---- the slice type ----------------------------------------------------------- */

static TwObject *slice_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_set_string(&tw_exc_TypeError, "slice() takes no keyword arguments");
        return NULL;
    }
    if (nargs == 0) {
        tw_err_set_string(&tw_exc_TypeError, "slice expected at least 1 argument, got 0");
        return NULL;
    }
    if (nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "slice expected at most 3 arguments, got %zu", nargs);
        return NULL;
    }
    if (nargs == 1)
        return tw_slice_new(NULL, args[0], NULL);
    return tw_slice_new(args[0], args[1], nargs == 3 ? args[2] : NULL);
}

static TwObject *slice_repr(TwObject *op)
{
    TwSliceObject *s = (TwSliceObject *)op;
    TwObject *parts[3] = {NULL, NULL, NULL};
    TwObject *fields[3] = {s->start, s->stop, s->step};
    TwObject *res = NULL;
    for (int i = 0; i < 3; i++)
        if ((parts[i] = tw_object_repr(fields[i])) == NULL)
            goto done;
    res = tw_str_from_format("slice(%s, %s, %s)", tw_str_utf8(parts[0]), tw_str_utf8(parts[1]),
                             tw_str_utf8(parts[2]));
done:
    for (int i = 0; i < 3; i++)
        tw_xdecref(parts[i]);
    return res;
}

static TwObject *as_tuple(TwSliceObject *s)
{
    return tw_tuple_pack(3, s->start, s->stop, s->step);
}

/* Slices compare as the tuples (start, stop, step). */
static TwObject *slice_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_slice_check(b))
        return tw_newref(TW_NOTIMPLEMENTED);
    if (a == b && (op == TW_EQ || op == TW_NE))
        return tw_newref(tw_bool_from_long(op == TW_EQ));
    TwObject *ta = as_tuple((TwSliceObject *)a);
    TwObject *tb = ta ? as_tuple((TwSliceObject *)b) : NULL;
    TwObject *r = tb ? tw_object_richcompare(ta, tb, op) : NULL;
    tw_xdecref(ta);
    tw_xdecref(tb);
    return r;
}

/* CPython 3.12's slice hash: the xxHash-based tuple hash over the three
 * fields without the tuple's final length mix, so sets of slices iterate
 * in CPython's order. */
static tw_hash_t slice_hash(TwObject *op)
{
    const uint64_t p1 = UINT64_C(11400714785074694791), p2 = UINT64_C(14029467366897019727),
                   p5 = UINT64_C(2870177450012600261);
    TwSliceObject *s = (TwSliceObject *)op;
    TwObject *fields[3] = {s->start, s->stop, s->step};
    uint64_t acc = p5;
    for (int i = 0; i < 3; i++) {
        tw_hash_t lane = tw_object_hash(fields[i]);
        if (lane == -1)
            return -1;
        acc += (uint64_t)lane * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    if (acc == UINT64_MAX)
        return 1546275796;
    return (tw_hash_t)acc;
}

/* slice.indices(length) -> (start, stop, step) for a sequence of that length. */
static TwObject *slice_indices_method(TwObject *self, TwObject *arg)
{
    TwObject *n = tw_number_index(arg);
    if (n == NULL)
        return NULL;
    int64_t length = tw_int_as_i64(n);
    tw_decref(n);
    if (length == -1 && tw_err_occurred())
        return NULL;
    if (length < 0) {
        tw_err_set_string(&tw_exc_ValueError, "length should not be negative");
        return NULL;
    }
    intptr_t start, stop, step, slicelength;
    if (tw_slice_indices(self, (intptr_t)length, &start, &stop, &step, &slicelength) < 0)
        return NULL;
    TwObject *a = tw_int_from_i64(start), *b = tw_int_from_i64(stop), *c = tw_int_from_i64(step);
    TwObject *res = (a && b && c) ? tw_tuple_pack(3, a, b, c) : NULL;
    tw_xdecref(a);
    tw_xdecref(b);
    tw_xdecref(c);
    return res;
}

static TwObject *slice_get_start(TwObject *op, void *c)
{
    return tw_newref(((TwSliceObject *)op)->start);
}
static TwObject *slice_get_stop(TwObject *op, void *c)
{
    return tw_newref(((TwSliceObject *)op)->stop);
}
static TwObject *slice_get_step(TwObject *op, void *c)
{
    return tw_newref(((TwSliceObject *)op)->step);
}

static const TwGetSetDef slice_getset[] = {
    {"start", slice_get_start, NULL, NULL},
    {"stop", slice_get_stop, NULL, NULL},
    {"step", slice_get_step, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const TwMethodDef slice_methods[] = {
    {"indices", (void (*)(void))slice_indices_method, TW_METH_O,
     "S.indices(len) -> (start, stop, stride)"},
    {NULL, NULL, 0, NULL},
};

TwType tw_slice_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "slice",
    .tp_basicsize = sizeof(TwSliceObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = slice_dealloc,
    .tp_hash = slice_hash,
    .tp_richcompare = slice_richcompare,
    .tp_repr = slice_repr,
    .tp_new = slice_new,
    .tp_methods = slice_methods,
    .tp_getset = slice_getset,
};
