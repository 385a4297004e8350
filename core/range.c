/* range and its iterator.
 *
 * A range holds start, step and its length as machine words; stop is kept
 * only for repr and the `stop` attribute.  Every value a range yields lies
 * between start and stop, so it fits in int64 even when intermediate sums
 * would not: item(i) is computed in uint64 (wrapping) arithmetic, whose
 * result modulo 2**64 is exact.  Bounds outside int64 are refused with
 * OverflowError (CPython allows arbitrary ints there; twinpy's ranges are
 * limited to 64-bit bounds).
 *
 * Ranges are immutable.  The iterator's position is one atomic counter
 * taken with fetch-add, so threads sharing an iterator each receive
 * distinct values and none is lost or repeated. */
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"

/* Number of values in range(start, stop, step), step != 0. */
static uint64_t range_length(int64_t start, int64_t stop, int64_t step)
{
    if (step > 0)
        return start < stop ? ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1 : 0;
    return start > stop ? ((uint64_t)start - (uint64_t)stop - 1) / (0 - (uint64_t)step) + 1 : 0;
}

/* The i-th value (0 <= i < length). */
static inline int64_t range_item(const TwRangeObject *r, uint64_t i)
{
    return (int64_t)((uint64_t)r->start + i * (uint64_t)r->step);
}

TwObject *tw_range_new(int64_t start, int64_t stop, int64_t step)
{
    if (step == 0) {
        tw_err_set_string(&tw_exc_ValueError, "range() arg 3 must not be zero");
        return NULL;
    }
    TwRangeObject *r = (TwRangeObject *)tw_object_new(&tw_range_type, 0);
    if (r == NULL)
        return NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->length = range_length(start, stop, step);
    return (TwObject *)r;
}

/* An argument of range(): any object with __index__, as an int64. */
static int range_arg(TwObject *v, int64_t *out)
{
    TwObject *i = tw_number_index(v);
    if (i == NULL)
        return -1;
    int overflow = 0;
    int64_t x = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow != 0) {
        tw_err_set_string(&tw_exc_OverflowError, "range() arguments must fit in 64 bits in twinpy");
        return -1;
    }
    *out = x;
    return 0;
}

static TwObject *range_tp_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_set_string(&tw_exc_TypeError, "range() takes no keyword arguments");
        return NULL;
    }
    if (nargs == 0) {
        tw_err_set_string(&tw_exc_TypeError, "range expected at least 1 argument, got 0");
        return NULL;
    }
    if (nargs > 3) {
        tw_err_format(&tw_exc_TypeError, "range expected at most 3 arguments, got %zu", nargs);
        return NULL;
    }
    int64_t start = 0, stop, step = 1;
    if (nargs == 1) {
        if (range_arg(args[0], &stop) < 0)
            return NULL;
    } else {
        if (range_arg(args[0], &start) < 0 || range_arg(args[1], &stop) < 0)
            return NULL;
        if (nargs == 3 && range_arg(args[2], &step) < 0)
            return NULL;
    }
    return tw_range_new(start, stop, step);
}

static void range_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static TwObject *range_repr(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    if (r->step == 1)
        return tw_str_from_format("range(%lld, %lld)", (long long)r->start, (long long)r->stop);
    return tw_str_from_format("range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop,
                              (long long)r->step);
}

