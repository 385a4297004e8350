/* Type objects: readying the static types, classes created at run time
 * (heap types), the C3 method resolution order, attribute lookup through
 * the MRO with a lock-free cache, generic getattr/setattr for instances,
 * the slots of Python classes (which call special methods found through
 * the MRO) and the slot wrappers that expose C slots as __add__ & co.
 *
 * Readying.  tw_type_ready fills a static type's namespace (tp_dict) with
 * wrappers for the slots it defines, its TwMethodDef and TwGetSetDef
 * tables, computes tp_bases and tp_mro and copies the slots it leaves NULL
 * from its bases.  A static type's namespace never changes afterwards and
 * every object in it is immortal.
 *
 * Versions and the attribute cache.  Every ready type has a tp_version, a
 * process-unique number taken from a global counter.  Changing a class's
 * namespace gives it, and each of its subclasses (recursively), a fresh
 * number, before and after the change.  The cache maps (version, interned
 * name) to the lookup result; an entry is a small seqlock so readers never
 * lock.  A reader only trusts an entry whose version equals the type's
 * current version; a writer stores the version it read BEFORE walking the
 * MRO, so a result that a concurrent change made stale is stored under a
 * version that change has already retired.  Entries hold borrowed
 * pointers: a reader checks the version, then takes its reference.  That
 * is safe because a value found in a class namespace is never freed while
 * another thread might be between those two steps: static types'
 * namespaces never change, and a value a heap type's namespace drops is
 * released only when no other thread exists or a GIL serialises threads;
 * otherwise its reference is kept forever (release_class_value).  Class
 * attributes are rebound rarely; the leak is the price of lock-free
 * lookups.  Nothing outside this file may change tp_dict directly.
 *
 * Locks.  type_lock serialises readying, class creation, namespace changes
 * of heap types (with the version bumps and slot updates they imply) and
 * the subclass lists.  It is never held while Python code runs.  Assigning
 * a special method to a live class (A.__add__ = f) rewrites slot pointers
 * that other threads read without a lock: they see the old or the new
 * function, both valid.
 *
 * Lifetimes.  Classes refer to themselves (the MRO, and usually the
 * functions of their namespace through module globals), and twinpy has no
 * cycle collector, so most classes live until the process ends; a class
 * made from C and dropped is freed (typeobject.h explains the MRO's
 * unowned first item).
 *
 * Not modelled: __slots__ (an ordinary class attribute; instances keep a
 * __dict__), __del__, weak references, assigning __class__ or __bases__,
 * and a metaclass's __instancecheck__/__subclasscheck__ in isinstance. */
#include <stdio.h>
#include <string.h>

#include "core/tstate.h"
#include "core/typeobject.h"

static TwMutex type_lock; /* see the file comment */
static _Thread_local int type_lock_depth; /* thread-local: type_lock is re-entrant for its holder */

/* Take type_lock; a thread that holds it already just counts (an error
 * raised while readying a type readies the exception class). */
static void type_lock_acquire(void)
{
    if (type_lock_depth++ == 0)
        tw_mutex_lock(&type_lock);
}

static void type_lock_release(void)
{
    if (--type_lock_depth == 0)
        tw_mutex_unlock(&type_lock);
}

/* ---- interned names ------------------------------------------------------ */

#define SPECIAL_NAMES(X)                                                                           \
    X(__init__) X(__new__) X(__dict__) X(__class__) X(__module__) X(__qualname__) X(__name__)      \
    X(__doc__) X(__hash__) X(__eq__) X(__ne__) X(__lt__) X(__le__) X(__gt__) X(__ge__)             \
    X(__getattr__) X(__getattribute__) X(__setattr__) X(__delattr__) X(__len__) X(__bool__)        \
    X(__iter__) X(__next__) X(__missing__) X(__set_name__) X(__init_subclass__) X(__format__)      \
    X(__classcell__) X(__index__) X(__reversed__) X(keys) X(__getitem__) X(__setitem__)            \
    X(__delitem__) X(__contains__) X(__repr__) X(__str__) X(__call__) X(__get__) X(__set__)        \
    X(__delete__) X(__add__) X(__radd__) X(__sub__) X(__rsub__) X(__mul__) X(__rmul__)            \
    X(__truediv__) X(__rtruediv__) X(__floordiv__) X(__rfloordiv__) X(__mod__) X(__rmod__)        \
    X(__lshift__) X(__rlshift__) X(__rshift__) X(__rrshift__) X(__and__) X(__rand__) X(__or__)    \
    X(__ror__) X(__xor__) X(__rxor__) X(__divmod__) X(__rdivmod__) X(__matmul__) X(__rmatmul__)   \
    X(__pow__) X(__rpow__) X(__neg__) X(__pos__) X(__abs__) X(__invert__) X(__int__)              \
    X(__float__) X(__iadd__) X(__isub__) X(__imul__) X(__itruediv__) X(__ifloordiv__)             \
    X(__imod__) X(__ilshift__) X(__irshift__) X(__iand__) X(__ior__) X(__ixor__) X(__imatmul__)   \
    X(__ipow__) X(__class_getitem__) X(__slots__) X(__weakref__) X(__abstractmethods__)

#define DEFINE_ID(n) TwObject *tw_id_##n;
SPECIAL_NAMES(DEFINE_ID)
#undef DEFINE_ID

