/* list: a mutable, over-allocated array of references.
 *
 * Locking.  Every write to a TwListObject (size, items, a slot) happens in
 * the list's critical section: the object's own mutex in the free-threaded
 * build, the GIL in the GIL build.  Every public function that writes enters
 * that section, so one call is one atomic step as far as other threads can
 * see.  Item reads by index, the size and iteration do not lock where
 * core/list.h allows it; the rules writers keep for those readers are set
 * out there.
 *
 * Re-entrancy.  Two things can run arbitrary code while a section is held:
 *   - dropping a reference (a destructor may run and touch this list);
 *   - comparing items (tw_object_eq / tw_object_richcompare call the item's
 *     type, which may lock other objects and, if it blocks, suspend ours).
 * So references that a call removes are collected and released only after
 * the section ends, and every loop that compares re-reads size and items
 * after each comparison instead of trusting what it saw before.  Sorting
 * compares outside the section altogether, on a snapshot. */
#include <string.h>

#include "core/list.h"
#include "core/tstate.h"

#define LIST(op) ((TwListObject *)(op))

/* The most items an array may hold without its byte size overflowing. */
#define MAX_ITEMS ((intptr_t)((INTPTR_MAX - (intptr_t)sizeof(TwListArray)) / (intptr_t)sizeof(TwObject *)))

/* ---- storage ---------------------------------------------------------------- */

TwObject **tw_list_array_new(intptr_t capacity)
{
    if (capacity <= 0 || capacity > MAX_ITEMS)
        return NULL;
    TwListArray *a = tw_mem_malloc(sizeof(TwListArray) + (size_t)capacity * sizeof(TwObject *));
    if (a == NULL)
        return NULL;
    a->capacity = capacity;
    return a->items;
}

void tw_list_array_free(TwObject **items)
{
    if (items != NULL)
        tw_mem_free(tw_list_array_of(items));
}

void tw_list_array_release(TwObject **items, int shared)
{
    if (items == NULL)
        return;
    if (shared)
        tw_mem_free_delayed(tw_list_array_of(items));
    else
        tw_mem_free(tw_list_array_of(items));
}

void tw_list_release_refs(TwObject **refs, intptr_t n, int shared)
{
    for (intptr_t i = 0; i < n; i++) {
        if (shared)
            tw_decref_delayed(refs[i]);
        else
            tw_decref(refs[i]);
    }
}

void tw_list_install(TwListObject *l, TwObject **items, intptr_t size, int shared)
{
    TW_ASSERT_CAN_MUTATE(l, "list storage");
    TwObject **old = l->items;
    tw_lf_store_release(&l->items, items);
    tw_lf_store_release(&l->size, size);
    tw_list_array_release(old, shared);
}

/* Give the list an array of `capacity` slots holding its current items,
 * the rest NULL; the size is left alone.  0, or -1 when out of memory (no
 * exception set; the old array stays).  Caller holds the section. */
static int reallocate(TwListObject *self, intptr_t capacity, int shared)
{
    TwObject **items = NULL;
    intptr_t n = self->size;
    if (capacity > 0) {
        items = tw_list_array_new(capacity);
        if (items == NULL)
            return -1;
        if (n > 0)
            memcpy(items, self->items, (size_t)n * sizeof(TwObject *));
        memset(items + n, 0, (size_t)(capacity - n) * sizeof(TwObject *));
    }
    TwObject **old = self->items;
    tw_lf_store_release(&self->items, items);
    tw_list_array_release(old, shared);
    return 0;
}

/* The capacity to give a list growing from `size` to `newsize` items:
 * about 1/8 more plus a little, rounded to a multiple of 4, so that appends
 * are amortised O(1); a large jump (extend by many items) gets just what it
 * asked for. */
static intptr_t grown_capacity(intptr_t size, intptr_t newsize)
{
    intptr_t cap = (newsize + (newsize >> 3) + 6) & ~(intptr_t)3;
    if (newsize - size > cap - newsize)
        cap = (newsize + 3) & ~(intptr_t)3;
    return cap;
}

/* Make room for `newsize` items (more than the list holds).  The size is
 * not changed: the caller fills the new slots, then stores the size.
 * Caller holds the section. */
