/* The iterator types of the builtins: enumerate, zip, map, filter,
 * reversed, the sequence iterator (iter() of an object with only
 * __getitem__) and the callable iterator (iter(f, sentinel)).
 *
 * Sharing an iterator between threads.  In the free-threaded build several
 * threads may call next() on one iterator; each step must leave it
 * consistent and hand every item out once:
 *   - a position counter that alone decides the next item (sequence and
 *     reversed iterators) is one atomic fetch-add / fetch-sub;
 *   - a step that combines several pieces of state (enumerate's count with
 *     the item; zip's and map's items, one per inner iterator) runs inside
 *     the iterator's critical section, so the pieces belong together.  The
 *     section is released before map calls its function;
 *   - "exhausted" flags are atomic; the inner references (the sequence,
 *     the callable) are immutable until the iterator dies, so a racing
 *     reader never sees them freed. */
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"

static TwObject *iter_self(TwObject *op)
{
    return tw_newref(op);
}

static int no_kwargs(const char *fname, TwObject *kwnames)
{
    if (kwnames != NULL && tw_tuple_size(kwnames) > 0) {
        tw_err_format(&tw_exc_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    return 0;
}

/* ---- enumerate ------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *iter;      /* immutable */
    int64_t count;       /* the next index while it fits; the critical section */
    TwObject *big_count; /* the next index once past INT64_MAX, else NULL; the critical section */
} TwEnumerateObject;

static TwObject *enumerate_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"iterable", "start", NULL};
    static const TwArgSpec spec = {"enumerate", names, 0, 1, 2};
    TwObject *argv[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    int64_t count = 0;
    TwObject *big = NULL;
    if (argv[1] != NULL) {
        TwObject *start = tw_number_index(argv[1]);
        if (start == NULL)
            return NULL;
        int overflow = 0;
        count = tw_int_as_i64_overflow(start, &overflow);
        if (overflow != 0 || count == INT64_MAX)
            big = tw_newref(start);
        tw_decref(start);
    }
    TwObject *it = tw_object_iter(argv[0]);
    if (it == NULL) {
        tw_xdecref(big);
        return NULL;
    }
    TwEnumerateObject *e = (TwEnumerateObject *)tw_object_new(&tw_enumerate_type, 0);
    if (e == NULL) {
        tw_decref(it);
        tw_xdecref(big);
        return NULL;
    }
    e->iter = it;
    e->count = count;
    e->big_count = big;
    return (TwObject *)e;
}

static void enumerate_dealloc(TwObject *op)
{
    TwEnumerateObject *e = (TwEnumerateObject *)op;
    TW_CLEAR(e->iter);
    TW_CLEAR(e->big_count);
    tw_object_free(op);
}

/* The index for the item just taken: the machine count while it stays
 * below INT64_MAX, then an int object advanced with +1. */
static TwObject *enumerate_take_index(TwEnumerateObject *e)
{
    if (e->big_count == NULL) {
        TwObject *idx = tw_int_from_i64(e->count);
        if (idx != NULL && ++e->count == INT64_MAX)
            e->big_count = tw_int_from_i64(INT64_MAX);
        return idx;
    }
    TwObject *one = tw_int_from_i64(1);
    TwObject *next = tw_number_add(e->big_count, one);
    tw_decref(one);
    if (next == NULL)
        return NULL;
    TwObject *idx = e->big_count;
    e->big_count = next;
    return idx;
}

static TwObject *enumerate_next(TwObject *op)
{
    TwEnumerateObject *e = (TwEnumerateObject *)op;
    TwObject *res = NULL;
    TW_BEGIN_CRITICAL_SECTION(op);
    TwObject *item = tw_iter_next(e->iter);
    if (item != NULL) {
        TwObject *idx = enumerate_take_index(e);
        if (idx == NULL || (res = tw_tuple_new(2)) == NULL) {
            tw_xdecref(idx);
            tw_decref(item);
        } else {
            tw_tuple_init_item(res, 0, idx);
            tw_tuple_init_item(res, 1, item);
        }
    }
    TW_END_CRITICAL_SECTION();
    return res;
}

TwType tw_enumerate_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "enumerate",
    .tp_basicsize = sizeof(TwEnumerateObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = enumerate_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = enumerate_next,
    .tp_new = enumerate_new,
};