static int intern_special_names(void)
{
#define INIT_ID(n)                                                                                 \
    if ((tw_id_##n = tw_str_intern_cstr(#n)) == NULL)                                              \
        return -1;
    SPECIAL_NAMES(INIT_ID)
#undef INIT_ID
    return 0;
}

/* ---- versions ------------------------------------------------------------- */

static _Atomic uint64_t next_version = 1; /* atomic; the next unused version */

/* tp_version is a plain uint64_t in TwType; every access goes through this
 * view of it as an atomic (same size and alignment). */
static inline _Atomic uint64_t *version_slot(TwType *t) { return (_Atomic uint64_t *)&t->tp_version; }

uint64_t tw_type_version(TwType *type) { return tw_atomic_load_acquire(version_slot(type)); }

static void assign_new_version(TwType *t)
{
    tw_atomic_store_release(version_slot(t), tw_atomic_add_relaxed(&next_version, 1));
}

/* Retire the versions of t and of every class below it.  Caller holds
 * type_lock (the subclass lists). */
static void type_modified(TwType *t)
{
    assign_new_version(t);
    if (!tw_type_is_heap(t))
        return;
    TwHeapType *ht = (TwHeapType *)t;
    for (intptr_t i = 0; i < ht->nsubclasses; i++)
        type_modified(ht->subclasses[i]);
}

/* Release a value a heap type's namespace no longer holds (see the file
 * comment): with other threads running without a GIL, one of them may have
 * just read it from the attribute cache and not yet taken its reference,
 * so the reference is kept instead.  Call after the version bumps that
 * retired the value, with type_lock released.  The thread count is read
 * under the runtime's thread-list mutex, which also orders it after the
 * bumps for a thread that registers later (it then sees the new version). */
static void release_class_value(TwObject *old)
{
    if (old == NULL)
        return;
    if (tw_gil_is_enabled()) {
        tw_decref(old);
        return;
    }
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    int alone = tw_runtime.thread_count <= 1;
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
    if (alone)
        tw_decref(old);
    /* else: kept alive on purpose */
}

/* ---- the attribute cache --------------------------------------------------- */

#define CACHE_BITS 12
#define CACHE_SIZE (1u << CACHE_BITS)

typedef struct {
    _Atomic uint32_t seq;     /* odd while a writer fills the entry */
    _Atomic uint64_t version; /* the type version the result belongs to */
    _Atomic(TwObject *) name; /* interned (immortal) str */
    _Atomic(TwObject *) value; /* borrowed; NULL = "not found" */
} CacheEntry;

static CacheEntry type_cache[CACHE_SIZE]; /* lock-free; see the file comment */

static inline CacheEntry *cache_entry(uint64_t version, TwObject *name)
{
    uint64_t h = (version * UINT64_C(0x9E3779B97F4A7C15)) ^ ((uintptr_t)name >> 4);
    return &type_cache[(h ^ (h >> 29)) & (CACHE_SIZE - 1)];
}

/* 1 and *value (borrowed) on a hit. */
static inline int cache_get(uint64_t version, TwObject *name, TwObject **value)
{
    CacheEntry *e = cache_entry(version, name);
    uint32_t s1 = tw_atomic_load_acquire(&e->seq);
    if (s1 & 1)
        return 0;
    if (tw_atomic_load_relaxed(&e->version) != version || tw_atomic_load_relaxed(&e->name) != name)
        return 0;
    TwObject *v = tw_atomic_load_relaxed(&e->value);
    atomic_thread_fence(memory_order_acquire);
    if (tw_atomic_load_relaxed(&e->seq) != s1)
        return 0;
    *value = v;
    return 1;
}

static void cache_put(uint64_t version, TwObject *name, TwObject *value)
{
    CacheEntry *e = cache_entry(version, name);
    uint32_t s = tw_atomic_load_relaxed(&e->seq);
    if (s & 1)
        return; /* another writer is busy here: skip */
    if (!tw_atomic_cas_strong_acqrel(&e->seq, &s, s + 1))
        return;
    atomic_thread_fence(memory_order_release);
    tw_atomic_store_relaxed(&e->version, version);
    tw_atomic_store_relaxed(&e->name, name);
    tw_atomic_store_relaxed(&e->value, value);
    tw_atomic_store_release(&e->seq, s + 2);
}

static inline int name_is_cacheable(TwObject *name)
{
    return TW_TYPE(name) == &tw_str_type && ((TwStrObject *)name)->interned;
}

/* ---- lookup through the MRO ---------------------------------------------- */

/* The first binding of name in type's MRO (new reference) or NULL.  Each
 * dict lookup is one atomic step under that dict's lock. */
static TwObject *find_in_mro(TwType *type, TwObject *name)
{
    TwObject *mro = type->tp_mro;
    TwObject *res = NULL;
    if (mro == NULL) {
        for (TwType *t = type; t != NULL; t = t->tp_base) {
            if (t->tp_dict != NULL && tw_dict_get_item_ref(t->tp_dict, name, &res) != 0)
                break;
        }
    } else {
        intptr_t n = tw_tuple_size(mro);
        for (intptr_t i = 0; i < n; i++) {
            TwType *t = (TwType *)tw_tuple_get_item_borrowed(mro, i);
            if (t->tp_dict != NULL && tw_dict_get_item_ref(t->tp_dict, name, &res) != 0)
                break;
        }
    }
    if (res == NULL && tw_err_occurred())
        tw_err_clear(); /* str keys cannot fail; never report a lookup error */
    return res;
}

TwObject *tw_type_lookup_ref(TwType *type, TwObject *name)
{
    if (tw_unlikely(!tw_atomic_load_acquire(&type->tp_ready))) {
        TwObject *exc = tw_err_fetch();
        int rc = tw_type_ready(type);
        if (rc < 0)
            tw_err_clear();
        if (exc != NULL)
            tw_err_restore(exc);
    }
    uint64_t version = tw_type_version(type);
    int cacheable = version != 0 && name_is_cacheable(name);
    TwObject *res;
    if (cacheable && cache_get(version, name, &res))
        return res ? tw_newref(res) : NULL;
    res = find_in_mro(type, name);
    if (cacheable)
        cache_put(version, name, res);
    return res;
}

TwObject *tw_type_lookup(TwType *type, TwObject *name)
{
    TwObject *res = tw_type_lookup_ref(type, name);
    if (res != NULL)
        tw_decref(res); /* the class's dict keeps it alive */
    return res;
}

/* ---- slot access by offset -------------------------------------------------- */

static inline void **type_slot_ptr(TwType *t, const TwSlotDef *sd)
{
    if (sd->in_number) {
        if (t->tp_as_number == NULL)
            return NULL;
        return (void **)((char *)t->tp_as_number + sd->offset);
    }
    return (void **)((char *)t + sd->offset);
}

static inline void *type_slot(TwType *t, const TwSlotDef *sd)
{
    void **p = type_slot_ptr(t, sd);
    return p ? *p : NULL;
}

/* ---- the slot definitions ----------------------------------------------------
 * (the generic slot functions and the wrappers come later in this file) */

static const TwSlotDef slotdefs[];
static TwObject *slotdef_name(const TwSlotDef *sd);

/* ---- C3 linearisation ---------------------------------------------------- */

/* Is t in the tail (everything after index `start`) of list seq? */
static int tail_contains(TwType **seq, intptr_t start, intptr_t n, TwType *t)
{
    for (intptr_t i = start + 1; i < n; i++)
        if (seq[i] == t)
            return 1;
    return 0;
}

/* TypeError naming the classes that could not be ordered: the remaining
 * heads, each once, in order. */
static void mro_error(TwType ***seqs, intptr_t *lens, intptr_t *pos, intptr_t nseqs)
{
    char buf[512];
    size_t used = 0;
    buf[0] = '\0';
    TwType *seen[64];
    int nseen = 0;
    for (intptr_t i = 0; i < nseqs; i++) {
        if (pos[i] >= lens[i])
            continue;
        TwType *h = seqs[i][pos[i]];
        int dup = 0;
        for (int k = 0; k < nseen; k++)
            dup |= seen[k] == h;
        if (dup)
            continue;
        if (nseen < 64)
            seen[nseen++] = h;
        TwObject *nm = tw_type_get_name(h);
        const char *s = nm ? tw_str_utf8(nm) : "?";
        int w = snprintf(buf + used, sizeof buf - used, "%s%s", used ? ", " : "", s);
        tw_xdecref(nm);
        if (w > 0 && (size_t)w < sizeof buf - used)
            used += (size_t)w;
    }
    tw_err_clear();
    tw_err_format(&tw_exc_TypeError,
                  "Cannot create a consistent method resolution order (MRO) for bases %s", buf);
}

/* C3: type followed by the merge of its bases' MROs and the list of bases.
 * A new tuple whose item 0 is `type` (a counted reference; heap types drop
 * it, see typeobject.h), or NULL with TypeError. */
static TwObject *compute_mro(TwType *type, TwObject *bases)
{
    intptr_t nbases = tw_tuple_size(bases);
    intptr_t nseqs = nbases + 1;
    TwType ***seqs = tw_mem_calloc((size_t)nseqs, sizeof(TwType **));
    intptr_t *lens = tw_mem_calloc((size_t)nseqs, sizeof(intptr_t));
    intptr_t *pos = tw_mem_calloc((size_t)nseqs, sizeof(intptr_t));
    TwType **out = NULL;
    TwObject *result = NULL;
    intptr_t total = 1, nout = 0;
    if (seqs == NULL || lens == NULL || pos == NULL)
        goto nomem;
    for (intptr_t i = 0; i < nbases; i++) {
        TwType *b = (TwType *)tw_tuple_get_item_borrowed(bases, i);
        TwObject *bm = b->tp_mro;
        intptr_t n = bm ? tw_tuple_size(bm) : 1;
        seqs[i] = tw_mem_malloc((size_t)n * sizeof(TwType *));
        if (seqs[i] == NULL)
            goto nomem;
        for (intptr_t k = 0; k < n; k++)
            seqs[i][k] = bm ? (TwType *)tw_tuple_get_item_borrowed(bm, k) : b;
        lens[i] = n;
        total += n;
    }
    seqs[nbases] = tw_mem_malloc((size_t)(nbases ? nbases : 1) * sizeof(TwType *));
    if (seqs[nbases] == NULL)
        goto nomem;
    for (intptr_t i = 0; i < nbases; i++)
        seqs[nbases][i] = (TwType *)tw_tuple_get_item_borrowed(bases, i);
    lens[nbases] = nbases;
    out = tw_mem_malloc((size_t)total * sizeof(TwType *));
    if (out == NULL)
        goto nomem;
    out[nout++] = type;
    for (;;) {
        int remaining = 0;
        TwType *pick = NULL;
        for (intptr_t i = 0; i < nseqs && pick == NULL; i++) {
            if (pos[i] >= lens[i])
                continue;
            remaining = 1;
            TwType *cand = seqs[i][pos[i]];
            int ok = 1;
            for (intptr_t j = 0; j < nseqs && ok; j++)
                if (pos[j] < lens[j] && tail_contains(seqs[j], pos[j], lens[j], cand))
                    ok = 0;
            if (ok)
                pick = cand;
        }
        if (!remaining)
            break;
        if (pick == NULL) {
            mro_error(seqs, lens, pos, nseqs);
            goto done;
        }
        out[nout++] = pick;
        for (intptr_t i = 0; i < nseqs; i++)
            if (pos[i] < lens[i] && seqs[i][pos[i]] == pick)
                pos[i]++;
    }
    result = tw_tuple_new(nout);
    if (result != NULL)
        for (intptr_t i = 0; i < nout; i++)
            tw_tuple_init_item(result, i, tw_newref((TwObject *)out[i]));
    goto done;
nomem:
    tw_err_no_memory();
done:
    if (seqs != NULL)
        for (intptr_t i = 0; i < nseqs; i++)
            tw_mem_free(seqs[i]);
    tw_mem_free(seqs);
    tw_mem_free(lens);
    tw_mem_free(pos);
    tw_mem_free(out);
    return result;
}

/* ---- slot inheritance --------------------------------------------------------- */

static void object_dealloc(TwObject *op);
static TwObject *object_richcompare(TwObject *a, TwObject *b, int op);
static tw_hash_t object_hash(TwObject *op);
static void subtype_dealloc(TwObject *op);
static TwObject *type_getattro(TwObject *op, TwObject *name);

#define INHERIT(field)                                                                             \
    if (type->field == NULL)                                                                       \
    type->field = base->field

/* Copy into `type` the slots it leaves empty from `base` (one class of
 * its MRO, nearest first).  Number slots: a heap type owns its
 * TwNumberMethods and inherits each entry; a static type without one
 * shares its base's table. */
static void inherit_slots(TwType *type, TwType *base)
{
    if (base->tp_as_number != NULL) {
        if (tw_type_is_heap(type)) {
            TwNumberMethods *nb = &((TwHeapType *)type)->as_number;
            const TwNumberMethods *bn = base->tp_as_number;
            void **dst = (void **)nb;
            void *const *src = (void *const *)bn;
            for (size_t i = 0; i < sizeof(TwNumberMethods) / sizeof(void *); i++)
                if (dst[i] == NULL)
                    dst[i] = src[i];
        } else if (type->tp_as_number == NULL) {
            type->tp_as_number = base->tp_as_number;
        }
    }
    if (type->tp_basicsize == 0)
        type->tp_basicsize = base->tp_basicsize;
    if (type->tp_itemsize == 0)
        type->tp_itemsize = base->tp_itemsize;
    if (type->tp_dictoffset == 0)
        type->tp_dictoffset = base->tp_dictoffset;
    type->tp_flags |= base->tp_flags & (TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_TYPE_SUBCLASS);
    INHERIT(tp_dealloc);
    /* Hash and comparison go together: a type that defines either keeps
     * both of its own (a NULL hash then means unhashable). */
    if (type->tp_richcompare == NULL && type->tp_hash == NULL) {
        type->tp_richcompare = base->tp_richcompare;
        type->tp_hash = base->tp_hash;
    }
    INHERIT(tp_repr);
    INHERIT(tp_str);
    INHERIT(tp_getattro);
    INHERIT(tp_setattro);
    INHERIT(tp_call);
    INHERIT(tp_iter);
    INHERIT(tp_iternext);
    INHERIT(tp_len);
    INHERIT(tp_getitem);
    INHERIT(tp_setitem);
    INHERIT(tp_contains);
    INHERIT(tp_descr_get);
    INHERIT(tp_descr_set);
    INHERIT(tp_init);
    /* A static type whose base is object and that names no tp_new cannot
     * be instantiated from Python (iterators, descriptors, NoneType). */
    if (type->tp_new == NULL && (tw_type_is_heap(type) || base != &tw_object_type ||
                                 type->tp_base != &tw_object_type))
        type->tp_new = base->tp_new;
}

#undef INHERIT

/* ---- filling a static type's namespace ----------------------------------------- */

static TwObject *tp_new_wrapper(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames);
static const TwMethodDef tp_new_def = {"__new__", (void (*)(void))tp_new_wrapper, TW_METH_FASTCALL,
                                       "Create and return a new object."};

/* Store value (a new reference, consumed) under name unless name is bound
 * already; make it immortal (a static type's namespace lives forever). */
static int dict_add_immortal(TwObject *dict, TwObject *name, TwObject *value)
{
    if (value == NULL)
        return -1;
    int has = tw_dict_contains(dict, name);
    int rc = has < 0 ? -1 : 0;
    if (has == 0) {
        tw_set_immortal(value);
        rc = tw_dict_set_item(dict, name, value);
    }
    tw_decref(value);
    return rc;
}

/* Wrappers for the slots `type` defines itself, its methods and its
 * attributes.  Runs before inheritance, so inherited slots get no wrapper
 * here (they are found in the base's namespace). */
static int add_static_namespace(TwType *type)
{
    TwObject *dict = type->tp_dict;
    for (const TwSlotDef *sd = slotdefs; sd->name != NULL; sd++) {
        if (sd->wrapper == NULL)
            continue;
        void *fn = type_slot(type, sd);
        if (fn == NULL)
            continue;
        if (dict_add_immortal(dict, slotdef_name(sd), tw_wrapper_descr_new(type, sd, fn)) < 0)
            return -1;
    }
    if (type->tp_new != NULL) {
        TwObject *f = tw_cfunction_new(&tp_new_def, (TwObject *)type, NULL);
        if (dict_add_immortal(dict, tw_id___new__, f) < 0)
            return -1;
    }
    if (type->tp_methods != NULL) {
        for (const TwMethodDef *m = type->tp_methods; m->name != NULL; m++) {
            TwObject *name = tw_str_intern_cstr(m->name);
            if (name == NULL)
                return -1;
            TwObject *d;
            if (m->flags & TW_METH_STATIC) {
                TwObject *f = tw_cfunction_new(m, NULL, NULL);
                d = f ? tw_staticmethod_new(f) : NULL;
                tw_xdecref(f);
            } else {
                d = tw_method_descr_new(type, m);
            }
            if (dict_add_immortal(dict, name, d) < 0)
                return -1;
        }
    }
    if (type->tp_getset != NULL) {
        for (const TwGetSetDef *g = type->tp_getset; g->name != NULL; g++) {
            TwObject *name = tw_str_intern_cstr(g->name);
            if (name == NULL || dict_add_immortal(dict, name, tw_getset_descr_new(type, g)) < 0)
                return -1;
        }
    }
    return 0;
}

/* Ready `type` with type_lock held: bases first, then the namespace, the
 * MRO and the inherited slots. */
static int type_ready_locked(TwType *type)
{
    if (tw_atomic_load_acquire(&type->tp_ready))
        return 0;
    if (type->tp_base == NULL && type != &tw_object_type)
        type->tp_base = &tw_object_type;
    if (type->tp_base != NULL && type_ready_locked(type->tp_base) < 0)
        return -1;
    if (type->tp_bases == NULL) {
        TwObject *bases = type->tp_base ? tw_tuple_pack(1, (TwObject *)type->tp_base) : tw_tuple_new(0);
        if (bases == NULL)
            return -1;
        tw_set_immortal(bases);
        type->tp_bases = bases;
    }
    for (intptr_t i = 0; i < tw_tuple_size(type->tp_bases); i++)
        if (type_ready_locked((TwType *)tw_tuple_get_item_borrowed(type->tp_bases, i)) < 0)
            return -1;
    if (type->tp_dict == NULL) {
        TwObject *dict = tw_dict_new();
        if (dict == NULL)
            return -1;
        tw_set_immortal(dict);
        type->tp_dict = dict;
    }
    if (add_static_namespace(type) < 0)
        return -1;
    TwObject *mro = compute_mro(type, type->tp_bases);
    if (mro == NULL)
        return -1;
    tw_set_immortal(mro);
    type->tp_mro = mro;
    for (intptr_t i = 1; i < tw_tuple_size(mro); i++)
        inherit_slots(type, (TwType *)tw_tuple_get_item_borrowed(mro, i));
    /* __hash__ = None marks an unhashable type for Python code. */
    if (type->tp_hash == NULL && dict_add_immortal(type->tp_dict, tw_id___hash__, tw_newref(TW_NONE)) < 0)
        return -1;
    if (dict_add_immortal(type->tp_dict, tw_id___doc__, tw_newref(TW_NONE)) < 0)
        return -1;
    assign_new_version(type);
    tw_atomic_store_release(&type->tp_ready, 1);
    return 0;
}

static int intern_slotdef_names(void);

int tw_type_ready(TwType *type)
{
    if (tw_atomic_load_acquire(&type->tp_ready))
        return 0;
    if (tw_id___init__ == NULL && (intern_special_names() < 0 || intern_slotdef_names() < 0))
        return -1;
    type_lock_acquire();
    int rc = type_ready_locked(type);
    type_lock_release();
    return rc;
}

/* ---- names of types --------------------------------------------------------------- */

/* A heap type's ht_name / ht_qualname pointer, read without a lock: the
 * setters publish a new str with a release store and never free the old
 * one (see type_set_name), so what a reader loads stays valid. */
static inline TwObject *load_name_slot(TwObject **slot)
{
    return tw_atomic_load_acquire((_Atomic(TwObject *) *)slot);
}

static inline void store_name_slot(TwObject **slot, TwObject *value)
{
    tw_atomic_store_release((_Atomic(TwObject *) *)slot, value);
}

TwObject *tw_type_get_name(TwType *type)
{
    if (tw_type_is_heap(type))
        return tw_newref(load_name_slot(&((TwHeapType *)type)->ht_name));
    const char *dot = strrchr(type->tp_name, '.');
    return tw_str_from_cstr(dot ? dot + 1 : type->tp_name);
}

TwObject *tw_type_get_qualname(TwType *type)
{
    if (tw_type_is_heap(type))
        return tw_newref(load_name_slot(&((TwHeapType *)type)->ht_qualname));
    return tw_type_get_name(type);
}

TwObject *tw_type_get_module(TwType *type)
{
    if (tw_type_is_heap(type)) {
        TwObject *m = NULL;
        int rc = tw_dict_get_item_ref(type->tp_dict, tw_id___module__, &m);
        if (rc < 0)
            return NULL;
        if (rc == 0) {
            tw_err_set_object(&tw_exc_AttributeError, tw_id___module__);
            return NULL;
        }
        return m;
    }
    const char *dot = strrchr(type->tp_name, '.');
    if (dot == NULL)
        return tw_str_from_cstr("builtins");
    return tw_str_from_utf8(type->tp_name, (size_t)(dot - type->tp_name));
}

/* "module.qualname" for reprs; just the qualname for builtins. */
static TwObject *type_full_name(TwType *type)
{
    TwObject *qual = tw_type_get_qualname(type);
    if (qual == NULL)
        return NULL;
    TwObject *mod = tw_type_get_module(type);
    if (mod == NULL) {
        tw_err_clear();
        return qual;
    }
    TwObject *r;
    if (tw_str_check(mod) && !tw_str_equal_cstr(mod, "builtins"))
        r = tw_str_from_format("%s.%s", tw_str_utf8(mod), tw_str_utf8(qual));
    else
        r = tw_newref(qual);
    tw_decref(mod);
    tw_decref(qual);
    return r;
}

/* ---- instance dictionaries ---------------------------------------------------------- */

TwObject *tw_object_instance_dict(TwObject *obj, int create)
{
    TwObject **slot = tw_object_dict_ptr(obj);
    if (slot == NULL)
        return NULL;
    _Atomic(TwObject *) *aslot = (_Atomic(TwObject *) *)slot;
    TwObject *d = tw_atomic_load_acquire(aslot);
    if (d != NULL || !create)
        return d;
    TwObject *fresh = tw_dict_new();
    if (fresh == NULL)
        return NULL;
    TwObject *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(aslot, &expected, fresh, memory_order_acq_rel,
                                                memory_order_acquire))
        return fresh;
    tw_decref(fresh); /* another thread installed one first */
    return expected;
}

TwObject *tw_object_get_dict(TwObject *obj)
{
    if (TW_TYPE(obj)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) {
        TwType *t = (TwType *)obj;
        if (tw_type_ready(t) < 0)
            return NULL;
        return tw_mappingproxy_new(t->tp_dict);
    }
    if (tw_object_dict_ptr(obj) == NULL) {
        tw_err_no_attribute(obj, tw_id___dict__);
        return NULL;
    }
    TwObject *d = tw_object_instance_dict(obj, 1);
    return d ? tw_newref(d) : NULL;
}

/* __dict__ of instances of classes: get creates it; set replaces the
 * contents (the dict pointer never changes; see typeobject.h). */
static TwObject *instance_dict_get(TwObject *obj, void *closure)
{
    return tw_object_get_dict(obj);
}

static int instance_dict_set(TwObject *obj, TwObject *value, void *closure)
{
    if (value == NULL) {
        tw_err_set_string(&tw_exc_TypeError, "cannot delete __dict__");
        return -1;
    }
    if (!tw_dict_check(value)) {
        tw_err_format(&tw_exc_TypeError, "__dict__ must be set to a dictionary, not a '%s'",
                      TW_TYPE(value)->tp_name);
        return -1;
    }
    TwObject *d = tw_object_instance_dict(obj, 1);
    if (d == NULL)
        return -1;
    if (d == value)
        return 0;
    TwObject *copy = tw_dict_copy(value); /* value may alias what we clear */
    if (copy == NULL)
        return -1;
    tw_dict_clear(d);
    int rc = tw_dict_update(d, copy);
    tw_decref(copy);
    return rc;
}

static const TwGetSetDef instance_dict_getset = {"__dict__", instance_dict_get, instance_dict_set, NULL};

/* ---- generic attribute access ----------------------------------------------------------- */

void tw_err_no_attribute(TwObject *obj, TwObject *name);

static inline int is_data_descr(TwObject *d) { return TW_TYPE(d)->tp_descr_set != NULL; }

TwObject *tw_object_generic_getattr(TwObject *obj, TwObject *name)
{
    TwType *type = TW_TYPE(obj);
    TwObject *descr = tw_type_lookup_ref(type, name);
    tw_descrgetfunc get = NULL;
    if (descr != NULL) {
        get = TW_TYPE(descr)->tp_descr_get;
        if (get != NULL && is_data_descr(descr)) {
            TwObject *r = get(descr, obj, (TwObject *)type);
            tw_decref(descr);
            return r;
        }
    }
    TwObject *dict = tw_object_instance_dict(obj, 0);
    if (dict != NULL) {
        TwObject *r;
        int rc = tw_dict_get_item_ref(dict, name, &r);
        if (rc != 0) {
            tw_xdecref(descr);
            return rc > 0 ? r : NULL;
        }
    }
    if (get != NULL) {
        TwObject *r = get(descr, obj, (TwObject *)type);
        tw_decref(descr);
        return r;
    }
    if (descr != NULL)
        return descr;
    tw_err_no_attribute(obj, name);
    return NULL;
}

int tw_object_generic_setattr(TwObject *obj, TwObject *name, TwObject *value)
{
    TwType *type = TW_TYPE(obj);
    TwObject *descr = tw_type_lookup_ref(type, name);
    if (descr != NULL) {
        tw_descrsetfunc set = TW_TYPE(descr)->tp_descr_set;
        if (set != NULL) {
            int rc = set(descr, obj, value);
            tw_decref(descr);
            return rc;
        }
    }
    if (tw_object_dict_ptr(obj) == NULL) {
        if (descr != NULL)
            tw_err_format(&tw_exc_AttributeError, "'%s' object attribute '%s' is read-only",
                          type->tp_name, tw_str_utf8(name));
        else
            tw_err_no_attribute(obj, name);
        tw_xdecref(descr);
        return -1;
    }
    tw_xdecref(descr);
    TwObject *dict = tw_object_instance_dict(obj, value != NULL);
    if (value != NULL)
        return dict ? tw_dict_set_item(dict, name, value) : -1;
    if (dict != NULL) {
        TwObject *old = tw_dict_pop(dict, name, NULL);
        if (old != NULL) {
            tw_decref(old);
            return 0;
        }
        if (!tw_err_matches(&tw_exc_KeyError))
            return -1;
        tw_err_clear();
    }
    tw_err_no_attribute(obj, name);
    return -1;
}

static int check_attr_name(TwObject *name)
{
    if (!tw_str_check(name)) {
        tw_err_format(&tw_exc_TypeError, "attribute name must be string, not '%s'",
                      TW_TYPE(name)->tp_name);
        return -1;
    }
    return 0;
}

TwObject *tw_object_getattr(TwObject *obj, TwObject *name)
{
    if (check_attr_name(name) < 0)
        return NULL;
    tw_getattrofunc f = TW_TYPE(obj)->tp_getattro;
    return f ? f(obj, name) : tw_object_generic_getattr(obj, name);
}

TwObject *tw_object_getattr_cstr(TwObject *obj, const char *name)
{
    TwObject *n = tw_str_intern_cstr(name);
    if (n == NULL)
        return NULL;
    return tw_object_getattr(obj, n);
}

int tw_object_setattr(TwObject *obj, TwObject *name, TwObject *value)
{
    if (check_attr_name(name) < 0)
        return -1;
    tw_setattrofunc f = TW_TYPE(obj)->tp_setattro;
    if (f != NULL)
        return f(obj, name, value);
    return tw_object_generic_setattr(obj, name, value);
}

int tw_object_hasattr(TwObject *obj, TwObject *name)
{
    TwObject *r = tw_object_getattr(obj, name);
    if (r != NULL) {
        tw_decref(r);
        return 1;
    }
    if (tw_err_matches(&tw_exc_AttributeError)) {
        tw_err_clear();
        return 0;
    }
    return -1;
}

TwObject *tw_object_get_method(TwObject *obj, TwObject *name, int *is_unbound)
{
    *is_unbound = 0;
    TwType *type = TW_TYPE(obj);
    if (type->tp_getattro != NULL && type->tp_getattro != tw_object_generic_getattr)
        return tw_object_getattr(obj, name);
    if (!tw_str_check(name))
        return tw_object_getattr(obj, name);
    TwObject *descr = tw_type_lookup_ref(type, name);
    if (descr == NULL || !(TW_TYPE(descr)->tp_flags & TW_TPFLAGS_METHOD_DESCRIPTOR)) {
        /* The general path (descr looked up again: rare types only). */
        tw_xdecref(descr);
        return tw_object_generic_getattr(obj, name);
    }
    TwObject *dict = tw_object_instance_dict(obj, 0);
    if (dict != NULL) {
        TwObject *r;
        int rc = tw_dict_get_item_ref(dict, name, &r);
        if (rc != 0) {
            tw_decref(descr);
            return rc > 0 ? r : NULL;
        }
    }
    *is_unbound = 1;
    return descr;
}

/* ---- calling special methods ----------------------------------------------------------- */

TwObject *tw_call_prepend(TwObject *callable, TwObject *first, TwObject *const *args, size_t nargs,
                          TwObject *kwnames)
{
    size_t total = nargs + tw_nkw(kwnames);
    TwObject *small[8];
    TwObject **buf = small;
    if (total + 1 > 8) {
        buf = tw_mem_malloc((total + 1) * sizeof(TwObject *));
        if (buf == NULL)
            return tw_err_no_memory();
    }
    buf[0] = first;
    if (total > 0)
        memcpy(buf + 1, args, total * sizeof(TwObject *));
    TwObject *r = tw_object_vectorcall(callable, buf, nargs + 1, kwnames);
    if (buf != small)
        tw_mem_free(buf);
    return r;
}

/* Call descr (found on obj's type) as a method of obj. */
static TwObject *call_found(TwObject *descr, TwObject *obj, TwObject *const *args, size_t nargs,
                            TwObject *kwnames)
{
    if (TW_TYPE(descr)->tp_flags & TW_TPFLAGS_METHOD_DESCRIPTOR)
        return tw_call_prepend(descr, obj, args, nargs, kwnames);
    tw_descrgetfunc get = TW_TYPE(descr)->tp_descr_get;
    if (get == NULL)
        return tw_object_vectorcall(descr, args, nargs, kwnames);
    TwObject *bound = get(descr, obj, (TwObject *)TW_TYPE(obj));
    if (bound == NULL)
        return NULL;
    TwObject *r = tw_object_vectorcall(bound, args, nargs, kwnames);
    tw_decref(bound);
    return r;
}

TwObject *tw_call_special(TwObject *obj, TwObject *name, TwObject *const *args, size_t nargs,
                          int *found)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(obj), name);
    if (found != NULL)
        *found = descr != NULL;
    if (descr == NULL) {
        if (found == NULL)
            tw_err_set_object(&tw_exc_AttributeError, name);
        return NULL;
    }
    TwObject *r = call_found(descr, obj, args, nargs, NULL);
    tw_decref(descr);
    return r;
}

