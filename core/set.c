/* set: an open-addressing hash set laid out like CPython's, so that the
 * same operations on the same keys leave the same table and iteration
 * prints in the same order.
 *
 * The table.  2^k entries {key, hash}, k >= 3; the first 8 live inside
 * the object (smalltable).  An entry is empty (key NULL, hash 0), a dummy
 * (key tw_set_dummy, hash -1: deleted, probing goes on past it) or active.
 * A probe for hash h starts at h & mask and looks at that entry and the
 * next LINEAR_PROBES ones (when they do not wrap past the end) before it
 * jumps:  perturb >>= 5;  i = (i * 5 + 1 + perturb) & mask.
 * `fill` counts active + dummy entries; once fill * 5 >= mask * 3 after an
 * insert into an empty entry, the table is rebuilt, without dummies, at the
 * smallest power of two above used * 4 (used * 2 past 50000 entries).
 * An insert may reuse a dummy met on the way (the last one its probe saw).
 *
 * Locking.  Every field of TwSetObject and the table it points to are
 * protected by the set's critical section; operations on two sets hold
 * both with the two-object form.  Keys are hashed before a section is
 * entered.  Comparing keys with equal hashes runs their code, which may
 * change the table (re-entrantly, or from another thread if the comparison
 * blocks and suspends the section); a lookup then starts over, and loops
 * that walk a table re-read it by index after every comparison.
 * References an operation drops are released after its section ends. */
#include <string.h>

#include "core/tstate.h"

#define SET(op) ((TwSetObject *)(op))

#define MINSIZE       8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

/* The marker left in deleted entries: a static immortal object that no
 * caller ever sees. */
static TwObject tw_set_dummy = TW_OBJECT_HEAD_INIT(&tw_object_type);
#define dummy (&tw_set_dummy)

/* ---- references released after the section ---------------------------------- */

/* References to drop once the critical section has ended (a destructor may
 * run any code).  Inline room for 8; grows on the heap; if growing fails
 * the reference is dropped at once, a last resort. */
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

/* Call outside any critical section. */
static void drop_all(DropList *d)
{
    for (intptr_t i = 0; i < d->n; i++)
        tw_decref(d->items[i]);
    if (d->items != d->inline_items)
        tw_mem_free(d->items);
    drop_init(d);
}

/* ---- probing ------------------------------------------------------------------------ */

/* Compare the active entry's key with `key` through a new reference.
 * Returns 1 equal, 0 not, -1 error, or 2 when the table changed during the
 * comparison (the caller starts over).  `table` and `mask` are what the
 * caller was probing. */
static int compare_entry(TwSetObject *so, TwSetEntry *table, intptr_t mask, TwSetEntry *entry,
                         TwObject *key, DropList *drop)
{
    TwObject *startkey = tw_newref(entry->key);
    int cmp = tw_object_eq(startkey, key);
    /* Same table pointer and size: entry still points into live memory. */
    if (so->table != table || so->mask != mask || entry->key != startkey) {
        drop_later(drop, startkey); /* possibly the last reference now */
        return cmp < 0 ? -1 : 2;
    }
    tw_decref(startkey); /* the entry still holds it */
    return cmp;
}

/* Find the active entry holding key, or the empty entry where the probe
 * ended (key NULL: absent).  NULL when a comparison raised. */