static int reserve(TwListObject *self, intptr_t newsize, int shared)
{
    if (newsize <= tw_list_allocated(self))
        return 0;
    if (newsize > MAX_ITEMS - (newsize >> 3) - 6) {
        tw_err_no_memory();
        return -1;
    }
    if (reallocate(self, grown_capacity(self->size, newsize), shared) < 0) {
        tw_err_no_memory();
        return -1;
    }
    return 0;
}

/* After the list shrank: give back an array that is less than half full.
 * Never fails (a failed allocation keeps the old array).  Caller holds the
 * section. */
static void trim(TwListObject *self, int shared)
{
    intptr_t n = self->size;
    if (n >= (tw_list_allocated(self) >> 1))
        return;
    (void)reallocate(self, n == 0 ? 0 : grown_capacity(n, n), shared);
}

/* Copy n slots from src to dst (overlapping allowed) in a published array:
 * slot by slot with atomic stores, since readers may load them meanwhile. */
static void move_slots(TwObject **items, intptr_t dst, intptr_t src, intptr_t n)
{
    if (dst < src) {
        for (intptr_t k = 0; k < n; k++)
            tw_list_store_slot(items, dst + k, items[src + k]);
    } else {
        for (intptr_t k = n - 1; k >= 0; k--)
            tw_list_store_slot(items, dst + k, items[src + k]);
    }
}

/* Insert `item` (a reference the list takes over) before index `where`,
 * clamped into 0..size the way list.insert clamps.  Caller holds the
 * section. */
static int insert_at(TwListObject *self, intptr_t where, TwObject *item)
{
    intptr_t n = self->size;
    if (reserve(self, n + 1, tw_lf_mark((TwObject *)self)) < 0)
        return -1;
    if (where < 0) {
        where += n;
        if (where < 0)
            where = 0;
    }
    if (where > n)
        where = n;
    move_slots(self->items, where + 1, where, n - where);
    tw_list_store_slot(self->items, where, item);
    tw_lf_store_release(&self->size, n + 1);
    return 0;
}

/* Remove item i (0 <= i < size) and hand back the list's reference to it,
 * for the caller to release after leaving the section (through
 * tw_list_release_refs with `shared`, which the caller got from
 * tw_lf_mark).  The vacated last slot is cleared. */
static TwObject *remove_at(TwListObject *self, intptr_t i, int shared)
{
    TW_ASSERT_CAN_MUTATE(self, "list item removal");
    TwObject *item = self->items[i];
    intptr_t n = self->size;
    move_slots(self->items, i, i + 1, n - i - 1);
    tw_lf_store_release(&self->size, n - 1);
    tw_list_store_slot(self->items, n - 1, (TwObject *)NULL);
    trim(self, shared);
    return item;
}

/* Copy the items with a new reference each into a fresh array: a snapshot
 * to work on outside the section.  *n receives the count; NULL with
 * MemoryError (or a NULL array and *n == 0 for an empty list).  The array
 * is a list array (tw_list_array_free, or a new list's items). */
static TwObject **snapshot(TwListObject *self, intptr_t *n, int *failed)
{
    TwObject **copy = NULL;
    *failed = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    *n = self->size;
    if (*n > 0) {
        copy = tw_list_array_new(*n);
        if (copy != NULL) {
            for (intptr_t i = 0; i < *n; i++)
                copy[i] = tw_newref(self->items[i]);
        }
    }
    TW_END_CRITICAL_SECTION();
    if (*n > 0 && copy == NULL) {
        tw_err_no_memory();
        *failed = 1;
    }
    return copy;
}

/* Drop the references of a snapshot and free it (outside any section). */
static void release_snapshot(TwObject **items, intptr_t n)
{
    for (intptr_t i = 0; i < n; i++)
        tw_decref(items[i]);
    tw_list_array_free(items);
}

/* ---- construction and simple accessors ---------------------------------- */

