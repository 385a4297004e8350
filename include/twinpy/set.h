/* set: a mutable hash set.  Iteration order follows CPython's set for the
 * same operations (same table sizes and probe sequence), so scripts print
 * small-int sets the way CPython does.
 *
 * Thread safety: in the free-threaded build every function takes the set's
 * critical section; binary operations take both sets' sections with the
 * two-object form. */
#ifndef TWINPY_SET_H
#define TWINPY_SET_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwSetEntry {
    TwObject *key; /* NULL: empty slot; tw_set_dummy: deleted */
    tw_hash_t hash;
} TwSetEntry;

typedef struct TwSetObject {
    TwObject ob_base;
    intptr_t fill;  /* active + dummy entries; the set's critical section protects every field */
    intptr_t used;  /* active entries */
    intptr_t mask;  /* table size - 1 */
    TwSetEntry *table;
    intptr_t finger; /* search start for pop() */
    TwSetEntry smalltable[8];
} TwSetObject;

extern TwType tw_set_type;
static inline int tw_set_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_set_type); }

TwObject *tw_set_new(void);
intptr_t tw_set_size(TwObject *s);
int tw_set_add(TwObject *s, TwObject *key);      /* 0 or -1 */
int tw_set_contains(TwObject *s, TwObject *key); /* 1, 0, -1 */
int tw_set_discard(TwObject *s, TwObject *key);  /* 1 removed, 0 absent, -1 error */
int tw_set_remove(TwObject *s, TwObject *key);   /* 0, or -1 with KeyError(key) */
TwObject *tw_set_pop(TwObject *s);               /* KeyError "pop from an empty set" */
void tw_set_clear(TwObject *s);
TwObject *tw_set_copy(TwObject *s);
TwObject *tw_set_union(TwObject *a, TwObject *b);
TwObject *tw_set_intersection(TwObject *a, TwObject *b);
TwObject *tw_set_difference(TwObject *a, TwObject *b);
int tw_set_update(TwObject *s, TwObject *other_set);
int tw_set_issubset(TwObject *a, TwObject *b); /* 1, 0, -1 */
/* Snapshot of the elements in iteration order (a new list). */
TwObject *tw_set_to_list(TwObject *s);

#endif
