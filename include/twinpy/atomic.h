/* Atomic accesses, each named for its memory order.
 *
 * Shared fields in twinpy are declared _Atomic and touched only through these
 * wrappers, so a reader sees at every access which ordering it relies on.  On
 * x86-64 the relaxed and acquire/release forms compile to plain moves; they
 * exist so the compiler and ThreadSanitizer know the access is shared. */
#ifndef TWINPY_ATOMIC_H
#define TWINPY_ATOMIC_H

#include <stdatomic.h>

#define tw_atomic_load_relaxed(p)  atomic_load_explicit((p), memory_order_relaxed)
#define tw_atomic_load_acquire(p)  atomic_load_explicit((p), memory_order_acquire)
#define tw_atomic_load_seq(p)      atomic_load_explicit((p), memory_order_seq_cst)
#define tw_atomic_store_relaxed(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
#define tw_atomic_store_release(p, v) atomic_store_explicit((p), (v), memory_order_release)
#define tw_atomic_store_seq(p, v)  atomic_store_explicit((p), (v), memory_order_seq_cst)
#define tw_atomic_add_relaxed(p, v) atomic_fetch_add_explicit((p), (v), memory_order_relaxed)
#define tw_atomic_add_acqrel(p, v) atomic_fetch_add_explicit((p), (v), memory_order_acq_rel)
#define tw_atomic_sub_acqrel(p, v) atomic_fetch_sub_explicit((p), (v), memory_order_acq_rel)
#define tw_atomic_or_seq(p, v)     atomic_fetch_or_explicit((p), (v), memory_order_seq_cst)
#define tw_atomic_and_seq(p, v)    atomic_fetch_and_explicit((p), (v), memory_order_seq_cst)
#define tw_atomic_exchange_acqrel(p, v) atomic_exchange_explicit((p), (v), memory_order_acq_rel)
/* Compare-and-swap: on failure *expected is updated with the current value. */
#define tw_atomic_cas_acqrel(p, expected, desired)                                                 \
    atomic_compare_exchange_weak_explicit((p), (expected), (desired), memory_order_acq_rel,        \
                                          memory_order_relaxed)
#define tw_atomic_cas_acquire(p, expected, desired)                                                \
    atomic_compare_exchange_weak_explicit((p), (expected), (desired), memory_order_acquire,        \
                                          memory_order_relaxed)
#define tw_atomic_cas_release(p, expected, desired)                                                \
    atomic_compare_exchange_weak_explicit((p), (expected), (desired), memory_order_release,        \
                                          memory_order_relaxed)
#define tw_atomic_cas_strong_acqrel(p, expected, desired)                                          \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired), memory_order_acq_rel,      \
                                            memory_order_relaxed)
#define tw_atomic_fence_seq() atomic_thread_fence(memory_order_seq_cst)

/* For the reference-counting helpers: the eval loop is one very large
 * function, and GCC stops inlining even small header helpers into it, so
 * every instruction would pay a call. */
#if defined(__GNUC__)
#define TW_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define TW_ALWAYS_INLINE inline
#endif

/* For a slow path split out of a hot function, so that the hot path keeps
 * no registers or stack frame for it. */
#if defined(__GNUC__)
#define TW_NOINLINE __attribute__((noinline))
#else
#define TW_NOINLINE
#endif

#if defined(__GNUC__)
#define tw_likely(x)   __builtin_expect(!!(x), 1)
#define tw_unlikely(x) __builtin_expect(!!(x), 0)
#else
#define tw_likely(x)   (x)
#define tw_unlikely(x) (x)
#endif

#endif
