/* list's Python face: the protocol slots (len, indexing and extended
 * slices, `in`, iteration, + and *), list(iterable), and the methods, on
 * top of the C API of core/list.c.
 *
 * Locking follows core/list.c: every field of a list is written inside the
 * list's critical section, with the atomic stores core/list.h asks for;
 * references a step removes are dropped after the section (after a grace
 * period once the list is shared), and no Python code runs inside one
 * (slice indexes are converted before the section is entered).  Iterators
 * read items the way tw_list_item_ref does, mostly without the lock. */
#include <string.h>

#include "core/list.h"
#include "core/tstate.h"
#include "core/typeobject.h"
#include <twinpy/slice.h>

#define LIST(op) ((TwListObject *)(op))

/* ---- iterators ------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *list;  /* NULL once exhausted; used by one thread at a time */
    intptr_t index;
} ListIterObject;

static TwObject *list_iter_make(TwType *type, TwObject *list, intptr_t start)
{
    ListIterObject *it = (ListIterObject *)tw_object_new(type, 0);
    if (it == NULL)
        return NULL;
    it->list = tw_newref(list);
    it->index = start;
    return (TwObject *)it;
}

TwObject *tw_list_iter_new(TwObject *list) { return list_iter_make(&tw_list_iter_type, list, 0); }

TwObject *tw_list_reviter_new(TwObject *list)
{
    return list_iter_make(&tw_list_reviter_type, list, tw_list_size(list) - 1);
}

static void list_iter_dealloc(TwObject *op)
{
    TW_CLEAR(((ListIterObject *)op)->list);
    tw_object_free(op);
}

/* The item at it->index, or NULL at the end (a list that shrank past the
 * index ends the iteration). */
static TwObject *list_iter_next(TwObject *op)
{
    ListIterObject *it = (ListIterObject *)op;
    TwObject *l = it->list;
    if (l == NULL)
        return NULL;
    TwObject *item = it->index >= 0 ? tw_list_item_ref(l, it->index) : NULL;
    if (item == NULL) {
        TW_CLEAR(it->list);
        return NULL;
    }
    it->index++;
    return item;
}

static TwObject *list_reviter_next(TwObject *op)
{
    ListIterObject *it = (ListIterObject *)op;
    TwObject *l = it->list;
    if (l == NULL)
        return NULL;
    TwObject *item = it->index >= 0 ? tw_list_item_ref(l, it->index) : NULL;
    if (item == NULL) {
        TW_CLEAR(it->list);
        return NULL;
    }
    it->index--;
    return item;
}

static TwObject *iter_self(TwObject *op) { return tw_newref(op); }

/* __length_hint__ is not modelled; len(iterator) is a TypeError as in CPython. */
TwType tw_list_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "list_iterator",
    .tp_basicsize = sizeof(ListIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = list_iter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = list_iter_next,
};

TwType tw_list_reviter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "list_reverseiterator",
    .tp_basicsize = sizeof(ListIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = list_iter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = list_reviter_next,
};

/* ---- storage helpers --------------------------------------------------------------- */

/* The items of any iterable as a tuple (a snapshot taken in one step for
 * lists); TypeError `msg` (when given) for non-iterables. */
static TwObject *snapshot_of(TwObject *iterable, const char *msg)
{
    if (tw_tuple_check(iterable))
        return tw_newref(iterable);
    if (tw_list_check(iterable))
        return tw_list_as_tuple(iterable);
    TwObject *t = tw_sequence_tuple(iterable);
    if (t == NULL && msg != NULL && tw_err_matches(&tw_exc_TypeError)) {
        tw_err_clear();
        tw_err_set_string(&tw_exc_TypeError, msg);
    }
    return t;
}

/* list.extend / += for any iterable. */
static int extend_any(TwObject *l, TwObject *iterable)
{
    TwType *t = TW_TYPE(iterable);
    if (t == &tw_list_type || t == &tw_tuple_type || t == &tw_set_type || t == &tw_dict_type ||
        tw_list_check(iterable) || tw_tuple_check(iterable))
        return tw_list_extend(l, iterable);
    TwObject *tmp = tw_sequence_tuple(iterable);
    if (tmp == NULL)
        return -1;
    int rc = tw_list_extend(l, tmp);
    tw_decref(tmp);
    return rc;
}