TwObject *tw_list_new(intptr_t n_prealloc)
{
    if (n_prealloc < 0) {
        tw_err_set_string(&tw_exc_SystemError, "negative list preallocation");
        return NULL;
    }
    if (n_prealloc > MAX_ITEMS)
        return tw_err_no_memory();
    TwListObject *self = (TwListObject *)tw_object_new(&tw_list_type, 0);
    if (self == NULL)
        return NULL;
    self->size = 0;
    self->items = NULL;
    if (n_prealloc > 0) {
        self->items = tw_list_array_new(n_prealloc);
        if (self->items == NULL) {
            tw_decref((TwObject *)self);
            return tw_err_no_memory();
        }
        memset(self->items, 0, (size_t)n_prealloc * sizeof(TwObject *));
    }
    return (TwObject *)self;
}

/* One word, read atomically: no lock needed in either build. */
intptr_t tw_list_size(TwObject *l) { return tw_lf_load_acquire(&LIST(l)->size); }

int tw_list_append(TwObject *l, TwObject *item)
{
    TwListObject *self = LIST(l);
    int rc = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list append");
    intptr_t n = self->size;
    if (n >= tw_list_allocated(self))
        rc = reserve(self, n + 1, tw_lf_mark((TwObject *)self));
    if (rc == 0) {
        tw_list_store_slot(self->items, n, tw_newref(item));
        tw_lf_store_release(&self->size, n + 1);
    }
    TW_END_CRITICAL_SECTION();
    return rc;
}

/* Extend from a list (snapshotted first, so l.extend(l) doubles l), a tuple
 * (immutable: read directly), a set or a dict (their keys, in iteration
 * order).  The new items go in under one section: other threads see all or
 * none of them. */
int tw_list_extend(TwObject *l, TwObject *iterable)
{
    TwListObject *self = LIST(l);
    TwObject **src;
    intptr_t n;
    TwObject *tmp = NULL; /* a list built from a set or dict */

    if (tw_set_check(iterable) || tw_dict_check(iterable)) {
        tmp = tw_set_check(iterable) ? tw_set_to_list(iterable) : tw_dict_keys(iterable);
        if (tmp == NULL)
            return -1;
        iterable = tmp;
    } else if (!tw_list_check(iterable) && !tw_tuple_check(iterable)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not iterable", TW_TYPE(iterable)->tp_name);
        return -1;
    }

    if (tw_tuple_check(iterable)) {
        n = tw_tuple_size(iterable);
        if (n == 0)
            return 0;
        src = tw_list_array_new(n);
        if (src == NULL) {
            tw_err_no_memory();
            return -1;
        }
        for (intptr_t i = 0; i < n; i++)
            src[i] = tw_newref(tw_tuple_get_item_borrowed(iterable, i));
    } else {
        int failed;
        src = snapshot(LIST(iterable), &n, &failed);
        if (failed) {
            tw_xdecref(tmp);
            return -1;
        }
    }
    tw_xdecref(tmp);
    if (n == 0)
        return 0;

    int rc;
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list extend");
    intptr_t old = self->size;
    if (n > MAX_ITEMS - old) {
        tw_err_no_memory();
        rc = -1;
    } else {
        rc = reserve(self, old + n, tw_lf_mark((TwObject *)self));
    }
    if (rc == 0) {
        /* The snapshot's references move into the list. */
        for (intptr_t i = 0; i < n; i++)
            tw_list_store_slot(self->items, old + i, src[i]);
        tw_lf_store_release(&self->size, old + n);
    }
    TW_END_CRITICAL_SECTION();
    if (rc == 0)
        tw_list_array_free(src);
    else
        release_snapshot(src, n);
    return rc;
}

int tw_list_insert(TwObject *l, intptr_t i, TwObject *item)
{
    TwListObject *self = LIST(l);
    int rc;
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list insert");
    rc = insert_at(self, i, item);
    if (rc == 0)
        tw_incref(item);
    TW_END_CRITICAL_SECTION();
    return rc;
}

/* tw_list_item_ref's locked path: the reader may not read without the
 * section, or met a writer mid-change.  Marks the list shared when a
 * thread other than its owner reads it. */
static TW_LF_SLOW_PATH TwObject *item_ref_locked(TwListObject *self, intptr_t i)
{
    TwObject *item = NULL;
    TW_BEGIN_CRITICAL_SECTION(self);
    (void)tw_lf_mark((TwObject *)self);
    if (i < 0)
        i += self->size;
    if (i >= 0 && i < self->size)
        item = tw_newref(self->items[i]);
    TW_END_CRITICAL_SECTION();
    return item;
}

