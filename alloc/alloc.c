/* The allocator behind every object and buffer (see include/twinpy/alloc.h).
 *
 * Three regimes, chosen at build time:
 *   - free-threaded + mimalloc: each thread allocates objects from its own
 *     mimalloc heap (mi_heap_new at thread start).  mi_free from any thread
 *     returns a block to the heap that owns it, so frees are safe anywhere.
 *     At thread exit the heap is deleted: mimalloc moves the blocks still
 *     alive into the thread's backing heap, from where other threads can
 *     still free them.
 *   - GIL + mimalloc: mimalloc's default (thread-local) heap;
 *   - system: malloc/free (the ThreadSanitizer preset, or by request in the
 *     GIL build).
 * Raw buffers always use the default heap of whichever thread asks. */
#include <stdlib.h>
#include <twinpy/alloc.h>
#include "core/tstate.h"
#include "nogil/qsbr.h"

#if TW_USE_MIMALLOC
#include <mimalloc.h>
#define raw_malloc(n)     mi_malloc(n)
#define raw_calloc(n, s)  mi_calloc((n), (s))
#define raw_realloc(p, n) mi_realloc((p), (n))
#define raw_free(p)       mi_free(p)
#else
#define raw_malloc(n)     malloc(n)
#define raw_calloc(n, s)  calloc((n), (s))
#define raw_realloc(p, n) realloc((p), (n))
#define raw_free(p)       free(p)
#endif

/* Every allocator accepts size 0; asking for one byte keeps a unique
 * non-NULL result. */
void *tw_mem_malloc(size_t size) { return raw_malloc(size ? size : 1); }
void *tw_mem_calloc(size_t n, size_t size) { return raw_calloc(n ? n : 1, size ? size : 1); }
void *tw_mem_realloc(void *p, size_t size) { return raw_realloc(p, size ? size : 1); }
void tw_mem_free(void *p) { raw_free(p); }

/* Free-threaded build: a lock-free reader may still hold a pointer into p
 * or to op, so the release waits for a grace period (nogil/qsbr.h).  A
 * thread without a thread state cannot have published anything readers
 * depend on: it releases at once.  GIL build: readers hold the GIL, so
 * nothing can still be reading: release now. */
#if TW_GIL_DISABLED
void tw_mem_free_delayed(void *p)
{
    TwThreadState *ts = tw_tstate_fast();
    if (p == NULL)
        return;
    if (ts == NULL)
        raw_free(p);
    else
        tw_qsbr_defer_free(ts, p);
}

void tw_decref_delayed(TwObject *op)
{
    TwThreadState *ts = tw_tstate_fast();
    if (tw_is_immortal(op))
        return;
    if (ts == NULL)
        tw_decref(op);
    else
        tw_qsbr_defer_decref(ts, op);
}
#else
void tw_mem_free_delayed(void *p) { raw_free(p); }
void tw_decref_delayed(TwObject *op) { tw_decref(op); }
#endif

#if TW_GIL_DISABLED && TW_USE_MIMALLOC
void *tw_obj_malloc(size_t size)
{
    TwThreadState *ts = tw_tstate_fast();
    if (tw_likely(ts != NULL && ts->heap != NULL))
        return mi_heap_malloc((mi_heap_t *)ts->heap, size);
    return mi_malloc(size);
}

void *tw_obj_realloc(void *p, size_t size)
{
    TwThreadState *ts = tw_tstate_fast();
    if (tw_likely(ts != NULL && ts->heap != NULL))
        return mi_heap_realloc((mi_heap_t *)ts->heap, p, size);
    return mi_realloc(p, size);
}

void tw_alloc_thread_init(TwThreadState *ts) { ts->heap = mi_heap_new(); }

void tw_alloc_thread_fini(TwThreadState *ts)
{
    if (ts->heap != NULL) {
        /* Keeps live blocks alive (moved to the backing heap). */
        mi_heap_delete((mi_heap_t *)ts->heap);
        ts->heap = NULL;
    }
}
#else
void *tw_obj_malloc(size_t size) { return raw_malloc(size); }
void *tw_obj_realloc(void *p, size_t size) { return raw_realloc(p, size); }
void tw_alloc_thread_init(TwThreadState *ts) { ts->heap = NULL; }
void tw_alloc_thread_fini(TwThreadState *ts) { ts->heap = NULL; }
#endif

/* In the child after fork(): the forking thread's heap is still its own
 * (mimalloc names a heap's thread by its thread-local base, which the child
 * keeps), so it goes on allocating from it.  The heaps of the threads that
 * did not survive are left as they are: their blocks can still be freed
 * from the child (a free from a thread that does not own the page goes to
 * the page's cross-thread list), but the pages are never handed back, so
 * what those heaps hold stays mapped until the child exits. */
void tw_alloc_reinit_after_fork(TwThreadState *ts) { (void)ts; }

void tw_obj_free(void *p) { raw_free(p); }

const char *tw_alloc_name(void) { return TW_USE_MIMALLOC ? "mimalloc" : "system"; }
