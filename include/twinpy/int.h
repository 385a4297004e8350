/* int: arbitrary-precision integers with a machine-word fast path.
 *
 * Two layouts share the type `int`:
 *   small  a TwIntObject whose `value` holds the number (any int64 except
 *          INT64_MIN);
 *   big    a TwIntObject whose `value` is TW_INT_BIG, followed by a GMP
 *          integer that holds the number (core/int.c; GMP stays out of the
 *          public headers).  Every number that fits a small int is stored
 *          small, so a big int is never equal to a small one.
 * Code outside core/int.c reads `value` only after tw_int_is_small(); the
 * functions below accept both layouts.  The small ints -5..256 are static
 * immortal objects shared by all threads.  Instances never change. */
#ifndef TWINPY_INT_H
#define TWINPY_INT_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwIntObject {
    TwObject ob_base;
    int64_t value; /* the number, or TW_INT_BIG for the big layout */
} TwIntObject;

#define TW_INT_BIG INT64_MIN

extern TwType tw_int_type;
#define TW_SMALL_INT_MIN (-5)
#define TW_SMALL_INT_MAX 256

static inline int tw_int_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_int_type); }
/* 1 if the int (or bool) op keeps its value inline in `value`. */
static inline int tw_int_is_small(TwObject *op) { return ((TwIntObject *)op)->value != TW_INT_BIG; }

/* Set up GMP to allocate through tw_mem_*; called once by tw_runtime_init. */
void tw_int_init(void);

/* ---- conversions ---------------------------------------------------------- */

/* New reference; small values return the immortal cached object. */
TwObject *tw_int_from_i64(int64_t v);
TwObject *tw_int_from_u64(uint64_t v);
/* The integer part of v (truncated toward zero); ValueError for NaN,
 * OverflowError for infinities, as int(v). */
TwObject *tw_int_from_double(double v);
/* The value; -1 with an exception set (check tw_err_occurred) when op is
 * not an int (TypeError) or does not fit (OverflowError "Python int too
 * large to convert to C long"). */
int64_t tw_int_as_i64(TwObject *op);
/* The value when it fits; otherwise -1 with *overflow set to the sign of
 * the number (+1 or -1) and no exception.  op must be an int. */
int64_t tw_int_as_i64_overflow(TwObject *op, int *overflow);
/* The nearest double (ties to even); OverflowError "int too large to
 * convert to float" beyond the double range.  op must be an int. */
double tw_int_as_double(TwObject *op);
/* Python's int(text, base) for the n bytes at s: surrounding whitespace,
 * a sign, underscores between digits, and with base 0 the prefixes
 * 0x/0o/0b (a nonzero decimal may not start with 0).  ValueError "invalid
 * literal for int() with base B: 'text'" on bad text; base must be 0 or
 * 2..36.  The parser uses it for literals. */
TwObject *tw_int_from_string(const char *s, size_t n, int base);

/* ---- text ------------------------------------------------------------------- */

/* str(op): the decimal digits.  ValueError past the digit limit (4300, as
 * CPython's sys.get_int_max_str_digits()). */
TwObject *tw_int_to_decimal(TwObject *op);
/* hex(op), oct(op), bin(op): "-0x1f" and the like. */
TwObject *tw_int_to_hex(TwObject *op);
TwObject *tw_int_to_oct(TwObject *op);
TwObject *tw_int_to_bin(TwObject *op);
/* The digit limit for decimal conversion (0: none), for sys.set_int_max_str_digits. */
void tw_int_set_max_str_digits(int64_t limit);
int64_t tw_int_get_max_str_digits(void);

/* ---- arithmetic --------------------------------------------------------------- */

/* -1, 0 or 1 as a < b, a == b, a > b (both ints). */
int tw_int_compare(TwObject *a, TwObject *b);
/* -1, 0 or 1: the sign of op (an int). */
int tw_int_sign(TwObject *op);
/* Python's operators on two ints (bools included); TypeError naming the
 * operator for other operands, ZeroDivisionError as CPython.  Floor
 * semantics for // and %. */
TwObject *tw_int_add(TwObject *a, TwObject *b);
TwObject *tw_int_sub(TwObject *a, TwObject *b);
TwObject *tw_int_mul(TwObject *a, TwObject *b);
TwObject *tw_int_floordiv(TwObject *a, TwObject *b);
TwObject *tw_int_mod(TwObject *a, TwObject *b);
/* round(op, ndigits) for an int: ties to even at 10**-ndigits. */
TwObject *tw_int_round(TwObject *op, int64_t ndigits);

#endif