/* Item i (negative counts from the end) as a new reference, or NULL
 * without an exception when out of range.  Reads without the section
 * where core/list.h allows it: it loads the size, the array, then the
 * slot, each atomically, and falls back to the section if the slot it
 * reached is empty (a writer is in the middle of a change).  The locked
 * path is a separate function so that this one, called for every list
 * subscript, needs no stack frame. */
TwObject *tw_list_item_ref(TwObject *l, intptr_t i)
{
    TwListObject *self = LIST(l);
    if (tw_lf_can_read(l)) {
        intptr_t n = tw_lf_load_acquire(&self->size);
        intptr_t k = i < 0 ? i + n : i;
        if (k < 0 || k >= n)
            return NULL;
        TwObject **items = tw_lf_load_acquire(&self->items);
        if (k < tw_list_capacity(items)) {
            TwObject *v = tw_lf_load_acquire(&items[k]);
            if (v != NULL)
                return tw_newref(v);
        }
    }
    return item_ref_locked(self, i);
}

TwObject *tw_list_get_item(TwObject *l, intptr_t i)
{
    TwObject *item = tw_list_item_ref(l, i);
    if (item == NULL)
        tw_err_set_string(&tw_exc_IndexError, "list index out of range");
    return item;
}

int tw_list_set_item(TwObject *l, intptr_t i, TwObject *item)
{
    TwListObject *self = LIST(l);
    TwObject *old = NULL;
    int rc = -1, shared = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list item assignment");
    if (i < 0)
        i += self->size;
    if (i >= 0 && i < self->size) {
        shared = tw_lf_mark(l);
        old = self->items[i];
        tw_list_store_slot(self->items, i, tw_newref(item));
        rc = 0;
    }
    TW_END_CRITICAL_SECTION();
    if (rc < 0)
        tw_err_set_string(&tw_exc_IndexError, "list assignment index out of range");
    else if (shared) /* after the section: the old item's destructor may run */
        tw_decref_delayed(old);
    else
        tw_decref(old);
    return rc;
}

int tw_list_del_item(TwObject *l, intptr_t i)
{
    TwListObject *self = LIST(l);
    TwObject *old = NULL;
    int shared = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    if (i < 0)
        i += self->size;
    if (i >= 0 && i < self->size) {
        shared = tw_lf_mark(l);
        old = remove_at(self, i, shared);
    }
    TW_END_CRITICAL_SECTION();
    if (old == NULL) {
        tw_err_set_string(&tw_exc_IndexError, "list assignment index out of range");
        return -1;
    }
    tw_list_release_refs(&old, 1, shared);
    return 0;
}

TwObject *tw_list_pop(TwObject *l, intptr_t i)
{
    TwListObject *self = LIST(l);
    TwObject *item = NULL;
    int empty, shared = 0;
    TW_BEGIN_CRITICAL_SECTION(self);
    empty = self->size == 0;
    if (i < 0)
        i += self->size;
    if (!empty && i >= 0 && i < self->size) {
        shared = tw_lf_mark(l);
        item = remove_at(self, i, shared);
    }
    TW_END_CRITICAL_SECTION();
    if (item == NULL) {
        tw_err_set_string(&tw_exc_IndexError,
                          empty ? "pop from empty list" : "pop index out of range");
    } else if (shared) {
        /* A reader may still hold the pointer: the list's reference goes
         * through the grace period, the caller gets a new one. */
        tw_incref(item);
        tw_decref_delayed(item);
    }
    return item;
}

/* ---- searching ---------------------------------------------------------------- */

enum { SCAN_CONTAINS, SCAN_INDEX, SCAN_COUNT, SCAN_REMOVE };

/* Where `item` sits now: `hint` if it is still there, else the first slot
 * holding it, else -1.  Identity only, so no code runs. */
static intptr_t locate(TwListObject *self, intptr_t hint, TwObject *item)
{
    if (hint < self->size && self->items[hint] == item)
        return hint;
    for (intptr_t k = 0; k < self->size; k++)
        if (self->items[k] == item)
            return k;
    return -1;
}

