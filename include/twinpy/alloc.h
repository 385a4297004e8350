/* One allocation interface for objects and raw buffers (alloc/alloc.c).
 *
 * Objects: tw_obj_malloc / tw_obj_free.  In the free-threaded build with
 * mimalloc, each thread allocates from its own mimalloc heap; any thread may
 * free.  Raw buffers (item arrays, string bytes): tw_mem_*; any thread may
 * allocate and free.
 *
 * Delayed release: tw_mem_free_delayed is for buffers that a lock-free
 * reader might still be reading (a shared dict's old key table), and
 * tw_decref_delayed drops a reference to an object such a reader might be
 * about to take a reference to (a value removed from a shared dict).  In the
 * free-threaded build both wait for a grace period (nogil/qsbr.h) and
 * happen later on the calling thread, at an eval-breaker check point; in
 * the GIL build both act at once. */
#ifndef TWINPY_ALLOC_H
#define TWINPY_ALLOC_H

#include <stddef.h>

void *tw_mem_malloc(size_t size);
void *tw_mem_calloc(size_t n, size_t size);
void *tw_mem_realloc(void *p, size_t size);
void tw_mem_free(void *p);
void tw_mem_free_delayed(void *p);
struct TwObject;
void tw_decref_delayed(struct TwObject *op);

void *tw_obj_malloc(size_t size);
/* Resize an object's block (it may move; NULL leaves it as it was).  Only
 * for an object nobody else can see: the caller holds its one reference. */
void *tw_obj_realloc(void *p, size_t size);
void tw_obj_free(void *p);

/* "mimalloc" or "system". */
const char *tw_alloc_name(void);

#endif
