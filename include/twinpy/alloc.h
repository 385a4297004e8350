/* One allocation interface for objects and raw buffers (alloc/alloc.c).
 *
 * Objects: tw_obj_malloc / tw_obj_free.  In the free-threaded build with
 * mimalloc, each thread allocates from its own mimalloc heap; any thread may
 * free.  Raw buffers (item arrays, string bytes): tw_mem_*; any thread may
 * allocate and free.
 *
 * Delayed freeing: tw_mem_free_delayed is the entry point for buffers that a
 * lock-free reader might still be reading (a list's old item array, a dict's
 * old key table).  Containers in this build read under their lock, so it
 * frees at once; a quiescent-state (QSBR) scheme will plug in here without
 * changing callers. */
#ifndef TWINPY_ALLOC_H
#define TWINPY_ALLOC_H

#include <stddef.h>

void *tw_mem_malloc(size_t size);
void *tw_mem_calloc(size_t n, size_t size);
void *tw_mem_realloc(void *p, size_t size);
void tw_mem_free(void *p);
void tw_mem_free_delayed(void *p);

void *tw_obj_malloc(size_t size);
void tw_obj_free(void *p);

/* "mimalloc" or "system". */
const char *tw_alloc_name(void);

#endif
