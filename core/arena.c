/* The AST arena (TwArena, declared in core/ast.h).
 *
 * A parse allocates thousands of small nodes that all die together when the
 * compiler is done with them, so nodes come from large blocks that are
 * released at once, and the objects the nodes refer to (constants, names)
 * are remembered in one array and dropped at the same time.
 *
 * An arena belongs to the thread that parses with it; nothing here is
 * shared, so it needs no lock in either build. */
#include <stdlib.h>
#include <string.h>

#include <twinpy/twinpy.h>

#include "core/ast.h"

/* Blocks grow geometrically from this size; a request larger than the
 * current block size gets a block of its own. */
#define ARENA_FIRST_BLOCK 8192
#define ARENA_MAX_BLOCK (1u << 20)

typedef struct ArenaBlock {
    struct ArenaBlock *prev;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(max_align_t) unsigned char data[];
} ArenaBlock;

struct TwArena {
    ArenaBlock *block;    /* the block being filled; older ones hang off prev */
    size_t next_size;     /* the size of the next block to allocate */
    TwObject **objects;   /* references owned by the arena */
    size_t nobjects, cap_objects;
};

TwArena *tw_arena_new(void)
{
    TwArena *a = calloc(1, sizeof *a);
    if (a == NULL) {
        tw_err_no_memory();
        return NULL;
    }
    a->next_size = ARENA_FIRST_BLOCK;
    return a;
}

/* Allocate `size` zeroed bytes aligned for any type.  Blocks are never
 * resized, so pointers into the arena stay valid until tw_arena_free. */
void *tw_arena_alloc(TwArena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    ArenaBlock *b = a->block;
    if (b == NULL || b->size - b->used < size) {
        size_t bsize = a->next_size;
        if (bsize < size)
            bsize = size;
        if (a->next_size < ARENA_MAX_BLOCK)
            a->next_size *= 2;
        b = malloc(sizeof(ArenaBlock) + bsize);
        if (b == NULL) {
            tw_err_no_memory();
            return NULL;
        }
        b->prev = a->block;
        b->size = bsize;
        b->used = 0;
        a->block = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

/* Take ownership of obj.  On failure the reference is dropped here, so the
 * caller never has to. */
int tw_arena_add_object(TwArena *a, TwObject *obj)
{
    if (a->nobjects == a->cap_objects) {
        size_t ncap = a->cap_objects ? a->cap_objects * 2 : 64;
        TwObject **n = realloc(a->objects, ncap * sizeof *n);
        if (n == NULL) {
            tw_decref(obj);
            tw_err_no_memory();
            return -1;
        }
        a->objects = n;
        a->cap_objects = ncap;
    }
    a->objects[a->nobjects++] = obj;
    return 0;
}

void tw_arena_free(TwArena *a)
{
    if (a == NULL)
        return;
    for (size_t i = a->nobjects; i > 0; i--)
        tw_decref(a->objects[i - 1]);
    free(a->objects);
    ArenaBlock *b = a->block;
    while (b != NULL) {
        ArenaBlock *prev = b->prev;
        free(b);
        b = prev;
    }
    free(a);
}
