/* dict's Python face: len, d[k] (with __missing__ for subclasses), `in`,
 * iteration, | and |=, dict(...) and the methods; the live views keys(),
 * values() and items() with their iterators.
 *
 * Everything goes through the C API of core/dict.c, each call one atomic
 * step under the dict's critical section.  An iterator walks the entries
 * with tw_dict_next_ref, which fails with "dictionary changed size during
 * iteration" once the dict's size differs from the one it saw first; the
 * iterator also compares the size at its first step with the size when it
 * was created.  Iterators and views are used by one thread at a time in
 * practice; their own fields are not locked. */
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"

/* ---- updating from any mapping or iterable of pairs ----------------------------------- */

/* d.update(other): a dict is merged in one step; an object with keys()
 * is read key by key; anything else must yield pairs. */
int tw_dict_merge_any(TwObject *d, TwObject *other)
{
    if (tw_dict_check(other))
        return tw_dict_update(d, other);
    TwObject *keys_meth = NULL;
    int has = tw_object_hasattr(other, tw_id_keys);
    if (has < 0)
        return -1;
    if (has) {
        TwObject *keys = tw_object_call_method(other, "keys", NULL, 0);
        (void)keys_meth;
        if (keys == NULL)
            return -1;
        TwObject *it = tw_object_iter(keys);
        tw_decref(keys);
        if (it == NULL)
            return -1;
        TwObject *k;
        int rc = 0;
        while (rc == 0 && (k = tw_iter_next(it)) != NULL) {
            TwObject *v = tw_object_getitem(other, k);
            rc = v ? tw_dict_set_item(d, k, v) : -1;
            tw_xdecref(v);
            tw_decref(k);
        }
        tw_decref(it);
        return rc < 0 || tw_err_occurred() ? -1 : 0;
    }
    TwObject *it = tw_object_iter(other);
    if (it == NULL)
        return -1;
    TwObject *item;
    intptr_t index = 0;
    int rc = 0;
    while (rc == 0 && (item = tw_iter_next(it)) != NULL) {
        TwObject *pair = tw_sequence_tuple(item);
        if (pair == NULL) {
            if (tw_err_matches(&tw_exc_TypeError)) {
                tw_err_clear();
                tw_err_format(&tw_exc_TypeError,
                              "cannot convert dictionary update sequence element #%lld to a sequence",
                              (long long)index);
            }
            rc = -1;
        } else if (tw_tuple_size(pair) != 2) {
            tw_err_format(&tw_exc_ValueError,
                          "dictionary update sequence element #%lld has length %lld; 2 is required",
                          (long long)index, (long long)tw_tuple_size(pair));
            rc = -1;
        } else {
            rc = tw_dict_set_item(d, tw_tuple_get_item_borrowed(pair, 0), tw_tuple_get_item_borrowed(pair, 1));
        }
        tw_xdecref(pair);
        tw_decref(item);
        index++;
    }
    tw_decref(it);
    return rc < 0 || tw_err_occurred() ? -1 : 0;
}

/* Keyword arguments of dict(...) / update(...): kwnames and their values,
 * which follow the nargs positional ones.  args may be NULL when there are
 * none of either (a call from C), so it is indexed only inside the loop. */
static int merge_kwargs(TwObject *d, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    for (size_t k = 0; k < tw_nkw(kwnames); k++) {
        TwObject *name = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        if (tw_dict_set_item(d, name, args[nargs + k]) < 0)
            return -1;
    }
    return 0;
}

/* ---- iterators --------------------------------------------------------------------------- */

enum { KEYS, VALUES, ITEMS };

typedef struct {
    TwObject ob_base;
    TwObject *dict;    /* NULL once exhausted */
    intptr_t pos;      /* tw_dict_next_ref's cursor */
    intptr_t size;     /* the dict's size when the iterator was made */
    int kind;
} DictIterObject;

static TwType *const iter_types[] = {&tw_dict_keyiter_type, &tw_dict_valueiter_type, &tw_dict_itemiter_type};

static TwObject *dict_iter_new(TwObject *d, int kind)
{
    DictIterObject *it = (DictIterObject *)tw_object_new(iter_types[kind], 0);
    if (it == NULL)
        return NULL;
    it->dict = tw_newref(d);
    it->pos = 0;
    it->size = tw_dict_size(d);
    it->kind = kind;
    return (TwObject *)it;
}

