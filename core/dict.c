/* dict: an insertion-ordered hash table.
 *
 * Layout (one allocation, TwDictKeys):
 *   indices  2^k slots, each 1, 2, 4 or 8 bytes wide (the narrowest that
 *            can hold an entry number for that size): IX_EMPTY, IX_DUMMY
 *            (a deleted entry used to be here: probing must go on), or the
 *            number of an entry;
 *   entries  {hash, key, value} in insertion order; a deleted entry keeps
 *            its place with key == NULL until the next resize compacts.
 * Probing starts at hash & mask and goes on with
 *     perturb >>= 5;  i = (i * 5 + perturb + 1) & mask
 * so that every bit of the hash takes part and every slot is reached.  At
 * most 2/3 of the slots may hold entries (live or deleted), so a probe
 * always meets an empty slot.  When that space runs out, the table is
 * rebuilt (compacted) at the smallest power of two >= 3 * used.
 *
 * Locking.  Every field of TwDictObject and of its TwDictKeys is protected
 * by the dict's critical section.  Keys are hashed before the section is
 * entered.  Comparing a candidate key with equal hash runs that key's code,
 * which may mutate the dict (re-entrantly, or from another thread while the
 * comparison blocks and suspends the section): the lookup compares through
 * a new reference and restarts if the dict's version moved meanwhile.
 * References that an operation drops are released after the section ends,
 * since a destructor may run arbitrary code.
 *
 * Lock-free lookups (free-threaded build; nogil/lockfree.h).  The owner of
 * a dict, and every thread once the dict is shared, looks up exact-str keys
 * and machine-sized exact int keys without the section (lookup_unlocked):
 * it loads mp->keys with acquire, probes with acquire loads of the index
 * slots, and compares keys by identity, or by hash and contents when the
 * stored key has the lookup key's exact type (bytes of a str, value of an
 * int); any other stored key with an equal hash (its __eq__ might run code)
 * sends the lookup to the locked path.  For that to be safe:
 *   - writers fill an entry before publishing its index slot (release), and
 *     store entry keys/values, index slots, mp->keys and mp->version with
 *     the tw_lf_store_* accessors;
 *   - an entry is never reused within a table: popitem does not trim
 *     nentries (pop_end remembers where the live entries end), so an entry
 *     holds one key for the table's whole life;
 *   - once the dict is shared, replaced and removed keys and values are
 *     released with tw_decref_delayed and old tables with
 *     tw_mem_free_delayed: a reader that found them has not passed a
 *     quiescent state yet.  A value handed to the caller (pop, popitem) is
 *     a new reference, the dict's own one going through the delay. */
#include <string.h>

#include "core/tstate.h"
#include "nogil/lockfree.h"

#define DICT(op) ((TwDictObject *)(op))

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define IX_ERROR (-3) /* lookup result: a comparison raised */

#define LOG2_MINSIZE  3 /* the smallest table has 8 slots */
#define PERTURB_SHIFT 5
/* Entries a table of n slots may hold. */
#define USABLE_FRACTION(n) (((n) << 1) / 3)

typedef struct {
    tw_hash_t hash;
    TwObject *key; /* NULL: deleted */
    TwObject *value;
} DictEntry;

struct TwDictKeys {
    uint8_t log2_size;        /* 2^log2_size index slots */
    uint8_t log2_index_bytes; /* each index slot is 2^this bytes */
    intptr_t usable;          /* entries that may still be appended */
    intptr_t nentries;        /* entries appended so far, live or deleted */
    intptr_t pop_end;         /* entries at or after this one are deleted (popitem) */
    int64_t indices[];        /* the index slots, then the entries */
};

#define DK_SIZE(dk) ((intptr_t)1 << (dk)->log2_size)

static inline DictEntry *dk_entries(TwDictKeys *dk)
{
    return (DictEntry *)((char *)dk->indices + ((size_t)DK_SIZE(dk) << dk->log2_index_bytes));
}

static inline intptr_t get_index(TwDictKeys *dk, size_t i)
{
    switch (dk->log2_index_bytes) {
    case 0:
        return tw_lf_load_acquire(&((int8_t *)dk->indices)[i]);
    case 1:
        return tw_lf_load_acquire(&((int16_t *)dk->indices)[i]);
    case 2:
        return tw_lf_load_acquire(&((int32_t *)dk->indices)[i]);
    default:
        return (intptr_t)tw_lf_load_acquire(&dk->indices[i]);
    }
}

static inline void set_index(TwDictKeys *dk, size_t i, intptr_t ix)
{
    switch (dk->log2_index_bytes) {
    case 0:
        tw_lf_store_release(&((int8_t *)dk->indices)[i], (int8_t)ix);
        break;
    case 1:
        tw_lf_store_release(&((int16_t *)dk->indices)[i], (int16_t)ix);
        break;
    case 2:
        tw_lf_store_release(&((int32_t *)dk->indices)[i], (int32_t)ix);
        break;
    default:
        tw_lf_store_release(&dk->indices[i], (int64_t)ix);
        break;
    }
}

