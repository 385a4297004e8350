/* Internal to the list type (core/list.c, core/listmethods.c): the item
 * arrays and the rules that let a list be read without its lock.
 *
 * Item arrays.  A list's items live in an array that records its own
 * capacity in the word before item 0 (TwListArray).  A reader that does
 * not lock loads `size`, then `items`, and bounds its index by both: the
 * array it loaded may belong to an older or newer state than the size.
 *
 * Unlocked reads (free-threaded build; the rules of nogil/lockfree.h).  The
 * owner of a list, and every thread once the list is SHARED, reads size,
 * items and an item slot with acquire loads and no lock: tw_list_get_item,
 * tw_list_size, and the list iterators.  Any other read takes the section,
 * which marks the list shared.  Writers hold the section and keep these
 * promises:
 *   - every store to `size`, `items` or a slot of the published array is
 *     an atomic store (release), so a reader never sees a torn value;
 *   - a slot is filled before a size that covers it is published, and a
 *     new array is published before a size that needs it;
 *   - the unused tail of a growable array is zeroed, so a reader that pairs
 *     an old size with a new array finds NULL (and takes the lock), never
 *     garbage;
 *   - once the list is shared (tw_lf_mark, decided under the section),
 *     every reference the list gives up, and every replaced array, is
 *     released after a grace period (tw_decref_delayed, tw_mem_free_delayed):
 *     a reader may have loaded the pointer just before.  A reference handed
 *     to the caller (pop) is a new one in that case.  While the list is
 *     private only its owner reads it, so releases happen at once.
 * A slot below a size a reader saw therefore holds an item the list holds
 * or held within the grace period: incref-ing it is safe.
 *
 * GIL build: nothing is ever shared; the accessors are plain loads and
 * stores, and releases happen at once. */
#ifndef TWINPY_CORE_LIST_H
#define TWINPY_CORE_LIST_H

#include <stddef.h>
#include <twinpy/list.h>

#include "nogil/lockfree.h"

typedef struct TwListArray {
    intptr_t capacity;  /* immutable after allocation */
    TwObject *items[];  /* slots; see above for who writes them and how */
} TwListArray;

static inline TwListArray *tw_list_array_of(TwObject **items)
{
    return (TwListArray *)((char *)items - offsetof(TwListArray, items));
}

/* The capacity of an item array (0 for NULL, the empty list's). */
static inline intptr_t tw_list_capacity(TwObject **items)
{
    return items == NULL ? 0 : tw_list_array_of(items)->capacity;
}

/* A list's capacity, read by its writers (or by tests). */
static inline intptr_t tw_list_allocated(TwListObject *l) { return tw_list_capacity(l->items); }

/* A new item array of `capacity` slots (> 0), uninitialised; NULL (no
 * exception set) when out of memory. */
TwObject **tw_list_array_new(intptr_t capacity);
/* Free an array nobody else can see (never published, or the list is dead
 * or private).  NULL is ignored. */
void tw_list_array_free(TwObject **items);

/* Free an array the list no longer points to: at once if the list is
 * private (shared == 0), else after a grace period (a reader may still be
 * inside it).  NULL is ignored. */
void tw_list_array_release(TwObject **items, int shared);

/* Store slot i of a published array. */
static inline void tw_list_store_slot(TwObject **items, intptr_t i, TwObject *v)
{
    tw_lf_store_release(&items[i], v);
}

/* Publish `items` (with `size` items in use) in place of l's array, which
 * is released at once (shared == 0) or after a grace period.  Caller
 * holds the section. */
void tw_list_install(TwListObject *l, TwObject **items, intptr_t size, int shared);

/* Item i (negative counts from the end) as a new reference, or NULL
 * without an exception when out of range; without the lock where allowed. */
TwObject *tw_list_item_ref(TwObject *l, intptr_t i);

/* Drop references the list gave up, after leaving its section: at once,
 * or after a grace period if the list was shared when they were removed. */
void tw_list_release_refs(TwObject **refs, intptr_t n, int shared);

#endif