/* ---- zip ------------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *iters; /* tuple of iterators; immutable */
    int strict;      /* immutable */
} TwZipObject;

/* A tuple of iter(x) for each x in args[0..n). */
static TwObject *iterators_of(TwObject *const *args, size_t n)
{
    TwObject *iters = tw_tuple_new((intptr_t)n);
    if (iters == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        TwObject *it = tw_object_iter(args[i]);
        if (it == NULL) {
            /* Fill the rest so the tuple can be released. */
            for (size_t j = i; j < n; j++)
                tw_tuple_init_item(iters, (intptr_t)j, tw_newref(TW_NONE));
            tw_decref(iters);
            return NULL;
        }
        tw_tuple_init_item(iters, (intptr_t)i, it);
    }
    return iters;
}

static TwObject *zip_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int strict = 0;
    intptr_t nkw = kwnames ? tw_tuple_size(kwnames) : 0;
    for (intptr_t k = 0; k < nkw; k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, k);
        if (!tw_str_equal_cstr(key, "strict")) {
            tw_err_format(&tw_exc_TypeError, "'%s' is an invalid keyword argument for zip()",
                          tw_str_utf8(key));
            return NULL;
        }
        strict = tw_object_is_true(args[nargs + (size_t)k]);
        if (strict < 0)
            return NULL;
    }
    TwObject *iters = iterators_of(args, nargs);
    if (iters == NULL)
        return NULL;
    TwZipObject *z = (TwZipObject *)tw_object_new(&tw_zip_type, 0);
    if (z == NULL) {
        tw_decref(iters);
        return NULL;
    }
    z->iters = iters;
    z->strict = strict;
    return (TwObject *)z;
}

static void zip_dealloc(TwObject *op)
{
    TW_CLEAR(((TwZipObject *)op)->iters);
    tw_object_free(op);
}

/* "arguments 1-3" or "argument 1": the iterators before position i. */
static void strict_error(intptr_t i, const char *what)
{
    if (i == 1)
        tw_err_format(&tw_exc_ValueError, "zip() argument 2 is %s than argument 1", what);
    else
        tw_err_format(&tw_exc_ValueError, "zip() argument %zd is %s than arguments 1-%zd", i + 1,
                      what, i);
}

/* zip(strict=True) found iterator `i` exhausted: if it is the first,
 * every other must be exhausted too; otherwise the lengths differ. */
static void strict_check(TwZipObject *z, intptr_t i)
{
    if (tw_err_occurred())
        return;
    if (i > 0) {
        strict_error(i, "shorter");
        return;
    }
    intptr_t n = tw_tuple_size(z->iters);
    for (intptr_t j = 1; j < n; j++) {
        TwObject *item = tw_iter_next(tw_tuple_get_item_borrowed(z->iters, j));
        if (item != NULL) {
            tw_decref(item);
            strict_error(j, "longer");
            return;
        }
        if (tw_err_occurred())
            return;
    }
}

static TwObject *zip_next(TwObject *op)
{
    TwZipObject *z = (TwZipObject *)op;
    intptr_t n = tw_tuple_size(z->iters);
    if (n == 0)
        return NULL;
    TwObject *res = tw_tuple_new(n);
    if (res == NULL)
        return NULL;
    intptr_t filled = 0;
    TW_BEGIN_CRITICAL_SECTION(op);
    for (; filled < n; filled++) {
        TwObject *item = tw_iter_next(tw_tuple_get_item_borrowed(z->iters, filled));
        if (item == NULL)
            break;
        tw_tuple_init_item(res, filled, item);
    }
    if (filled < n && z->strict)
        strict_check(z, filled);
    TW_END_CRITICAL_SECTION();
    if (filled < n) {
        for (intptr_t j = filled; j < n; j++)
            tw_tuple_init_item(res, j, tw_newref(TW_NONE));
        tw_decref(res);
        return NULL;
    }
    return res;
}

TwType tw_zip_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "zip",
    .tp_basicsize = sizeof(TwZipObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = zip_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = zip_next,
    .tp_new = zip_new,
};

/* ---- map ------------------------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *func;  /* immutable */
    TwObject *iters; /* tuple of iterators; immutable */
} TwMapObject;