/* ---- slices ---------------------------------------------------------------------- */

TwObject *tw_list_get_slice(TwObject *list, TwObject *slice)
{
    intptr_t start, stop, step;
    if (tw_slice_unpack(slice, &start, &stop, &step) < 0)
        return NULL;
    TwListObject *l = LIST(list);
    TwListObject *r = (TwListObject *)tw_list_new(0);
    if (r == NULL)
        return NULL;
    int failed = 0;
    TW_BEGIN_CRITICAL_SECTION(l);
    intptr_t n = tw_slice_adjust(l->size, &start, &stop, step);
    if (n > 0) {
        r->items = tw_list_array_new(n);
        if (r->items == NULL) {
            failed = 1;
        } else {
            for (intptr_t k = 0, i = start; k < n; k++, i += step)
                r->items[k] = tw_newref(l->items[i]);
            r->size = n;
        }
    }
    TW_END_CRITICAL_SECTION();
    if (failed) {
        tw_decref((TwObject *)r);
        return tw_err_no_memory();
    }
    return (TwObject *)r;
}

/* list[slice] = iterable, or del list[slice] (value NULL).  A step of 1
 * may change the length; an extended slice must keep it.  The new
 * contents are built in a fresh array and installed in one step; the
 * references it drops are released after the section. */
int tw_list_set_slice(TwObject *list, TwObject *slice, TwObject *value)
{
    intptr_t start, stop, step;
    if (tw_slice_unpack(slice, &start, &stop, &step) < 0)
        return -1;
    TwObject *seq = NULL;
    intptr_t nv = 0;
    if (value != NULL) {
        seq = snapshot_of(value, "can only assign an iterable");
        if (seq == NULL)
            return -1;
        nv = tw_tuple_size(seq);
    }
    TwListObject *l = LIST(list);
    TwObject **dropped = NULL, **fresh = NULL;
    intptr_t ndropped = 0;
    int rc = 0;
    intptr_t slicelen = 0;
    int shared;
    TW_BEGIN_CRITICAL_SECTION(l);
    TW_ASSERT_CAN_MUTATE(l, "list slice assignment");
    shared = tw_lf_mark(list);
    intptr_t size = l->size;
    slicelen = tw_slice_adjust(size, &start, &stop, step);
    if (step == 1 || (value == NULL && slicelen == 0)) {
        if (step != 1)
            stop = start;
        if (stop < start)
            stop = start;
        intptr_t nremove = stop - start;
        intptr_t newsize = size - nremove + nv;
        if (nremove > 0)
            dropped = tw_mem_malloc((size_t)nremove * sizeof(TwObject *));
        if (newsize > 0)
            fresh = tw_list_array_new(newsize);
        if ((nremove > 0 && dropped == NULL) || (newsize > 0 && fresh == NULL)) {
            rc = -2;
        } else {
            if (start > 0)
                memcpy(fresh, l->items, (size_t)start * sizeof(TwObject *));
            for (intptr_t k = 0; k < nv; k++)
                fresh[start + k] = tw_newref(tw_tuple_get_item_borrowed(seq, k));
            if (size - stop > 0)
                memcpy(fresh + start + nv, l->items + stop, (size_t)(size - stop) * sizeof(TwObject *));
            if (nremove > 0)
                memcpy(dropped, l->items + start, (size_t)nremove * sizeof(TwObject *));
            ndropped = nremove;
            tw_list_install(l, fresh, newsize, shared);
            fresh = NULL;
        }
    } else if (value == NULL) {
        /* del l[a:b:c]: keep the items the slice skips. */
        intptr_t newsize = size - slicelen;
        dropped = tw_mem_malloc((size_t)slicelen * sizeof(TwObject *));
        if (newsize > 0)
            fresh = tw_list_array_new(newsize);
        if (dropped == NULL || (newsize > 0 && fresh == NULL)) {
            rc = -2;
        } else {
            if (step < 0) { /* walk the same items in ascending order */
                start += (slicelen - 1) * step;
                step = -step;
            }
            intptr_t next = start, taken = 0, kept = 0;
            for (intptr_t i = 0; i < size; i++) {
                if (taken < slicelen && i == next) {
                    dropped[taken++] = l->items[i];
                    next += step;
                } else {
                    fresh[kept++] = l->items[i];
                }
            }
            ndropped = taken;
            tw_list_install(l, fresh, newsize, shared);
            fresh = NULL;
        }
    } else if (nv != slicelen) {
        rc = -3;
    } else if (slicelen > 0) {
        dropped = tw_mem_malloc((size_t)slicelen * sizeof(TwObject *));
        if (dropped == NULL) {
            rc = -2;
        } else {
            for (intptr_t k = 0, i = start; k < slicelen; k++, i += step) {
                dropped[k] = l->items[i];
                tw_list_store_slot(l->items, i, tw_newref(tw_tuple_get_item_borrowed(seq, k)));
            }
            ndropped = slicelen;
        }
    }
    TW_END_CRITICAL_SECTION();
    tw_list_release_refs(dropped, ndropped, shared);
    tw_mem_free(dropped);
    tw_list_array_free(fresh);
    tw_xdecref(seq);
    if (rc == -2) {
        tw_err_no_memory();
        return -1;
    }
    if (rc == -3) {
        tw_err_format(&tw_exc_ValueError,
                      "attempt to assign sequence of size %lld to extended slice of size %lld",
                      (long long)nv, (long long)slicelen);
        return -1;
    }
    return 0;
}

