/* set's Python face and the frozenset type: len, `in`, iteration, the
 * operators | & - ^ (and their in-place forms), comparisons as subset
 * tests, set(...)/frozenset(...) and the methods.
 *
 * A frozenset has set's layout (TwSetObject) and is built like a set
 * before anyone else sees it; the C API of core/set.c works on either
 * (its functions do not look at the type).  Results of operators have the
 * base type of the left operand (set or frozenset), as in CPython.
 *
 * Locking: every read of a set's table happens inside its critical
 * section (core/set.c's functions, or the iterator and the frozenset hash
 * below); references are dropped outside sections.  Iterators are used by
 * one thread at a time in practice. */
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"

#define SET(op) ((TwSetObject *)(op))

int tw_anyset_check(TwObject *op) { return tw_set_check(op) || tw_frozenset_check(op); }

/* An empty instance of `type` (set, frozenset or a subclass). */
static TwObject *make_set(TwType *type)
{
    TwSetObject *so = (TwSetObject *)tw_object_new(type, 0);
    if (so == NULL)
        return NULL;
    so->fill = 0;
    so->used = 0;
    so->mask = 7;
    so->table = so->smalltable;
    so->finger = 0;
    return (TwObject *)so;
}

/* An active entry: a key that is neither empty nor the deleted marker
 * (the marker's hash is -1, which no real hash is). */
static inline int active(const TwSetEntry *e) { return e->key != NULL && e->hash != -1; }

/* Add every element of any iterable to the set s. */
static int update_from(TwObject *s, TwObject *other)
{
    if (tw_set_check(other) || tw_list_check(other) || tw_tuple_check(other) || tw_dict_check(other))
        return tw_set_update(s, other);
    TwObject *tmp = tw_frozenset_check(other) ? tw_set_copy(other) : tw_sequence_list(other);
    if (tmp == NULL)
        return -1;
    int rc = tw_set_update(s, tmp);
    tw_decref(tmp);
    return rc;
}

/* A fresh result gets the base type of `like`. */
static TwObject *retype(TwObject *result, TwObject *like)
{
    if (result != NULL && tw_frozenset_check(like))
        result->ob_type = &tw_frozenset_type; /* private, static types: no references move */
    return result;
}

TwObject *tw_frozenset_new(TwObject *iterable)
{
    TwObject *s = make_set(&tw_frozenset_type);
    if (s != NULL && iterable != NULL && update_from(s, iterable) < 0)
        TW_CLEAR(s);
    return s;
}

/* A set with the elements of `other` (new reference): other itself when
 * it already is a set or frozenset. */
static TwObject *as_anyset(TwObject *other)
{
    if (tw_anyset_check(other))
        return tw_newref(other);
    TwObject *s = tw_set_new();
    if (s != NULL && update_from(s, other) < 0)
        TW_CLEAR(s);
    return s;
}

/* a <= b for any two sets: sizes first, then membership of each element. */
static int anyset_issubset(TwObject *a, TwObject *b)
{
    if (tw_set_check(a) && tw_set_check(b))
        return tw_set_issubset(a, b);
    if (tw_set_size(a) > tw_set_size(b))
        return 0;
    TwObject *items = tw_set_to_list(a);
    if (items == NULL)
        return -1;
    int r = 1;
    intptr_t n = tw_list_size(items);
    for (intptr_t i = 0; i < n && r == 1; i++) {
        TwObject *x = tw_list_get_item(items, i);
        r = x ? tw_set_contains(b, x) : -1;
        tw_xdecref(x);
    }
    tw_decref(items);
    return r;
}

/* Retry a lookup of a set key as a frozenset (sets are unhashable). */
static TwObject *frozen_key(TwObject *key)
{
    if (!tw_set_check(key) || !tw_err_matches(&tw_exc_TypeError))
        return NULL;
    tw_err_clear();
    return tw_frozenset_new(key);
}

static int contains_key(TwObject *s, TwObject *key)
{
    int r = tw_set_contains(s, key);
    if (r < 0) {
        TwObject *fk = frozen_key(key);
        if (fk != NULL) {
            r = tw_set_contains(s, fk);
            tw_decref(fk);
        }
    }
    return r;
}

static int discard_key(TwObject *s, TwObject *key)
{
    int r = tw_set_discard(s, key);
    if (r < 0) {
        TwObject *fk = frozen_key(key);
        if (fk != NULL) {
            r = tw_set_discard(s, fk);
            tw_decref(fk);
        }
    }
    return r;
}

/* ---- the operations ---------------------------------------------------------------- */