/* obj.name(args) through the type, NotImplemented when the type has no
 * such method (binary operator protocol). */
static TwObject *call_maybe(TwObject *obj, TwObject *name, TwObject *const *args, size_t nargs)
{
    int found;
    TwObject *r = tw_call_special(obj, name, args, nargs, &found);
    if (!found)
        return tw_newref(TW_NOTIMPLEMENTED);
    return r;
}

/* ---- object ------------------------------------------------------------------------- */

TwObject *tw_object_default_repr(TwObject *obj)
{
    TwType *type = TW_TYPE(obj);
    if (!tw_type_is_heap(type))
        return tw_str_from_format("<%s object at %p>", type->tp_name, (void *)obj);
    TwObject *name = type_full_name(type);
    if (name == NULL)
        return NULL;
    TwObject *r = tw_str_from_format("<%s object at %p>", tw_str_utf8(name), (void *)obj);
    tw_decref(name);
    return r;
}

static TwObject *object_repr(TwObject *op) { return tw_object_default_repr(op); }

/* object.__str__: type(self).__repr__(self). */
static TwObject *object_str(TwObject *op)
{
    tw_reprfunc f = TW_TYPE(op)->tp_repr;
    return f ? f(op) : tw_object_default_repr(op);
}

/* Identity hash: the address, rotated so the alignment zeros do not waste
 * the low bits that hash tables index by. */
static tw_hash_t object_hash(TwObject *op)
{
    uintptr_t p = (uintptr_t)op;
    tw_hash_t h = (tw_hash_t)((p >> 4) | (p << (8 * sizeof(p) - 4)));
    return h == -1 ? -2 : h;
}

/* object's comparisons: == is identity, != inverts the type's ==, the
 * orderings are not implemented. */
static TwObject *object_richcompare(TwObject *a, TwObject *b, int op)
{
    if (op == TW_EQ)
        return tw_newref(a == b ? TW_TRUE : TW_NOTIMPLEMENTED);
    if (op == TW_NE) {
        tw_richcmpfunc f = TW_TYPE(a)->tp_richcompare;
        if (f == NULL)
            return tw_newref(TW_NOTIMPLEMENTED);
        TwObject *r = f(a, b, TW_EQ);
        if (r == NULL || r == TW_NOTIMPLEMENTED)
            return r;
        int t = tw_object_is_true(r);
        tw_decref(r);
        if (t < 0)
            return NULL;
        return tw_newref(tw_bool_from_long(!t));
    }
    return tw_newref(TW_NOTIMPLEMENTED);
}

static void object_dealloc(TwObject *op) { tw_object_free(op); }

static int excess_args(size_t nargs, TwObject *kwnames) { return nargs != 0 || tw_nkw(kwnames) != 0; }

static int object_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames);

TwObject *tw_object_generic_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (excess_args(nargs, kwnames)) {
        if (type->tp_new != tw_object_generic_new) {
            tw_err_set_string(&tw_exc_TypeError,
                              "object.__new__() takes exactly one argument (the type to instantiate)");
            return NULL;
        }
        if (type->tp_init == object_init) {
            tw_err_format(&tw_exc_TypeError, "%s() takes no arguments", type->tp_name);
            return NULL;
        }
    }
    return tw_object_new(type, 0);
}

static int object_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (excess_args(nargs, kwnames)) {
        TwType *type = TW_TYPE(self);
        if (type->tp_init != object_init) {
            tw_err_set_string(&tw_exc_TypeError,
                              "object.__init__() takes exactly one argument (the instance to initialize)");
            return -1;
        }
        if (type->tp_new == tw_object_generic_new) {
            tw_err_format(&tw_exc_TypeError, "%s() takes no arguments", type->tp_name);
            return -1;
        }
    }
    return 0;
}

TwObject *tw_type_generic_alloc(TwType *type, size_t nitems) { return tw_object_new(type, nitems); }

TwObject *tw_object_generic_new_any(TwType *type, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    return tw_object_new(type, 0);
}

static TwObject *object_get_class(TwObject *self, void *closure)
{
    return tw_newref((TwObject *)TW_TYPE(self));
}

/* object.__format__(spec): str(self) for an empty spec. */
static TwObject *object_format(TwObject *self, TwObject *spec)
{
    if (!tw_str_check(spec)) {
        tw_err_format(&tw_exc_TypeError, "__format__() argument must be str, not %s",
                      TW_TYPE(spec)->tp_name);
        return NULL;
    }
    if (tw_str_length(spec) > 0) {
        tw_err_format(&tw_exc_TypeError, "unsupported format string passed to %s.__format__",
                      TW_TYPE(self)->tp_name);
        return NULL;
    }
    return tw_object_str(self);
}

static TwObject *object_dir(TwObject *self, TwObject *unused) { return tw_object_dir(self); }

