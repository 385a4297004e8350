/* Internal: GMP access to int for the modules that do integer arithmetic
 * of their own (math's factorial, comb, isqrt; random's seeding and
 * getrandbits).  Not part of the public API; GMP stays out of the public
 * headers (docs/dependencies.md). */
#ifndef TWINPY_CORE_INTGMP_H
#define TWINPY_CORE_INTGMP_H

#include <gmp.h>
#include <twinpy/twinpy.h>

/* The largest result, in bits, that int arithmetic builds (8 GiB): beyond
 * it an operation raises MemoryError instead of letting GMP abort the
 * process.  The fuzzing build lowers it, so that no single operation runs
 * for seconds. */
#if !defined(TW_INT_MAX_RESULT_BITS)
#define TW_INT_MAX_RESULT_BITS ((uint64_t)1 << 36)
#endif

/* Set z (already initialised) to the value of the int op (any layout,
 * bool included). */
void tw_int_get_mpz(TwObject *op, mpz_ptr z);
/* A new int equal to z (copied; small values come back small). */
TwObject *tw_int_from_mpz(mpz_srcptr z);

#endif