/* a ^ b as CPython builds it: a copy of b, then each element of a is
 * discarded from it if present, else added. */
static TwObject *symmetric_difference(TwObject *a, TwObject *b)
{
    TwObject *r = tw_set_new();
    if (r == NULL || update_from(r, b) < 0) {
        tw_xdecref(r);
        return NULL;
    }
    TwObject *items = tw_set_to_list(a);
    if (items == NULL) {
        tw_decref(r);
        return NULL;
    }
    int rc = 0;
    for (intptr_t i = 0; i < tw_list_size(items) && rc == 0; i++) {
        TwObject *x = tw_list_get_item(items, i);
        int d = x ? tw_set_discard(r, x) : -1;
        rc = d < 0 ? -1 : d == 0 ? tw_set_add(r, x) : 0;
        tw_xdecref(x);
    }
    tw_decref(items);
    if (rc < 0)
        TW_CLEAR(r);
    return r;
}

/* s ^= other: for each element of other, remove it from s or add it. */
static int symmetric_difference_update(TwObject *s, TwObject *other)
{
    TwObject *o = as_anyset(other);
    if (o == NULL)
        return -1;
    TwObject *items = tw_set_to_list(o);
    tw_decref(o);
    if (items == NULL)
        return -1;
    int rc = 0;
    for (intptr_t i = 0; i < tw_list_size(items) && rc == 0; i++) {
        TwObject *x = tw_list_get_item(items, i);
        int d = x ? tw_set_discard(s, x) : -1;
        rc = d < 0 ? -1 : d == 0 ? tw_set_add(s, x) : 0;
        tw_xdecref(x);
    }
    tw_decref(items);
    return rc;
}

/* self & other for any iterable other: a set is probed directly; the items
 * of anything else are walked and kept when self has them. */
static TwObject *intersection_with(TwObject *self, TwObject *other)
{
    if (tw_anyset_check(other))
        return tw_set_intersection(self, other);
    TwObject *r = tw_set_new();
    TwObject *it = r ? tw_object_iter(other) : NULL;
    if (it == NULL) {
        tw_xdecref(r);
        return NULL;
    }
    TwObject *x;
    int rc = 0;
    while (rc == 0 && (x = tw_iter_next(it)) != NULL) {
        int in = tw_set_contains(self, x);
        rc = in < 0 ? -1 : in ? tw_set_add(r, x) : 0;
        tw_decref(x);
    }
    tw_decref(it);
    if (rc < 0 || tw_err_occurred())
        TW_CLEAR(r);
    return r;
}

/* Remove every element of other from s. */
static int difference_update(TwObject *s, TwObject *other)
{
    if (other == s) {
        tw_set_clear(s);
        return 0;
    }
    TwObject *items = tw_anyset_check(other) ? tw_set_to_list(other) : tw_sequence_list(other);
    if (items == NULL)
        return -1;
    int rc = 0;
    for (intptr_t i = 0; i < tw_list_size(items) && rc == 0; i++) {
        TwObject *x = tw_list_get_item(items, i);
        rc = x && tw_set_discard(s, x) >= 0 ? 0 : -1;
        tw_xdecref(x);
    }
    tw_decref(items);
    return rc;
}

static TwObject *difference_with(TwObject *self, TwObject *other)
{
    if (tw_anyset_check(other))
        return tw_set_difference(self, other);
    TwObject *r = tw_set_copy(self);
    if (r != NULL && difference_update(r, other) < 0)
        TW_CLEAR(r);
    return r;
}

/* Replace the contents of s with those of r (a set). */
static int assign_contents(TwObject *s, TwObject *r)
{
    tw_set_clear(s);
    return tw_set_update(s, r);
}

/* ---- operators ------------------------------------------------------------------------ */

#define BOTH_SETS(a, b)                                                                            \
    if (!tw_anyset_check(a) || !tw_anyset_check(b))                                                \
    return tw_newref(TW_NOTIMPLEMENTED)

static TwObject *set_or(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return retype(tw_set_union(a, b), a);
}

static TwObject *set_and(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return retype(tw_set_intersection(a, b), a);
}

static TwObject *set_sub(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return retype(tw_set_difference(a, b), a);
}

static TwObject *set_xor(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return retype(symmetric_difference(a, b), a);
}

static TwObject *self_or_null(TwObject *s, int rc) { return rc < 0 ? NULL : tw_newref(s); }

static TwObject *set_ior(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return self_or_null(a, update_from(a, b));
}

static TwObject *set_iand(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    TwObject *r = tw_set_intersection(a, b);
    if (r == NULL)
        return NULL;
    int rc = assign_contents(a, r);
    tw_decref(r);
    return self_or_null(a, rc);
}