static TwObject *map_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (no_kwargs("map", kwnames) < 0)
        return NULL;
    if (nargs < 2) {
        tw_err_set_string(&tw_exc_TypeError, "map() must have at least two arguments.");
        return NULL;
    }
    TwObject *iters = iterators_of(args + 1, nargs - 1);
    if (iters == NULL)
        return NULL;
    TwMapObject *m = (TwMapObject *)tw_object_new(&tw_map_type, 0);
    if (m == NULL) {
        tw_decref(iters);
        return NULL;
    }
    m->func = tw_newref(args[0]);
    m->iters = iters;
    return (TwObject *)m;
}

static void map_dealloc(TwObject *op)
{
    TwMapObject *m = (TwMapObject *)op;
    TW_CLEAR(m->func);
    TW_CLEAR(m->iters);
    tw_object_free(op);
}

#define MAP_SMALL_ARGS 8

/* Take one item from every iterator (together, under the section), then
 * call the function outside it. */
static TwObject *map_next(TwObject *op)
{
    TwMapObject *m = (TwMapObject *)op;
    intptr_t n = tw_tuple_size(m->iters);
    TwObject *small[MAP_SMALL_ARGS];
    TwObject **argv = small;
    if (n > MAP_SMALL_ARGS) {
        argv = tw_mem_malloc(sizeof(TwObject *) * (size_t)n);
        if (argv == NULL)
            return tw_err_no_memory();
    }
    intptr_t got = 0;
    if (n == 1) {
        /* One iterator: nothing to keep together. */
        argv[0] = tw_iter_next(tw_tuple_get_item_borrowed(m->iters, 0));
        got = argv[0] != NULL;
    } else {
        TW_BEGIN_CRITICAL_SECTION(op);
        for (; got < n; got++)
            if ((argv[got] = tw_iter_next(tw_tuple_get_item_borrowed(m->iters, got))) == NULL)
                break;
        TW_END_CRITICAL_SECTION();
    }
    TwObject *res = NULL;
    if (got == n)
        res = tw_object_vectorcall(m->func, argv, (size_t)n, NULL);
    for (intptr_t i = 0; i < got; i++)
        tw_decref(argv[i]);
    if (argv != small)
        tw_mem_free(argv);
    return res;
}

TwType tw_map_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "map",
    .tp_basicsize = sizeof(TwMapObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = map_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = map_next,
    .tp_new = map_new,
};

/* ---- filter --------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *func; /* immutable; None keeps the true items */
    TwObject *iter; /* immutable */
} TwFilterObject;

static TwObject *filter_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (no_kwargs("filter", kwnames) < 0)
        return NULL;
    if (nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "filter expected 2 arguments, got %zu", nargs);
        return NULL;
    }
    TwObject *it = tw_object_iter(args[1]);
    if (it == NULL)
        return NULL;
    TwFilterObject *f = (TwFilterObject *)tw_object_new(&tw_filter_type, 0);
    if (f == NULL) {
        tw_decref(it);
        return NULL;
    }
    f->func = tw_newref(args[0]);
    f->iter = it;
    return (TwObject *)f;
}

static void filter_dealloc(TwObject *op)
{
    TwFilterObject *f = (TwFilterObject *)op;
    TW_CLEAR(f->func);
    TW_CLEAR(f->iter);
    tw_object_free(op);
}

static TwObject *filter_next(TwObject *op)
{
    TwFilterObject *f = (TwFilterObject *)op;
    /* filter(bool, xs) tests truth directly, as filter(None, xs) does. */
    int plain = f->func == TW_NONE || f->func == (TwObject *)&tw_bool_type;
    for (;;) {
        TwObject *item = tw_iter_next(f->iter);
        if (item == NULL)
            return NULL;
        int keep;
        if (plain) {
            keep = tw_object_is_true(item);
        } else {
            TwObject *r = tw_object_call_one(f->func, item);
            keep = r == NULL ? -1 : tw_object_is_true(r);
            tw_xdecref(r);
        }
        if (keep > 0)
            return item;
        tw_decref(item);
        if (keep < 0)
            return NULL;
    }
}

TwType tw_filter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "filter",
    .tp_basicsize = sizeof(TwFilterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = filter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = filter_next,
    .tp_new = filter_new,
};

/* ---- reversed ------------------------------------------------------------------- */

enum { REV_TUPLE, REV_STR, REV_GENERIC };

typedef struct {
    TwObject ob_base;
    TwObject *seq;         /* immutable */
    int kind;              /* immutable: REV_* */
    _Atomic int64_t index; /* the next position, counting down; atomic fetch-sub */
} TwReversedObject;