/* object.__init_subclass__(): accepts no keyword arguments and does nothing. */
static TwObject *object_init_subclass(TwObject *cls, TwObject *const *args, size_t nargs,
                                      TwObject *kwnames)
{
    if (nargs != 0 || tw_nkw(kwnames) != 0) {
        tw_err_format(&tw_exc_TypeError, "%s.__init_subclass__() takes no keyword arguments",
                      ((TwType *)cls)->tp_name);
        return NULL;
    }
    return tw_newref(TW_NONE);
}

static TwObject *object_reduce_ex(TwObject *self, TwObject *arg)
{
    tw_err_format(&tw_exc_TypeError, "cannot pickle '%s' object", TW_TYPE(self)->tp_name);
    return NULL;
}

static const TwMethodDef object_methods[] = {
    {"__format__", (void (*)(void))object_format, TW_METH_O, NULL},
    {"__dir__", (void (*)(void))object_dir, TW_METH_NOARGS, NULL},
    {"__init_subclass__", (void (*)(void))object_init_subclass, TW_METH_FASTCALL | TW_METH_CLASS, NULL},
    {"__reduce_ex__", (void (*)(void))object_reduce_ex, TW_METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef object_getset[] = {
    {"__class__", object_get_class, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_object_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "object",
    .tp_basicsize = sizeof(TwObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_dealloc = object_dealloc,
    .tp_hash = object_hash,
    .tp_richcompare = object_richcompare,
    .tp_repr = object_repr,
    .tp_str = object_str,
    .tp_getattro = tw_object_generic_getattr,
    .tp_setattro = tw_object_generic_setattr,
    .tp_init = object_init,
    .tp_new = tw_object_generic_new,
    .tp_methods = object_methods,
    .tp_getset = object_getset,
};

/* dir(obj): instance attributes, then those of the class and its bases
 * (for a class: its own MRO). */
TwObject *tw_object_dir(TwObject *obj)
{
    TwObject *seen = tw_set_new();
    TwObject *result = tw_list_new(0);
    if (seen == NULL || result == NULL)
        goto fail;
    TwObject *dicts[2] = {NULL, NULL};
    TwObject *mro;
    if (TW_TYPE(obj)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS) {
        mro = ((TwType *)obj)->tp_mro;
    } else {
        dicts[0] = tw_object_instance_dict(obj, 0);
        mro = TW_TYPE(obj)->tp_mro;
    }
    intptr_t n = mro ? tw_tuple_size(mro) : 0;
    for (intptr_t i = -1; i < n; i++) {
        TwObject *d = i < 0 ? dicts[0] : ((TwType *)tw_tuple_get_item_borrowed(mro, i))->tp_dict;
        if (d == NULL)
            continue;
        TwObject *keys = tw_dict_keys(d);
        if (keys == NULL)
            goto fail;
        intptr_t nk = tw_list_size(keys);
        for (intptr_t k = 0; k < nk; k++) {
            TwObject *key = tw_list_get_item(keys, k);
            int has = key ? tw_set_contains(seen, key) : -1;
            int rc = has;
            if (has == 0)
                rc = tw_set_add(seen, key) < 0 || tw_list_append(result, key) < 0 ? -1 : 0;
            tw_xdecref(key);
            if (rc < 0) {
                tw_decref(keys);
                goto fail;
            }
        }
        tw_decref(keys);
    }
    tw_decref(seen);
    return result;
fail:
    tw_xdecref(seen);
    tw_xdecref(result);
    return NULL;
}

/* ---- type ---------------------------------------------------------------------------- */

static TwObject *type_repr(TwObject *op)
{
    TwType *t = (TwType *)op;
    if (!tw_type_is_heap(t))
        return tw_str_from_format("<class '%s'>", t->tp_name);
    TwObject *name = type_full_name(t);
    if (name == NULL)
        return NULL;
    TwObject *r = tw_str_from_format("<class '%s'>", tw_str_utf8(name));
    tw_decref(name);
    return r;
}

/* type(x) with one argument; otherwise create an instance: tp_new, then
 * tp_init when tp_new returned an instance of the type. */
static TwObject *type_call(TwObject *callable, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwType *type = (TwType *)callable;
    if (type == &tw_type_type && nargs == 1 && tw_nkw(kwnames) == 0)
        return tw_newref((TwObject *)TW_TYPE(args[0]));
    if (tw_type_ready(type) < 0)
        return NULL;
    if (type->tp_new == NULL) {
        tw_err_format(&tw_exc_TypeError, "cannot create '%s' instances", type->tp_name);
        return NULL;
    }
    TwObject *obj = type->tp_new(type, args, nargs, kwnames);
    if (obj == NULL)
        return NULL;
    if (!tw_type_is_subtype(TW_TYPE(obj), type))
        return obj;
    tw_initfunc init = TW_TYPE(obj)->tp_init;
    if (init != NULL && init(obj, args, nargs, kwnames) < 0) {
        tw_decref(obj);
        return NULL;
    }
    return obj;
}

static TwObject *new_class(TwType *metatype, TwObject *name, TwObject *bases, TwObject *ns,
                           TwObject *const *kwvalues, TwObject *kwnames);

static TwObject *type_new(TwType *metatype, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs == 1 && tw_nkw(kwnames) == 0 && metatype == &tw_type_type)
        return tw_newref((TwObject *)TW_TYPE(args[0]));
    if (nargs != 3) {
        tw_err_set_string(&tw_exc_TypeError, "type() takes 1 or 3 arguments");
        return NULL;
    }
    if (!tw_str_check(args[0])) {
        tw_err_format(&tw_exc_TypeError, "type.__new__() argument 1 must be str, not %s",
                      TW_TYPE(args[0])->tp_name);
        return NULL;
    }
    if (!tw_tuple_check(args[1])) {
        tw_err_format(&tw_exc_TypeError, "type.__new__() argument 2 must be tuple, not %s",
                      TW_TYPE(args[1])->tp_name);
        return NULL;
    }
    if (!tw_dict_check(args[2])) {
        tw_err_format(&tw_exc_TypeError, "type.__new__() argument 3 must be dict, not %s",
                      TW_TYPE(args[2])->tp_name);
        return NULL;
    }
    return new_class(metatype, args[0], args[1], args[2], args + 3, kwnames);
}

static int type_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs != 1 && nargs != 3) {
        tw_err_set_string(&tw_exc_TypeError, "type.__init__() takes 1 or 3 arguments");
        return -1;
    }
    return 0;
}

/* Attribute access on a class: data descriptors of the metatype, then the
 * class's own MRO (binding with obj NULL), then other metatype attributes. */
static TwObject *type_getattro(TwObject *op, TwObject *name)
{
    TwType *type = (TwType *)op;
    TwType *meta = TW_TYPE(op);
    if (!tw_str_check(name)) {
        tw_err_format(&tw_exc_TypeError, "attribute name must be string, not '%s'",
                      TW_TYPE(name)->tp_name);
        return NULL;
    }
    TwObject *meta_attr = tw_type_lookup_ref(meta, name);
    tw_descrgetfunc meta_get = NULL;
    if (meta_attr != NULL) {
        meta_get = TW_TYPE(meta_attr)->tp_descr_get;
        if (meta_get != NULL && is_data_descr(meta_attr)) {
            TwObject *r = meta_get(meta_attr, op, (TwObject *)meta);
            tw_decref(meta_attr);
            return r;
        }
    }
    TwObject *attr = tw_type_lookup_ref(type, name);
    if (attr != NULL) {
        tw_xdecref(meta_attr);
        tw_descrgetfunc get = TW_TYPE(attr)->tp_descr_get;
        if (get != NULL) {
            TwObject *r = get(attr, NULL, op);
            tw_decref(attr);
            return r;
        }
        return attr;
    }
    if (meta_get != NULL) {
        TwObject *r = meta_get(meta_attr, op, (TwObject *)meta);
        tw_decref(meta_attr);
        return r;
    }
    if (meta_attr != NULL)
        return meta_attr;
    TwObject *tn = tw_type_get_name(type);
    if (tn != NULL) {
        tw_err_format(&tw_exc_AttributeError, "type object '%s' has no attribute '%s'",
                      tw_str_utf8(tn), tw_str_utf8(name));
        tw_decref(tn);
    }
    return NULL;
}

static void update_slots_locked(TwType *type);
static int slot_name_affects_slots(TwObject *name);

/* Setting a class attribute: metatype data descriptors first; static
 * types are immutable; a heap type's namespace changes under type_lock
 * between two version bumps, and a special method name updates the slots
 * of the class and its subclasses. */
static int type_setattro(TwObject *op, TwObject *name, TwObject *value)
{
    TwType *type = (TwType *)op;
    if (!tw_str_check(name)) {
        tw_err_format(&tw_exc_TypeError, "attribute name must be string, not '%s'",
                      TW_TYPE(name)->tp_name);
        return -1;
    }
    TwObject *meta_attr = tw_type_lookup_ref(TW_TYPE(op), name);
    if (meta_attr != NULL) {
        tw_descrsetfunc set = TW_TYPE(meta_attr)->tp_descr_set;
        if (set != NULL) {
            int rc = set(meta_attr, op, value);
            tw_decref(meta_attr);
            return rc;
        }
        tw_decref(meta_attr);
    }
    if (!tw_type_is_heap(type)) {
        tw_err_format(&tw_exc_TypeError, "cannot set '%s' attribute of immutable type '%s'",
                      tw_str_utf8(name), type->tp_name);
        return -1;
    }
    TwObject *key = tw_str_intern(name); /* cache keys are interned */
    if (key == NULL)
        return -1;
    TwObject *old = NULL;
    int rc = 0;
    type_lock_acquire();
    type_modified(type);
    rc = tw_dict_get_item_ref(type->tp_dict, key, &old);
    if (rc >= 0) {
        if (value != NULL) {
            rc = tw_dict_set_item(type->tp_dict, key, value);
        } else if (rc == 0) {
            rc = -1; /* reported below */
        } else {
            rc = tw_dict_del_item(type->tp_dict, key);
        }
    }
    type_modified(type);
    if (rc == 0 && slot_name_affects_slots(key))
        update_slots_locked(type);
    type_lock_release();
    if (rc < 0 && value == NULL && old == NULL && !tw_err_occurred()) {
        TwObject *tn = tw_type_get_name(type);
        if (tn != NULL) {
            tw_err_format(&tw_exc_AttributeError, "type object '%s' has no attribute '%s'",
                          tw_str_utf8(tn), tw_str_utf8(key));
            tw_decref(tn);
        }
    }
    release_class_value(old); /* after the lock: its destructor may run anything */
    tw_decref(key);
    return rc < 0 ? -1 : 0;
}

/* Release a heap type: leave the subclass lists of its bases, then drop
 * what it holds.  The MRO's first item is the type itself without a
 * reference (typeobject.h): cleared before the tuple goes. */
static void type_dealloc(TwObject *op)
{
    TwType *type = (TwType *)op;
    if (!tw_type_is_heap(type))
        tw_fatal("deallocating the static type '%s'", type->tp_name);
    TwHeapType *ht = (TwHeapType *)type;
    type_lock_acquire();
    if (type->tp_bases != NULL) {
        for (intptr_t i = 0; i < tw_tuple_size(type->tp_bases); i++) {
            TwType *b = (TwType *)tw_tuple_get_item_borrowed(type->tp_bases, i);
            if (!tw_type_is_heap(b))
                continue;
            TwHeapType *hb = (TwHeapType *)b;
            for (intptr_t k = 0; k < hb->nsubclasses; k++) {
                if (hb->subclasses[k] == type) {
                    hb->subclasses[k] = hb->subclasses[--hb->nsubclasses];
                    break;
                }
            }
        }
    }
    type_lock_release();
    if (type->tp_mro != NULL) {
        TwTupleObject *mro = (TwTupleObject *)type->tp_mro;
        if (TW_SIZE(mro) > 0 && mro->items[0] == op)
            mro->items[0] = NULL;
        TW_CLEAR(type->tp_mro);
    }
    TW_CLEAR(type->tp_dict);
    TW_CLEAR(type->tp_bases);
    TW_CLEAR(ht->ht_name);
    TW_CLEAR(ht->ht_qualname);
    tw_mem_free(ht->subclasses);
    tw_object_free(op);
}

static tw_hash_t type_hash(TwObject *op) { return object_hash(op); }

/* ---- type's attributes -------------------------------------------------------------- */

/* Bind key in a heap type's namespace (as type_setattro does, for the
 * attributes that type's own descriptors store there). */
static int type_dict_store(TwType *t, TwObject *key, TwObject *value)
{
    TwObject *old = NULL;
    type_lock_acquire();
    type_modified(t);
    int rc = tw_dict_get_item_ref(t->tp_dict, key, &old);
    if (rc >= 0)
        rc = tw_dict_set_item(t->tp_dict, key, value);
    type_modified(t);
    type_lock_release();
    release_class_value(old);
    return rc;
}

static int check_heap_set(TwType *t, TwObject *value, const char *what)
{
    if (!tw_type_is_heap(t)) {
        tw_err_format(&tw_exc_TypeError, "cannot set '%s' attribute of immutable type '%s'", what,
                      t->tp_name);
        return -1;
    }
    if (value == NULL) {
        tw_err_format(&tw_exc_TypeError, "cannot delete '%s' attribute of immutable type '%s'",
                      what, t->tp_name);
        return -1;
    }
    return 0;
}

static TwObject *type_get_name(TwObject *op, void *closure) { return tw_type_get_name((TwType *)op); }

static int type_set_name(TwObject *op, TwObject *value, void *closure)
{
    TwType *t = (TwType *)op;
    if (check_heap_set(t, value, "__name__") < 0)
        return -1;
    if (!tw_str_check(value)) {
        TwObject *n = tw_type_get_name(t);
        tw_err_format(&tw_exc_TypeError, "can only assign string to %s.__name__, not '%s'",
                      n ? tw_str_utf8(n) : "?", TW_TYPE(value)->tp_name);
        tw_xdecref(n);
        return -1;
    }
    /* tp_name points into the old name and other threads may be reading
     * it (or ht_name): the old str's reference is kept, never dropped. */
    type_lock_acquire();
    TwHeapType *ht = (TwHeapType *)t;
    store_name_slot(&ht->ht_name, tw_newref(value));
    t->tp_name = tw_str_utf8(value);
    type_lock_release();
    return 0;
}

static TwObject *type_get_qualname(TwObject *op, void *closure)
{
    return tw_type_get_qualname((TwType *)op);
}

static int type_set_qualname(TwObject *op, TwObject *value, void *closure)
{
    TwType *t = (TwType *)op;
    if (check_heap_set(t, value, "__qualname__") < 0)
        return -1;
    if (!tw_str_check(value)) {
        TwObject *n = tw_type_get_name(t);
        tw_err_format(&tw_exc_TypeError, "can only assign string to %s.__qualname__, not '%s'",
                      n ? tw_str_utf8(n) : "?", TW_TYPE(value)->tp_name);
        tw_xdecref(n);
        return -1;
    }
    /* As for __name__: the old str's reference is kept for lock-free readers. */
    type_lock_acquire();
    store_name_slot(&((TwHeapType *)t)->ht_qualname, tw_newref(value));
    type_lock_release();
    return 0;
}

static TwObject *type_get_module(TwObject *op, void *closure) { return tw_type_get_module((TwType *)op); }

static int type_set_module(TwObject *op, TwObject *value, void *closure)
{
    TwType *t = (TwType *)op;
    if (check_heap_set(t, value, "__module__") < 0)
        return -1;
    return type_dict_store(t, tw_id___module__, value);
}

static TwObject *type_get_doc(TwObject *op, void *closure)
{
    TwType *t = (TwType *)op;
    TwObject *doc = NULL;
    if (t->tp_dict != NULL && tw_dict_get_item_ref(t->tp_dict, tw_id___doc__, &doc) < 0)
        return NULL;
    if (doc == NULL)
        return tw_newref(TW_NONE);
    tw_descrgetfunc get = TW_TYPE(doc)->tp_descr_get;
    if (get != NULL) {
        TwObject *r = get(doc, NULL, op);
        tw_decref(doc);
        return r;
    }
    return doc;
}

static int type_set_doc(TwObject *op, TwObject *value, void *closure)
{
    TwType *t = (TwType *)op;
    if (check_heap_set(t, value, "__doc__") < 0)
        return -1;
    return type_dict_store(t, tw_id___doc__, value);
}

static TwObject *type_get_dict(TwObject *op, void *closure)
{
    TwType *t = (TwType *)op;
    if (tw_type_ready(t) < 0)
        return NULL;
    return tw_mappingproxy_new(t->tp_dict);
}

/* A copy: the internal tuple does not own its first item (typeobject.h). */
static TwObject *type_get_mro(TwObject *op, void *closure)
{
    TwType *t = (TwType *)op;
    if (tw_type_ready(t) < 0)
        return NULL;
    intptr_t n = tw_tuple_size(t->tp_mro);
    TwObject *r = tw_tuple_new(n);
    if (r != NULL)
        for (intptr_t i = 0; i < n; i++)
            tw_tuple_init_item(r, i, tw_newref(tw_tuple_get_item_borrowed(t->tp_mro, i)));
    return r;
}

static TwObject *type_get_bases(TwObject *op, void *closure)
{
    TwType *t = (TwType *)op;
    if (tw_type_ready(t) < 0)
        return NULL;
    return tw_newref(t->tp_bases);
}

static TwObject *type_get_base(TwObject *op, void *closure)
{
    TwType *t = (TwType *)op;
    return tw_newref(t->tp_base ? (TwObject *)t->tp_base : TW_NONE);
}

static TwObject *type_get_basicsize(TwObject *op, void *closure)
{
    return tw_int_from_i64((int64_t)((TwType *)op)->tp_basicsize);
}

static TwObject *type_mro_method(TwObject *self, TwObject *unused)
{
    TwObject *t = type_get_mro(self, NULL);
    if (t == NULL)
        return NULL;
    TwObject *l = tw_list_new(0);
    if (l != NULL && tw_list_extend(l, t) < 0)
        TW_CLEAR(l);
    tw_decref(t);
    return l;
}

static TwObject *type_subclasses(TwObject *self, TwObject *unused)
{
    TwType *t = (TwType *)self;
    TwObject *l = tw_list_new(0);
    if (l == NULL || !tw_type_is_heap(t))
        return l;
    type_lock_acquire();
    TwHeapType *ht = (TwHeapType *)t;
    int rc = 0;
    for (intptr_t i = 0; i < ht->nsubclasses && rc == 0; i++)
        rc = tw_list_append(l, (TwObject *)ht->subclasses[i]);
    type_lock_release();
    if (rc < 0)
        TW_CLEAR(l);
    return l;
}

static TwObject *type_instancecheck(TwObject *self, TwObject *obj)
{
    return tw_newref(tw_bool_from_long(tw_type_is_subtype(TW_TYPE(obj), (TwType *)self)));
}

static TwObject *type_subclasscheck(TwObject *self, TwObject *cls)
{
    if (!(TW_TYPE(cls)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS)) {
        tw_err_set_string(&tw_exc_TypeError, "issubclass() arg 1 must be a class");
        return NULL;
    }
    return tw_newref(tw_bool_from_long(tw_type_is_subtype((TwType *)cls, (TwType *)self)));
}

static TwObject *type_prepare(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return tw_dict_new();
}

static const TwMethodDef type_methods[] = {
    {"mro", (void (*)(void))type_mro_method, TW_METH_NOARGS, NULL},
    {"__subclasses__", (void (*)(void))type_subclasses, TW_METH_NOARGS, NULL},
    {"__instancecheck__", (void (*)(void))type_instancecheck, TW_METH_O, NULL},
    {"__subclasscheck__", (void (*)(void))type_subclasscheck, TW_METH_O, NULL},
    {"__prepare__", (void (*)(void))type_prepare, TW_METH_FASTCALL | TW_METH_CLASS, NULL},
    {NULL, NULL, 0, NULL},
};

static const TwGetSetDef type_getset[] = {
    {"__name__", type_get_name, type_set_name, NULL},
    {"__qualname__", type_get_qualname, type_set_qualname, NULL},
    {"__module__", type_get_module, type_set_module, NULL},
    {"__doc__", type_get_doc, type_set_doc, NULL},
    {"__dict__", type_get_dict, NULL, NULL},
    {"__mro__", type_get_mro, NULL, NULL},
    {"__bases__", type_get_bases, NULL, NULL},
    {"__base__", type_get_base, NULL, NULL},
    {"__basicsize__", type_get_basicsize, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_type_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "type",
    .tp_basicsize = sizeof(TwHeapType),
    .tp_flags = TW_TPFLAGS_BASETYPE | TW_TPFLAGS_TYPE_SUBCLASS,
    .tp_base = &tw_object_type,
    .tp_dealloc = type_dealloc,
    .tp_hash = type_hash,
    .tp_richcompare = object_richcompare,
    .tp_repr = type_repr,
    .tp_getattro = type_getattro,
    .tp_setattro = type_setattro,
    .tp_call = type_call,
    .tp_new = type_new,
    .tp_init = type_init,
    .tp_methods = type_methods,
    .tp_getset = type_getset,
    .tp_dictoffset = offsetof(TwType, tp_dict),
};

/* T.__new__(S, *args): S must be a subtype of T whose nearest static base
 * allocates the same way (CPython's safety check). */
static TwObject *tp_new_wrapper(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    TwType *type = (TwType *)self;
    TwObject *tn = tw_type_get_name(type);
    if (tn == NULL)
        return NULL;
    TwObject *r = NULL;
    if (nargs < 1) {
        tw_err_format(&tw_exc_TypeError, "%s.__new__(): not enough arguments", tw_str_utf8(tn));
        goto out;
    }
    TwObject *arg0 = args[0];
    if (!(TW_TYPE(arg0)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS)) {
        tw_err_format(&tw_exc_TypeError, "%s.__new__(X): X is not a type object (%s)",
                      tw_str_utf8(tn), TW_TYPE(arg0)->tp_name);
        goto out;
    }
    TwType *sub = (TwType *)arg0;
    if (!tw_type_is_subtype(sub, type)) {
        TwObject *sn = tw_type_get_name(sub);
        if (sn != NULL) {
            tw_err_format(&tw_exc_TypeError, "%s.__new__(%s): %s is not a subtype of %s",
                          tw_str_utf8(tn), tw_str_utf8(sn), tw_str_utf8(sn), tw_str_utf8(tn));
            tw_decref(sn);
        }
        goto out;
    }
    TwType *staticbase = sub;
    while (staticbase != NULL && tw_type_is_heap(staticbase))
        staticbase = staticbase->tp_base;
    if (staticbase != NULL && staticbase->tp_new != type->tp_new) {
        TwObject *sn = tw_type_get_name(sub);
        if (sn != NULL) {
            tw_err_format(&tw_exc_TypeError, "%s.__new__(%s) is not safe, use %s.__new__()",
                          tw_str_utf8(tn), tw_str_utf8(sn), staticbase->tp_name);
            tw_decref(sn);
        }
        goto out;
    }
    r = type->tp_new(sub, args + 1, nargs - 1, kwnames);
out:
    tw_decref(tn);
    return r;
}

/* ---- creating classes ------------------------------------------------------------------ */

TwObject *(*tw_type_current_module_hook)(void); /* set once by the eval loop at start-up */

/* The most derived static layout below t (the class whose instances t's
 * instances are laid out as, ignoring the __dict__ pre-header). */
static TwType *solid_base(TwType *t)
{
    while (tw_type_is_heap(t) && t->tp_base != NULL)
        t = t->tp_base;
    /* Static types that only add methods share their base's layout. */
    while (t->tp_base != NULL && t->tp_basicsize == t->tp_base->tp_basicsize &&
           t->tp_itemsize == t->tp_base->tp_itemsize)
        t = t->tp_base;
    return t;
}

/* The base whose layout the new class extends: every base's solid base
 * must lie on one line of inheritance. */
static TwType *best_base(TwObject *bases)
{
    TwType *base = NULL, *winner = NULL;
    intptr_t n = tw_tuple_size(bases);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *b = tw_tuple_get_item_borrowed(bases, i);
        if (!(TW_TYPE(b)->tp_flags & TW_TPFLAGS_TYPE_SUBCLASS)) {
            tw_err_set_string(&tw_exc_TypeError, "bases must be types");
            return NULL;
        }
        TwType *bt = (TwType *)b;
        if (tw_type_ready(bt) < 0)
            return NULL;
        if (!(bt->tp_flags & TW_TPFLAGS_BASETYPE)) {
            tw_err_format(&tw_exc_TypeError, "type '%s' is not an acceptable base type", bt->tp_name);
            return NULL;
        }
        TwType *cand = solid_base(bt);
        if (winner == NULL) {
            winner = cand;
            base = bt;
        } else if (tw_type_is_subtype(winner, cand)) {
            /* keep */
        } else if (tw_type_is_subtype(cand, winner)) {
            winner = cand;
            base = bt;
        } else {
            tw_err_set_string(&tw_exc_TypeError, "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* The metatype that wins among `meta` and the types of the bases. */
static TwType *calculate_metatype(TwType *meta, TwObject *bases)
{
    TwType *winner = meta;
    for (intptr_t i = 0; i < tw_tuple_size(bases); i++) {
        TwType *t = TW_TYPE(tw_tuple_get_item_borrowed(bases, i));
        if (tw_type_is_subtype(winner, t))
            continue;
        if (tw_type_is_subtype(t, winner)) {
            winner = t;
            continue;
        }
        tw_err_set_string(&tw_exc_TypeError,
                          "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
                          "subclass of the metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

/* Wrap ns[name] in `wrap` (staticmethod / classmethod) if it is a plain
 * function (anything that binds like one). */
static int wrap_namespace_entry(TwObject *dict, TwObject *name, TwObject *(*wrap)(TwObject *))
{
    TwObject *v = NULL;
    int rc = tw_dict_get_item_ref(dict, name, &v);
    if (rc <= 0)
        return rc;
    if (TW_TYPE(v)->tp_flags & TW_TPFLAGS_METHOD_DESCRIPTOR) {
        TwObject *w = wrap(v);
        rc = w ? tw_dict_set_item(dict, name, w) : -1;
        tw_xdecref(w);
    }
    tw_decref(v);
    return rc < 0 ? -1 : 0;
}

static int add_subclass_locked(TwType *base, TwType *sub)
{
    if (!tw_type_is_heap(base))
        return 0;
    TwHeapType *hb = (TwHeapType *)base;
    if (hb->nsubclasses == hb->subclasses_cap) {
        intptr_t cap = hb->subclasses_cap ? hb->subclasses_cap * 2 : 4;
        TwType **a = tw_mem_realloc(hb->subclasses, (size_t)cap * sizeof(TwType *));
        if (a == NULL) {
            tw_err_no_memory();
            return -1;
        }
        hb->subclasses = a;
        hb->subclasses_cap = cap;
    }
    hb->subclasses[hb->nsubclasses++] = sub;
    return 0;
}

/* Call __set_name__(owner, name) on each namespace value whose type has
 * one, then the parent's __init_subclass__. */
static int type_new_post(TwType *type, TwObject *const *kwvalues, TwObject *kwnames)
{
    TwObject *items = tw_dict_items(type->tp_dict);
    if (items == NULL)
        return -1;
    intptr_t n = tw_list_size(items);
    for (intptr_t i = 0; i < n; i++) {
        TwObject *pair = tw_list_get_item(items, i);
        if (pair == NULL) {
            tw_decref(items);
            return -1;
        }
        TwObject *key = tw_tuple_get_item_borrowed(pair, 0);
        TwObject *val = tw_tuple_get_item_borrowed(pair, 1);
        TwObject *meth = tw_type_lookup_ref(TW_TYPE(val), tw_id___set_name__);
        int rc = 0;
        if (meth != NULL) {
            TwObject *args[2] = {(TwObject *)type, key};
            TwObject *r = call_found(meth, val, args, 2, NULL);
            tw_decref(meth);
            if (r == NULL) {
                rc = -1;
            } else {
                tw_decref(r);
            }
        }
        tw_decref(pair);
        if (rc < 0) {
            tw_decref(items);
            return -1;
        }
    }
    tw_decref(items);
    /* super(type, type).__init_subclass__() */
    TwObject *sup = tw_super_new(type, (TwObject *)type);
    if (sup == NULL)
        return -1;
    TwObject *f = tw_object_getattr(sup, tw_id___init_subclass__);
    tw_decref(sup);
    if (f == NULL)
        return -1;
    TwObject *r = tw_object_vectorcall(f, kwvalues, 0, kwnames);
    tw_decref(f);
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

TwObject *tw_type_new_class(TwType *metatype, TwObject *name, TwObject *bases, TwObject *ns)
{
    return new_class(metatype, name, bases, ns, NULL, NULL);
}

/* The class statement's keyword arguments (class A(B, x=1)) go to the
 * parent's __init_subclass__. */
static TwObject *new_class(TwType *metatype, TwObject *name, TwObject *bases, TwObject *ns,
                           TwObject *const *kwvalues, TwObject *kwnames)
{
    TwObject *own_bases = NULL;
    TwHeapType *ht = NULL;
    TwType *type = NULL;
    if (tw_tuple_size(bases) == 0) {
        own_bases = tw_tuple_pack(1, (TwObject *)&tw_object_type);
        if (own_bases == NULL)
            return NULL;
        bases = own_bases;
    } else {
        tw_incref(bases);
        own_bases = bases;
    }
    for (intptr_t i = 0; i < tw_tuple_size(bases); i++)
        for (intptr_t k = i + 1; k < tw_tuple_size(bases); k++)
            if (tw_tuple_get_item_borrowed(bases, i) == tw_tuple_get_item_borrowed(bases, k)) {
                TwObject *bn = TW_TYPE(tw_tuple_get_item_borrowed(bases, i))->tp_flags &
                                       TW_TPFLAGS_TYPE_SUBCLASS
                                   ? tw_type_get_name((TwType *)tw_tuple_get_item_borrowed(bases, i))
                                   : NULL;
                tw_err_format(&tw_exc_TypeError, "duplicate base class %s",
                              bn ? tw_str_utf8(bn) : "?");
                tw_xdecref(bn);
                goto fail;
            }
    TwType *meta = calculate_metatype(metatype, bases);
    if (meta == NULL)
        goto fail;
    TwType *base = best_base(bases);
    if (base == NULL)
        goto fail;

    ht = (TwHeapType *)tw_object_new(meta, 0);
    if (ht == NULL)
        goto fail;
    type = &ht->type;
    ht->ht_name = tw_newref(name);
    type->tp_name = tw_str_utf8(name);
    type->tp_flags = TW_TPFLAGS_HEAPTYPE | TW_TPFLAGS_BASETYPE;
    type->tp_base = base;
    type->tp_bases = own_bases;
    own_bases = NULL;
    type->tp_as_number = &ht->as_number;
    type->tp_basicsize = base->tp_basicsize;
    type->tp_itemsize = base->tp_itemsize;
    type->tp_dictoffset = base->tp_dictoffset;
    int add_dict = base->tp_dictoffset == 0;
    if (add_dict)
        type->tp_dictoffset = -(intptr_t)sizeof(TwObject *); /* in the pre-header */
    type->tp_dealloc = subtype_dealloc;

    /* The namespace: a copy of ns, with __qualname__ taken out. */
    type->tp_dict = tw_dict_copy(ns);
    if (type->tp_dict == NULL)
        goto fail;
    TwObject *qual = NULL;
    int rc = tw_dict_get_item_ref(type->tp_dict, tw_id___qualname__, &qual);
    if (rc < 0)
        goto fail;
    if (rc > 0) {
        if (!tw_str_check(qual)) {
            tw_err_format(&tw_exc_TypeError, "type __qualname__ must be a str, not %s",
                          TW_TYPE(qual)->tp_name);
            tw_decref(qual);
            goto fail;
        }
        ht->ht_qualname = qual;
        if (tw_dict_del_item(type->tp_dict, tw_id___qualname__) < 0)
            goto fail;
    } else {
        ht->ht_qualname = tw_newref(name);
    }
    rc = tw_dict_contains(type->tp_dict, tw_id___module__);
    if (rc < 0)
        goto fail;
    if (rc == 0) {
        TwObject *mod = tw_type_current_module_hook ? tw_type_current_module_hook() : NULL;
        if (mod == NULL) {
            tw_err_clear();
            mod = tw_str_from_cstr("__main__");
            if (mod == NULL)
                goto fail;
        }
        rc = tw_dict_set_item(type->tp_dict, tw_id___module__, mod);
        tw_decref(mod);
        if (rc < 0)
            goto fail;
    }
    rc = tw_dict_contains(type->tp_dict, tw_id___doc__);
    if (rc < 0 || (rc == 0 && tw_dict_set_item(type->tp_dict, tw_id___doc__, TW_NONE) < 0))
        goto fail;
    /* The class cell of zero-argument super() is the compiler's business:
     * it leaves the cell out of the namespace. */
    if (tw_dict_contains(type->tp_dict, tw_id___classcell__) > 0 &&
        tw_dict_del_item(type->tp_dict, tw_id___classcell__) < 0)
        goto fail;
    if (wrap_namespace_entry(type->tp_dict, tw_id___new__, tw_staticmethod_new) < 0 ||
        wrap_namespace_entry(type->tp_dict, tw_id___init_subclass__, tw_classmethod_new) < 0 ||
        wrap_namespace_entry(type->tp_dict, tw_id___class_getitem__, tw_classmethod_new) < 0)
        goto fail;
    /* __eq__ without __hash__: instances become unhashable. */
    if (tw_dict_contains(type->tp_dict, tw_id___eq__) > 0 &&
        tw_dict_contains(type->tp_dict, tw_id___hash__) == 0 &&
        tw_dict_set_item(type->tp_dict, tw_id___hash__, TW_NONE) < 0)
        goto fail;
    if (add_dict) {
        TwObject *d = tw_getset_descr_new(type, &instance_dict_getset);
        rc = d ? tw_dict_set_item(type->tp_dict, tw_id___dict__, d) : -1;
        tw_xdecref(d);
        if (rc < 0)
            goto fail;
    }

    TwObject *mro = compute_mro(type, type->tp_bases);
    if (mro == NULL)
        goto fail;
    type->tp_mro = mro;
    tw_decref((TwObject *)type); /* the MRO's first item holds no reference */
    for (intptr_t i = 1; i < tw_tuple_size(mro); i++)
        inherit_slots(type, (TwType *)tw_tuple_get_item_borrowed(mro, i));
    type->tp_dealloc = subtype_dealloc;

    type_lock_acquire();
    rc = 0;
    for (intptr_t i = 0; i < tw_tuple_size(type->tp_bases) && rc == 0; i++)
        rc = add_subclass_locked((TwType *)tw_tuple_get_item_borrowed(type->tp_bases, i), type);
    if (rc == 0) {
        assign_new_version(type);
        update_slots_locked(type);
        tw_atomic_store_release(&type->tp_ready, 1);
    }
    type_lock_release();
    if (rc < 0)
        goto fail;
    if (type_new_post(type, kwvalues, kwnames) < 0)
        goto fail;
    return (TwObject *)type;

fail:
    tw_xdecref(own_bases);
    if (type != NULL)
        tw_decref((TwObject *)type); /* type_dealloc copes with a half-built class */
    return NULL;
}

/* Instances of classes: release the __dict__ the class added, then let
 * the nearest static base release the rest (its dealloc ends with
 * tw_object_free, which also drops the instance's reference to its class). */
static void subtype_dealloc(TwObject *op)
{
    TwType *type = TW_TYPE(op);
    TwType *base = type;
    while (base->tp_dealloc == subtype_dealloc)
        base = base->tp_base;
    if (type->tp_dictoffset != 0 && type->tp_dictoffset != base->tp_dictoffset) {
        TwObject **slot = tw_object_dict_ptr(op);
        TW_CLEAR(*slot);
    }
    base->tp_dealloc(op);
}

/* ==== the slots of Python classes ==========================================
 * Each calls the special method found through the MRO of the instance's
 * class; update_slots_locked installs one only where a class of the MRO
 * defines the method in Python (otherwise the C slot of a built-in base is
 * used directly). */

static TwObject *slot_tp_repr(TwObject *self)
{
    int found;
    TwObject *r = tw_call_special(self, tw_id___repr__, NULL, 0, &found);
    if (!found)
        return tw_object_default_repr(self);
    if (r != NULL && !tw_str_check(r)) {
        tw_err_format(&tw_exc_TypeError, "__repr__ returned non-string (type %s)", TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

static TwObject *slot_tp_str(TwObject *self)
{
    int found;
    TwObject *r = tw_call_special(self, tw_id___str__, NULL, 0, &found);
    if (!found)
        return object_str(self);
    if (r != NULL && !tw_str_check(r)) {
        tw_err_format(&tw_exc_TypeError, "__str__ returned non-string (type %s)", TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

/* hash(): __hash__ must return an int; one that fits a machine word is
 * the hash itself (-1 becomes -2), a bigger one is hashed as an int. */
static tw_hash_t slot_tp_hash(TwObject *self)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(self), tw_id___hash__);
    if (descr == NULL || descr == TW_NONE) {
        tw_xdecref(descr);
        tw_err_format(&tw_exc_TypeError, "unhashable type: '%s'", TW_TYPE(self)->tp_name);
        return -1;
    }
    TwObject *r = call_found(descr, self, NULL, 0, NULL);
    tw_decref(descr);
    if (r == NULL)
        return -1;
    if (!tw_int_check(r)) {
        tw_decref(r);
        tw_err_set_string(&tw_exc_TypeError, "__hash__ method should return an integer");
        return -1;
    }
    int64_t v = tw_int_as_i64(r);
    tw_hash_t h;
    if (v == -1 && tw_err_occurred()) {
        tw_err_clear();
        h = tw_int_type.tp_hash(r);
    } else {
        h = v == -1 ? -2 : v;
    }
    tw_decref(r);
    return h;
}

static TwObject *const *const richcmp_names[] = {&tw_id___lt__, &tw_id___le__, &tw_id___eq__,
                                                 &tw_id___ne__, &tw_id___gt__, &tw_id___ge__};

static TwObject *slot_tp_richcompare(TwObject *self, TwObject *other, int op)
{
    return call_maybe(self, *richcmp_names[op], &other, 1);
}

static int is_generic_getattribute(TwObject *d)
{
    return TW_TYPE(d) == &tw_wrapper_descr_type &&
           ((TwWrapperDescrObject *)d)->d_wrapped == (void *)tw_object_generic_getattr;
}

/* __getattribute__ (the generic one unless a class overrides it), then
 * __getattr__ on AttributeError. */
static TwObject *slot_tp_getattr_hook(TwObject *self, TwObject *name)
{
    TwType *tp = TW_TYPE(self);
    TwObject *getattribute = tw_type_lookup_ref(tp, tw_id___getattribute__);
    TwObject *res;
    if (getattribute == NULL || is_generic_getattribute(getattribute))
        res = tw_object_generic_getattr(self, name);
    else
        res = call_found(getattribute, self, &name, 1, NULL);
    tw_xdecref(getattribute);
    if (res == NULL && tw_err_matches(&tw_exc_AttributeError)) {
        TwObject *getattr = tw_type_lookup_ref(tp, tw_id___getattr__);
        if (getattr != NULL) {
            tw_err_clear();
            res = call_found(getattr, self, &name, 1, NULL);
            tw_decref(getattr);
        }
    }
    return res;
}

static int slot_tp_setattro(TwObject *self, TwObject *name, TwObject *value)
{
    TwObject *args[2] = {name, value};
    TwObject *r = value ? tw_call_special(self, tw_id___setattr__, args, 2, NULL)
                        : tw_call_special(self, tw_id___delattr__, args, 1, NULL);
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

static TwObject *slot_tp_call(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(self), tw_id___call__);
    if (descr == NULL) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not callable", TW_TYPE(self)->tp_name);
        return NULL;
    }
    TwObject *r = call_found(descr, self, args, nargs, kwnames);
    tw_decref(descr);
    return r;
}

static TwObject *slot_tp_iter(TwObject *self)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(self), tw_id___iter__);
    if (descr == NULL || descr == TW_NONE) {
        tw_xdecref(descr);
        tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", TW_TYPE(self)->tp_name);
        return NULL;
    }
    TwObject *r = call_found(descr, self, NULL, 0, NULL);
    tw_decref(descr);
    return r;
}

/* next(): StopIteration from __next__ means "exhausted" (NULL, no error). */
static TwObject *slot_tp_iternext(TwObject *self)
{
    TwObject *r = tw_call_special(self, tw_id___next__, NULL, 0, NULL);
    if (r == NULL && tw_err_matches(&tw_exc_StopIteration))
        tw_err_clear();
    return r;
}

/* The result of __len__ as a size: an int >= 0 that fits. */
static intptr_t len_result(TwObject *r)
{
    TwObject *idx = tw_number_index(r);
    tw_decref(r);
    if (idx == NULL)
        return -1;
    int64_t v = tw_int_as_i64(idx);
    int neg = 0;
    if (v == -1 && tw_err_occurred()) {
        if (!tw_err_matches(&tw_exc_OverflowError)) {
            tw_decref(idx);
            return -1;
        }
        tw_err_clear();
        TwObject *zero = tw_int_from_i64(0);
        neg = tw_object_richcompare_bool(idx, zero, TW_LT) == 1;
        tw_decref(zero);
        if (!neg) {
            tw_decref(idx);
            tw_err_set_string(&tw_exc_OverflowError, "cannot fit 'int' into an index-sized integer");
            return -1;
        }
    }
    tw_decref(idx);
    if (neg || v < 0) {
        tw_err_set_string(&tw_exc_ValueError, "__len__() should return >= 0");
        return -1;
    }
    return (intptr_t)v;
}

static intptr_t slot_tp_len(TwObject *self)
{
    int found;
    TwObject *r = tw_call_special(self, tw_id___len__, NULL, 0, &found);
    if (!found) {
        tw_err_format(&tw_exc_TypeError, "object of type '%s' has no len()", TW_TYPE(self)->tp_name);
        return -1;
    }
    return r ? len_result(r) : -1;
}

static TwObject *slot_tp_getitem(TwObject *self, TwObject *key)
{
    int found;
    TwObject *r = tw_call_special(self, tw_id___getitem__, &key, 1, &found);
    if (!found)
        tw_err_format(&tw_exc_TypeError, "'%s' object is not subscriptable", TW_TYPE(self)->tp_name);
    return r;
}

static int slot_tp_setitem(TwObject *self, TwObject *key, TwObject *value)
{
    TwObject *args[2] = {key, value};
    int found;
    TwObject *r = value ? tw_call_special(self, tw_id___setitem__, args, 2, &found)
                        : tw_call_special(self, tw_id___delitem__, args, 1, &found);
    if (!found) {
        tw_err_format(&tw_exc_AttributeError, value ? "__setitem__" : "__delitem__");
        return -1;
    }
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

static int slot_tp_contains(TwObject *self, TwObject *item)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(self), tw_id___contains__);
    if (descr == TW_NONE) {
        tw_decref(descr);
        tw_err_format(&tw_exc_TypeError, "'%s' object is not a container", TW_TYPE(self)->tp_name);
        return -1;
    }
    if (descr == NULL) {
        /* Fall back to iterating (the protocol's default). */
        TwObject *it = tw_object_iter(self);
        if (it == NULL)
            return -1;
        int res = 0;
        TwObject *x;
        while ((x = tw_iter_next(it)) != NULL) {
            int eq = x == item ? 1 : tw_object_eq(x, item);
            tw_decref(x);
            if (eq != 0) {
                res = eq;
                break;
            }
        }
        tw_decref(it);
        if (res == 0 && tw_err_occurred())
            return -1;
        return res;
    }
    TwObject *r = call_found(descr, self, &item, 1, NULL);
    tw_decref(descr);
    if (r == NULL)
        return -1;
    int t = tw_object_is_true(r);
    tw_decref(r);
    return t;
}

static TwObject *slot_tp_descr_get(TwObject *self, TwObject *obj, TwObject *type)
{
    TwObject *args[2] = {obj ? obj : TW_NONE, type ? type : TW_NONE};
    return tw_call_special(self, tw_id___get__, args, 2, NULL);
}

static int slot_tp_descr_set(TwObject *self, TwObject *obj, TwObject *value)
{
    TwObject *args[2] = {obj, value};
    TwObject *r = value ? tw_call_special(self, tw_id___set__, args, 2, NULL)
                        : tw_call_special(self, tw_id___delete__, args, 1, NULL);
    if (r == NULL)
        return -1;
    tw_decref(r);
    return 0;
}

static int slot_tp_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *descr = tw_type_lookup_ref(TW_TYPE(self), tw_id___init__);
    if (descr == NULL)
        return 0;
    TwObject *r = call_found(descr, self, args, nargs, kwnames);
    tw_decref(descr);
    if (r == NULL)
        return -1;
    if (r != TW_NONE) {
        tw_err_format(&tw_exc_TypeError, "__init__() should return None, not '%s'", TW_TYPE(r)->tp_name);
        tw_decref(r);
        return -1;
    }
    tw_decref(r);
    return 0;
}

/* __new__ is a staticmethod: call it with the class first. */
static TwObject *slot_tp_new(TwType *type, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwObject *descr = tw_type_lookup_ref(type, tw_id___new__);
    if (descr == NULL) {
        tw_err_format(&tw_exc_TypeError, "cannot create '%s' instances", type->tp_name);
        return NULL;
    }
    TwObject *func = descr;
    tw_descrgetfunc get = TW_TYPE(descr)->tp_descr_get;
    if (get != NULL) {
        func = get(descr, NULL, (TwObject *)type);
        tw_decref(descr);
        if (func == NULL)
            return NULL;
    }
    TwObject *r = tw_call_prepend(func, (TwObject *)type, args, nargs, kwnames);
    tw_decref(func);
    return r;
}

/* ---- number slots ---- */

static inline void *nb_slot(TwType *t, size_t off)
{
    return t->tp_as_number ? *(void **)((char *)t->tp_as_number + off) : NULL;
}

/* Does `right` define rname differently from `left`? */
static int method_is_overloaded(TwType *left, TwType *right, TwObject *rname)
{
    TwObject *b = tw_type_lookup_ref(right, rname);
    if (b == NULL)
        return 0;
    TwObject *a = tw_type_lookup_ref(left, rname);
    int r = a != b;
    tw_xdecref(a);
    tw_decref(b);
    return r;
}

/* The binary operator protocol from the class side: a.__op__(b), or
 * b.__rop__(a) -- first when b's class is a subclass of a's that
 * overrides __rop__.  `self_fn` is this slot function, which tells
 * whether each operand's class handles the operator in Python.  `extra`
 * is pow's modulus (None for the binary form). */
static TwObject *binary_slot(TwObject *a, TwObject *b, size_t off, void *self_fn, TwObject *name,
                             TwObject *rname)
{
    TwType *ta = TW_TYPE(a), *tb = TW_TYPE(b);
    int do_other = ta != tb && nb_slot(tb, off) == self_fn;
    if (nb_slot(ta, off) == self_fn) {
        TwObject *r;
        if (do_other && tw_type_is_subtype(tb, ta) && method_is_overloaded(ta, tb, rname)) {
            r = call_maybe(b, rname, &a, 1);
            if (r != TW_NOTIMPLEMENTED)
                return r;
            tw_decref(r);
            do_other = 0;
        }
        r = call_maybe(a, name, &b, 1);
        if (r != TW_NOTIMPLEMENTED || ta == tb)
            return r;
        tw_decref(r);
    }
    if (do_other)
        return call_maybe(b, rname, &a, 1);
    return tw_newref(TW_NOTIMPLEMENTED);
}

#define SLOT_BINARY(FIELD, NAME, RNAME)                                                            \
    static TwObject *slot_##FIELD(TwObject *a, TwObject *b)                                        \
    {                                                                                              \
        return binary_slot(a, b, offsetof(TwNumberMethods, FIELD), (void *)slot_##FIELD,          \
                           tw_id_##NAME, tw_id_##RNAME);                                           \
    }
SLOT_BINARY(nb_add, __add__, __radd__)
SLOT_BINARY(nb_subtract, __sub__, __rsub__)
SLOT_BINARY(nb_multiply, __mul__, __rmul__)
SLOT_BINARY(nb_true_divide, __truediv__, __rtruediv__)
SLOT_BINARY(nb_floor_divide, __floordiv__, __rfloordiv__)
SLOT_BINARY(nb_remainder, __mod__, __rmod__)
SLOT_BINARY(nb_lshift, __lshift__, __rlshift__)
SLOT_BINARY(nb_rshift, __rshift__, __rrshift__)
SLOT_BINARY(nb_and, __and__, __rand__)
SLOT_BINARY(nb_or, __or__, __ror__)
SLOT_BINARY(nb_xor, __xor__, __rxor__)
SLOT_BINARY(nb_divmod, __divmod__, __rdivmod__)
SLOT_BINARY(nb_matmul, __matmul__, __rmatmul__)
#undef SLOT_BINARY

static TwObject *slot_nb_power_binary(TwObject *a, TwObject *b);

/* pow(a, b[, mod]): the three-argument form only asks a. */
static TwObject *slot_nb_power(TwObject *a, TwObject *b, TwObject *mod)
{
    if (mod == NULL || mod == TW_NONE)
        return slot_nb_power_binary(a, b);
    if (nb_slot(TW_TYPE(a), offsetof(TwNumberMethods, nb_power)) == (void *)slot_nb_power) {
        TwObject *args[2] = {b, mod};
        return call_maybe(a, tw_id___pow__, args, 2);
    }
    return tw_newref(TW_NOTIMPLEMENTED);
}

static TwObject *slot_nb_power_binary(TwObject *a, TwObject *b)
{
    return binary_slot(a, b, offsetof(TwNumberMethods, nb_power), (void *)slot_nb_power,
                       tw_id___pow__, tw_id___rpow__);
}

#define SLOT_INPLACE(FIELD, NAME)                                                                  \
    static TwObject *slot_##FIELD(TwObject *a, TwObject *b) { return call_maybe(a, tw_id_##NAME, &b, 1); }
SLOT_INPLACE(nb_inplace_add, __iadd__)
SLOT_INPLACE(nb_inplace_subtract, __isub__)
SLOT_INPLACE(nb_inplace_multiply, __imul__)
SLOT_INPLACE(nb_inplace_true_divide, __itruediv__)
SLOT_INPLACE(nb_inplace_floor_divide, __ifloordiv__)
SLOT_INPLACE(nb_inplace_remainder, __imod__)
SLOT_INPLACE(nb_inplace_lshift, __ilshift__)
SLOT_INPLACE(nb_inplace_rshift, __irshift__)
SLOT_INPLACE(nb_inplace_and, __iand__)
SLOT_INPLACE(nb_inplace_or, __ior__)
SLOT_INPLACE(nb_inplace_xor, __ixor__)
SLOT_INPLACE(nb_inplace_matmul, __imatmul__)
#undef SLOT_INPLACE

static TwObject *slot_nb_inplace_power(TwObject *a, TwObject *b, TwObject *mod)
{
    return call_maybe(a, tw_id___ipow__, &b, 1);
}

#define SLOT_UNARY(FIELD, NAME)                                                                    \
    static TwObject *slot_##FIELD(TwObject *a) { return tw_call_special(a, tw_id_##NAME, NULL, 0, NULL); }
SLOT_UNARY(nb_negative, __neg__)
SLOT_UNARY(nb_positive, __pos__)
SLOT_UNARY(nb_absolute, __abs__)
SLOT_UNARY(nb_invert, __invert__)
#undef SLOT_UNARY

static TwObject *slot_nb_int(TwObject *a)
{
    TwObject *r = tw_call_special(a, tw_id___int__, NULL, 0, NULL);
    if (r != NULL && !tw_int_check(r)) {
        tw_err_format(&tw_exc_TypeError, "__int__ returned non-int (type %s)", TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

static TwObject *slot_nb_float(TwObject *a)
{
    TwObject *r = tw_call_special(a, tw_id___float__, NULL, 0, NULL);
    if (r != NULL && !tw_float_check(r)) {
        tw_err_format(&tw_exc_TypeError, "%s.__float__ returned non-float (type %s)",
                      TW_TYPE(a)->tp_name, TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

static TwObject *slot_nb_index(TwObject *a)
{
    TwObject *r = tw_call_special(a, tw_id___index__, NULL, 0, NULL);
    if (r != NULL && !tw_int_check(r)) {
        tw_err_format(&tw_exc_TypeError, "__index__ returned non-int (type %s)", TW_TYPE(r)->tp_name);
        TW_CLEAR(r);
    }
    return r;
}

/* Truth: __bool__ (which must return a bool), else __len__, else true. */
static int slot_nb_bool(TwObject *self)
{
    int found;
    TwObject *r = tw_call_special(self, tw_id___bool__, NULL, 0, &found);
    if (found) {
        if (r == NULL)
            return -1;
        if (TW_TYPE(r) != &tw_bool_type) {
            tw_err_format(&tw_exc_TypeError, "__bool__ should return bool, returned %s",
                          TW_TYPE(r)->tp_name);
            tw_decref(r);
            return -1;
        }
        int t = r == TW_TRUE;
        tw_decref(r);
        return t;
    }
    r = tw_call_special(self, tw_id___len__, NULL, 0, &found);
    if (!found)
        return 1;
    if (r == NULL)
        return -1;
    intptr_t n = len_result(r);
    return n < 0 ? -1 : n > 0;
}

/* ==== slot wrappers: C slots called from Python ============================ */

static int check_nargs(size_t nargs, size_t expected)
{
    if (nargs == expected)
        return 0;
    tw_err_format(&tw_exc_TypeError, "expected %zu argument%s, got %zu", expected,
                  expected == 1 ? "" : "s", nargs);
    return -1;
}

static TwObject *wrap_unary(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                            void *wrapped, int arg)
{
    if (check_nargs(nargs, 0) < 0)
        return NULL;
    return ((tw_reprfunc)wrapped)(self);
}

static TwObject *wrap_next(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                           void *wrapped, int arg)
{
    if (check_nargs(nargs, 0) < 0)
        return NULL;
    TwObject *r = ((tw_reprfunc)wrapped)(self);
    if (r == NULL && !tw_err_occurred())
        tw_err_restore(tw_exception_new(&tw_exc_StopIteration, NULL));
    return r;
}

static TwObject *wrap_binary(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                             void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    return ((tw_binaryfunc)wrapped)(self, args[0]);
}

static TwObject *wrap_binary_r(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                               void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    return ((tw_binaryfunc)wrapped)(args[0], self);
}

static TwObject *wrap_ternary(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (nargs != 1 && nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "expected 1 or 2 arguments, got %zu", nargs);
        return NULL;
    }
    return ((tw_ternaryfunc)wrapped)(self, args[0], nargs == 2 ? args[1] : TW_NONE);
}

static TwObject *wrap_ternary_r(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                                void *wrapped, int arg)
{
    if (nargs != 1 && nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "expected 1 or 2 arguments, got %zu", nargs);
        return NULL;
    }
    return ((tw_ternaryfunc)wrapped)(args[0], self, nargs == 2 ? args[1] : TW_NONE);
}

static TwObject *wrap_inquiry(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 0) < 0)
        return NULL;
    int r = ((tw_inquiry)wrapped)(self);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *wrap_len(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                          void *wrapped, int arg)
{
    if (check_nargs(nargs, 0) < 0)
        return NULL;
    intptr_t n = ((tw_lenfunc)wrapped)(self);
    return n < 0 ? NULL : tw_int_from_i64(n);
}

static TwObject *wrap_hash(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                           void *wrapped, int arg)
{
    if (check_nargs(nargs, 0) < 0)
        return NULL;
    tw_hash_t h = ((tw_hashfunc)wrapped)(self);
    return h == -1 && tw_err_occurred() ? NULL : tw_int_from_i64(h);
}

static TwObject *wrap_setitem(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 2) < 0)
        return NULL;
    return ((tw_setitemfunc)wrapped)(self, args[0], args[1]) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_delitem(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    return ((tw_setitemfunc)wrapped)(self, args[0], NULL) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_contains(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                               void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    int r = ((tw_containsfunc)wrapped)(self, args[0]);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *wrap_richcmp(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    return ((tw_richcmpfunc)wrapped)(self, args[0], arg);
}

static TwObject *wrap_call(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                           void *wrapped, int arg)
{
    return ((tw_vectorcallfunc)wrapped)(self, args, nargs, kw);
}

static TwObject *wrap_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                           void *wrapped, int arg)
{
    return ((tw_initfunc)wrapped)(self, args, nargs, kw) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_getattr(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    if (check_attr_name(args[0]) < 0)
        return NULL;
    return ((tw_getattrofunc)wrapped)(self, args[0]);
}

static TwObject *wrap_setattr(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 2) < 0 || check_attr_name(args[0]) < 0)
        return NULL;
    return ((tw_setattrofunc)wrapped)(self, args[0], args[1]) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_delattr(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                              void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0 || check_attr_name(args[0]) < 0)
        return NULL;
    return ((tw_setattrofunc)wrapped)(self, args[0], NULL) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_descr_get(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                                void *wrapped, int arg)
{
    if (nargs != 1 && nargs != 2) {
        tw_err_format(&tw_exc_TypeError, "expected 1 or 2 arguments, got %zu", nargs);
        return NULL;
    }
    TwObject *obj = args[0] == TW_NONE ? NULL : args[0];
    TwObject *type = nargs == 2 && args[1] != TW_NONE ? args[1] : NULL;
    if (obj == NULL && type == NULL) {
        tw_err_set_string(&tw_exc_TypeError, "__get__(None, None) is invalid");
        return NULL;
    }
    return ((tw_descrgetfunc)wrapped)(self, obj, type);
}

static TwObject *wrap_descr_set(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                                void *wrapped, int arg)
{
    if (check_nargs(nargs, 2) < 0)
        return NULL;
    return ((tw_descrsetfunc)wrapped)(self, args[0], args[1]) < 0 ? NULL : tw_newref(TW_NONE);
}

static TwObject *wrap_descr_delete(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kw,
                                   void *wrapped, int arg)
{
    if (check_nargs(nargs, 1) < 0)
        return NULL;
    return ((tw_descrsetfunc)wrapped)(self, args[0], NULL) < 0 ? NULL : tw_newref(TW_NONE);
}

/* ---- the table ----
 * Entries that fill the same slot are adjacent (update_slots_locked walks
 * them as one group). */
#define TPSLOT(NAME, FIELD, GEN, WRAP, ARG, KW)                                                    \
    {#NAME, offsetof(TwType, FIELD), 0, (void *)(GEN), WRAP, ARG, KW}
#define NBSLOT(NAME, FIELD, GEN, WRAP)                                                             \
    {#NAME, offsetof(TwNumberMethods, FIELD), 1, (void *)(GEN), WRAP, 0, 0}
#define BINSLOT(NAME, RNAME, FIELD)                                                                \
    NBSLOT(NAME, FIELD, slot_##FIELD, wrap_binary), NBSLOT(RNAME, FIELD, slot_##FIELD, wrap_binary_r)

static const TwSlotDef slotdefs[] = {
    TPSLOT(__getattribute__, tp_getattro, slot_tp_getattr_hook, wrap_getattr, 0, 0),
    TPSLOT(__getattr__, tp_getattro, slot_tp_getattr_hook, NULL, 0, 0),
    TPSLOT(__setattr__, tp_setattro, slot_tp_setattro, wrap_setattr, 0, 0),
    TPSLOT(__delattr__, tp_setattro, slot_tp_setattro, wrap_delattr, 0, 0),
    TPSLOT(__repr__, tp_repr, slot_tp_repr, wrap_unary, 0, 0),
    TPSLOT(__str__, tp_str, slot_tp_str, wrap_unary, 0, 0),
    TPSLOT(__hash__, tp_hash, slot_tp_hash, wrap_hash, 0, 0),
    TPSLOT(__call__, tp_call, slot_tp_call, wrap_call, 0, 1),
    TPSLOT(__iter__, tp_iter, slot_tp_iter, wrap_unary, 0, 0),
    TPSLOT(__next__, tp_iternext, slot_tp_iternext, wrap_next, 0, 0),
    TPSLOT(__len__, tp_len, slot_tp_len, wrap_len, 0, 0),
    TPSLOT(__getitem__, tp_getitem, slot_tp_getitem, wrap_binary, 0, 0),
    TPSLOT(__setitem__, tp_setitem, slot_tp_setitem, wrap_setitem, 0, 0),
    TPSLOT(__delitem__, tp_setitem, slot_tp_setitem, wrap_delitem, 0, 0),
    TPSLOT(__contains__, tp_contains, slot_tp_contains, wrap_contains, 0, 0),
    TPSLOT(__get__, tp_descr_get, slot_tp_descr_get, wrap_descr_get, 0, 0),
    TPSLOT(__set__, tp_descr_set, slot_tp_descr_set, wrap_descr_set, 0, 0),
    TPSLOT(__delete__, tp_descr_set, slot_tp_descr_set, wrap_descr_delete, 0, 0),
    TPSLOT(__init__, tp_init, slot_tp_init, wrap_init, 0, 1),
    TPSLOT(__lt__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_LT, 0),
    TPSLOT(__le__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_LE, 0),
    TPSLOT(__eq__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_EQ, 0),
    TPSLOT(__ne__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_NE, 0),
    TPSLOT(__gt__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_GT, 0),
    TPSLOT(__ge__, tp_richcompare, slot_tp_richcompare, wrap_richcmp, TW_GE, 0),
    BINSLOT(__add__, __radd__, nb_add),
    BINSLOT(__sub__, __rsub__, nb_subtract),
    BINSLOT(__mul__, __rmul__, nb_multiply),
    BINSLOT(__truediv__, __rtruediv__, nb_true_divide),
    BINSLOT(__floordiv__, __rfloordiv__, nb_floor_divide),
    BINSLOT(__mod__, __rmod__, nb_remainder),
    BINSLOT(__lshift__, __rlshift__, nb_lshift),
    BINSLOT(__rshift__, __rrshift__, nb_rshift),
    BINSLOT(__and__, __rand__, nb_and),
    BINSLOT(__or__, __ror__, nb_or),
    BINSLOT(__xor__, __rxor__, nb_xor),
    BINSLOT(__divmod__, __rdivmod__, nb_divmod),
    BINSLOT(__matmul__, __rmatmul__, nb_matmul),
    NBSLOT(__pow__, nb_power, slot_nb_power, wrap_ternary),
    NBSLOT(__rpow__, nb_power, slot_nb_power, wrap_ternary_r),
    NBSLOT(__neg__, nb_negative, slot_nb_negative, wrap_unary),
    NBSLOT(__pos__, nb_positive, slot_nb_positive, wrap_unary),
    NBSLOT(__abs__, nb_absolute, slot_nb_absolute, wrap_unary),
    NBSLOT(__invert__, nb_invert, slot_nb_invert, wrap_unary),
    NBSLOT(__bool__, nb_bool, slot_nb_bool, wrap_inquiry),
    NBSLOT(__int__, nb_int, slot_nb_int, wrap_unary),
    NBSLOT(__float__, nb_float, slot_nb_float, wrap_unary),
    NBSLOT(__index__, nb_index, slot_nb_index, wrap_unary),
    NBSLOT(__iadd__, nb_inplace_add, slot_nb_inplace_add, wrap_binary),
    NBSLOT(__isub__, nb_inplace_subtract, slot_nb_inplace_subtract, wrap_binary),
    NBSLOT(__imul__, nb_inplace_multiply, slot_nb_inplace_multiply, wrap_binary),
    NBSLOT(__itruediv__, nb_inplace_true_divide, slot_nb_inplace_true_divide, wrap_binary),
    NBSLOT(__ifloordiv__, nb_inplace_floor_divide, slot_nb_inplace_floor_divide, wrap_binary),
    NBSLOT(__imod__, nb_inplace_remainder, slot_nb_inplace_remainder, wrap_binary),
    NBSLOT(__ilshift__, nb_inplace_lshift, slot_nb_inplace_lshift, wrap_binary),
    NBSLOT(__irshift__, nb_inplace_rshift, slot_nb_inplace_rshift, wrap_binary),
    NBSLOT(__iand__, nb_inplace_and, slot_nb_inplace_and, wrap_binary),
    NBSLOT(__ior__, nb_inplace_or, slot_nb_inplace_or, wrap_binary),
    NBSLOT(__ixor__, nb_inplace_xor, slot_nb_inplace_xor, wrap_binary),
    NBSLOT(__imatmul__, nb_inplace_matmul, slot_nb_inplace_matmul, wrap_binary),
    NBSLOT(__ipow__, nb_inplace_power, slot_nb_inplace_power, wrap_ternary),
    {NULL, 0, 0, NULL, NULL, 0, 0},
};

#undef TPSLOT
#undef NBSLOT
#undef BINSLOT

#define NSLOTDEFS (sizeof(slotdefs) / sizeof(slotdefs[0]) - 1)
static TwObject *slotdef_names[NSLOTDEFS]; /* interned; written by tw_types_init */

static TwObject *slotdef_name(const TwSlotDef *sd) { return slotdef_names[sd - slotdefs]; }

static inline int same_slot(const TwSlotDef *a, const TwSlotDef *b)
{
    return a->offset == b->offset && a->in_number == b->in_number;
}

static int slot_name_affects_slots(TwObject *name)
{
    const char *s = tw_str_utf8(name);
    size_t n = (size_t)tw_str_byte_size(name);
    return n > 4 && s[0] == '_' && s[1] == '_' && s[n - 1] == '_' && s[n - 2] == '_';
}

/* Set the slots of one class from what its MRO binds to each special
 * name: a slot wrapper of the same slot means the C function itself; None
 * for __hash__ means unhashable; anything else means the generic slot
 * function that calls the Python method. */
static void fixup_slots(TwType *type)
{
    const TwSlotDef *sd = slotdefs;
    while (sd->name != NULL) {
        const TwSlotDef *group = sd;
        void *specific = NULL;
        int generic = 0;
        for (; sd->name != NULL && same_slot(sd, group); sd++) {
            TwObject *d = find_in_mro(type, slotdef_name(sd));
            if (d == NULL)
                continue;
            if (TW_TYPE(d) == &tw_wrapper_descr_type &&
                same_slot(((TwWrapperDescrObject *)d)->d_slot, group)) {
                void *w = ((TwWrapperDescrObject *)d)->d_wrapped;
                if (specific == NULL || specific == w)
                    specific = w;
                else
                    generic = 1;
            } else if (!(d == TW_NONE && !group->in_number &&
                         group->offset == offsetof(TwType, tp_hash))) {
                generic = 1;
            }
            tw_decref(d);
        }
        void **slot = type_slot_ptr(type, group);
        if (slot != NULL)
            *slot = generic ? group->generic : specific;
    }
    /* tp_new: a Python __new__ anywhere before the first static class. */
    TwObject *d = find_in_mro(type, tw_id___new__);
    if (d != NULL && tw_cfunction_check(d) && ((TwCFunctionObject *)d)->def == &tp_new_def)
        type->tp_new = ((TwType *)((TwCFunctionObject *)d)->self)->tp_new;
    else if (d != NULL)
        type->tp_new = slot_tp_new;
    tw_xdecref(d);
}

/* Recompute the slots of type and of every class below it.  Caller holds
 * type_lock. */
static void update_slots_locked(TwType *type)
{
    if (!tw_type_is_heap(type))
        return;
    fixup_slots(type);
    TwHeapType *ht = (TwHeapType *)type;
    for (intptr_t i = 0; i < ht->nsubclasses; i++)
        update_slots_locked(ht->subclasses[i]);
}

/* ==== start-up =============================================================== */

static TwType *const core_types[] = {
    &tw_object_type, &tw_type_type, &tw_none_type, &tw_int_type, &tw_bool_type, &tw_float_type,
    &tw_str_type, &tw_bytes_type, &tw_tuple_type, &tw_list_type, &tw_dict_type, &tw_set_type,
    &tw_frozenset_type, &tw_notimplemented_type, &tw_ellipsis_type, &tw_list_iter_type,
    &tw_list_reviter_type, &tw_tuple_iter_type, &tw_set_iter_type, &tw_dict_keys_type,
    &tw_dict_values_type, &tw_dict_items_type, &tw_dict_keyiter_type, &tw_dict_valueiter_type,
    &tw_dict_itemiter_type, &tw_str_iter_type,
};

static int intern_slotdef_names(void)
{
    for (size_t i = 0; i < NSLOTDEFS; i++)
        if ((slotdef_names[i] = tw_str_intern_cstr(slotdefs[i].name)) == NULL)
            return -1;
    return 0;
}

int tw_types_init(void)
{
    if (intern_special_names() < 0 || intern_slotdef_names() < 0)
        return -1;
    tw_listmethods_init();
    tw_tuplemethods_init();
    tw_dictmethods_init();
    tw_setmethods_init();
    for (size_t i = 0; i < sizeof(core_types) / sizeof(core_types[0]); i++)
        if (tw_type_ready(core_types[i]) < 0)
            return -1;
    tw_abstract_types_init();
    if (tw_descr_types_init() < 0 || tw_exception_types_init() < 0)
        return -1;
    return 0;
}