static TwObject *set_isub(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return self_or_null(a, difference_update(a, b));
}

static TwObject *set_ixor(TwObject *a, TwObject *b)
{
    BOTH_SETS(a, b);
    return self_or_null(a, symmetric_difference_update(a, b));
}

static const TwNumberMethods set_as_number = {
    .nb_or = set_or,
    .nb_and = set_and,
    .nb_subtract = set_sub,
    .nb_xor = set_xor,
    .nb_inplace_or = set_ior,
    .nb_inplace_and = set_iand,
    .nb_inplace_subtract = set_isub,
    .nb_inplace_xor = set_ixor,
};

static const TwNumberMethods frozenset_as_number = {
    .nb_or = set_or,
    .nb_and = set_and,
    .nb_subtract = set_sub,
    .nb_xor = set_xor,
};

/* Subset comparisons between any two sets. */
static TwObject *anyset_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_anyset_check(b))
        return tw_compare_unsupported(a, b, op);
    intptr_t na = tw_set_size(a), nb = tw_set_size(b);
    int r;
    switch (op) {
    case TW_EQ:
    case TW_NE:
        r = na == nb ? anyset_issubset(a, b) : 0;
        if (r >= 0 && op == TW_NE)
            r = !r;
        break;
    case TW_LE:
        r = anyset_issubset(a, b);
        break;
    case TW_GE:
        r = anyset_issubset(b, a);
        break;
    case TW_LT:
        r = na < nb ? anyset_issubset(a, b) : 0;
        break;
    default:
        r = na > nb ? anyset_issubset(b, a) : 0;
        break;
    }
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

/* ---- iteration ----------------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *set;  /* NULL once exhausted */
    intptr_t pos;   /* next table index to look at */
    intptr_t used;  /* the set's size when the iterator was made; -1 after a size error */
} SetIterObject;

static TwObject *set_iter(TwObject *s)
{
    SetIterObject *it = (SetIterObject *)tw_object_new(&tw_set_iter_type, 0);
    if (it == NULL)
        return NULL;
    it->set = tw_newref(s);
    it->pos = 0;
    it->used = tw_set_size(s);
    return (TwObject *)it;
}

static void set_iter_dealloc(TwObject *op)
{
    TW_CLEAR(((SetIterObject *)op)->set);
    tw_object_free(op);
}

/* The next active entry under the set's section; RuntimeError once the
 * set's size differs from what it was when iteration began. */
static TwObject *set_iter_next(TwObject *op)
{
    SetIterObject *it = (SetIterObject *)op;
    if (it->set == NULL)
        return NULL;
    TwSetObject *so = SET(it->set);
    TwObject *key = NULL;
    int changed = 0;
    TW_BEGIN_CRITICAL_SECTION(so);
    if (so->used != it->used) {
        changed = 1;
    } else {
        intptr_t i = it->pos;
        while (i <= so->mask && !active(&so->table[i]))
            i++;
        if (i <= so->mask)
            key = tw_newref(so->table[i].key);
        it->pos = i + 1;
    }
    TW_END_CRITICAL_SECTION();
    if (changed) {
        it->used = -1; /* stays failed */
        tw_err_set_string(&tw_exc_RuntimeError, "Set changed size during iteration");
        return NULL;
    }
    if (key == NULL)
        TW_CLEAR(it->set);
    return key;
}

static TwObject *iter_self(TwObject *op) { return tw_newref(op); }

TwType tw_set_iter_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "set_iterator",
    .tp_basicsize = sizeof(SetIterObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = set_iter_dealloc,
    .tp_iter = iter_self,
    .tp_iternext = set_iter_next,
};

/* ---- slots ------------------------------------------------------------------------------------ */

static intptr_t set_len(TwObject *s) { return tw_set_size(s); }
static int set_contains_slot(TwObject *s, TwObject *key) { return contains_key(s, key); }

static tw_reprfunc set_repr_base; /* core/set.c's repr: "{...}" or "name()" */

/* "{1, 2}" for sets; "Name({1, 2})" for frozensets and subclasses. */
static TwObject *anyset_repr(TwObject *s)
{
    TwObject *r = set_repr_base(s);
    if (r == NULL || TW_TYPE(s) == &tw_set_type || tw_str_utf8(r)[0] != '{')
        return r;
    TwObject *w = tw_str_from_format("%s(%s)", TW_TYPE(s)->tp_name, tw_str_utf8(r));
    tw_decref(r);
    return w;
}

