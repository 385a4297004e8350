/* tuple: an immutable array of references.  Immutable containers may hand
 * out borrowed references safely: tw_tuple_get_item_borrowed. */
#ifndef TWINPY_TUPLE_H
#define TWINPY_TUPLE_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwTupleObject {
    TwVarObject ob_base;
    TwObject *items[];
} TwTupleObject;

extern TwType tw_tuple_type;
static inline int tw_tuple_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_tuple_type); }
/* A tuple of n NULL slots to fill with tw_tuple_init_item before sharing
 * it; the empty tuple is an immortal singleton. */
TwObject *tw_tuple_new(intptr_t n);
/* Fill slot i of a new, unshared tuple; steals `item`. */
void tw_tuple_init_item(TwObject *t, intptr_t i, TwObject *item);
/* A tuple of n items (new references taken). */
TwObject *tw_tuple_pack(intptr_t n, ...);
static inline intptr_t tw_tuple_size(TwObject *t) { return TW_SIZE(t); }
/* New reference; IndexError out of range (negative indexes count from the end). */
TwObject *tw_tuple_get_item(TwObject *t, intptr_t i);
/* Borrowed reference, valid while the tuple is alive; no bounds check
 * beyond an assertion. */
static inline TwObject *tw_tuple_get_item_borrowed(TwObject *t, intptr_t i)
{
    return ((TwTupleObject *)t)->items[i];
}

#endif
