/* dict: an insertion-ordered hash table (open addressing over an index
 * array, entries in insertion order).
 *
 * Thread safety: in the free-threaded build every function below takes the
 * dict's critical section.  Lookups return NEW references (there is no
 * borrowed-reference getter).  Hashing and comparing keys may run code that
 * touches the dict; the table stays consistent, and a lookup restarts if
 * the table changed under a comparison. */
#ifndef TWINPY_DICT_H
#define TWINPY_DICT_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwDictKeys TwDictKeys;

typedef struct TwDictObject {
    TwObject ob_base;
    intptr_t used;      /* live entries; the dict's critical section protects every field */
    uint64_t version;   /* bumped on every mutation */
    TwDictKeys *keys;
} TwDictObject;

extern TwType tw_dict_type;
static inline int tw_dict_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_dict_type); }

TwObject *tw_dict_new(void);
intptr_t tw_dict_size(TwObject *d);
/* 0 or -1 (TypeError for unhashable keys). Neither key nor value is stolen. */
int tw_dict_set_item(TwObject *d, TwObject *key, TwObject *value);
int tw_dict_set_item_cstr(TwObject *d, const char *key, TwObject *value);
/* Look up key: 1 and *result = new reference when found; 0 and
 * *result = NULL when absent (no exception); -1 on error. */
int tw_dict_get_item_ref(TwObject *d, TwObject *key, TwObject **result);
int tw_dict_get_item_cstr_ref(TwObject *d, const char *key, TwObject **result);
/* Delete; -1 with KeyError(key) if absent. */
int tw_dict_del_item(TwObject *d, TwObject *key);
int tw_dict_contains(TwObject *d, TwObject *key); /* 1, 0, -1 */
/* dict.pop(key, default): new reference; `deflt` NULL means KeyError when absent. */
TwObject *tw_dict_pop(TwObject *d, TwObject *key, TwObject *deflt);
/* dict.setdefault: 1 if it inserted.  *result receives a new reference to
 * the value now stored; the check and the insert are one atomic step. */
int tw_dict_set_default_ref(TwObject *d, TwObject *key, TwObject *deflt, TwObject **result);
/* dict.popitem(): the last (key, value) tuple; KeyError "popitem(): dictionary is empty". */
TwObject *tw_dict_popitem(TwObject *d);
void tw_dict_clear(TwObject *d);
TwObject *tw_dict_copy(TwObject *d);
/* Merge `other` (a dict) into d, overwriting. */
int tw_dict_update(TwObject *d, TwObject *other);
/* Snapshots taken atomically: lists of keys, values and (key, value) tuples. */
TwObject *tw_dict_keys(TwObject *d);
TwObject *tw_dict_values(TwObject *d);
TwObject *tw_dict_items(TwObject *d);
/* Iterate: *pos starts at 0.  1 with new references in *key / *value
 * (either may be NULL to skip), 0 at the end.  Each step locks the dict;
 * a dict changed in size since the previous step sets RuntimeError
 * "dictionary changed size during iteration" and returns -1.  *pos is
 * opaque: it packs the next entry number with the size seen at the first
 * step, and each step compares the size with that one (as CPython's dict
 * iterator does), so a change of size and back between two steps goes
 * unnoticed.  Replacing values while iterating is allowed. */
int tw_dict_next_ref(TwObject *d, intptr_t *pos, TwObject **key, TwObject **value);

#endif