/* The frozenset hash CPython computes (so sets of frozensets iterate in
 * CPython's order): the xor of the shuffled hashes of the elements, mixed
 * with the size. */
static uint64_t shuffle_bits(uint64_t h) { return ((h ^ UINT64_C(89869747)) ^ (h << 16)) * UINT64_C(3644798167); }

static tw_hash_t frozenset_hash(TwObject *op)
{
    TwSetObject *so = SET(op);
    uint64_t h = 0;
    intptr_t used;
    TW_BEGIN_CRITICAL_SECTION(so);
    used = so->used;
    for (intptr_t i = 0; i <= so->mask; i++)
        if (active(&so->table[i]))
            h ^= shuffle_bits((uint64_t)so->table[i].hash);
    TW_END_CRITICAL_SECTION();
    h ^= ((uint64_t)used + 1) * UINT64_C(1927868237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h * UINT64_C(69069) + UINT64_C(907133923);
    if (h == UINT64_MAX)
        h = UINT64_C(590923713);
    return (tw_hash_t)h;
}

static TwObject *set_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return make_set(type);
}

static int set_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (TW_TYPE(self) == &tw_set_type && tw_arg_no_kwargs("set", kwnames) < 0)
        return -1;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "set expected at most 1 argument, got %zu", nargs);
        return -1;
    }
    tw_set_clear(self);
    return nargs ? update_from(self, args[0]) : 0;
}

static TwObject *frozenset_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (type == &tw_frozenset_type && tw_arg_no_kwargs("frozenset", kwnames) < 0)
        return NULL;
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "frozenset expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (type == &tw_frozenset_type && nargs == 1 && TW_TYPE(args[0]) == &tw_frozenset_type)
        return tw_newref(args[0]);
    TwObject *s = make_set(type);
    if (s != NULL && nargs == 1 && update_from(s, args[0]) < 0)
        TW_CLEAR(s);
    return s;
}

/* ---- methods ------------------------------------------------------------------------------------ */

static TwObject *none_or_null(int rc) { return rc < 0 ? NULL : tw_newref(TW_NONE); }

static TwObject *m_add(TwObject *self, TwObject *x) { return none_or_null(tw_set_add(self, x)); }
static TwObject *m_discard(TwObject *self, TwObject *x) { return none_or_null(discard_key(self, x)); }

static TwObject *m_remove(TwObject *self, TwObject *x)
{
    int r = discard_key(self, x);
    if (r == 0)
        tw_err_set_object(&tw_exc_KeyError, x);
    return r > 0 ? tw_newref(TW_NONE) : NULL;
}

static TwObject *m_pop(TwObject *self, TwObject *u) { return tw_set_pop(self); }

static TwObject *m_clear(TwObject *self, TwObject *u)
{
    tw_set_clear(self);
    return tw_newref(TW_NONE);
}

static TwObject *m_copy(TwObject *self, TwObject *u)
{
    if (TW_TYPE(self) == &tw_frozenset_type)
        return tw_newref(self);
    return retype(tw_set_copy(self), self);
}

static TwObject *m_union(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("union", kwnames) < 0)
        return NULL;
    TwObject *r = tw_set_copy(self);
    for (size_t i = 0; r != NULL && i < nargs; i++)
        if (update_from(r, args[i]) < 0)
            TW_CLEAR(r);
    return retype(r, self);
}

static TwObject *m_intersection(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("intersection", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return retype(tw_set_copy(self), self);
    TwObject *r = tw_newref(self);
    for (size_t i = 0; r != NULL && i < nargs; i++) {
        TwObject *next = intersection_with(r, args[i]);
        tw_decref(r);
        r = next;
    }
    if (r == self) {
        tw_decref(r);
        r = tw_set_copy(self);
    }
    return retype(r, self);
}

static TwObject *m_difference(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("difference", kwnames) < 0)
        return NULL;
    if (nargs == 0)
        return retype(tw_set_copy(self), self);
    TwObject *r = difference_with(self, args[0]);
    for (size_t i = 1; r != NULL && i < nargs; i++)
        if (difference_update(r, args[i]) < 0)
            TW_CLEAR(r);
    return retype(r, self);
}

static TwObject *m_symmetric_difference(TwObject *self, TwObject *other)
{
    return retype(symmetric_difference(self, other), self);
}

static TwObject *m_update(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("update", kwnames) < 0)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (update_from(self, args[i]) < 0)
            return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *m_intersection_update(TwObject *self, TwObject *const *args, size_t nargs,
                                       TwObject *kwnames)
{
    TwObject *r = m_intersection(self, args, nargs, kwnames);
    if (r == NULL)
        return NULL;
    int rc = assign_contents(self, r);
    tw_decref(r);
    return none_or_null(rc);
}