static TwObject *reversed_make(TwObject *seq, int kind, int64_t length)
{
    TwReversedObject *r = (TwReversedObject *)tw_object_new(&tw_reversed_type, 0);
    if (r == NULL)
        return NULL;
    r->seq = tw_newref(seq);
    r->kind = kind;
    atomic_init(&r->index, length - 1);
    return (TwObject *)r;
}

/* Whether type tp defines the special method `name` whose C slot is
 * `slot_set`: built-in types answer by their slot, classes by their
 * namespace (a class's slots forward to whatever the MRO holds). */
static int type_defines(TwType *tp, int slot_set, const char *name)
{
    if (!slot_set)
        return 0;
    if (!(tp->tp_flags & TW_TPFLAGS_HEAPTYPE))
        return 1;
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL) {
        tw_err_clear();
        return 0;
    }
    int found = tw_type_lookup(tp, key) != NULL;
    tw_decref(key);
    return found;
}

TwObject *tw_reversed_of(TwObject *seq)
{
    TwType *tp = TW_TYPE(seq);
    if (tp == &tw_list_type)
        return tw_list_reviter_new(seq);
    if (tp == &tw_tuple_type)
        return reversed_make(seq, REV_TUPLE, tw_tuple_size(seq));
    if (tp == &tw_str_type)
        return reversed_make(seq, REV_STR, tw_str_length(seq));
    if (tp == &tw_range_type)
        return tw_range_reversed(seq);

    TwObject *name = tw_str_intern_cstr("__reversed__");
    if (name == NULL)
        return NULL;
    TwObject *meth = tw_type_lookup_ref(tp, name);
    tw_decref(name);
    if (meth != NULL) {
        int is_none = meth == TW_NONE;
        tw_decref(meth);
        if (is_none)
            goto not_reversible;
        return tw_object_call_method(seq, "__reversed__", NULL, 0);
    }
    if (tw_dict_check(seq)) {
        /* A snapshot of the keys, walked backwards. */
        TwObject *keys = tw_dict_keys(seq);
        if (keys == NULL)
            return NULL;
        TwObject *it = tw_list_reviter_new(keys);
        tw_decref(keys);
        return it;
    }
    if (!tw_anyset_check(seq) && type_defines(tp, tp->tp_getitem != NULL, "__getitem__")) {
        intptr_t n = tw_object_len(seq);
        if (n < 0)
            return NULL;
        return reversed_make(seq, REV_GENERIC, (int64_t)n);
    }
not_reversible:
    tw_err_format(&tw_exc_TypeError, "'%s' object is not reversible", tp->tp_name);
    return NULL;
}

static TwObject *reversed_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (no_kwargs("reversed", kwnames) < 0)
        return NULL;
    if (nargs != 1) {
        tw_err_format(&tw_exc_TypeError, "reversed expected 1 argument, got %zu", nargs);
        return NULL;
    }
    return tw_reversed_of(args[0]);
}

static void reversed_dealloc(TwObject *op)
{
    TW_CLEAR(((TwReversedObject *)op)->seq);
    tw_object_free(op);
}

/* Claim the next position downward; once it is below zero the iterator
 * is exhausted (the load keeps the counter from running on). */
static TwObject *reversed_next(TwObject *op)
{
    TwReversedObject *r = (TwReversedObject *)op;
    if (tw_atomic_load_relaxed(&r->index) < 0)
        return NULL;
    int64_t i = atomic_fetch_sub_explicit(&r->index, 1, memory_order_relaxed);
    if (i < 0)
        return NULL;
    switch (r->kind) {
    case REV_TUPLE:
        return tw_newref(tw_tuple_get_item_borrowed(r->seq, (intptr_t)i));
    case REV_STR:
        return tw_str_getitem(r->seq, (intptr_t)i);
    default: {
        TwObject *key = tw_int_from_i64(i);
        if (key == NULL)
            return NULL;
        TwObject *item = tw_object_getitem(r->seq, key);
        tw_decref(key);
        if (item == NULL &&
            (tw_err_matches(&tw_exc_IndexError) || tw_err_matches(&tw_exc_StopIteration))) {
            /* The sequence shrank under us: stop here for good. */
            tw_err_clear();
            tw_atomic_store_relaxed(&r->index, -1);
        }
        return item;
    }
    }
}