static void dict_iter_dealloc(TwObject *op)
{
    TW_CLEAR(((DictIterObject *)op)->dict);
    tw_object_free(op);
}

static TwObject *dict_iter_next(TwObject *op)
{
    DictIterObject *it = (DictIterObject *)op;
    if (it->dict == NULL)
        return NULL;
    if (it->pos == 0 && tw_dict_size(it->dict) != it->size) {
        tw_err_set_string(&tw_exc_RuntimeError, "dictionary changed size during iteration");
        return NULL;
    }
    TwObject *k = NULL, *v = NULL;
    int rc = tw_dict_next_ref(it->dict, &it->pos, it->kind == VALUES ? NULL : &k,
                              it->kind == KEYS ? NULL : &v);
    if (rc < 0)
        return NULL;
    if (rc == 0) {
        TW_CLEAR(it->dict);
        return NULL;
    }
    if (it->kind == KEYS)
        return k;
    if (it->kind == VALUES)
        return v;
    TwObject *pair = tw_tuple_new(2);
    if (pair == NULL) {
        tw_decref(k);
        tw_decref(v);
        return NULL;
    }
    tw_tuple_init_item(pair, 0, k);
    tw_tuple_init_item(pair, 1, v);
    return pair;
}

static TwObject *iter_self(TwObject *op) { return tw_newref(op); }

#define DICT_ITER_TYPE(cname, pyname)                                                              \
    TwType cname = {                                                                               \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = pyname,                                                                         \
        .tp_basicsize = sizeof(DictIterObject),                                                    \
        .tp_base = &tw_object_type,                                                                \
        .tp_dealloc = dict_iter_dealloc,                                                           \
        .tp_iter = iter_self,                                                                      \
        .tp_iternext = dict_iter_next,                                                             \
    }

DICT_ITER_TYPE(tw_dict_keyiter_type, "dict_keyiterator");
DICT_ITER_TYPE(tw_dict_valueiter_type, "dict_valueiterator");
DICT_ITER_TYPE(tw_dict_itemiter_type, "dict_itemiterator");

/* ---- views --------------------------------------------------------------------------------- */

typedef struct {
    TwObject ob_base;
    TwObject *dict; /* immutable */
} DictViewObject;

static TwType *const view_types[] = {&tw_dict_keys_type, &tw_dict_values_type, &tw_dict_items_type};

static TwObject *view_new(TwObject *d, int kind)
{
    DictViewObject *v = (DictViewObject *)tw_object_new(view_types[kind], 0);
    if (v != NULL)
        v->dict = tw_newref(d);
    return (TwObject *)v;
}

static int view_kind(TwObject *op)
{
    TwType *t = TW_TYPE(op);
    return t == &tw_dict_keys_type ? KEYS : t == &tw_dict_values_type ? VALUES : ITEMS;
}

static void view_dealloc(TwObject *op)
{
    tw_decref(((DictViewObject *)op)->dict);
    tw_object_free(op);
}

#define VDICT(op) (((DictViewObject *)(op))->dict)

static intptr_t view_len(TwObject *op) { return tw_dict_size(VDICT(op)); }
static TwObject *view_iter(TwObject *op) { return dict_iter_new(VDICT(op), view_kind(op)); }

/* "dict_keys([...])": the repr of a snapshot list. */
static TwObject *view_repr(TwObject *op)
{
    int kind = view_kind(op);
    int rc = tw_repr_enter(op);
    if (rc != 0)
        return rc > 0 ? tw_str_from_cstr("...") : NULL;
    TwObject *list = kind == KEYS ? tw_dict_keys(VDICT(op))
                     : kind == VALUES ? tw_dict_values(VDICT(op))
                                      : tw_dict_items(VDICT(op));
    TwObject *r = NULL;
    if (list != NULL) {
        TwObject *lr = tw_object_repr(list);
        if (lr != NULL) {
            r = tw_str_from_format("%s(%s)", TW_TYPE(op)->tp_name, tw_str_utf8(lr));
            tw_decref(lr);
        }
        tw_decref(list);
    }
    tw_repr_leave(op);
    return r;
}

static int keys_contains(TwObject *op, TwObject *key) { return tw_dict_contains(VDICT(op), key); }

