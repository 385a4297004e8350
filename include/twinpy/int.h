/* int: machine-word integers (arbitrary precision arrives with the
 * interpreter).  The small ints -5..256 are static immortal objects. */
#ifndef TWINPY_INT_H
#define TWINPY_INT_H

#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwIntObject {
    TwObject ob_base;
    int64_t value;
} TwIntObject;

extern TwType tw_int_type;
#define TW_SMALL_INT_MIN (-5)
#define TW_SMALL_INT_MAX 256

static inline int tw_int_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_int_type); }
/* New reference; small values return the immortal cached object. */
TwObject *tw_int_from_i64(int64_t v);
/* The value; -1 with TypeError set if op is not an int (check tw_err_occurred). */
int64_t tw_int_as_i64(TwObject *op);
/* Checked arithmetic: OverflowError when the result leaves the int64 range,
 * ZeroDivisionError for division by zero; floor semantics for // and %. */
TwObject *tw_int_add(TwObject *a, TwObject *b);
TwObject *tw_int_sub(TwObject *a, TwObject *b);
TwObject *tw_int_mul(TwObject *a, TwObject *b);
TwObject *tw_int_floordiv(TwObject *a, TwObject *b);
TwObject *tw_int_mod(TwObject *a, TwObject *b);

#endif
