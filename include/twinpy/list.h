/* list: a mutable array of references.
 *
 * Thread safety: in the free-threaded build every function below that
 * writes takes the list's critical section, so concurrent calls never tear
 * the list (no lost appends, no read of a freed item); reads by index and
 * the size may skip the lock (core/list.h says how that stays safe).
 * Getters return NEW references: a borrowed pointer into a list could be
 * freed by another thread's store. */
#ifndef TWINPY_LIST_H
#define TWINPY_LIST_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwListObject {
    TwObject ob_base;
    intptr_t size;    /* items in use; written under the list's critical section, atomically */
    TwObject **items; /* a TwListArray's slots (core/list.h), which also records the
                         capacity; written like size */
} TwListObject;

extern TwType tw_list_type;
static inline int tw_list_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_list_type); }

TwObject *tw_list_new(intptr_t n_prealloc);
/* Size at the moment of the call (one atomic read, no lock). */
intptr_t tw_list_size(TwObject *l);
/* 0 on success, -1 with an exception.  `item` is not stolen. */
int tw_list_append(TwObject *l, TwObject *item);
int tw_list_extend(TwObject *l, TwObject *iterable_list_or_tuple);
int tw_list_insert(TwObject *l, intptr_t i, TwObject *item);
/* New reference; IndexError ("list index out of range") when out of range.
 * Negative indexes count from the end. */
TwObject *tw_list_get_item(TwObject *l, intptr_t i);
/* Replace item i; 0 or -1 (IndexError "list assignment index out of range"). */
int tw_list_set_item(TwObject *l, intptr_t i, TwObject *item);
int tw_list_del_item(TwObject *l, intptr_t i);
/* Remove and return item i (new reference); IndexError "pop from empty
 * list" / "pop index out of range". */
TwObject *tw_list_pop(TwObject *l, intptr_t i);
/* Remove the first item equal to x; ValueError "list.remove(x): x not in list". */
int tw_list_remove(TwObject *l, TwObject *x);
/* Index of the first item equal to x, or -1 with ValueError "... is not in list". */
intptr_t tw_list_index(TwObject *l, TwObject *x);
intptr_t tw_list_count(TwObject *l, TwObject *x);
int tw_list_contains(TwObject *l, TwObject *x); /* 1, 0, -1 */
int tw_list_reverse(TwObject *l);
/* Stable sort by the items' natural order (TW_LT); reverse if nonzero.
 * Errors from comparisons propagate, leaving the list a permutation of its
 * items.  ValueError "list modified during sort" if mutated meanwhile. */
int tw_list_sort(TwObject *l, int reverse);
void tw_list_clear(TwObject *l);
/* A shallow copy (new list) and a tuple snapshot, each taken atomically. */
TwObject *tw_list_copy(TwObject *l);
TwObject *tw_list_as_tuple(TwObject *l);

#endif