/* ---- references released after the section ---------------------------------- */

/* References an operation must drop once its critical section has ended.
 * Starts with room for 8; grows on the heap.  If growing fails the
 * reference is dropped at once: a last resort under memory exhaustion. */
typedef struct {
    TwObject **items;
    intptr_t n, cap;
    TwObject *inline_items[8];
} DropList;

static void drop_init(DropList *d)
{
    d->items = d->inline_items;
    d->n = 0;
    d->cap = 8;
}

static void drop_later(DropList *d, TwObject *op)
{
    if (op == NULL)
        return;
    if (d->n == d->cap) {
        TwObject **bigger = tw_mem_malloc((size_t)d->cap * 2 * sizeof(TwObject *));
        if (bigger == NULL) {
            tw_decref(op);
            return;
        }
        memcpy(bigger, d->items, (size_t)d->n * sizeof(TwObject *));
        if (d->items != d->inline_items)
            tw_mem_free(d->items);
        d->items = bigger;
        d->cap *= 2;
    }
    d->items[d->n++] = op;
}

static void drop_each(DropList *d)
{
    for (intptr_t i = 0; i < d->n; i++)
        tw_decref(d->items[i]);
    if (d->items != d->inline_items)
        tw_mem_free(d->items);
    drop_init(d);
}

/* Call outside any critical section.  Usually there is nothing to drop. */
static inline void drop_all(DropList *d)
{
    if (d->n != 0)
        drop_each(d);
}

/* ---- the table ------------------------------------------------------------------ */

/* The smallest log2 table size with 2^log2 >= minsize, at least the minimum. */
static uint8_t log2_for(intptr_t minsize)
{
    uint8_t log2 = LOG2_MINSIZE;
    while (((intptr_t)1 << log2) < minsize)
        log2++;
    return log2;
}

/* A fresh table of 2^log2 slots, all empty; NULL with MemoryError. */
static TwDictKeys *new_keys(uint8_t log2)
{
    if (log2 >= 8 * sizeof(intptr_t) - 8) {
        tw_err_no_memory();
        return NULL;
    }
    uint8_t ixb = log2 < 8 ? 0 : log2 < 16 ? 1 : log2 < 32 ? 2 : 3;
    size_t size = (size_t)1 << log2;
    size_t usable = USABLE_FRACTION(size);
    size_t bytes = sizeof(TwDictKeys) + (size << ixb) + usable * sizeof(DictEntry);
    TwDictKeys *dk = tw_mem_malloc(bytes);
    if (dk == NULL) {
        tw_err_no_memory();
        return NULL;
    }
    dk->log2_size = log2;
    dk->log2_index_bytes = ixb;
    dk->usable = (intptr_t)usable;
    dk->nentries = 0;
    dk->pop_end = 0;
    memset(dk->indices, 0xff, size << ixb); /* IX_EMPTY in every width */
    return dk;
}

/* The first slot on hash's probe sequence that holds no entry (empty or
 * dummy): where a new entry's index goes. */
