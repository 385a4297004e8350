/* slice objects and the index arithmetic every sliceable sequence shares
 * (core/sliceobject.c).
 *
 * A slice is immutable: start, stop and step are any objects (None when
 * omitted).  Sequences (list, tuple, str, bytes, range) turn a slice into
 * C indexes with tw_slice_indices, which follows CPython exactly:
 * None and out-of-range values clamp to the sequence, negative values count
 * from the end, and the result is the number of items selected. */
#ifndef TWINPY_SLICE_H
#define TWINPY_SLICE_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwSliceObject {
    TwObject ob_base;
    TwObject *start, *stop, *step; /* never NULL (None when omitted); immutable */
} TwSliceObject;

extern TwType tw_slice_type;
static inline int tw_slice_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_slice_type;
}

/* slice(start, stop, step); NULL arguments mean None.  References are not
 * stolen. */
TwObject *tw_slice_new(TwObject *start, TwObject *stop, TwObject *step);

/* Read the three fields as C indexes without knowing the length: None
 * becomes the extreme for the step's direction, huge values clamp to
 * intptr_t.  Errors: TypeError "slice indices must be integers or None or
 * have an __index__ method", ValueError "slice step cannot be zero".
 * 0 or -1. */
int tw_slice_unpack(TwObject *slice, intptr_t *start, intptr_t *stop, intptr_t *step);
/* Clamp unpacked indexes to a sequence of `length` items; returns how many
 * items the slice selects. */
intptr_t tw_slice_adjust(intptr_t length, intptr_t *start, intptr_t *stop, intptr_t step);
/* Both steps: *slicelength receives the number of items.  0 or -1. */
int tw_slice_indices(TwObject *slice, intptr_t length, intptr_t *start, intptr_t *stop,
                     intptr_t *step, intptr_t *slicelength);

#endif