/* ---- protocol slots -------------------------------------------------------------- */

static intptr_t list_len(TwObject *op) { return tw_list_size(op); }

static int is_index(TwObject *key)
{
    return tw_int_check(key) ||
           (TW_TYPE(key)->tp_as_number != NULL && TW_TYPE(key)->tp_as_number->nb_index != NULL);
}

static TwObject *list_subscript(TwObject *op, TwObject *key)
{
    if (is_index(key)) {
        intptr_t i = tw_number_as_ssize(key, &tw_exc_IndexError);
        if (i == -1 && tw_err_occurred())
            return NULL;
        return tw_list_get_item(op, i);
    }
    if (tw_slice_check(key))
        return tw_list_get_slice(op, key);
    tw_err_format(&tw_exc_TypeError, "list indices must be integers or slices, not %s",
                  TW_TYPE(key)->tp_name);
    return NULL;
}

static int list_ass_subscript(TwObject *op, TwObject *key, TwObject *value)
{
    if (is_index(key)) {
        intptr_t i = tw_number_as_ssize(key, &tw_exc_IndexError);
        if (i == -1 && tw_err_occurred())
            return -1;
        return value ? tw_list_set_item(op, i, value) : tw_list_del_item(op, i);
    }
    if (tw_slice_check(key))
        return tw_list_set_slice(op, key, value);
    tw_err_format(&tw_exc_TypeError, "list indices must be integers or slices, not %s",
                  TW_TYPE(key)->tp_name);
    return -1;
}

static int list_contains_slot(TwObject *op, TwObject *x) { return tw_list_contains(op, x); }

static TwObject *list_iter_slot(TwObject *op) { return tw_list_iter_new(op); }

/* a + b for two lists: a new list (a's items then b's). */
static TwObject *list_concat(TwObject *a, TwObject *b)
{
    if (!tw_list_check(a) || !tw_list_check(b))
        return tw_newref(TW_NOTIMPLEMENTED);
    TwObject *r = tw_list_copy(a);
    if (r == NULL)
        return NULL;
    if (tw_list_extend(r, b) < 0)
        TW_CLEAR(r);
    return r;
}

/* The repeat count of seq * n (either order), or -2 (NotImplemented). */
static intptr_t repeat_count(TwObject *n)
{
    if (!is_index(n))
        return -2;
    intptr_t k = tw_number_as_ssize(n, &tw_exc_OverflowError);
    if (k == -1 && tw_err_occurred())
        return -1;
    return k < 0 ? 0 : k;
}