static intptr_t range_len(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    if (r->length > (uint64_t)INTPTR_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return (intptr_t)r->length;
}

static int range_bool(TwObject *op)
{
    return ((TwRangeObject *)op)->length != 0;
}

static const TwNumberMethods range_as_number = {
    .nb_bool = range_bool,
};

/* r[i] for an integer index (negative counts from the end). */
static TwObject *range_index_item(TwRangeObject *r, TwObject *key)
{
    TwObject *i = tw_number_index(key);
    if (i == NULL)
        return NULL;
    int overflow = 0;
    int64_t x = tw_int_as_i64_overflow(i, &overflow);
    tw_decref(i);
    if (overflow != 0)
        goto out_of_range;
    uint64_t pos;
    if (x >= 0) {
        if ((uint64_t)x >= r->length)
            goto out_of_range;
        pos = (uint64_t)x;
    } else {
        uint64_t back = 0 - (uint64_t)x;
        if (back > r->length)
            goto out_of_range;
        pos = r->length - back;
    }
    return tw_int_from_i64(range_item(r, pos));
out_of_range:
    tw_err_set_string(&tw_exc_IndexError, "range object index out of range");
    return NULL;
}

/* r[a:b:c] is again a range: the slice's indexes mapped through r. */
static TwObject *range_slice(TwRangeObject *r, TwObject *slice)
{
    if (r->length > (uint64_t)INTPTR_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return NULL;
    }
    intptr_t istart, istop, istep, n;
    if (tw_slice_indices(slice, (intptr_t)r->length, &istart, &istop, &istep, &n) < 0)
        return NULL;
    int64_t a, b, step, start, stop;
    if (__builtin_mul_overflow((int64_t)istart, r->step, &a) ||
        __builtin_add_overflow(r->start, a, &start) ||
        __builtin_mul_overflow((int64_t)istop, r->step, &b) ||
        __builtin_add_overflow(r->start, b, &stop) ||
        __builtin_mul_overflow(r->step, (int64_t)istep, &step)) {
        tw_err_set_string(&tw_exc_OverflowError,
                          "range slice bounds must fit in 64 bits in twinpy");
        return NULL;
    }
    return tw_range_new(start, stop, step);
}

static TwObject *range_getitem(TwObject *op, TwObject *key)
{
    TwRangeObject *r = (TwRangeObject *)op;
    if (tw_slice_check(key))
        return range_slice(r, key);
    if (tw_int_check(key) || (TW_TYPE(key)->tp_as_number && TW_TYPE(key)->tp_as_number->nb_index))
        return range_index_item(r, key);
    tw_err_format(&tw_exc_TypeError, "range indices must be integers or slices, not %s",
                  TW_TYPE(key)->tp_name);
    return NULL;
}

/* For an int (or bool) x: 1 and *pos = its position if r holds it, 0 if
 * not.  Ints outside int64 are never in a range. */
static int int_position(TwRangeObject *r, TwObject *x, uint64_t *pos)
{
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(x, &overflow);
    if (overflow != 0)
        return 0;
    uint64_t dist, ustep;
    if (r->step > 0) {
        if (v < r->start || v >= r->stop)
            return 0;
        dist = (uint64_t)v - (uint64_t)r->start;
        ustep = (uint64_t)r->step;
    } else {
        if (v > r->start || v <= r->stop)
            return 0;
        dist = (uint64_t)r->start - (uint64_t)v;
        ustep = 0 - (uint64_t)r->step;
    }
    if (dist % ustep != 0)
        return 0;
    *pos = dist / ustep;
    return 1;
}

/* Exact ints and bools are answered arithmetically; anything else (a
 * float, an object with __eq__) is compared with each value in turn. */
static int is_plain_int(TwObject *x)
{
    return TW_TYPE(x) == &tw_int_type || TW_TYPE(x) == &tw_bool_type;
}

/* Scan r comparing each value with x: the first position (>= 0), -1 when
 * absent, -2 on error.  With count != NULL, count all matches instead. */
static int64_t scan(TwRangeObject *r, TwObject *x, int64_t *count)
{
    for (uint64_t i = 0; i < r->length; i++) {
        TwObject *v = tw_int_from_i64(range_item(r, i));
        if (v == NULL)
            return -2;
        int eq = tw_object_eq(v, x);
        tw_decref(v);
        if (eq < 0)
            return -2;
        if (eq) {
            if (count == NULL)
                return (int64_t)i;
            (*count)++;
        }
        if ((i & 0xfff) == 0xfff && tw_eval_breaker_check() < 0)
            return -2;
    }
    return -1;
}

static int range_contains(TwObject *op, TwObject *x)
{
    TwRangeObject *r = (TwRangeObject *)op;
    uint64_t pos;
    if (is_plain_int(x))
        return int_position(r, x, &pos);
    int64_t found = scan(r, x, NULL);
    return found == -2 ? -1 : found >= 0;
}

static TwObject *range_index(TwObject *self, TwObject *x)
{
    TwRangeObject *r = (TwRangeObject *)self;
    uint64_t pos;
    if (is_plain_int(x)) {
        if (int_position(r, x, &pos))
            return tw_int_from_i64((int64_t)pos);
        TwObject *rep = tw_object_repr(x);
        if (rep != NULL) {
            tw_err_format(&tw_exc_ValueError, "%s is not in range", tw_str_utf8(rep));
            tw_decref(rep);
        }
        return NULL;
    }
    int64_t found = scan(r, x, NULL);
    if (found == -2)
        return NULL;
    if (found == -1) {
        tw_err_set_string(&tw_exc_ValueError, "sequence.index(x): x not in sequence");
        return NULL;
    }
    return tw_int_from_i64(found);
}

static TwObject *range_count(TwObject *self, TwObject *x)
{
    TwRangeObject *r = (TwRangeObject *)self;
    uint64_t pos;
    if (is_plain_int(x))
        return tw_int_from_i64(int_position(r, x, &pos));
    int64_t count = 0;
    if (scan(r, x, &count) == -2)
        return NULL;
    return tw_int_from_i64(count);
}

/* Two ranges are equal when they yield the same values: same length, and
 * for a non-empty length the same start, and for more than one value the
 * same step. */
static int range_equal(TwRangeObject *a, TwRangeObject *b)
{
    if (a == b)
        return 1;
    if (a->length != b->length)
        return 0;
    if (a->length == 0)
        return 1;
    if (a->start != b->start)
        return 0;
    return a->length == 1 || a->step == b->step;
}

static TwObject *range_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_range_check(b) || (op != TW_EQ && op != TW_NE))
        return tw_newref(TW_NOTIMPLEMENTED);
    int eq = range_equal((TwRangeObject *)a, (TwRangeObject *)b);
    return tw_newref(tw_bool_from_long(op == TW_EQ ? eq : !eq));
}