/* The one loop behind contains, index, count and remove: walk the items,
 * comparing each with x, inside the list's section.
 *
 * A comparison runs the item's code: it may mutate this list (re-entrantly,
 * or from another thread if the comparison blocks and suspends the
 * section).  So each item is compared through a new reference, the loop
 * re-reads the size after every comparison, and a found item is acted on
 * where it is NOW (found again by identity).  Dropping that reference is
 * safe inside the section only while the list still holds the item; when
 * it does not, ours may be the last reference, so the loop leaves the
 * section, drops it, and continues from the next index.
 *
 * Returns -1 on error, else 0; *result is the found flag (contains,
 * remove), the index or -1 (index), or the count (count). */
static int list_scan(TwListObject *self, TwObject *x, int mode, intptr_t *result)
{
    intptr_t i = 0, count = 0, found = -1;
    int status = 0; /* 1 found, -1 error */
    int done = 0;
    while (!done) {
        TwObject *stale = NULL;   /* our reference to an item the list dropped */
        TwObject *removed = NULL; /* the list's reference to the removed item */
        int shared = 0;
        TW_BEGIN_CRITICAL_SECTION(self);
        while (i < self->size) {
            TwObject *item = tw_newref(self->items[i]);
            int cmp = tw_object_eq(item, x);
            intptr_t at = locate(self, i, item);
            if (at < 0)
                stale = item;
            else
                tw_decref(item); /* the list still holds it: cannot be the last reference */
            i++;
            if (cmp < 0) {
                status = -1;
                break;
            }
            if (cmp > 0) {
                if (mode == SCAN_COUNT) {
                    count++;
                } else if (mode == SCAN_CONTAINS) {
                    status = 1;
                    break;
                } else if (at >= 0) {
                    /* index / remove act on the item where it is now; one
                     * that left the list meanwhile is not found here. */
                    found = at;
                    status = 1;
                    if (mode == SCAN_REMOVE) {
                        shared = tw_lf_mark((TwObject *)self);
                        removed = remove_at(self, at, shared);
                    }
                    break;
                }
            }
            if (stale != NULL)
                break;
        }
        if (status != 0 || i >= self->size)
            done = 1;
        TW_END_CRITICAL_SECTION();
        tw_xdecref(stale);
        if (removed != NULL)
            tw_list_release_refs(&removed, 1, shared);
    }
    if (status < 0)
        return -1;
    if (mode == SCAN_COUNT)
        *result = count;
    else if (mode == SCAN_INDEX)
        *result = found;
    else
        *result = status;
    return 0;
}

int tw_list_contains(TwObject *l, TwObject *x)
{
    intptr_t r;
    if (list_scan(LIST(l), x, SCAN_CONTAINS, &r) < 0)
        return -1;
    return (int)r;
}

intptr_t tw_list_count(TwObject *l, TwObject *x)
{
    intptr_t r;
    if (list_scan(LIST(l), x, SCAN_COUNT, &r) < 0)
        return -1;
    return r;
}

intptr_t tw_list_index(TwObject *l, TwObject *x)
{
    intptr_t r;
    if (list_scan(LIST(l), x, SCAN_INDEX, &r) < 0)
        return -1;
    if (r < 0) {
        /* CPython: "<repr(x)> is not in list". */
        TwObject *rep = tw_object_repr(x);
        if (rep != NULL) {
            tw_err_format(&tw_exc_ValueError, "%s is not in list", tw_str_utf8(rep));
            tw_decref(rep);
        }
        return -1;
    }
    return r;
}

int tw_list_remove(TwObject *l, TwObject *x)
{
    intptr_t r;
    if (list_scan(LIST(l), x, SCAN_REMOVE, &r) < 0)
        return -1;
    if (!r) {
        tw_err_set_string(&tw_exc_ValueError, "list.remove(x): x not in list");
        return -1;
    }
    return 0;
}

/* ---- reordering ---------------------------------------------------------------- */

/* Reverse items[0..n) in place; slot stores are atomic, so this serves
 * published arrays as well as private ones. */
static void reverse_items(TwObject **items, intptr_t n)
{
    for (intptr_t lo = 0, hi = n - 1; lo < hi; lo++, hi--) {
        TwObject *t = items[lo];
        tw_list_store_slot(items, lo, items[hi]);
        tw_list_store_slot(items, hi, t);
    }
}

