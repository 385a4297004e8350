/* range and its iterator.
 *
 * A range holds start, step and its length as machine words; stop is kept
 * only for repr and the `stop` attribute.  Every value a range yields lies
 * between start and stop, so it fits in int64 even when intermediate sums
 * would not: item(i) is computed in uint64 (wrapping) arithmetic, whose
 * result modulo 2**64 is exact.
 *
 * A range with a bound outside int64 (range(10**20)) is "big": it keeps
 * start, stop, step and its length as int objects and computes with the
 * number protocol -- exact, and slower, as in CPython.
 *
 * Ranges are immutable.  The machine-word iterator's position is one
 * atomic counter taken with fetch-add, so threads sharing an iterator each
 * receive distinct values and none is lost or repeated; the big iterator
 * advances under its critical section. */
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"

static TwObject *longrange_iter_new(TwObject *start, TwObject *step, TwObject *length);

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

/* ---- big ranges: int objects and the number protocol ---------------------------- */

static inline int is_big(const TwRangeObject *r)
{
    return r->big_start != NULL;
}

/* start, stop, step and the length as int objects (new references). */
static TwObject *get_start(TwRangeObject *r)
{
    return is_big(r) ? tw_newref(r->big_start) : tw_int_from_i64(r->start);
}
static TwObject *get_stop(TwRangeObject *r)
{
    return is_big(r) ? tw_newref(r->big_stop) : tw_int_from_i64(r->stop);
}
static TwObject *get_step(TwRangeObject *r)
{
    return is_big(r) ? tw_newref(r->big_step) : tw_int_from_i64(r->step);
}
static TwObject *get_length(TwRangeObject *r)
{
    return is_big(r) ? tw_newref(r->big_length) : tw_int_from_u64(r->length);
}

/* a + b * c for ints (new reference). */
static TwObject *add_mul(TwObject *a, TwObject *b, TwObject *c)
{
    TwObject *p = tw_number_multiply(b, c);
    if (p == NULL)
        return NULL;
    TwObject *res = tw_number_add(a, p);
    tw_decref(p);
    return res;
}

/* The number of values of range(start, stop, step), step != 0:
 * (|stop - start| - 1) // |step| + 1 when stop lies ahead of start in the
 * step's direction, else 0. */
static TwObject *big_length_of(TwObject *start, TwObject *stop, TwObject *step)
{
    int up = tw_int_sign(step) > 0;
    TwObject *lo = up ? start : stop, *hi = up ? stop : start;
    if (tw_int_compare(lo, hi) >= 0)
        return tw_int_from_i64(0);
    TwObject *one = tw_int_from_i64(1);
    TwObject *diff = tw_number_subtract(hi, lo);
    TwObject *less = diff ? tw_number_subtract(diff, one) : NULL;
    TwObject *mag = up ? tw_newref(step) : tw_number_negative(step);
    TwObject *q = (less && mag) ? tw_number_floor_divide(less, mag) : NULL;
    TwObject *res = q ? tw_number_add(q, one) : NULL;
    tw_xdecref(diff);
    tw_xdecref(less);
    tw_xdecref(mag);
    tw_xdecref(q);
    return res;
}

static TwObject *step_zero(void)
{
    tw_err_set_string(&tw_exc_ValueError, "range() arg 3 must not be zero");
    return NULL;
}

/* range(start, stop, step) from int objects: the machine-word form when all
 * three fit, else a big range. */
static TwObject *range_from_ints(TwObject *start, TwObject *stop, TwObject *step)
{
    int o1 = 0, o2 = 0, o3 = 0;
    int64_t a = tw_int_as_i64_overflow(start, &o1), b = tw_int_as_i64_overflow(stop, &o2),
            c = tw_int_as_i64_overflow(step, &o3);
    if (o1 == 0 && o2 == 0 && o3 == 0)
        return tw_range_new(a, b, c);
    if (tw_int_sign(step) == 0)
        return step_zero();
    TwObject *len = big_length_of(start, stop, step);
    if (len == NULL)
        return NULL;
    TwRangeObject *r = (TwRangeObject *)tw_object_new(&tw_range_type, 0);
    if (r == NULL) {
        tw_decref(len);
        return NULL;
    }
    r->big_start = tw_newref(start);
    r->big_stop = tw_newref(stop);
    r->big_step = tw_newref(step);
    r->big_length = len;
    return (TwObject *)r;
}

