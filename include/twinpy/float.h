/* float: an IEEE double. */
#ifndef TWINPY_FLOAT_H
#define TWINPY_FLOAT_H

#include <twinpy/object.h>

typedef struct TwFloatObject {
    TwObject ob_base;
    double value;
} TwFloatObject;

extern TwType tw_float_type;
static inline int tw_float_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_float_type); }
TwObject *tw_float_from_double(double v);
/* The value; accepts int too (OverflowError beyond the double range).
 * -1.0 with TypeError set otherwise. */
double tw_float_as_double(TwObject *op);
/* round(op, ndigits) for a float op: ndigits NULL or None gives the nearest
 * int (ties to even); an int ndigits gives a float rounded at that decimal
 * place exactly as CPython (round(2.675, 2) == 2.67). */
TwObject *tw_float_round(TwObject *op, TwObject *ndigits);

#endif