/* (k, v) in d.items(): d has k and its value equals v. */
static int items_contains(TwObject *op, TwObject *item)
{
    if (!tw_tuple_check(item) || tw_tuple_size(item) != 2)
        return 0;
    TwObject *v;
    int rc = tw_dict_get_item_ref(VDICT(op), tw_tuple_get_item_borrowed(item, 0), &v);
    if (rc <= 0)
        return rc;
    int eq = tw_object_richcompare_bool(v, tw_tuple_get_item_borrowed(item, 1), TW_EQ);
    tw_decref(v);
    return eq;
}

/* A set holding the items of any iterable (views included). */
static TwObject *set_of(TwObject *iterable)
{
    TwObject *s = tw_set_new();
    if (s == NULL)
        return NULL;
    TwObject *tmp = NULL;
    if (!tw_set_check(iterable) && !tw_list_check(iterable) && !tw_tuple_check(iterable) &&
        !tw_dict_check(iterable)) {
        tmp = tw_sequence_list(iterable);
        if (tmp == NULL) {
            tw_decref(s);
            return NULL;
        }
        iterable = tmp;
    }
    int rc = tw_set_update(s, iterable);
    tw_xdecref(tmp);
    if (rc < 0)
        TW_CLEAR(s);
    return s;
}

static int is_setlike_view(TwObject *o)
{
    return TW_TYPE(o) == &tw_dict_keys_type || TW_TYPE(o) == &tw_dict_items_type;
}

/* keys() and items() views act as sets for &, |, -, ^ (results are sets). */
static TwObject *view_setop(TwObject *a, TwObject *b, TwObject *(*op)(TwObject *, TwObject *))
{
    if (!is_setlike_view(a) && !is_setlike_view(b))
        return tw_newref(TW_NOTIMPLEMENTED);
    TwObject *sa = set_of(a);
    if (sa == NULL)
        return NULL;
    TwObject *sb = set_of(b);
    if (sb == NULL) {
        tw_decref(sa);
        return NULL;
    }
    TwObject *r = op(sa, sb);
    tw_decref(sa);
    tw_decref(sb);
    return r;
}

static TwObject *view_and(TwObject *a, TwObject *b) { return view_setop(a, b, tw_number_and); }
static TwObject *view_or(TwObject *a, TwObject *b) { return view_setop(a, b, tw_number_or); }
static TwObject *view_sub(TwObject *a, TwObject *b) { return view_setop(a, b, tw_number_subtract); }
static TwObject *view_xor(TwObject *a, TwObject *b) { return view_setop(a, b, tw_number_xor); }

static const TwNumberMethods view_as_number = {
    .nb_and = view_and,
    .nb_or = view_or,
    .nb_subtract = view_sub,
    .nb_xor = view_xor,
};

/* Set-like views compare as sets with sets and other set-like views. */
static TwObject *view_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!is_setlike_view(b) && !tw_anyset_check(b))
        return tw_compare_unsupported(a, b, op);
    TwObject *sa = set_of(a);
    if (sa == NULL)
        return NULL;
    TwObject *sb = set_of(b);
    if (sb == NULL) {
        tw_decref(sa);
        return NULL;
    }
    TwObject *r = tw_object_richcompare(sa, sb, op);
    tw_decref(sa);
    tw_decref(sb);
    return r;
}