/* r[i] for 0 <= i < len(r), i an int. */
static TwObject *big_item(TwRangeObject *r, TwObject *i)
{
    TwObject *start = get_start(r), *step = get_step(r);
    TwObject *res = (start && step) ? add_mul(start, i, step) : NULL;
    tw_xdecref(start);
    tw_xdecref(step);
    return res;
}

/* For an int x in a big range: 1 (and *pos, if not NULL, its position as
 * an int), 0 when absent, -1 on error. */
static int big_position(TwRangeObject *r, TwObject *x, TwObject **pos)
{
    int up = tw_int_sign(r->big_step) > 0;
    int inside = up ? tw_int_compare(r->big_start, x) <= 0 && tw_int_compare(x, r->big_stop) < 0
                    : tw_int_compare(r->big_stop, x) < 0 && tw_int_compare(x, r->big_start) <= 0;
    if (!inside)
        return 0;
    TwObject *diff = tw_number_subtract(x, r->big_start);
    TwObject *rem = diff ? tw_number_remainder(diff, r->big_step) : NULL;
    int found = rem == NULL ? -1 : tw_int_sign(rem) == 0;
    if (found == 1 && pos != NULL && (*pos = tw_number_floor_divide(diff, r->big_step)) == NULL)
        found = -1;
    tw_xdecref(diff);
    tw_xdecref(rem);
    return found;
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
    /* Each argument through __index__; start 0 and step 1 by default. */
    TwObject *v[3] = {NULL, NULL, NULL}, *res = NULL;
    size_t first = nargs == 1 ? 1 : 0;
    for (size_t i = 0; i < nargs; i++)
        if ((v[first + i] = tw_number_index(args[i])) == NULL)
            goto done;
    if (v[0] == NULL)
        v[0] = tw_int_from_i64(0);
    if (v[2] == NULL)
        v[2] = tw_int_from_i64(1);
    res = range_from_ints(v[0], v[1], v[2]);
done:
    for (int i = 0; i < 3; i++)
        tw_xdecref(v[i]);
    return res;
}

static void range_dealloc(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    TW_CLEAR(r->big_start);
    TW_CLEAR(r->big_stop);
    TW_CLEAR(r->big_step);
    TW_CLEAR(r->big_length);
    tw_object_free(op);
}

static TwObject *range_repr(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    if (is_big(r)) {
        TwObject *a = tw_object_repr(r->big_start), *b = tw_object_repr(r->big_stop);
        TwObject *c = tw_object_repr(r->big_step), *res = NULL;
        if (a && b && c)
            res = tw_int_compare(r->big_step, tw_int_from_i64(1)) == 0
                      ? tw_str_from_format("range(%s, %s)", tw_str_utf8(a), tw_str_utf8(b))
                      : tw_str_from_format("range(%s, %s, %s)", tw_str_utf8(a), tw_str_utf8(b),
                                           tw_str_utf8(c));
        tw_xdecref(a);
        tw_xdecref(b);
        tw_xdecref(c);
        return res;
    }
    if (r->step == 1)
        return tw_str_from_format("range(%lld, %lld)", (long long)r->start, (long long)r->stop);
    return tw_str_from_format("range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop,
                              (long long)r->step);
}

static intptr_t range_len(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    int overflow = 0;
    int64_t n = is_big(r) ? tw_int_as_i64_overflow(r->big_length, &overflow) : 0;
    if (overflow != 0 || (!is_big(r) && r->length > (uint64_t)INTPTR_MAX)) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return -1;
    }
    return is_big(r) ? (intptr_t)n : (intptr_t)r->length;
}

