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
/* The value; accepts int too.  -1.0 with TypeError set otherwise. */
double tw_float_as_double(TwObject *op);

#endif