static TwObject *view_isdisjoint(TwObject *self, TwObject *other)
{
    TwObject *it = tw_object_iter(other);
    if (it == NULL)
        return NULL;
    TwObject *x;
    int disjoint = 1;
    while ((x = tw_iter_next(it)) != NULL) {
        int in = tw_sequence_contains(self, x);
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

static TwObject *view_reversed(TwObject *self, TwObject *u)
{
    TwObject *list = view_kind(self) == KEYS ? tw_dict_keys(VDICT(self))
                     : view_kind(self) == VALUES ? tw_dict_values(VDICT(self))
                                                 : tw_dict_items(VDICT(self));
    if (list == NULL)
        return NULL;
    TwObject *it = tw_list_reviter_new(list);
    tw_decref(list);
    return it;
}

static TwObject *view_get_mapping(TwObject *op, void *c) { return tw_mappingproxy_new(VDICT(op)); }

static const TwMethodDef view_methods[] = {
    {"isdisjoint", (void (*)(void))view_isdisjoint, TW_METH_O, NULL},
    {"__reversed__", (void (*)(void))view_reversed, TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwMethodDef values_methods[] = {
    {"__reversed__", (void (*)(void))view_reversed, TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef view_getset[] = {
    {"mapping", view_get_mapping, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_dict_keys_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "dict_keys",
    .tp_basicsize = sizeof(DictViewObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = view_dealloc,
    .tp_richcompare = view_richcompare,
    .tp_repr = view_repr,
    .tp_iter = view_iter,
    .tp_as_number = &view_as_number,
    .tp_len = view_len,
    .tp_contains = keys_contains,
    .tp_methods = view_methods,
    .tp_getset = view_getset,
};

TwType tw_dict_items_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "dict_items",
    .tp_basicsize = sizeof(DictViewObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = view_dealloc,
    .tp_richcompare = view_richcompare,
    .tp_repr = view_repr,
    .tp_iter = view_iter,
    .tp_as_number = &view_as_number,
    .tp_len = view_len,
    .tp_contains = items_contains,
    .tp_methods = view_methods,
    .tp_getset = view_getset,
};

TwType tw_dict_values_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "dict_values",
    .tp_basicsize = sizeof(DictViewObject),
    .tp_base = &tw_object_type,
    .tp_dealloc = view_dealloc,
    .tp_repr = view_repr,
    .tp_iter = view_iter,
    .tp_len = view_len,
    .tp_methods = values_methods,
    .tp_getset = view_getset,
};

/* ---- dict's protocol slots ------------------------------------------------------------------ */

static intptr_t dict_len(TwObject *op) { return tw_dict_size(op); }

/* d[k]; a subclass's __missing__(k) answers for absent keys. */
static TwObject *dict_subscript(TwObject *op, TwObject *key)
{
    TwObject *v;
    int rc = tw_dict_get_item_ref(op, key, &v);
    if (rc > 0)
        return v;
    if (rc < 0)
        return NULL;
    if (TW_TYPE(op) != &tw_dict_type) {
        int found;
        TwObject *r = tw_call_special(op, tw_id___missing__, &key, 1, &found);
        if (found)
            return r;
    }
    tw_err_set_object(&tw_exc_KeyError, key);
    return NULL;
}

static int dict_ass_subscript(TwObject *op, TwObject *key, TwObject *value)
{
    if (value != NULL)
        return tw_dict_set_item(op, key, value);
    return tw_dict_del_item(op, key);
}

static int dict_contains_slot(TwObject *op, TwObject *key) { return tw_dict_contains(op, key); }
static TwObject *dict_iter(TwObject *op) { return dict_iter_new(op, KEYS); }

/* d | other: a copy of d updated with other (both dicts). */
static TwObject *dict_or(TwObject *a, TwObject *b)
{
    if (!tw_dict_check(a) || !tw_dict_check(b))
        return tw_newref(TW_NOTIMPLEMENTED);
    TwObject *r = tw_dict_copy(a);
    if (r != NULL && tw_dict_update(r, b) < 0)
        TW_CLEAR(r);
    return r;
}

static TwObject *dict_ior(TwObject *a, TwObject *b)
{
    if (tw_dict_merge_any(a, b) < 0)
        return NULL;
    return tw_newref(a);
}

static const TwNumberMethods dict_as_number = {
    .nb_or = dict_or,
    .nb_inplace_or = dict_ior,
};

static TwObject *dict_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return tw_object_new(type, 0); /* all zero: an empty dict */
}

/* dict(), dict(mapping_or_pairs), dict(..., **kwargs). */
static int dict_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "dict expected at most 1 argument, got %zu", nargs);
        return -1;
    }
    if (nargs == 1 && tw_dict_merge_any(self, args[0]) < 0)
        return -1;
    return merge_kwargs(self, args, nargs, kwnames);
}

/* ---- methods ------------------------------------------------------------------------------------ */

static TwObject *m_get(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", NULL};
    static const TwArgSpec spec = {"get", names, 2, 1, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwObject *v;
    int rc = tw_dict_get_item_ref(self, a[0], &v);
    if (rc < 0)
        return NULL;
    if (rc > 0)
        return v;
    return tw_newref(a[1] ? a[1] : TW_NONE);
}

static TwObject *m_setdefault(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", NULL};
    static const TwArgSpec spec = {"setdefault", names, 2, 1, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwObject *r;
    if (tw_dict_set_default_ref(self, a[0], a[1] ? a[1] : TW_NONE, &r) < 0)
        return NULL;
    return r;
}

static TwObject *m_pop(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", NULL};
    static const TwArgSpec spec = {"pop", names, 2, 1, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    return tw_dict_pop(self, a[0], a[1]);
}

static TwObject *m_popitem(TwObject *self, TwObject *u) { return tw_dict_popitem(self); }

static TwObject *m_update(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs > 1) {
        tw_err_format(&tw_exc_TypeError, "update expected at most 1 argument, got %zu", nargs);
        return NULL;
    }
    if (nargs == 1 && tw_dict_merge_any(self, args[0]) < 0)
        return NULL;
    if (merge_kwargs(self, args, nargs, kwnames) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *m_keys(TwObject *self, TwObject *u) { return view_new(self, KEYS); }
static TwObject *m_values(TwObject *self, TwObject *u) { return view_new(self, VALUES); }
static TwObject *m_items(TwObject *self, TwObject *u) { return view_new(self, ITEMS); }
static TwObject *m_copy(TwObject *self, TwObject *u) { return tw_dict_copy(self); }

static TwObject *m_clear(TwObject *self, TwObject *u)
{
    tw_dict_clear(self);
    return tw_newref(TW_NONE);
}

/* dict.fromkeys(iterable, value=None): cls() filled with the keys. */
static TwObject *m_fromkeys(TwObject *cls, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"", "", NULL};
    static const TwArgSpec spec = {"fromkeys", names, 2, 1, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwObject *d = tw_object_call_noargs(cls);
    if (d == NULL)
        return NULL;
    TwObject *value = a[1] ? a[1] : TW_NONE;
    TwObject *it = tw_object_iter(a[0]);
    if (it == NULL) {
        tw_decref(d);
        return NULL;
    }
    TwObject *k;
    int rc = 0;
    while (rc == 0 && (k = tw_iter_next(it)) != NULL) {
        rc = tw_object_setitem(d, k, value);
        tw_decref(k);
    }
    tw_decref(it);
    if (rc < 0 || tw_err_occurred())
        TW_CLEAR(d);
    return d;
}

static TwObject *m_reversed(TwObject *self, TwObject *u)
{
    TwObject *keys = tw_dict_keys(self);
    if (keys == NULL)
        return NULL;
    TwObject *it = tw_list_reviter_new(keys);
    tw_decref(keys);
    return it;
}

static const TwMethodDef dict_methods[] = {
    {"get", (void (*)(void))m_get, TW_METH_FASTCALL, NULL},
    {"setdefault", (void (*)(void))m_setdefault, TW_METH_FASTCALL, NULL},
    {"pop", (void (*)(void))m_pop, TW_METH_FASTCALL, NULL},
    {"popitem", (void (*)(void))m_popitem, TW_METH_NOARGS, NULL},
    {"update", (void (*)(void))m_update, TW_METH_FASTCALL, NULL},
    {"keys", (void (*)(void))m_keys, TW_METH_NOARGS, NULL},
    {"values", (void (*)(void))m_values, TW_METH_NOARGS, NULL},
    {"items", (void (*)(void))m_items, TW_METH_NOARGS, NULL},
    {"copy", (void (*)(void))m_copy, TW_METH_NOARGS, NULL},
    {"clear", (void (*)(void))m_clear, TW_METH_NOARGS, NULL},
    {"fromkeys", (void (*)(void))m_fromkeys, TW_METH_FASTCALL | TW_METH_CLASS, NULL},
    {"__reversed__", (void (*)(void))m_reversed, TW_METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

void tw_dictmethods_init(void)
{
    TwType *t = &tw_dict_type;
    t->tp_len = dict_len;
    t->tp_getitem = dict_subscript;
    t->tp_setitem = dict_ass_subscript;
    t->tp_contains = dict_contains_slot;
    t->tp_iter = dict_iter;
    t->tp_as_number = &dict_as_number;
    t->tp_new = dict_new;
    t->tp_init = dict_init;
    t->tp_methods = dict_methods;
}