static TwSetEntry *set_lookkey(TwSetObject *so, TwObject *key, tw_hash_t hash, DropList *drop)
{
restart:;
    TwSetEntry *table = so->table;
    intptr_t mask = so->mask;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & (size_t)mask;
    for (;;) {
        TwSetEntry *entry = &table[i];
        int probes = (i + LINEAR_PROBES <= (size_t)mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL)
                return entry;
            if (entry->hash == hash) {
                if (entry->key == key)
                    return entry;
                int cmp = compare_entry(so, table, mask, entry, key, drop);
                if (cmp < 0)
                    return NULL;
                if (cmp == 2)
                    goto restart;
                if (cmp > 0)
                    return entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (size_t)mask;
    }
}

/* Put a key known to be absent into a table without dummies (a rebuild, or
 * a fresh copy): the first empty entry on its probe sequence.  No
 * comparisons, no counters: the caller keeps those. */
static void insert_clean(TwSetEntry *table, intptr_t mask, TwObject *key, tw_hash_t hash)
{
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & (size_t)mask;
    for (;;) {
        TwSetEntry *entry = &table[i];
        if (entry->key == NULL)
            goto found;
        if (i + LINEAR_PROBES <= (size_t)mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL)
                    goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (size_t)mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

/* Rebuild the table at the smallest power of two (>= 8) above minused,
 * dropping dummies.  A table shrinking to 8 entries moves back into
 * smalltable (through a copy when it already lives there).  The old heap
 * table goes to tw_mem_free_delayed. */
static int table_resize(TwSetObject *so, intptr_t minused)
{
    size_t newsize = MINSIZE;
    while (newsize <= (size_t)minused)
        newsize <<= 1;
    TwSetEntry *oldtable = so->table;
    intptr_t oldmask = so->mask;
    int old_on_heap = oldtable != so->smalltable;
    TwSetEntry small_copy[MINSIZE];
    TwSetEntry *newtable;

    if (newsize == MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used)
                return 0; /* no dummies: nothing to gain */
            memcpy(small_copy, oldtable, sizeof(small_copy));
            oldtable = small_copy;
        }
    } else {
        if (newsize > SIZE_MAX / sizeof(TwSetEntry)) {
            tw_err_no_memory();
            return -1;
        }
        newtable = tw_mem_malloc(newsize * sizeof(TwSetEntry));
        if (newtable == NULL) {
            tw_err_no_memory();
            return -1;
        }
    }
    memset(newtable, 0, newsize * sizeof(TwSetEntry));
    so->table = newtable;
    so->mask = (intptr_t)newsize - 1;
    so->fill = so->used;
    for (TwSetEntry *e = oldtable; e <= oldtable + oldmask; e++)
        if (e->key != NULL && e->key != dummy)
            insert_clean(newtable, so->mask, e->key, e->hash);
    if (old_on_heap)
        tw_mem_free_delayed(oldtable);
    return 0;
}

/* Add key (the caller keeps its own reference alive through the call; the
 * set takes a new one if it stores the key).  The probe runs to the first
 * empty entry; an equal key on the way means nothing to do; otherwise the
 * key goes into the last dummy the probe passed, else into the empty entry
 * (and then the table may grow). */
static int set_add_entry(TwSetObject *so, TwObject *key, tw_hash_t hash, DropList *drop)
{
restart:;
    TwSetEntry *table = so->table;
    intptr_t mask = so->mask;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & (size_t)mask;
    TwSetEntry *freeslot = NULL;
    TwSetEntry *entry;
    for (;;) {
        entry = &table[i];
        int probes = (i + LINEAR_PROBES <= (size_t)mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL)
                goto found_empty;
            if (entry->hash == hash) {
                if (entry->key == key)
                    return 0;
                int cmp = compare_entry(so, table, mask, entry, key, drop);
                if (cmp < 0)
                    return -1;
                if (cmp == 2)
                    goto restart;
                if (cmp > 0)
                    return 0;
            } else if (entry->hash == -1) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (size_t)mask;
    }

found_empty:
    if (freeslot != NULL) {
        /* A comparison's code may have filled the dummy meanwhile. */
        if (freeslot->hash != -1)
            goto restart;
        /* Reuse a dummy: fill is unchanged. */
        freeslot->key = tw_newref(key);
        freeslot->hash = hash;
        so->used++;
        return 0;
    }
    entry->key = tw_newref(key);
    entry->hash = hash;
    so->fill++;
    so->used++;
    if (so->fill * 5 < mask * 3)
        return 0;
    return table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

/* Remove key: 1 and its reference handed to `drop`, 0 absent, -1 error. */
static int set_discard_entry(TwSetObject *so, TwObject *key, tw_hash_t hash, DropList *drop)
{
    TwSetEntry *entry = set_lookkey(so, key, hash, drop);
    if (entry == NULL)
        return -1;
    if (entry->key == NULL)
        return 0;
    drop_later(drop, entry->key);
    entry->key = dummy;
    entry->hash = -1;
    so->used--;
    return 1;
}

/* The next active entry at index >= *pos (re-reading table and mask, so it
 * is safe after anything ran): 1 with its key (borrowed) and hash, 0 at the
 * end. */
static int set_next(TwSetObject *so, intptr_t *pos, TwObject **key, tw_hash_t *hash)
{
    intptr_t i = *pos;
    while (i <= so->mask && (so->table[i].key == NULL || so->table[i].key == dummy))
        i++;
    *pos = i + 1;
    if (i > so->mask)
        return 0;
    *key = so->table[i].key;
    *hash = so->table[i].hash;
    return 1;
}

/* Add every element of other into so (both sections held, or so private).
 * One resize up front when the merged table would be too full.  An empty
 * so takes a copy of an equally sized dummy-free table entry by entry, or
 * clean inserts otherwise; a non-empty so gets ordinary inserts. */
static int set_merge(TwSetObject *so, TwSetObject *other, DropList *drop)
{
    if (other == so || other->used == 0)
        return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (table_resize(so, (so->used + other->used) * 2) < 0)
            return -1;
    }
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (intptr_t i = 0; i <= other->mask; i++) {
            TwObject *key = other->table[i].key;
            if (key != NULL) {
                so->table[i].key = tw_newref(key);
                so->table[i].hash = other->table[i].hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = other->used;
        so->used = other->used;
        for (intptr_t i = 0; i <= other->mask; i++) {
            TwObject *key = other->table[i].key;
            if (key != NULL && key != dummy)
                insert_clean(so->table, so->mask, tw_newref(key), other->table[i].hash);
        }
        return 0;
    }
    intptr_t pos = 0;
    TwObject *key;
    tw_hash_t hash;
    while (set_next(other, &pos, &key, &hash)) {
        tw_incref(key); /* other's entry may change during comparisons */
        int rc = set_add_entry(so, key, hash, drop);
        drop_later(drop, key);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static TwSetObject *new_set(void)
{
    TwSetObject *so = (TwSetObject *)tw_object_new(&tw_set_type, 0);
    if (so == NULL)
        return NULL;
    so->fill = 0;
    so->used = 0;
    so->mask = MINSIZE - 1;
    so->table = so->smalltable;
    so->finger = 0;
    memset(so->smalltable, 0, sizeof(so->smalltable));
    return so;
}

/* ---- public API ------------------------------------------------------------------------ */

TwObject *tw_set_new(void)
{
    return (TwObject *)new_set();
}

intptr_t tw_set_size(TwObject *s)
{
    intptr_t n;
    TW_BEGIN_CRITICAL_SECTION(s);
    n = SET(s)->used;
    TW_END_CRITICAL_SECTION();
    return n;
}

int tw_set_add(TwObject *s, TwObject *key)
{
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(s);
    TW_ASSERT_CAN_MUTATE(s, "set add");
    rc = set_add_entry(SET(s), key, hash, &drop);
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    return rc;
}

int tw_set_contains(TwObject *s, TwObject *key)
{
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(s);
    TwSetEntry *entry = set_lookkey(SET(s), key, hash, &drop);
    rc = entry == NULL ? -1 : entry->key != NULL;
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    return rc;
}

int tw_set_discard(TwObject *s, TwObject *key)
{
    tw_hash_t hash = tw_object_hash(key);
    if (hash == -1)
        return -1;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(s);
    TW_ASSERT_CAN_MUTATE(s, "set discard");
    rc = set_discard_entry(SET(s), key, hash, &drop);
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    return rc;
}

int tw_set_remove(TwObject *s, TwObject *key)
{
    int rc = tw_set_discard(s, key);
    if (rc == 0) {
        tw_err_set_object(&tw_exc_KeyError, key);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

/* Take the first active entry at or after the finger (wrapping), leave a
 * dummy, and move the finger past it, so that repeated pops do not rescan
 * the emptied front of the table. */
TwObject *tw_set_pop(TwObject *s)
{
    TwSetObject *so = SET(s);
    TwObject *key = NULL;
    TW_BEGIN_CRITICAL_SECTION(so);
    if (so->used > 0) {
        TW_ASSERT_CAN_MUTATE(so, "set pop");
        TwSetEntry *entry = so->table + (so->finger & so->mask);
        TwSetEntry *limit = so->table + so->mask;
        while (entry->key == NULL || entry->key == dummy) {
            entry++;
            if (entry > limit)
                entry = so->table;
        }
        key = entry->key; /* the set's reference becomes the caller's */
        entry->key = dummy;
        entry->hash = -1;
        so->used--;
        so->finger = entry - so->table + 1;
    }
    TW_END_CRITICAL_SECTION();
    if (key == NULL)
        tw_err_set_string(&tw_exc_KeyError, "pop from an empty set");
    return key;
}

/* Reset to the empty small table in one step; the old entries (copied out
 * of smalltable first) are released after the section. */
void tw_set_clear(TwObject *s)
{
    TwSetObject *so = SET(s);
    TwSetEntry small_copy[MINSIZE];
    TwSetEntry *old;
    intptr_t oldmask;
    TW_BEGIN_CRITICAL_SECTION(so);
    TW_ASSERT_CAN_MUTATE(so, "set clear");
    old = so->table;
    oldmask = so->mask;
    if (old == so->smalltable) {
        memcpy(small_copy, so->smalltable, sizeof(small_copy));
        old = small_copy;
    }
    memset(so->smalltable, 0, sizeof(so->smalltable));
    so->table = so->smalltable;
    so->mask = MINSIZE - 1;
    so->fill = 0;
    so->used = 0;
    TW_END_CRITICAL_SECTION();
    for (intptr_t i = 0; i <= oldmask; i++)
        if (old[i].key != NULL && old[i].key != dummy)
            tw_decref(old[i].key);
    if (old != small_copy)
        tw_mem_free_delayed(old);
}

/* copy(s): a merge into a fresh set, as CPython's copy does (so the copy's
 * layout, and its iteration order, match CPython's). */
TwObject *tw_set_copy(TwObject *s)
{
    TwSetObject *result = new_set();
    if (result == NULL)
        return NULL;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(s);
    rc = set_merge(result, SET(s), &drop);
    TW_END_CRITICAL_SECTION();
    drop_all(&drop);
    if (rc < 0) {
        tw_decref((TwObject *)result);
        return NULL;
    }
    return (TwObject *)result;
}

/* a | b: a copy of a, then b merged in; both sections held throughout. */
TwObject *tw_set_union(TwObject *a, TwObject *b)
{
    TwSetObject *result = new_set();
    if (result == NULL)
        return NULL;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION2(a, b);
    rc = set_merge(result, SET(a), &drop);
    if (rc == 0 && a != b)
        rc = set_merge(result, SET(b), &drop);
    TW_END_CRITICAL_SECTION2();
    drop_all(&drop);
    if (rc < 0) {
        tw_decref((TwObject *)result);
        return NULL;
    }
    return (TwObject *)result;
}

/* Walk `walk` and put into result each element that `probe` contains.
 * Both sections held; result is private. */
static int filter_into(TwSetObject *result, TwSetObject *walk, TwSetObject *probe,
                       int keep_if_found, DropList *drop)
{
    intptr_t pos = 0;
    TwObject *key;
    tw_hash_t hash;
    while (set_next(walk, &pos, &key, &hash)) {
        tw_incref(key); /* walk's entry may change during comparisons */
        TwSetEntry *entry = set_lookkey(probe, key, hash, drop);
        int rc = 0;
        if (entry == NULL)
            rc = -1;
        else if ((entry->key != NULL) == keep_if_found)
            rc = set_add_entry(result, key, hash, drop);
        drop_later(drop, key);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* a & b: walk the smaller set (b when the sizes are equal) and keep what
 * the other contains: CPython's order of work, hence its result layout. */
TwObject *tw_set_intersection(TwObject *a, TwObject *b)
{
    if (a == b)
        return tw_set_copy(a);
    TwSetObject *result = new_set();
    if (result == NULL)
        return NULL;
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION2(a, b);
    TwSetObject *small = SET(b), *large = SET(a);
    if (small->used > large->used) {
        small = SET(a);
        large = SET(b);
    }
    rc = filter_into(result, small, large, 1, &drop);
    TW_END_CRITICAL_SECTION2();
    drop_all(&drop);
    if (rc < 0) {
        tw_decref((TwObject *)result);
        return NULL;
    }
    return (TwObject *)result;
}

/* a - b.  When a is more than four times the size of b, copy a and discard
 * b's elements from the copy; otherwise walk a and keep what b lacks.
 * Either way the result's layout is CPython's.  (CPython's in-place
 * difference also rebuilds a table left over a quarter dummies; a copy of
 * a larger than 4 * len(b) never is: its table has more slots than a has
 * elements, so len(b) dummies stay under a quarter of them.) */
TwObject *tw_set_difference(TwObject *a, TwObject *b)
{
    TwSetObject *result = new_set();
    if (result == NULL)
        return NULL;
    DropList drop;
    drop_init(&drop);
    int rc = 0;
    TW_BEGIN_CRITICAL_SECTION2(a, b);
    TwSetObject *sa = SET(a), *sb = SET(b);
    if ((sa->used >> 2) > sb->used) {
        rc = set_merge(result, sa, &drop);
        intptr_t pos = 0;
        TwObject *key;
        tw_hash_t hash;
        while (rc == 0 && set_next(sb, &pos, &key, &hash)) {
            tw_incref(key);
            if (set_discard_entry(result, key, hash, &drop) < 0)
                rc = -1;
            drop_later(&drop, key);
        }
    } else {
        rc = filter_into(result, sa, sb, 0, &drop);
    }
    TW_END_CRITICAL_SECTION2();
    drop_all(&drop);
    if (rc < 0) {
        tw_decref((TwObject *)result);
        return NULL;
    }
    return (TwObject *)result;
}

/* s |= other.  other may be a set (merged under both sections), or a list,
 * tuple or dict (its items / keys, snapshotted and hashed first, then added
 * under one section).  For a dict the table is grown up front for all its
 * keys, as CPython does, so the resulting layout matches. */
int tw_set_update(TwObject *s, TwObject *other)
{
    DropList drop;
    drop_init(&drop);
    int rc = 0;
    if (tw_set_check(other)) {
        TW_BEGIN_CRITICAL_SECTION2(s, other);
        TW_ASSERT_CAN_MUTATE(s, "set update");
        rc = set_merge(SET(s), SET(other), &drop);
        TW_END_CRITICAL_SECTION2();
        drop_all(&drop);
        return rc;
    }
    TwObject *items;
    int from_dict = 0;
    if (tw_list_check(other)) {
        items = tw_list_as_tuple(other);
    } else if (tw_dict_check(other)) {
        TwObject *keys = tw_dict_keys(other);
        items = keys == NULL ? NULL : tw_list_as_tuple(keys);
        tw_xdecref(keys);
        from_dict = 1;
    } else if (tw_tuple_check(other)) {
        items = tw_newref(other);
    } else {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", TW_TYPE(other)->tp_name);
        return -1;
    }
    if (items == NULL)
        return -1;
    intptr_t n = tw_tuple_size(items);
    tw_hash_t *hashes = tw_mem_malloc((size_t)(n > 0 ? n : 1) * sizeof(tw_hash_t));
    if (hashes == NULL) {
        tw_decref(items);
        tw_err_no_memory();
        return -1;
    }
    for (intptr_t i = 0; i < n && rc == 0; i++) {
        hashes[i] = tw_object_hash(tw_tuple_get_item_borrowed(items, i));
        if (hashes[i] == -1)
            rc = -1;
    }
    if (rc == 0) {
        TwSetObject *so = SET(s);
        TW_BEGIN_CRITICAL_SECTION(so);
        TW_ASSERT_CAN_MUTATE(so, "set update");
        if (from_dict && (so->fill + n) * 5 >= so->mask * 3)
            rc = table_resize(so, (so->used + n) * 2);
        for (intptr_t i = 0; i < n && rc == 0; i++)
            rc = set_add_entry(so, tw_tuple_get_item_borrowed(items, i), hashes[i], &drop);
        TW_END_CRITICAL_SECTION();
    }
    drop_all(&drop);
    tw_mem_free(hashes);
    tw_decref(items);
    return rc;
}

/* a <= b: no larger, and every element of a is in b.  Both sections held. */
static int set_issubset_locked(TwSetObject *a, TwSetObject *b, DropList *drop)
{
    if (a->used > b->used)
        return 0;
    intptr_t pos = 0;
    TwObject *key;
    tw_hash_t hash;
    while (set_next(a, &pos, &key, &hash)) {
        tw_incref(key);
        TwSetEntry *entry = set_lookkey(b, key, hash, drop);
        drop_later(drop, key);
        if (entry == NULL)
            return -1;
        if (entry->key == NULL)
            return 0;
    }
    return 1;
}

int tw_set_issubset(TwObject *a, TwObject *b)
{
    if (!tw_set_check(b)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", TW_TYPE(b)->tp_name);
        return -1;
    }
    DropList drop;
    drop_init(&drop);
    int rc;
    TW_BEGIN_CRITICAL_SECTION2(a, b);
    rc = set_issubset_locked(SET(a), SET(b), &drop);
    TW_END_CRITICAL_SECTION2();
    drop_all(&drop);
    return rc;
}

TwObject *tw_set_to_list(TwObject *s)
{
    TwSetObject *so = SET(s);
    TwObject *list;
    TW_BEGIN_CRITICAL_SECTION(so);
    list = tw_list_new(so->used);
    if (list != NULL) {
        intptr_t pos = 0;
        TwObject *key;
        tw_hash_t hash;
        /* Preallocated: the appends cannot fail. */
        while (set_next(so, &pos, &key, &hash))
            (void)tw_list_append(list, key);
    }
    TW_END_CRITICAL_SECTION();
    return list;
}

/* ---- type slots ---------------------------------------------------------------------- */

/* Unreachable: no section needed. */
static void set_dealloc(TwObject *op)
{
    TwSetObject *so = SET(op);
    for (intptr_t i = 0; i <= so->mask; i++)
        if (so->table[i].key != NULL && so->table[i].key != dummy)
            tw_decref(so->table[i].key);
    if (so->table != so->smalltable)
        tw_mem_free(so->table);
    tw_object_free(op);
}

static const char *const op_names[] = {"<", "<=", "==", "!=", ">", ">="};

/* Set comparisons are subset tests: == same size and a <= b; < and > are
 * proper subset / superset.  A set is never equal to a non-set. */
static TwObject *set_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_set_check(b)) {
        if (op == TW_EQ || op == TW_NE)
            return tw_newref(tw_bool_from_long(op == TW_NE));
        tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                      op_names[op], TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
        return NULL;
    }
    DropList drop;
    drop_init(&drop);
    int r;
    TW_BEGIN_CRITICAL_SECTION2(a, b);
    TwSetObject *sa = SET(a), *sb = SET(b);
    switch (op) {
    case TW_EQ:
    case TW_NE:
        r = sa->used == sb->used ? set_issubset_locked(sa, sb, &drop) : 0;
        if (r >= 0 && op == TW_NE)
            r = !r;
        break;
    case TW_LE:
        r = set_issubset_locked(sa, sb, &drop);
        break;
    case TW_GE:
        r = set_issubset_locked(sb, sa, &drop);
        break;
    case TW_LT:
        r = sa->used < sb->used ? set_issubset_locked(sa, sb, &drop) : 0;
        break;
    default:
        r = sa->used > sb->used ? set_issubset_locked(sb, sa, &drop) : 0;
        break;
    }
    TW_END_CRITICAL_SECTION2();
    drop_all(&drop);
    if (r < 0)
        return NULL;
    return tw_newref(tw_bool_from_long(r));
}

/* Sets whose repr is in progress on this thread (innermost first): one met
 * again inside its own repr prints as "set(...)". */
typedef struct ReprFrame {
    TwObject *op;
    struct ReprFrame *outer;
} ReprFrame;
static _Thread_local ReprFrame *repr_innermost; /* thread-local */

/* "{1, 2}" or "set()": the repr of the element list with its brackets
 * swapped for braces. */
static TwObject *set_repr(TwObject *op)
{
    for (ReprFrame *f = repr_innermost; f != NULL; f = f->outer)
        if (f->op == op)
            return tw_str_from_format("%s(...)", TW_TYPE(op)->tp_name);
    TwObject *list = tw_set_to_list(op);
    if (list == NULL)
        return NULL;
    if (tw_list_size(list) == 0) {
        tw_decref(list);
        return tw_str_from_format("%s()", TW_TYPE(op)->tp_name);
    }
    ReprFrame frame = {op, repr_innermost};
    repr_innermost = &frame;
    TwObject *lr = tw_object_repr(list);
    repr_innermost = frame.outer;
    tw_decref(list);
    if (lr == NULL)
        return NULL;
    /* "[...]" -> "{...}" */
    intptr_t n = tw_str_byte_size(lr);
    char *buf = tw_mem_malloc((size_t)n + 1);
    if (buf == NULL) {
        tw_decref(lr);
        return tw_err_no_memory();
    }
    memcpy(buf, tw_str_utf8(lr), (size_t)n);
    buf[0] = '{';
    buf[n - 1] = '}';
    TwObject *result = tw_str_from_utf8(buf, (size_t)n);
    tw_mem_free(buf);
    tw_decref(lr);
    return result;
}

TwType tw_set_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "set",
    .tp_basicsize = sizeof(TwSetObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = set_dealloc,
    .tp_hash = NULL, /* unhashable */
    .tp_richcompare = set_richcompare,
    .tp_repr = set_repr,
};