static TwObject *m_difference_update(TwObject *self, TwObject *const *args, size_t nargs,
                                     TwObject *kwnames)
{
    if (tw_arg_no_kwargs("difference_update", kwnames) < 0)
        return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (difference_update(self, args[i]) < 0)
            return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *m_symmetric_difference_update(TwObject *self, TwObject *other)
{
    return none_or_null(symmetric_difference_update(self, other));
}

static TwObject *m_issubset(TwObject *self, TwObject *other)
{
    TwObject *o = as_anyset(other);
    if (o == NULL)
        return NULL;
    int r = anyset_issubset(self, o);
    tw_decref(o);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *m_issuperset(TwObject *self, TwObject *other)
{
    TwObject *o = as_anyset(other);
    if (o == NULL)
        return NULL;
    int r = anyset_issubset(o, self);
    tw_decref(o);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *m_isdisjoint(TwObject *self, TwObject *other)
{
    TwObject *it = tw_object_iter(other);
    if (it == NULL)
        return NULL;
    TwObject *x;
    int disjoint = 1;
    while ((x = tw_iter_next(it)) != NULL) {
        int in = tw_set_contains(self, x);
        tw_decref(x);
        if (in != 0) {
            disjoint = in < 0 ? -1 : 0;
            break;
        }
    }
    tw_decref(it);
    if (disjoint < 0 || tw_err_occurred())
        return NULL;
    return tw_newref(tw_bool_from_long(disjoint));
}

#define M(name, fn, flags) {name, (void (*)(void))fn, flags, NULL}

static const TwMethodDef set_methods[] = {
    M("add", m_add, TW_METH_O),
    M("discard", m_discard, TW_METH_O),
    M("remove", m_remove, TW_METH_O),
    M("pop", m_pop, TW_METH_NOARGS),
    M("clear", m_clear, TW_METH_NOARGS),
    M("copy", m_copy, TW_METH_NOARGS),
    M("union", m_union, TW_METH_FASTCALL),
    M("intersection", m_intersection, TW_METH_FASTCALL),
    M("difference", m_difference, TW_METH_FASTCALL),
    M("symmetric_difference", m_symmetric_difference, TW_METH_O),
    M("update", m_update, TW_METH_FASTCALL),
    M("intersection_update", m_intersection_update, TW_METH_FASTCALL),
    M("difference_update", m_difference_update, TW_METH_FASTCALL),
    M("symmetric_difference_update", m_symmetric_difference_update, TW_METH_O),
    M("issubset", m_issubset, TW_METH_O),
    M("issuperset", m_issuperset, TW_METH_O),
    M("isdisjoint", m_isdisjoint, TW_METH_O),
    {NULL, NULL, 0, NULL},
};

static const TwMethodDef frozenset_methods[] = {
    M("copy", m_copy, TW_METH_NOARGS),
    M("union", m_union, TW_METH_FASTCALL),
    M("intersection", m_intersection, TW_METH_FASTCALL),
    M("difference", m_difference, TW_METH_FASTCALL),
    M("symmetric_difference", m_symmetric_difference, TW_METH_O),
    M("issubset", m_issubset, TW_METH_O),
    M("issuperset", m_issuperset, TW_METH_O),
    M("isdisjoint", m_isdisjoint, TW_METH_O),
    {NULL, NULL, 0, NULL},
};

#undef M

TwType tw_frozenset_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "frozenset",
    .tp_basicsize = sizeof(TwSetObject),
    .tp_flags = TW_TPFLAGS_BASETYPE | TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_hash = frozenset_hash,
    .tp_richcompare = anyset_richcompare,
    .tp_repr = anyset_repr,
    .tp_iter = set_iter,
    .tp_as_number = &frozenset_as_number,
    .tp_len = set_len,
    .tp_contains = set_contains_slot,
    .tp_new = frozenset_new,
    .tp_methods = frozenset_methods,
};

void tw_setmethods_init(void)
{
    TwType *t = &tw_set_type;
    if (set_repr_base == NULL)
        set_repr_base = t->tp_repr;
    t->tp_repr = anyset_repr;
    t->tp_richcompare = anyset_richcompare;
    t->tp_len = set_len;
    t->tp_contains = set_contains_slot;
    t->tp_iter = set_iter;
    t->tp_as_number = &set_as_number;
    t->tp_new = set_new;
    t->tp_init = set_init;
    t->tp_methods = set_methods;
    tw_frozenset_type.tp_dealloc = t->tp_dealloc; /* same layout, same release */
}