static TwObject *list_repeat_items(TwObject *list, intptr_t k)
{
    TwObject *snap = tw_list_as_tuple(list);
    if (snap == NULL)
        return NULL;
    intptr_t n = tw_tuple_size(snap);
    TwListObject *r = (TwListObject *)tw_list_new(0);
    if (r == NULL) {
        tw_decref(snap);
        return NULL;
    }
    if (n > 0 && k > 0) {
        if (k > INTPTR_MAX / n / (intptr_t)sizeof(TwObject *)) {
            tw_decref(snap);
            tw_decref((TwObject *)r);
            return tw_err_no_memory();
        }
        r->items = tw_list_array_new(n * k);
        if (r->items == NULL) {
            tw_decref(snap);
            tw_decref((TwObject *)r);
            return tw_err_no_memory();
        }
        for (intptr_t j = 0; j < k; j++)
            for (intptr_t i = 0; i < n; i++)
                r->items[j * n + i] = tw_newref(tw_tuple_get_item_borrowed(snap, i));
        r->size = n * k;
    }
    tw_decref(snap);
    return (TwObject *)r;
}

static TwObject *list_repeat(TwObject *a, TwObject *b)
{
    TwObject *list = tw_list_check(a) ? a : tw_list_check(b) ? b : NULL;
    if (list == NULL)
        return tw_newref(TW_NOTIMPLEMENTED);
    intptr_t k = repeat_count(list == a ? b : a);
    if (k == -2)
        return tw_newref(TW_NOTIMPLEMENTED);
    if (k < 0)
        return NULL;
    return list_repeat_items(list, k);
}

static TwObject *list_inplace_concat(TwObject *a, TwObject *b)
{
    if (extend_any(a, b) < 0)
        return NULL;
    return tw_newref(a);
}

/* l *= n: the list becomes n copies of itself, in one step. */
static TwObject *list_inplace_repeat(TwObject *a, TwObject *b)
{
    intptr_t k = repeat_count(b);
    if (k == -2)
        return tw_newref(TW_NOTIMPLEMENTED);
    if (k < 0)
        return NULL;
    TwObject *r = list_repeat_items(a, k);
    if (r == NULL)
        return NULL;
    TwListObject *src = LIST(r);
    TwListObject *l = LIST(a);
    TwObject **old;
    intptr_t oldn;
    int shared;
    TW_BEGIN_CRITICAL_SECTION(l);
    TW_ASSERT_CAN_MUTATE(l, "list *=");
    shared = tw_lf_mark(a);
    old = l->items;
    oldn = l->size;
    tw_lf_store_release(&l->items, src->items);
    tw_lf_store_release(&l->size, src->size);
    TW_END_CRITICAL_SECTION();
    src->items = NULL;
    src->size = 0;
    tw_decref(r);
    tw_list_release_refs(old, oldn, shared);
    tw_list_array_release(old, shared);
    return tw_newref(a);
}

static const TwNumberMethods list_as_number = {
    .nb_add = list_concat,
    .nb_multiply = list_repeat,
    .nb_inplace_add = list_inplace_concat,
    .nb_inplace_multiply = list_inplace_repeat,
};

/* list() and list(iterable); subclass instances are zeroed (an empty list). */
static TwObject *list_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return tw_object_new(type, 0);
}

static int list_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (TW_TYPE(self) == &tw_list_type && tw_arg_no_kwargs("list", kwnames) < 0)
        return -1;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "list expected at most 1 argument, got %zu", nargs);
        return -1;
    }
    tw_list_clear(self);
    return nargs == 1 ? extend_any(self, args[0]) : 0;
}

/* ---- methods ------------------------------------------------------------------------ */

static TwObject *none_or_null(int rc) { return rc < 0 ? NULL : tw_newref(TW_NONE); }

static TwObject *m_append(TwObject *self, TwObject *x) { return none_or_null(tw_list_append(self, x)); }
static TwObject *m_extend(TwObject *self, TwObject *x) { return none_or_null(extend_any(self, x)); }