/* The hash of (len, start, step), with None for fields that do not affect
 * equality, so equal ranges hash alike (and as in CPython). */
static tw_hash_t range_hash(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    TwObject *len = tw_int_from_u64(r->length);
    if (len == NULL)
        return -1;
    TwObject *start = r->length == 0 ? tw_newref(TW_NONE) : tw_int_from_i64(r->start);
    TwObject *step = r->length <= 1 ? tw_newref(TW_NONE) : tw_int_from_i64(r->step);
    TwObject *t = (start && step) ? tw_tuple_pack(3, len, start, step) : NULL;
    tw_decref(len);
    tw_xdecref(start);
    tw_xdecref(step);
    if (t == NULL)
        return -1;
    tw_hash_t h = tw_object_hash(t);
    tw_decref(t);
    return h;
}

static TwObject *range_iter(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    return tw_range_iter_new(r->start, r->step, r->length);
}

TwObject *tw_range_reversed(TwObject *self)
{
    TwRangeObject *r = (TwRangeObject *)self;
    if (r->length == 0)
        return tw_range_iter_new(r->start, r->step, 0);
    /* Negating step wraps for INT64_MIN, which the uint64 item arithmetic
     * of the iterator absorbs. */
    int64_t neg_step = (int64_t)(0 - (uint64_t)r->step);
    return tw_range_iter_new(range_item(r, r->length - 1), neg_step, r->length);
}

static TwObject *range_reversed_method(TwObject *self, TwObject *unused)
{
    return tw_range_reversed(self);
}

static TwObject *range_get_start(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwRangeObject *)op)->start);
}
static TwObject *range_get_stop(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwRangeObject *)op)->stop);
}
static TwObject *range_get_step(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwRangeObject *)op)->step);
}

static const TwGetSetDef range_getset[] = {
    {"start", range_get_start, NULL, NULL},
    {"stop", range_get_stop, NULL, NULL},
    {"step", range_get_step, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

static const TwMethodDef range_methods[] = {
    {"count", (void (*)(void))range_count, TW_METH_O, "rangeobject.count(value) -> integer"},
    {"index", (void (*)(void))range_index, TW_METH_O, "rangeobject.index(value) -> integer"},
    {"__reversed__", (void (*)(void))range_reversed_method, TW_METH_NOARGS,
     "Return a reverse iterator."},
    {NULL, NULL, 0, NULL},
};

TwType tw_range_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "range",
    .tp_basicsize = sizeof(TwRangeObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = range_dealloc,
    .tp_hash = range_hash,
    .tp_richcompare = range_richcompare,
    .tp_repr = range_repr,
    .tp_iter = range_iter,
    .tp_as_number = &range_as_number,
    .tp_len = range_len,
    .tp_getitem = range_getitem,
    .tp_contains = range_contains,
    .tp_new = range_tp_new,
    .tp_methods = range_methods,
    .tp_getset = range_getset,
};

/* ---- the iterator ------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    int64_t start;          /* immutable */
    uint64_t step;          /* immutable; the step as a wrapping unsigned value */
    uint64_t length;        /* immutable */
    _Atomic uint64_t index; /* the next position; atomic (relaxed fetch-add) */
} TwRangeIterObject;

TwObject *tw_range_iter_new(int64_t start, int64_t step, uint64_t length)
{
    TwRangeIterObject *it = (TwRangeIterObject *)tw_object_new(&tw_range_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->start = start;
    it->step = (uint64_t)step;
    it->length = length;
    atomic_init(&it->index, 0);
    return (TwObject *)it;
}

static void range_iter_dealloc(TwObject *op)
{
    tw_object_free(op);
}

static TwObject *range_iter_self(TwObject *op)
{
    return tw_newref(op);
}

/* Each call claims one position; once exhausted the counter is left alone
 * (the load), so it cannot creep toward wrapping. */
static TwObject *range_iter_next(TwObject *op)
{
    TwRangeIterObject *it = (TwRangeIterObject *)op;
    if (tw_atomic_load_relaxed(&it->index) >= it->length)
        return NULL;
    uint64_t i = tw_atomic_add_relaxed(&it->index, 1);
    if (i >= it->length)
        return NULL;
    return tw_int_from_i64((int64_t)((uint64_t)it->start + i * it->step));
}

/* it.__length_hint__(): the values not yet taken. */
static TwObject *range_iter_length_hint(TwObject *self, TwObject *unused)
{
    TwRangeIterObject *it = (TwRangeIterObject *)self;
    uint64_t i = tw_atomic_load_relaxed(&it->index);
    uint64_t left = i >= it->length ? 0 : it->length - i;
    return tw_int_from_i64(left > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)left);
}

static const TwMethodDef range_iter_methods[] = {
    {"__length_hint__", (void (*)(void))range_iter_length_hint, TW_METH_NOARGS,
     "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

TwType tw_range_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "range_iterator",
    .tp_basicsize = sizeof(TwRangeIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = range_iter_dealloc,
    .tp_iter = range_iter_self,
    .tp_iternext = range_iter_next,
    .tp_methods = range_iter_methods,
};