int tw_list_reverse(TwObject *l)
{
    TwListObject *self = LIST(l);
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list reverse");
    reverse_items(self->items, self->size);
    TW_END_CRITICAL_SECTION();
    return 0;
}

/* a < b through the rich comparison and the truth of its result: 1, 0, or
 * -1 with an exception. */
static int less_than(TwObject *a, TwObject *b)
{
    TwObject *r = tw_object_richcompare(a, b, TW_LT);
    if (r == NULL)
        return -1;
    int truth = tw_object_is_true(r);
    tw_decref(r);
    return truth;
}

/* Runs shorter than this are sorted by insertion before merging. */
#define MIN_RUN 16

/* Stable insertion sort of a[0..n). */
static int insertion_sort(TwObject **a, intptr_t n)
{
    for (intptr_t i = 1; i < n; i++) {
        TwObject *x = a[i];
        intptr_t j = i;
        while (j > 0) {
            int lt = less_than(x, a[j - 1]);
            if (lt < 0) {
                /* Close the gap so a stays a permutation. */
                a[j] = x;
                return -1;
            }
            if (!lt)
                break;
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
    return 0;
}

/* Merge the sorted runs a[lo..mid) and a[mid..hi) through tmp.  Ties take
 * the left item first (stability).  On error a is left as it was. */
static int merge_runs(TwObject **a, TwObject **tmp, intptr_t lo, intptr_t mid, intptr_t hi)
{
    int lt = less_than(a[mid], a[mid - 1]);
    if (lt <= 0)
        return lt; /* already in order, or an error */
    intptr_t i = lo, j = mid, k = 0;
    while (i < mid && j < hi) {
        lt = less_than(a[j], a[i]);
        if (lt < 0)
            return -1;
        tmp[k++] = lt ? a[j++] : a[i++];
    }
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < hi)
        tmp[k++] = a[j++];
    memcpy(&a[lo], tmp, (size_t)k * sizeof(TwObject *));
    return 0;
}

/* Stable bottom-up merge sort of a[0..n) with natural order (TW_LT). */
static int merge_sort(TwObject **a, intptr_t n)
{
    for (intptr_t lo = 0; lo < n; lo += MIN_RUN) {
        intptr_t len = n - lo < MIN_RUN ? n - lo : MIN_RUN;
        if (insertion_sort(&a[lo], len) < 0)
            return -1;
    }
    if (n <= MIN_RUN)
        return 0;
    TwObject **tmp = tw_mem_malloc((size_t)n * sizeof(TwObject *));
    if (tmp == NULL) {
        tw_err_no_memory();
        return -1;
    }
    int rc = 0;
    for (intptr_t width = MIN_RUN; width < n && rc == 0; width *= 2) {
        for (intptr_t lo = 0; lo + width < n; lo += 2 * width) {
            intptr_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            if (merge_runs(a, tmp, lo, lo + width, hi) < 0) {
                rc = -1;
                break;
            }
        }
    }
    tw_mem_free(tmp);
    return rc;
}

/* Sort a snapshot outside the section (comparisons run arbitrary code and
 * may take a long time), then install the result under the section if the
 * list still holds exactly the snapshot's items in the snapshot's order.
 * Anything else means another thread (or a comparison) changed the list:
 * ValueError, and the list keeps what that change left.  reverse=True
 * reverses before and after a stable sort, so equal items keep their
 * original order, as CPython's does. */
int tw_list_sort(TwObject *l, int reverse)
{
    TwListObject *self = LIST(l);
    intptr_t n;
    int failed;
    TwObject **orig = snapshot(self, &n, &failed);
    if (failed)
        return -1;
    if (n < 2) {
        release_snapshot(orig, n);
        return 0;
    }
    TwObject **work = tw_mem_malloc((size_t)n * sizeof(TwObject *));
    if (work == NULL) {
        release_snapshot(orig, n);
        tw_err_no_memory();
        return -1;
    }
    memcpy(work, orig, (size_t)n * sizeof(TwObject *));
    if (reverse)
        reverse_items(work, n);
    int rc = merge_sort(work, n);
    if (rc == 0 && reverse)
        reverse_items(work, n);

    if (rc == 0) {
        int modified = 0;
        TW_BEGIN_CRITICAL_SECTION(self);
        TW_ASSERT_CAN_MUTATE(self, "list sort");
        if (self->size != n) {
            modified = 1;
        } else {
            for (intptr_t i = 0; i < n; i++) {
                if (self->items[i] != orig[i]) {
                    modified = 1;
                    break;
                }
            }
        }
        if (!modified) {
            for (intptr_t i = 0; i < n; i++)
                tw_list_store_slot(self->items, i, work[i]);
        }
        TW_END_CRITICAL_SECTION();
        if (modified) {
            tw_err_set_string(&tw_exc_ValueError, "list modified during sort");
            rc = -1;
        }
    }
    tw_mem_free(work);
    release_snapshot(orig, n);
    return rc;
}

/* ---- whole-list operations ------------------------------------------------------ */

/* Empty the list in one step; the items are released after the section. */
void tw_list_clear(TwObject *l)
{
    TwListObject *self = LIST(l);
    TwObject **items;
    intptr_t n;
    int shared;
    TW_BEGIN_CRITICAL_SECTION(self);
    TW_ASSERT_CAN_MUTATE(self, "list clear");
    shared = tw_lf_mark(l);
    items = self->items;
    n = self->size;
    tw_lf_store_release(&self->items, (TwObject **)NULL);
    tw_lf_store_release(&self->size, (intptr_t)0);
    TW_END_CRITICAL_SECTION();
    for (intptr_t i = n - 1; i >= 0; i--)
        tw_list_release_refs(&items[i], 1, shared);
    tw_list_array_release(items, shared);
}

TwObject *tw_list_copy(TwObject *l)
{
    TwListObject *self = LIST(l);
    TwListObject *copy = (TwListObject *)tw_list_new(0);
    if (copy == NULL)
        return NULL;
    int failed;
    intptr_t n;
    /* The copy is private until returned: its fields need no section. */
    copy->items = snapshot(self, &n, &failed);
    if (failed) {
        tw_decref((TwObject *)copy);
        return NULL;
    }
    copy->size = n;
    return (TwObject *)copy;
}

TwObject *tw_list_as_tuple(TwObject *l)
{
    TwListObject *self = LIST(l);
    TwObject *t;
    TW_BEGIN_CRITICAL_SECTION(self);
    t = tw_tuple_new(self->size);
    if (t != NULL) {
        for (intptr_t i = 0; i < self->size; i++)
            tw_tuple_init_item(t, i, tw_newref(self->items[i]));
    }
    TW_END_CRITICAL_SECTION();
    return t;
}

/* ---- type slots ------------------------------------------------------------------ */

/* The object is unreachable: no section needed.  Items go in reverse order,
 * as CPython's do. */
static void list_dealloc(TwObject *op)
{
    TwListObject *self = LIST(op);
    for (intptr_t i = self->size - 1; i >= 0; i--)
        tw_decref(self->items[i]);
    tw_list_array_free(self->items);
    tw_object_free(op);
}

static const char *const op_names[] = {"<", "<=", "==", "!=", ">", ">="};

/* Compare two sizes (or any two integers) with a rich-comparison operator. */
static int compare_sizes(intptr_t a, intptr_t b, int op)
{
    switch (op) {
    case TW_LT:
        return a < b;
    case TW_LE:
        return a <= b;
    case TW_EQ:
        return a == b;
    case TW_NE:
        return a != b;
    case TW_GT:
        return a > b;
    default:
        return a >= b;
    }
}

/* Lexicographic comparison, as CPython's: find the first index where the
 * items differ; if none, the lengths decide; else == and != are decided,
 * and the ordering operators compare those two items.  Both lists are
 * snapshotted first, so no section is held while items compare. */
static TwObject *list_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_list_check(b)) {
        if (op == TW_EQ || op == TW_NE)
            return tw_newref(tw_bool_from_long(op == TW_NE));
        tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                      op_names[op], TW_TYPE(a)->tp_name, TW_TYPE(b)->tp_name);
        return NULL;
    }
    intptr_t na, nb;
    int failed;
    TwObject **va = snapshot(LIST(a), &na, &failed);
    if (failed)
        return NULL;
    TwObject **vb = snapshot(LIST(b), &nb, &failed);
    if (failed) {
        release_snapshot(va, na);
        return NULL;
    }
    TwObject *result = NULL;
    if ((op == TW_EQ || op == TW_NE) && na != nb) {
        result = tw_newref(tw_bool_from_long(op == TW_NE));
        goto done;
    }
    intptr_t i;
    for (i = 0; i < na && i < nb; i++) {
        int eq = tw_object_eq(va[i], vb[i]);
        if (eq < 0)
            goto done;
        if (!eq)
            break;
    }
    if (i >= na || i >= nb)
        result = tw_newref(tw_bool_from_long(compare_sizes(na, nb, op)));
    else if (op == TW_EQ || op == TW_NE)
        result = tw_newref(tw_bool_from_long(op == TW_NE));
    else
        result = tw_object_richcompare(va[i], vb[i], op);