static TwObject *reversed_length_hint(TwObject *self, TwObject *unused)
{
    int64_t i = tw_atomic_load_relaxed(&((TwReversedObject *)self)->index);
    return tw_int_from_i64(i < 0 ? 0 : i + 1);
}

static const TwMethodDef reversed_methods[] = {
    {"__length_hint__", (void (*)(void))reversed_length_hint, TW_METH_NOARGS,
     "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL},
};

TwType tw_reversed_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "reversed",
    .tp_basicsize = sizeof(TwReversedObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = reversed_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = reversed_next,
    .tp_new = reversed_new,
    .tp_methods = reversed_methods,
};

/* ---- the sequence iterator ----------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *seq;         /* immutable */
    _Atomic int64_t index; /* the next position; atomic fetch-add */
    _Atomic int exhausted; /* atomic */
} TwSeqIterObject;

TwObject *tw_seqiter_new(TwObject *seq)
{
    TwSeqIterObject *it = (TwSeqIterObject *)tw_object_new(&tw_seqiter_type, 0);
    if (it == NULL)
        return NULL;
    it->seq = tw_newref(seq);
    atomic_init(&it->index, 0);
    atomic_init(&it->exhausted, 0);
    return (TwObject *)it;
}

static void seqiter_dealloc(TwObject *op)
{
    TW_CLEAR(((TwSeqIterObject *)op)->seq);
    tw_object_free(op);
}

/* seq[0], seq[1], ... until IndexError or StopIteration, which end the
 * iteration (and are not errors). */
static TwObject *seqiter_next(TwObject *op)
{
    TwSeqIterObject *it = (TwSeqIterObject *)op;
    if (tw_atomic_load_relaxed(&it->exhausted))
        return NULL;
    int64_t i = tw_atomic_add_relaxed(&it->index, 1);
    TwObject *key = tw_int_from_i64(i);
    if (key == NULL)
        return NULL;
    TwObject *item = tw_object_getitem(it->seq, key);
    tw_decref(key);
    if (item == NULL &&
        (tw_err_matches(&tw_exc_IndexError) || tw_err_matches(&tw_exc_StopIteration))) {
        tw_err_clear();
        tw_atomic_store_relaxed(&it->exhausted, 1);
    }
    return item;
}

TwType tw_seqiter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "iterator",
    .tp_basicsize = sizeof(TwSeqIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = seqiter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = seqiter_next,
};

/* ---- the callable iterator ------------------------------------------------------ */

typedef struct {
    TwObject ob_base;
    TwObject *callable;    /* immutable */
    TwObject *sentinel;    /* immutable */
    _Atomic int exhausted; /* atomic */
} TwCallIterObject;

TwObject *tw_calliter_new(TwObject *callable, TwObject *sentinel)
{
    TwCallIterObject *it = (TwCallIterObject *)tw_object_new(&tw_calliter_type, 0);
    if (it == NULL)
        return NULL;
    it->callable = tw_newref(callable);
    it->sentinel = tw_newref(sentinel);
    atomic_init(&it->exhausted, 0);
    return (TwObject *)it;
}

static void calliter_dealloc(TwObject *op)
{
    TwCallIterObject *it = (TwCallIterObject *)op;
    TW_CLEAR(it->callable);
    TW_CLEAR(it->sentinel);
    tw_object_free(op);
}

/* callable() until it returns the sentinel (or raises StopIteration). */
static TwObject *calliter_next(TwObject *op)
{
    TwCallIterObject *it = (TwCallIterObject *)op;
    if (tw_atomic_load_relaxed(&it->exhausted))
        return NULL;
    TwObject *r = tw_object_call_noargs(it->callable);
    if (r == NULL) {
        if (tw_err_matches(&tw_exc_StopIteration)) {
            tw_err_clear();
            tw_atomic_store_relaxed(&it->exhausted, 1);
        }
        return NULL;
    }
    int eq = tw_object_eq(r, it->sentinel);
    if (eq == 0)
        return r;
    tw_decref(r);
    if (eq > 0)
        tw_atomic_store_relaxed(&it->exhausted, 1);
    return NULL;
}

TwType tw_calliter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "callable_iterator",
    .tp_basicsize = sizeof(TwCallIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = calliter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = calliter_next,
};