static TwObject *m_insert(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", NULL};
    static const TwArgSpec spec = {"insert", names, 2, 2, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    intptr_t i = tw_number_as_ssize(a[0], &tw_exc_OverflowError);
    if (i == -1 && tw_err_occurred())
        return NULL;
    return none_or_null(tw_list_insert(self, i, a[1]));
}

static TwObject *m_pop(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", NULL};
    static const TwArgSpec spec = {"pop", names, 1, 0, 1};
    TwObject *a[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    intptr_t i = -1;
    if (a[0] != NULL) {
        i = tw_number_as_ssize(a[0], &tw_exc_OverflowError);
        if (i == -1 && tw_err_occurred())
            return NULL;
    }
    return tw_list_pop(self, i);
}

static TwObject *m_remove(TwObject *self, TwObject *x) { return none_or_null(tw_list_remove(self, x)); }

/* Clamp a start/stop argument of index() the way slices clamp. */
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
    if (a[1] == NULL && a[2] == NULL) {
        intptr_t i = tw_list_index(self, a[0]);
        return i < 0 ? NULL : tw_int_from_i64(i);
    }
    intptr_t start = 0, stop = INTPTR_MAX;
    intptr_t size = tw_list_size(self);
    if (a[1] != NULL && clamp_arg(a[1], size, &start) < 0)
        return NULL;
    if (a[2] != NULL && clamp_arg(a[2], size, &stop) < 0)
        return NULL;
    for (intptr_t i = start; i < stop; i++) {
        TwObject *item = NULL;
        TW_BEGIN_CRITICAL_SECTION(self);
        if (i < LIST(self)->size)
            item = tw_newref(LIST(self)->items[i]);
        TW_END_CRITICAL_SECTION();
        if (item == NULL)
            break;
        int eq = tw_object_richcompare_bool(item, a[0], TW_EQ);
        tw_decref(item);
        if (eq < 0)
            return NULL;
        if (eq)
            return tw_int_from_i64(i);
    }
    TwObject *rep = tw_object_repr(a[0]);
    if (rep != NULL) {
        tw_err_format(&tw_exc_ValueError, "%s is not in list", tw_str_utf8(rep));
        tw_decref(rep);
    }
    return NULL;
}

static TwObject *m_count(TwObject *self, TwObject *x)
{
    intptr_t n = tw_list_count(self, x);
    return n < 0 ? NULL : tw_int_from_i64(n);
}

static TwObject *m_reverse(TwObject *self, TwObject *u) { return none_or_null(tw_list_reverse(self)); }
static TwObject *m_copy(TwObject *self, TwObject *u) { return tw_list_copy(self); }

static TwObject *m_clear(TwObject *self, TwObject *u)
{
    tw_list_clear(self);
    return tw_newref(TW_NONE);
}

static TwObject *m_reversed(TwObject *self, TwObject *u) { return tw_list_reviter_new(self); }

/* Stable merge sort of the index array perm[0..n) by keys[perm[i]];
 * -1 when a comparison raises. */
static int merge_sort_perm(intptr_t *perm, intptr_t *tmp, intptr_t n, TwObject **keys)
{
    if (n < 2)
        return 0;
    intptr_t mid = n / 2;
    if (merge_sort_perm(perm, tmp, mid, keys) < 0 || merge_sort_perm(perm + mid, tmp, n - mid, keys) < 0)
        return -1;
    int lt = tw_object_richcompare_bool(keys[perm[mid]], keys[perm[mid - 1]], TW_LT);
    if (lt <= 0)
        return lt; /* already in order, or an error */
    intptr_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        lt = tw_object_richcompare_bool(keys[perm[j]], keys[perm[i]], TW_LT);
        if (lt < 0)
            return -1;
        tmp[k++] = lt ? perm[j++] : perm[i++];
    }
    while (i < mid)
        tmp[k++] = perm[i++];
    while (j < n)
        tmp[k++] = perm[j++];
    memcpy(perm, tmp, (size_t)n * sizeof(intptr_t));
    return 0;
}

/* sort(key=f, reverse=r): the keys are computed once, outside any
 * section, and the list is rearranged in one step if it still holds the
 * items it had (else ValueError "list modified during sort").  reverse
 * keeps equal items in their original order. */