static size_t find_empty_slot(TwDictKeys *dk, tw_hash_t hash)
{
    size_t mask = (size_t)DK_SIZE(dk) - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    while (get_index(dk, i) >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

/* The slot that holds entry number ix (which has hash `hash`). */
static size_t find_slot_of(TwDictKeys *dk, tw_hash_t hash, intptr_t ix)
{
    size_t mask = (size_t)DK_SIZE(dk) - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    for (;;) {
        intptr_t at = get_index(dk, i);
        if (at == ix)
            return i;
        if (at == IX_EMPTY)
            tw_fatal("dict: entry %ld missing from its probe sequence", (long)ix);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Append an entry to a table known to have room and not to hold the key.
 * The entry is filled before its index slot publishes it. */
static void append_entry(TwDictKeys *dk, tw_hash_t hash, TwObject *key, TwObject *value)
{
    intptr_t ix = dk->nentries;
    DictEntry *ep = &dk_entries(dk)[ix];
    ep->hash = hash;
    tw_lf_store_relaxed(&ep->key, key);
    tw_lf_store_relaxed(&ep->value, value);
    set_index(dk, find_empty_slot(dk, hash), ix);
    dk->nentries++;
    dk->pop_end = dk->nentries;
    dk->usable--;
}

/* Every mutation moves the version; the eval loop's caches read it without
 * the section. */
static inline void bump_version(TwDictObject *mp)
{
    tw_lf_store_relaxed(&mp->version, mp->version + 1);
}

/* Rebuild the table at 2^log2 slots, keeping the live entries in order and
 * dropping the deleted ones.  Caller holds the section. */
static int dict_resize(TwDictObject *mp, uint8_t log2)
{
    TwDictKeys *old = mp->keys;
    TwDictKeys *dk = new_keys(log2);
    if (dk == NULL)
        return -1;
    if (old != NULL) {
        DictEntry *ep = dk_entries(old);
        for (intptr_t i = 0; i < old->nentries; i++)
            if (ep[i].key != NULL)
                append_entry(dk, ep[i].hash, ep[i].key, ep[i].value);
    }
    tw_lf_store_release(&mp->keys, dk);
    bump_version(mp);
    if (tw_lf_mark((TwObject *)mp))
        tw_mem_free_delayed(old);
    else
        tw_mem_free(old);
    return 0;
}

/* Find `key` (hash already computed).  Returns the entry number, IX_EMPTY
 * when absent, or IX_ERROR when a comparison raised.  Caller holds the
 * section; references that became stale during a comparison go to `drop`. */
static intptr_t lookup(TwDictObject *mp, TwObject *key, tw_hash_t hash, DropList *drop)
{
restart:;
    TwDictKeys *dk = mp->keys;
    if (dk == NULL)
        return IX_EMPTY;
    size_t mask = (size_t)DK_SIZE(dk) - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    for (;;) {
        intptr_t ix = get_index(dk, i);
        if (ix == IX_EMPTY)
            return IX_EMPTY;
        if (ix >= 0) {
            DictEntry *ep = &dk_entries(dk)[ix];
            if (ep->key == key)
                return ix;
            if (ep->hash == hash) {
                /* The comparison runs the key's code: hold the candidate
                 * alive through it and check nothing moved meanwhile. */
                TwObject *startkey = tw_newref(ep->key);
                uint64_t version = mp->version;
                int cmp = tw_object_eq(startkey, key);
                if (mp->keys != dk || mp->version != version) {
                    drop_later(drop, startkey); /* may be the last reference now */
                    if (cmp < 0)
                        return IX_ERROR;
                    goto restart;
                }
                tw_decref(startkey); /* the entry still holds it */
                if (cmp < 0)
                    return IX_ERROR;
                if (cmp > 0)
                    return ix;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Add a key known to be absent; key and value references are taken over
 * (on failure the caller still owns them).  Grows the table when no entry
 * is left: to the smallest power of two >= 3 * used. */
static int insert_new(TwDictObject *mp, tw_hash_t hash, TwObject *key, TwObject *value)
{
    TW_ASSERT_CAN_MUTATE(mp, "dict insert");
    if (mp->keys == NULL || mp->keys->usable <= 0) {
        if (dict_resize(mp, log2_for(mp->used * 3)) < 0)
            return -1;
    }
    append_entry(mp->keys, hash, key, value);
    mp->used++;
    bump_version(mp);
    return 0;
}

/* Store a new value in entry ix.  Returns the old value for the caller to
 * drop after the section, or NULL when it went through the grace period
 * (a shared dict: a reader may still hold it). */
static inline TwObject *replace_value(TwDictObject *mp, intptr_t ix, TwObject *value)
{
    TW_ASSERT_CAN_MUTATE(mp, "dict store");
    DictEntry *ep = &dk_entries(mp->keys)[ix];
    TwObject *old = ep->value;
    tw_lf_store_release(&ep->value, value);
    bump_version(mp);
    if (tw_lf_mark((TwObject *)mp)) {
        tw_decref_delayed(old);
        return NULL;
    }
    return old;
}

/* Delete entry ix: its slot becomes a dummy; the caller receives a
 * reference to the key and to the value through *key and *value (the
 * entry's own, or, in a shared dict, new ones while the entry's go through
 * the delay). */
static void delete_entry(TwDictObject *mp, intptr_t ix, TwObject **key, TwObject **value)
{
    TW_ASSERT_CAN_MUTATE(mp, "dict delete");
    TwDictKeys *dk = mp->keys;
    DictEntry *ep = &dk_entries(dk)[ix];
    set_index(dk, find_slot_of(dk, ep->hash, ix), IX_DUMMY);
    *key = ep->key;
    *value = ep->value;
    tw_lf_store_relaxed(&ep->key, (TwObject *)NULL);
    tw_lf_store_relaxed(&ep->value, (TwObject *)NULL);
    if (tw_lf_mark((TwObject *)mp)) {
        tw_incref(*key);
        tw_incref(*value);
        tw_decref_delayed(*key);
        tw_decref_delayed(*value);
    }
    mp->used--;
    bump_version(mp);
}

/* Two exact strs with the same hash: equal iff they hold the same bytes. */
static inline int str_bytes_equal(TwObject *a, TwObject *b)
{
    intptr_t n = tw_str_byte_size(a);
    return n == tw_str_byte_size(b) && memcmp(tw_str_utf8(a), tw_str_utf8(b), (size_t)n) == 0;
}

#define LOOKUP_LOCKED 2 /* lookup_unlocked cannot decide: take the section */

/* Whether stored key k equals lookup key `key` (not identical, same hash)
 * by a comparison that runs no code: 1 or 0, or LOOKUP_LOCKED when only the
 * keys' own __eq__ could tell.  `key` is an exact str or a small exact
 * int. */
static inline int plain_key_equal(TwObject *k, TwObject *key)
{
    TwType *t = TW_TYPE(key);
    if (TW_TYPE(k) != t)
        return LOOKUP_LOCKED;
    if (t == &tw_str_type)
        return str_bytes_equal(k, key);
    return tw_int_is_small(k) && ((TwIntObject *)k)->value == ((TwIntObject *)key)->value;
}

/* The lock-free lookup (see the top of the file): 1 with a new reference
 * in *result, 0 when absent, or LOOKUP_LOCKED.  Serves exact str keys and
 * machine-sized exact int keys (both immutable, compared without running
 * code).  Runs no code but the incref of the value, so it cannot fail; and
 * it holds the pointers it loads only until it returns (a quiescent state
 * never falls inside). */
static inline int lookup_unlocked(TwDictObject *mp, TwObject *key, tw_hash_t hash,
                                  TwObject **result)
{
    TwType *kt = TW_TYPE(key);
    if (kt != &tw_str_type && (kt != &tw_int_type || !tw_int_is_small(key)))
        return LOOKUP_LOCKED;
    TwDictKeys *dk = tw_lf_load_acquire(&mp->keys);
    if (dk == NULL)
        return 0;
    size_t mask = (size_t)DK_SIZE(dk) - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    DictEntry *entries = dk_entries(dk);
    for (;;) {
        intptr_t ix = get_index(dk, i);
        if (ix == IX_EMPTY)
            return 0;
        if (ix >= 0) {
            DictEntry *ep = &entries[ix];
            TwObject *k = tw_lf_load_acquire(&ep->key);
            int found = k == key;
            if (!found && k != NULL && ep->hash == hash) {
                found = plain_key_equal(k, key);
                if (found == LOOKUP_LOCKED)
                    return LOOKUP_LOCKED;
            }
            if (found) {
                TwObject *v = tw_lf_load_acquire(&ep->value);
                if (v == NULL)
                    return LOOKUP_LOCKED; /* deleted meanwhile */
                *result = tw_newref(v);
                return 1;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* get_known_hash under the section; marks the dict shared if this thread
 * does not own it. */
static TW_NOINLINE int get_locked(TwDictObject *mp, TwObject *key, tw_hash_t hash,
                                  TwObject **result)
{
    DropList drop;
    drop_init(&drop);
    intptr_t ix;
    TW_BEGIN_CRITICAL_SECTION(mp);
    (void)tw_lf_mark((TwObject *)mp);
    ix = lookup(mp, key, hash, &drop);
    if (ix >= 0)
        *result = tw_newref(dk_entries(mp->keys)[ix].value);
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    return ix == IX_ERROR ? -1 : ix >= 0;
}

/* Look up with a known hash: 1 and a new reference in *result, 0 (absent),
 * or -1.  Without the section when this thread may (nogil/lockfree.h);
 * otherwise under it. */
static inline int get_known_hash(TwDictObject *mp, TwObject *key, tw_hash_t hash,
                                 TwObject **result)
{
    *result = NULL;
    if (tw_lf_can_read((TwObject *)mp)) {
        int rc = lookup_unlocked(mp, key, hash, result);
        if (rc != LOOKUP_LOCKED)
            return rc;
    }
    return get_locked(mp, key, hash, result);
}

/* Copy the live entries, with a new reference to each key and value, in
 * order: a snapshot to work on outside the section.  NULL with *n == 0 for
 * an empty dict; NULL with *failed set on MemoryError. */
static DictEntry *dict_snapshot(TwDictObject *mp, intptr_t *n, int *failed)
{
    DictEntry *copy = NULL;
    *failed = 0;
    TW_BEGIN_CRITICAL_SECTION(mp);
    *n = mp->used;
    if (*n > 0) {
        copy = tw_mem_malloc((size_t)*n * sizeof(DictEntry));
        if (copy != NULL) {
            DictEntry *ep = dk_entries(mp->keys);
            intptr_t k = 0;
            for (intptr_t i = 0; i < mp->keys->nentries; i++) {
                if (ep[i].key != NULL) {
                    copy[k].hash = ep[i].hash;
                    copy[k].key = tw_newref(ep[i].key);
                    copy[k].value = tw_newref(ep[i].value);
                    k++;
                }
            }
        }
    }
    TW_END_CRITICAL_SECTION();
    if (*n > 0 && copy == NULL) {
        tw_err_no_memory();
        *failed = 1;
    }
    return copy;
}

/* Drop a snapshot's remaining references (NULL ones were moved away). */
static void release_snapshot(DictEntry *entries, intptr_t n)
{
    for (intptr_t i = 0; i < n; i++) {
        tw_xdecref(entries[i].key);
        tw_xdecref(entries[i].value);
    }
    tw_mem_free(entries);
}

/* ---- public API --------------------------------------------------------------------- */

TwObject *tw_dict_new(void)
{
    TwDictObject *mp = (TwDictObject *)tw_object_new(&tw_dict_type, 0);
    if (mp == NULL)
        return NULL;
    mp->used = 0;
    mp->version = 0;
    mp->keys = NULL; /* allocated on the first insert */
    return (TwObject *)mp;
}

intptr_t tw_dict_size(TwObject *d)
{
    intptr_t n;
    TW_BEGIN_CRITICAL_SECTION(d);
    n = DICT(d)->used;
    TW_END_CRITICAL_SECTION();
    return n;
}

int tw_dict_set_item(TwObject *d, TwObject *key, TwObject *value)
{
    TwDictObject *mp = DICT(d);
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    DropList drop;
    drop_init(&drop);
    int rc = 0;
    TwObject *old = NULL;
    TW_BEGIN_CRITICAL_SECTION(mp);
    TW_ASSERT_CAN_MUTATE(mp, "dict set item");
    intptr_t ix = lookup(mp, key, hash, &drop);
    if (ix == IX_ERROR) {
        rc = -1;
    } else if (ix >= 0) {
        old = replace_value(mp, ix, tw_newref(value));
    } else {
        rc = insert_new(mp, hash, key, value);
        if (rc == 0) {
            tw_incref(key);
            tw_incref(value);
        }
    }
    TW_END_CRITICAL_SECTION();
    if (old != NULL)
        tw_decref(old);
    drop_all(&drop);
    return rc;
}

int tw_dict_set_item_cstr(TwObject *d, const char *key, TwObject *value)
{
    TwObject *k = tw_str_from_cstr(key);
    if (k == NULL)
        return -1;
    int rc = tw_dict_set_item(d, k, value);
    tw_decref(k);
    return rc;
}

int tw_dict_get_item_ref(TwObject *d, TwObject *key, TwObject **result)
{
    *result = NULL;
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    return get_known_hash(DICT(d), key, hash, result);
}

int tw_dict_get_item_cstr_ref(TwObject *d, const char *key, TwObject **result)
{
    *result = NULL;
    TwObject *k = tw_str_from_cstr(key);
    if (k == NULL)
        return -1;
    int rc = tw_dict_get_item_ref(d, k, result);
    tw_decref(k);
    return rc;
}

int tw_dict_contains(TwObject *d, TwObject *key)
{
    TwObject *value;
    int rc = tw_dict_get_item_ref(d, key, &value);
    tw_xdecref(value);
    return rc;
}

/* Remove key; 1 with the removed value (a new reference) in *value, 0 when
 * absent, -1 on error.  The removed key is released after the section. */
static int pop_known_hash(TwDictObject *mp, TwObject *key, tw_hash_t hash, TwObject **value)
{
    DropList drop;
    drop_init(&drop);
    TwObject *old_key = NULL;
    intptr_t ix;
    *value = NULL;
    TW_BEGIN_CRITICAL_SECTION(mp);
    TW_ASSERT_CAN_MUTATE(mp, "dict delete");
    ix = lookup(mp, key, hash, &drop);
    if (ix >= 0)
        delete_entry(mp, ix, &old_key, value);
    TW_END_CRITICAL_SECTION();
    tw_xdecref(old_key);
    drop_all(&drop);
    return ix == IX_ERROR ? -1 : ix >= 0;
}

int tw_dict_del_item(TwObject *d, TwObject *key)
{
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    TwObject *value;
    int rc = pop_known_hash(DICT(d), key, hash, &value);
    if (rc == 0) {
        tw_err_set_object(&tw_exc_KeyError, key);
        return -1;
    }
    tw_xdecref(value);
    return rc < 0 ? -1 : 0;
}

TwObject *tw_dict_pop(TwObject *d, TwObject *key, TwObject *deflt)
{
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return NULL;
    TwObject *value;
    int rc = pop_known_hash(DICT(d), key, hash, &value);
    if (rc < 0)
        return NULL;
    if (rc == 0) {
        if (deflt != NULL)
            return tw_newref(deflt);
        tw_err_set_object(&tw_exc_KeyError, key);
        return NULL;
    }
    return value;
}

int tw_dict_set_default_ref(TwObject *d, TwObject *key, TwObject *deflt, TwObject **result)
{
    TwDictObject *mp = DICT(d);
    *result = NULL;
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(mp);
    intptr_t ix = lookup(mp, key, hash, &drop);
    if (ix == IX_ERROR) {
        rc = -1;
    } else if (ix >= 0) {
        *result = tw_newref(dk_entries(mp->keys)[ix].value);
        rc = 0;
    } else {
        /* The lookup's answer is still true: nothing ran since. */
        TW_ASSERT_CAN_MUTATE(mp, "dict setdefault");
        rc = insert_new(mp, hash, key, deflt);
        if (rc == 0) {
            tw_incref(key);
            tw_incref(deflt);
            *result = tw_newref(deflt);
            rc = 1;
        }
    }
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    return rc;
}

/* Remove the last entry in insertion order.  Trailing deleted entries are
 * trimmed so that repeated popitem stays O(1) amortised; `usable` is left
 * alone, which keeps at least one empty index slot for probes to stop at. */
TwObject *tw_dict_popitem(TwObject *d)
{
    TwDictObject *mp = DICT(d);
    TwObject *key = NULL, *value = NULL;
    TW_BEGIN_CRITICAL_SECTION(mp);
    if (mp->used > 0) {
        TW_ASSERT_CAN_MUTATE(mp, "dict popitem");
        TwDictKeys *dk = mp->keys;
        DictEntry *ep = dk_entries(dk);
        intptr_t i = dk->pop_end - 1;
        while (ep[i].key == NULL)
            i--;
        delete_entry(mp, i, &key, &value);
        dk->pop_end = i;
    }
    TW_END_CRITICAL_SECTION();
    if (key == NULL) {
        tw_err_set_string(&tw_exc_KeyError, "popitem(): dictionary is empty");
        return NULL;
    }
    TwObject *t = tw_tuple_new(2);
    if (t == NULL) {
        tw_decref(key);
        tw_decref(value);
        return NULL;
    }
    tw_tuple_init_item(t, 0, key);
    tw_tuple_init_item(t, 1, value);
    return t;
}

/* Detach the whole table in one step, then release its references after
 * the section. */
void tw_dict_clear(TwObject *d)
{
    TwDictObject *mp = DICT(d);
    TwDictKeys *old;
    int shared;
    TW_BEGIN_CRITICAL_SECTION(mp);
    TW_ASSERT_CAN_MUTATE(mp, "dict clear");
    shared = tw_lf_mark((TwObject *)mp);
    old = mp->keys;
    tw_lf_store_release(&mp->keys, (TwDictKeys *)NULL);
    mp->used = 0;
    bump_version(mp);
    TW_END_CRITICAL_SECTION();
    if (old == NULL)
        return;
    DictEntry *ep = dk_entries(old);
    for (intptr_t i = 0; i < old->nentries; i++) {
        if (ep[i].key != NULL) {
            if (shared) {
                tw_decref_delayed(ep[i].key);
                tw_decref_delayed(ep[i].value);
            } else {
                tw_decref(ep[i].key);
                tw_decref(ep[i].value);
            }
        }
    }
    if (shared)
        tw_mem_free_delayed(old);
    else
        tw_mem_free(old);
}

/* A compact copy of the table sized for its live entries, built under the
 * source's section; the new dict is private until returned. */
TwObject *tw_dict_copy(TwObject *d)
{
    TwDictObject *mp = DICT(d);
    TwDictObject *copy = (TwDictObject *)tw_dict_new();
    if (copy == NULL)
        return NULL;
    int failed = 0;
    TW_BEGIN_CRITICAL_SECTION(mp);
    if (mp->used > 0) {
        TwDictKeys *dk = new_keys(log2_for((mp->used * 3 + 1) / 2));
        if (dk == NULL) {
            failed = 1;
        } else {
            DictEntry *ep = dk_entries(mp->keys);
            for (intptr_t i = 0; i < mp->keys->nentries; i++)
                if (ep[i].key != NULL)
                    append_entry(dk, ep[i].hash, tw_newref(ep[i].key), tw_newref(ep[i].value));
            copy->keys = dk;
            copy->used = mp->used;
        }
    }
    TW_END_CRITICAL_SECTION();
    if (failed) {
        tw_decref((TwObject *)copy);
        return NULL;
    }
    return (TwObject *)copy;
}

/* Merge a snapshot of `other` into d under d's section (one atomic step for
 * d's observers); values of existing keys are replaced. */
int tw_dict_update(TwObject *d, TwObject *other)
{
    if (!tw_dict_check(other)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", TW_TYPE(other)->tp_name);
        return -1;
    }
    if (d == other)
        return 0;
    TwDictObject *mp = DICT(d);
    intptr_t n;
    int failed;
    DictEntry *src = dict_snapshot(DICT(other), &n, &failed);
    if (failed)
        return -1;
    if (n == 0)
        return 0;
    DropList drop;
    drop_init(&drop);
    int rc = 0;
    TW_BEGIN_CRITICAL_SECTION(mp);
    TW_ASSERT_CAN_MUTATE(mp, "dict update");
    for (intptr_t i = 0; i < n && rc == 0; i++) {
        DictEntry *e = &src[i];
        intptr_t ix = lookup(mp, e->key, e->hash, &drop);
        if (ix == IX_ERROR) {
            rc = -1;
        } else if (ix >= 0) {
            /* the snapshot's reference moves in */
            drop_later(&drop, replace_value(mp, ix, e->value));
            e->value = NULL;
        } else if (insert_new(mp, e->hash, e->key, e->value) == 0) {
            e->key = NULL;
            e->value = NULL;
        } else {
            rc = -1;
        }
    }
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    release_snapshot(src, n);
    return rc;
}

enum { LIST_KEYS, LIST_VALUES, LIST_ITEMS };

/* A list of the keys, values or (key, value) tuples, built in one step
 * under the section. */
static TwObject *dict_listing(TwDictObject *mp, int what)
{
    TwObject *list;
    int failed = 0;
    TW_BEGIN_CRITICAL_SECTION(mp);
    list = tw_list_new(mp->used);
    if (list != NULL && mp->used > 0) {
        DictEntry *ep = dk_entries(mp->keys);
        for (intptr_t i = 0; i < mp->keys->nentries; i++) {
            if (ep[i].key == NULL)
                continue;
            TwObject *x;
            if (what == LIST_KEYS) {
                x = tw_newref(ep[i].key);
            } else if (what == LIST_VALUES) {
                x = tw_newref(ep[i].value);
            } else {
                x = tw_tuple_new(2);
                if (x == NULL) {
                    failed = 1;
                    break;
                }
                tw_tuple_init_item(x, 0, tw_newref(ep[i].key));
                tw_tuple_init_item(x, 1, tw_newref(ep[i].value));
            }
            /* Preallocated: the append cannot fail.  The list now holds x,
             * so dropping ours frees nothing. */
            (void)tw_list_append(list, x);
            tw_decref(x);
        }
    }
    TW_END_CRITICAL_SECTION();
    if (failed) {
        tw_decref(list);
        return NULL;
    }
    return list;
}

TwObject *tw_dict_keys(TwObject *d)
{
    return dict_listing(DICT(d), LIST_KEYS);
}
TwObject *tw_dict_values(TwObject *d)
{
    return dict_listing(DICT(d), LIST_VALUES);
}
TwObject *tw_dict_items(TwObject *d)
{
    return dict_listing(DICT(d), LIST_ITEMS);
}

/* *pos packs two numbers: the low 32 bits are the next entry number to
 * look at; the bits above hold 1 + the dict's size at the first step (0
 * before it).  Each step compares the size now with that first size, like
 * CPython's dict iterator, and fails once it differs. */
#define POS_INDEX_BITS 32
#define POS_INDEX_MASK (((intptr_t)1 << POS_INDEX_BITS) - 1)

int tw_dict_next_ref(TwObject *d, intptr_t *pos, TwObject **key, TwObject **value)
{
    TwDictObject *mp = DICT(d);
    intptr_t i = *pos & POS_INDEX_MASK;
    intptr_t started = *pos >> POS_INDEX_BITS;
    intptr_t first_size;
    int rc = 0;
    if (key != NULL)
        *key = NULL;
    if (value != NULL)
        *value = NULL;
    TW_BEGIN_CRITICAL_SECTION(mp);
    first_size = started ? started - 1 : mp->used;
    if (mp->used != first_size) {
        rc = -1;
    } else if (mp->keys != NULL) {
        DictEntry *ep = dk_entries(mp->keys);
        while (i < mp->keys->nentries && ep[i].key == NULL)
            i++;
        if (i < mp->keys->nentries) {
            if (key != NULL)
                *key = tw_newref(ep[i].key);
            if (value != NULL)
                *value = tw_newref(ep[i].value);
            i++;
            rc = 1;
        }
    }
    TW_END_CRITICAL_SECTION();
    if (rc < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "dictionary changed size during iteration");
        return -1;
    }
    *pos = ((first_size + 1) << POS_INDEX_BITS) | i;
    return rc;
}

/* ---- type slots ---------------------------------------------------------------- */

/* Unreachable: no section needed. */
static void dict_dealloc(TwObject *op)
{
    TwDictObject *mp = DICT(op);
    TwDictKeys *dk = mp->keys;
    if (dk != NULL) {
        DictEntry *ep = dk_entries(dk);
        for (intptr_t i = 0; i < dk->nentries; i++) {
            if (ep[i].key != NULL) {
                tw_decref(ep[i].key);
                tw_decref(ep[i].value);
            }
        }
        tw_mem_free(dk);
    }
    tw_object_free(op);
}

/* a == b for two dicts: the same size and, for every key of a, b holds an
 * equal key with an equal value.  a is snapshotted; b is looked up one key
 * at a time (each lookup an atomic step). */
static int dict_equal(TwDictObject *a, TwDictObject *b)
{
    if (a == b)
        return 1;
    intptr_t n;
    int failed;
    DictEntry *ea = dict_snapshot(a, &n, &failed);
    if (failed)
        return -1;
    int result = n == tw_dict_size((TwObject *)b);
    for (intptr_t i = 0; i < n && result == 1; i++) {
        TwObject *bv;
        int found = get_known_hash(b, ea[i].key, ea[i].hash, &bv);
        if (found <= 0) {
            result = found;
            break;
        }
        result = tw_object_eq(ea[i].value, bv);
        tw_decref(bv);
    }
    release_snapshot(ea, n);
    return result;
}

static const char *const op_names[] = {"<", "<=", "==", "!=", ">", ">="};

/* Dicts support == and != only, as in Python 3. */
static TwObject *dict_richcompare(TwObject *a, TwObject *b, int op)
{
    if (op != TW_EQ && op != TW_NE) {
        tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                      op_names[op], TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
        return NULL;
    }
    int eq = 0;
    if (tw_dict_check(b)) {
        eq = dict_equal(DICT(a), DICT(b));
        if (eq < 0)
            return NULL;
    }
    return tw_newref(tw_bool_from_long(op == TW_EQ ? eq : !eq));
}

/* Dicts whose repr is in progress on this thread (innermost first), so
 * that a dict met again inside its own repr prints as "{...}".  Frames
 * live on dict_repr's C stack. */
typedef struct ReprFrame {
    TwObject *op;
    struct ReprFrame *outer;
} ReprFrame;
static _Thread_local ReprFrame *repr_innermost; /* thread-local */
static _Thread_local int repr_depth;            /* thread-local */
#define REPR_MAX_DEPTH 1000

/* "{'a': 1, 'b': 2}" from a snapshot, outside the section. */
static TwObject *dict_repr(TwObject *op)
{
    for (ReprFrame *f = repr_innermost; f != NULL; f = f->outer)
        if (f->op == op)
            return tw_str_from_cstr("{...}");
    if (repr_depth >= REPR_MAX_DEPTH) {
        tw_err_set_string(&tw_exc_RecursionError,
                          "maximum recursion depth exceeded while getting the repr of an object");
        return NULL;
    }
    intptr_t n;
    int failed;
    DictEntry *entries = dict_snapshot(DICT(op), &n, &failed);
    if (failed)
        return NULL;
    if (n == 0)
        return tw_str_from_cstr("{}");

    ReprFrame frame = {op, repr_innermost};
    repr_innermost = &frame;
    repr_depth++;
    /* Each entry's "key: value" string replaces its key in the snapshot. */
    intptr_t done = 0;
    size_t total = 2 + (size_t)(n - 1) * 2;
    for (; done < n; done++) {
        TwObject *kr = tw_object_repr(entries[done].key);
        if (kr == NULL)
            break;
        TwObject *vr = tw_object_repr(entries[done].value);
        if (vr == NULL) {
            tw_decref(kr);
            break;
        }
        TwObject *pair = tw_str_from_format("%s: %s", tw_str_utf8(kr), tw_str_utf8(vr));
        tw_decref(kr);
        tw_decref(vr);
        if (pair == NULL)
            break;
        tw_decref(entries[done].key);
        entries[done].key = pair;
        total += (size_t)tw_str_byte_size(pair);
    }
    repr_depth--;
    repr_innermost = frame.outer;

    TwObject *result = NULL;
    if (done == n) {
        char *buf = tw_mem_malloc(total + 1);
        if (buf == NULL) {
            tw_err_no_memory();
        } else {
            char *p = buf;
            *p++ = '{';
            for (intptr_t i = 0; i < n; i++) {
                if (i > 0) {
                    memcpy(p, ", ", 2);
                    p += 2;
                }
                size_t len = (size_t)tw_str_byte_size(entries[i].key);
                memcpy(p, tw_str_utf8(entries[i].key), len);
                p += len;
            }
            *p++ = '}';
            result = tw_str_from_utf8(buf, total);
            tw_mem_free(buf);
        }
    }
    release_snapshot(entries, n);
    return result;
}

TwType tw_dict_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "dict",
    .tp_basicsize = sizeof(TwDictObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = dict_dealloc,
    .tp_hash = NULL, /* unhashable */
    .tp_richcompare = dict_richcompare,
    .tp_repr = dict_repr,
};