done:
    release_snapshot(va, na);
    release_snapshot(vb, nb);
    return result;
}

/* The containers whose repr is in progress on this thread, innermost
 * first: a list met again inside its own repr prints as "[...]".  Frames
 * live on the C stack of list_repr (thread-local chain, no allocation). */
typedef struct ReprFrame {
    TwObject *op;
    struct ReprFrame *outer;
} ReprFrame;
static _Thread_local ReprFrame *repr_innermost; /* thread-local */
static _Thread_local int repr_depth;            /* thread-local */

/* Deeper nesting than this is refused rather than overflowing the C stack. */
#define REPR_MAX_DEPTH 1000

/* Concatenate `open`, the n str objects of parts separated by ", ", and
 * `close` into a new str. */
static TwObject *join_parts(const char *open, TwObject **parts, intptr_t n, const char *close)
{
    size_t lo = strlen(open), lc = strlen(close);
    size_t total = lo + lc + (n > 1 ? (size_t)(n - 1) * 2 : 0);
    for (intptr_t i = 0; i < n; i++)
        total += (size_t)tw_str_byte_size(parts[i]);
    char *buf = tw_mem_malloc(total + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    char *p = buf;
    memcpy(p, open, lo);
    p += lo;
    for (intptr_t i = 0; i < n; i++) {
        if (i > 0) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        size_t len = (size_t)tw_str_byte_size(parts[i]);
        memcpy(p, tw_str_utf8(parts[i]), len);
        p += len;
    }
    memcpy(p, close, lc);
    TwObject *s = tw_str_from_utf8(buf, total);
    tw_mem_free(buf);
    return s;
}

/* "[1, 2]": the items' reprs from a snapshot, outside the section. */
static TwObject *list_repr(TwObject *op)
{
    for (ReprFrame *f = repr_innermost; f != NULL; f = f->outer)
        if (f->op == op)
            return tw_str_from_cstr("[...]");
    if (repr_depth >= REPR_MAX_DEPTH) {
        tw_err_set_string(&tw_exc_RecursionError,
                          "maximum recursion depth exceeded while getting the repr of an object");
        return NULL;
    }
    intptr_t n;
    int failed;
    TwObject **items = snapshot(LIST(op), &n, &failed);
    if (failed)
        return NULL;
    if (n == 0)
        return tw_str_from_cstr("[]");

    ReprFrame frame = {op, repr_innermost};
    repr_innermost = &frame;
    repr_depth++;
    TwObject *result = NULL;
    intptr_t done = 0;
    for (; done < n; done++) {
        TwObject *r = tw_object_repr(items[done]);
        if (r == NULL)
            break;
        tw_decref(items[done]);
        items[done] = r; /* the slot now holds the repr */
    }
    repr_depth--;
    repr_innermost = frame.outer;
    if (done == n)
        result = join_parts("[", items, n, "]");
    release_snapshot(items, n);
    return result;
}

TwType tw_list_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "list",
    .tp_basicsize = sizeof(TwListObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = list_dealloc,
    .tp_hash = NULL, /* unhashable: tw_object_hash raises TypeError */
    .tp_richcompare = list_richcompare,
    .tp_repr = list_repr,
};