int tw_list_sort_key(TwObject *list, TwObject *key, int reverse)
{
    if (key == NULL || key == TW_NONE)
        return tw_list_sort(list, reverse);
    TwObject *snap = tw_list_as_tuple(list);
    if (snap == NULL)
        return -1;
    intptr_t n = tw_tuple_size(snap);
    TwObject **keys = tw_mem_calloc((size_t)(n ? n : 1), sizeof(TwObject *));
    intptr_t *perm = tw_mem_malloc((size_t)(n ? n : 1) * sizeof(intptr_t));
    intptr_t *tmp = tw_mem_malloc((size_t)(n ? n : 1) * sizeof(intptr_t));
    int rc = 0;
    if (keys == NULL || perm == NULL || tmp == NULL) {
        tw_err_no_memory();
        rc = -1;
        goto out;
    }
    for (intptr_t i = 0; i < n && rc == 0; i++) {
        keys[i] = tw_object_call_one(key, tw_tuple_get_item_borrowed(snap, i));
        if (keys[i] == NULL)
            rc = -1;
    }
    if (rc < 0)
        goto out;
    for (intptr_t i = 0; i < n; i++)
        perm[i] = reverse ? n - 1 - i : i;
    rc = merge_sort_perm(perm, tmp, n, keys);
    if (rc < 0)
        goto out;
    if (reverse)
        for (intptr_t lo = 0, hi = n - 1; lo < hi; lo++, hi--) {
            intptr_t t = perm[lo];
            perm[lo] = perm[hi];
            perm[hi] = t;
        }
    int modified = 0;
    TwListObject *l = LIST(list);
    TW_BEGIN_CRITICAL_SECTION(l);
    TW_ASSERT_CAN_MUTATE(l, "list sort");
    if (l->size != n) {
        modified = 1;
    } else {
        for (intptr_t i = 0; i < n; i++)
            if (l->items[i] != tw_tuple_get_item_borrowed(snap, i)) {
                modified = 1;
                break;
            }
    }
    if (!modified)
        for (intptr_t i = 0; i < n; i++)
            tw_list_store_slot(l->items, i, tw_tuple_get_item_borrowed(snap, perm[i]));
    TW_END_CRITICAL_SECTION();
    if (modified) {
        tw_err_set_string(&tw_exc_ValueError, "list modified during sort");
        rc = -1;
    }
out:
    if (keys != NULL)
        for (intptr_t i = 0; i < n; i++)
            tw_xdecref(keys[i]);
    tw_mem_free(keys);
    tw_mem_free(perm);
    tw_mem_free(tmp);
    tw_decref(snap);
    return rc;
}

static TwObject *m_sort(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"key", "reverse", NULL};
    static const TwArgSpec spec = {"sort", names, 0, 0, 0};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int reverse = 0;
    if (a[1] != NULL) {
        reverse = tw_object_is_true(a[1]);
        if (reverse < 0)
            return NULL;
    }
    return none_or_null(tw_list_sort_key(self, a[0], reverse));
}

static const TwMethodDef list_methods[] = {
    {"append", (void (*)(void))m_append, TW_METH_O, NULL},
    {"extend", (void (*)(void))m_extend, TW_METH_O, NULL},
    {"insert", (void (*)(void))m_insert, TW_METH_FASTCALL, NULL},
    {"pop", (void (*)(void))m_pop, TW_METH_FASTCALL, NULL},
    {"remove", (void (*)(void))m_remove, TW_METH_O, NULL},
    {"index", (void (*)(void))m_index, TW_METH_FASTCALL, NULL},
    {"count", (void (*)(void))m_count, TW_METH_O, NULL},
    {"sort", (void (*)(void))m_sort, TW_METH_FASTCALL, NULL},
    {"reverse", (void (*)(void))m_reverse, TW_METH_NOARGS, NULL},
    {"copy", (void (*)(void))m_copy, TW_METH_NOARGS, NULL},
    {"clear", (void (*)(void))m_clear, TW_METH_NOARGS, NULL},
    {"__reversed__", (void (*)(void))m_reversed, TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

void tw_listmethods_init(void)
{
    TwType *t = &tw_list_type;
    t->tp_len = list_len;
    t->tp_getitem = list_subscript;
    t->tp_setitem = list_ass_subscript;
    t->tp_contains = list_contains_slot;
    t->tp_iter = list_iter_slot;
    t->tp_as_number = &list_as_number;
    t->tp_new = list_new;
    t->tp_init = list_init;
    t->tp_methods = list_methods;
}