static int range_bool(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    return is_big(r) ? tw_int_sign(r->big_length) != 0 : r->length != 0;
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
    if (is_big(r)) {
        /* Negative indexes count from the end; then 0 <= i < len. */
        if (tw_int_sign(i) < 0) {
            TwObject *j = tw_number_add(i, r->big_length);
            tw_decref(i);
            if ((i = j) == NULL)
                return NULL;
        }
        TwObject *res = NULL;
        if (tw_int_sign(i) >= 0 && tw_int_compare(i, r->big_length) < 0)
            res = big_item(r, i);
        else
            tw_err_set_string(&tw_exc_IndexError, "range object index out of range");
        tw_decref(i);
        return res;
    }
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

/* A slice field through __index__, with the slice's own TypeError. */
static TwObject *slice_field(TwObject *v)
{
    TwObject *i = tw_number_index(v);
    if (i == NULL && tw_err_matches(&tw_exc_TypeError)) {
        tw_err_clear();
        tw_err_set_string(&tw_exc_TypeError,
                          "slice indices must be integers or None or have an __index__ method");
    }
    return i;
}

/* A bound of a slice over `length` values as an int: negative counts from
 * the end, then clamped to [lower, upper]. */
static TwObject *clamp_bound(TwObject *v, TwObject *length, TwObject *lower, TwObject *upper)
{
    TwObject *i = slice_field(v);
    if (i == NULL)
        return NULL;
    if (tw_int_sign(i) < 0) {
        TwObject *j = tw_number_add(i, length);
        tw_decref(i);
        if ((i = j) == NULL)
            return NULL;
        if (tw_int_compare(i, lower) < 0) {
            tw_decref(i);
            return tw_newref(lower);
        }
    } else if (tw_int_compare(i, upper) > 0) {
        tw_decref(i);
        return tw_newref(upper);
    }
    return i;
}

/* r[slice] when the indexes may not fit a machine word: slice.indices()
 * computed on int objects, then mapped through r. */
static TwObject *big_slice(TwRangeObject *r, TwObject *slice)
{
    TwSliceObject *sl = (TwSliceObject *)slice;
    TwObject *length = get_length(r), *istep = NULL, *lower = NULL, *upper = NULL;
    TwObject *istart = NULL, *istop = NULL, *ostart = NULL, *ostep = NULL;
    TwObject *nstart = NULL, *nstop = NULL, *nstep = NULL, *res = NULL;
    if (length == NULL)
        goto done;
    istep = sl->step == TW_NONE ? tw_int_from_i64(1) : slice_field(sl->step);
    if (istep == NULL)
        goto done;
    if (tw_int_sign(istep) == 0) {
        tw_err_set_string(&tw_exc_ValueError, "slice step cannot be zero");
        goto done;
    }
    int back = tw_int_sign(istep) < 0;
    lower = tw_int_from_i64(back ? -1 : 0);
    upper = back ? tw_number_subtract(length, tw_int_from_i64(1)) : tw_newref(length);
    if (lower == NULL || upper == NULL)
        goto done;
    istart = sl->start == TW_NONE ? tw_newref(back ? upper : lower)
                                  : clamp_bound(sl->start, length, lower, upper);
    istop = istart == NULL        ? NULL
            : sl->stop == TW_NONE ? tw_newref(back ? lower : upper)
                                  : clamp_bound(sl->stop, length, lower, upper);
    ostart = get_start(r);
    ostep = get_step(r);
    if (istop && ostart && ostep && (nstart = add_mul(ostart, istart, ostep)) != NULL &&
        (nstop = add_mul(ostart, istop, ostep)) != NULL &&
        (nstep = tw_number_multiply(ostep, istep)) != NULL)
        res = range_from_ints(nstart, nstop, nstep);
done:;
    TwObject *all[] = {length, istep, lower,  upper, istart, istop,
                       ostart, ostep, nstart, nstop, nstep};
    for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
        tw_xdecref(all[k]);
    return res;
}

/* r[a:b:c] is again a range: the slice's indexes mapped through r
 * (start + i * step for the slice's start and stop; step * c). */
static TwObject *range_slice(TwRangeObject *r, TwObject *slice)
{
    /* A step beyond int64 would be clamped by tw_slice_indices; the
     * resulting range must keep it exactly. */
    TwObject *sstep = ((TwSliceObject *)slice)->step;
    int wide = 0;
    if (sstep != TW_NONE && tw_int_check(sstep))
        tw_int_as_i64_overflow(sstep, &wide);
    if (is_big(r) || r->length > (uint64_t)INTPTR_MAX || wide != 0)
        return big_slice(r, slice);
    intptr_t istart, istop, istep, n;
    if (tw_slice_indices(slice, (intptr_t)r->length, &istart, &istop, &istep, &n) < 0)
        return NULL;
    int64_t a, b, step, start, stop;
    if (!__builtin_mul_overflow((int64_t)istart, r->step, &a) &&
        !__builtin_add_overflow(r->start, a, &start) &&
        !__builtin_mul_overflow((int64_t)istop, r->step, &b) &&
        !__builtin_add_overflow(r->start, b, &stop) &&
        !__builtin_mul_overflow(r->step, (int64_t)istep, &step))
        return tw_range_new(start, stop, step);
    /* A bound of the result leaves int64. */
    return big_slice(r, slice);
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
    if (is_big(r)) {
        TwObject *it = tw_object_iter((TwObject *)r), *v;
        if (it == NULL)
            return -2;
        int64_t found = -1;
        for (int64_t i = 0; (v = tw_iter_next(it)) != NULL; i++) {
            int eq = tw_object_eq(v, x);
            tw_decref(v);
            if (eq < 0 || ((i & 0xfff) == 0xfff && tw_eval_breaker_check() < 0)) {
                found = -2;
                break;
            }
            if (eq && count == NULL) {
                found = i;
                break;
            }
            if (eq)
                (*count)++;
        }
        if (found == -1 && tw_err_occurred())
            found = -2;
        tw_decref(it);
        return found;
    }
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
        return is_big(r) ? big_position(r, x, NULL) : int_position(r, x, &pos);
    int64_t found = scan(r, x, NULL);
    return found == -2 ? -1 : found >= 0;
}

static TwObject *range_index(TwObject *self, TwObject *x)
{
    TwRangeObject *r = (TwRangeObject *)self;
    uint64_t pos;
    if (is_plain_int(x)) {
        if (is_big(r)) {
            TwObject *p = NULL;
            int found = big_position(r, x, &p);
            if (found != 0)
                return found > 0 ? p : NULL;
        } else if (int_position(r, x, &pos)) {
            return tw_int_from_i64((int64_t)pos);
        }
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
    if (is_plain_int(x)) {
        int found = is_big(r) ? big_position(r, x, NULL) : int_position(r, x, &pos);
        return found < 0 ? NULL : tw_int_from_i64(found);
    }
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
    if (is_big(a) || is_big(b)) {
        TwObject *f[6] = {get_length(a), get_length(b), get_start(a),
                          get_start(b),  get_step(a),   get_step(b)};
        int eq = -1;
        if (f[0] && f[1] && f[2] && f[3] && f[4] && f[5]) {
            if (tw_int_compare(f[0], f[1]) != 0)
                eq = 0;
            else if (tw_int_sign(f[0]) == 0)
                eq = 1;
            else if (tw_int_compare(f[2], f[3]) != 0)
                eq = 0;
            else
                eq = tw_int_compare(f[0], tw_int_from_i64(1)) == 0 ||
                     tw_int_compare(f[4], f[5]) == 0;
        }
        for (int i = 0; i < 6; i++)
            tw_xdecref(f[i]);
        return eq;
    }
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
    if (eq < 0)
        return NULL;
    return tw_newref(tw_bool_from_long(op == TW_EQ ? eq : !eq));
}

/* The hash of (len, start, step), with None for fields that do not affect
 * equality, so equal ranges hash alike (and as in CPython). */
static tw_hash_t range_hash(TwObject *op)
{
    TwRangeObject *r = (TwRangeObject *)op;
    TwObject *len = get_length(r);
    if (len == NULL)
        return -1;
    int n = tw_int_sign(len) == 0 ? 0 : tw_int_compare(len, tw_int_from_i64(1)) == 0 ? 1 : 2;
    TwObject *start = n == 0 ? tw_newref(TW_NONE) : get_start(r);
    TwObject *step = n <= 1 ? tw_newref(TW_NONE) : get_step(r);
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
    if (is_big(r))
        return longrange_iter_new(r->big_start, r->big_step, r->big_length);
    return tw_range_iter_new(r->start, r->step, r->length);
}

TwObject *tw_range_reversed(TwObject *self)
{
    TwRangeObject *r = (TwRangeObject *)self;
    if (is_big(r)) {
        /* From start + (len - 1) * step, stepping by -step. */
        TwObject *one = tw_int_from_i64(1);
        TwObject *last_i = tw_number_subtract(r->big_length, one);
        TwObject *last = last_i ? big_item(r, last_i) : NULL;
        TwObject *neg = last ? tw_number_negative(r->big_step) : NULL;
        TwObject *it = neg ? longrange_iter_new(last, neg, r->big_length) : NULL;
        tw_xdecref(last_i);
        tw_xdecref(last);
        tw_xdecref(neg);
        return it;
    }
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
    return get_start((TwRangeObject *)op);
}
static TwObject *range_get_stop(TwObject *op, void *c)
{
    return get_stop((TwRangeObject *)op);
}
static TwObject *range_get_step(TwObject *op, void *c)
{
    return get_step((TwRangeObject *)op);
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

/* ---- the iterator of big ranges ----------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *next; /* the value to hand out next; the critical section */
    TwObject *step; /* immutable */
    TwObject *left; /* values not yet handed out (an int); the critical section */
} TwLongRangeIterObject;

static TwObject *longrange_iter_new(TwObject *start, TwObject *step, TwObject *length)
{
    TwLongRangeIterObject *it = (TwLongRangeIterObject *)tw_object_new(&tw_longrange_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->next = tw_newref(start);
    it->step = tw_newref(step);
    it->left = tw_newref(length);
    return (TwObject *)it;
}

static void longrange_iter_dealloc(TwObject *op)
{
    TwLongRangeIterObject *it = (TwLongRangeIterObject *)op;
    TW_CLEAR(it->next);
    TW_CLEAR(it->step);
    TW_CLEAR(it->left);
    tw_object_free(op);
}

/* Hand out `next` and advance it, as one step under the section. */
static TwObject *longrange_iter_next(TwObject *op)
{
    TwLongRangeIterObject *it = (TwLongRangeIterObject *)op;
    TwObject *res = NULL;
    TW_BEGIN_CRITICAL_SECTION(op);
    if (tw_int_sign(it->left) > 0) {
        TwObject *after = tw_number_add(it->next, it->step);
        TwObject *left = after ? tw_number_subtract(it->left, tw_int_from_i64(1)) : NULL;
        if (left != NULL) {
            res = it->next;
            it->next = after;
            tw_decref(it->left);
            it->left = left;
        } else {
            tw_xdecref(after);
        }
    }
    TW_END_CRITICAL_SECTION();
    return res;
}

TwType tw_longrange_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "longrange_iterator",
    .tp_basicsize = sizeof(TwLongRangeIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = longrange_iter_dealloc,
    .tp_iter = range_iter_self,
    .tp_iternext = longrange_iter_next,
};
