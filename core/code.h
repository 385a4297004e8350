/* Internal: code objects, the compiler's output and the eval loop's input.
 *
 * A code object is immutable once built, except for its inline caches,
 * which any thread may rewrite (see TwCacheEntry).  It is shared by every
 * function made from it and by every thread that runs it.
 *
 * Local slots ("localsplus").  A frame keeps one array of slots:
 *     [0, nlocals)                  arguments first, then the other locals
 *     [nlocals, nlocals + ncells)   cells of captured variables that are not
 *                                   arguments
 *     [.., nlocalsplus)             free variables: cells from the closure
 * An argument captured by an inner function keeps its argument slot; its
 * kind has TW_LOCAL_CELL set and the frame replaces the value by a cell
 * holding it on entry.  LOAD_FAST/STORE_FAST address plain slots,
 * LOAD_DEREF/STORE_DEREF slots holding cells.
 *
 * Line table.  For runs of instructions on the same line, a pair of
 * varints: the run length (>= 1) and the zigzag-encoded change of line from
 * the previous run (the first run's change is from firstlineno).
 *
 * Position table.  For each instruction, five varints: how many lines
 * past its line its source ends, and its first column, end column and
 * two anchor columns (see TwLocation), each plus one, 0 meaning unknown.
 * Only tracebacks read it.
 *
 * Exception table.  Sorted, disjoint ranges [start, end) of instructions
 * with the handler to jump to and the value-stack depth to cut back to
 * before pushing the exception. */
#ifndef TWINPY_CORE_CODE_H
#define TWINPY_CORE_CODE_H

#include <stdint.h>
#include <twinpy/twinpy.h>

/* Code flags. */
#define TW_CO_OPTIMIZED   0x0001 /* locals live in slots (functions) */
#define TW_CO_NEWLOCALS   0x0002 /* a new locals namespace per call */
#define TW_CO_VARARGS     0x0004 /* has *args */
#define TW_CO_VARKEYWORDS 0x0008 /* has **kwargs */
#define TW_CO_NESTED      0x0010 /* defined inside a function */
#define TW_CO_GENERATOR   0x0020 /* calling it makes a generator */
#define TW_CO_CLASSBODY   0x0100 /* a class body */
/* Set by tw_code_new for the eval loop's fast paths: */
#define TW_CO_SIMPLE_ARGS   0x10000 /* positional parameters only; no cells, no free variables */
#define TW_CO_HAS_CELL_ARGS 0x20000 /* some argument is captured (lives in a cell) */

/* Local slot kinds (bits). */
#define TW_LOCAL_ARG  0x01 /* an argument */
#define TW_LOCAL_CELL 0x02 /* holds a cell made on entry */
#define TW_LOCAL_FREE 0x04 /* holds a cell from the closure */

/* An inline cache entry for LOAD_GLOBAL / LOAD_ATTR / LOAD_METHOD /
 * STORE_ATTR.  The entry is a seqlock: a writer takes it by moving `seq`
 * from even to odd with a compare-and-swap (a writer that loses the race
 * simply does not fill the cache), stores the fields, and releases it by
 * storing seq + 2.  A reader loads seq (acquire), the fields (relaxed),
 * then seq again after an acquire fence, and uses the fields only if both
 * loads saw the same even value.  Every field is atomic, so no read is
 * torn in either build; the eval loop decides separately whether a
 * borrowed `value` may still be used (see core/eval.c, "Inline caches"). */
typedef struct TwCacheEntry {
    uint32_t name;            /* immutable: index into names */
    _Atomic uint32_t seq;     /* the seqlock word */
    _Atomic uintptr_t key;    /* what the entry is about (a dict or a type) */
    _Atomic uint64_t version; /* validates the entry (a dict or type version) */
    _Atomic uint64_t aux;     /* second validator or a slot index, by instruction */
    _Atomic uintptr_t value;  /* a borrowed object and TW_CACHE_* tag bits */
} TwCacheEntry;

typedef struct TwExcTableEntry {
    uint32_t start, end; /* instruction range [start, end) */
    uint32_t handler;    /* instruction index of the handler */
    uint32_t depth;      /* value-stack depth at the handler, before the exception */
} TwExcTableEntry;

typedef struct TwCodeObject {
    TwObject ob_base;
    int32_t argcount;        /* positional parameters, positional-only included */
    int32_t posonlyargcount; /* positional-only parameters */
    int32_t kwonlyargcount;  /* keyword-only parameters */
    int32_t nlocals;         /* argument and local slots */
    int32_t ncells;          /* cell slots that are not arguments */
    int32_t nfrees;          /* free-variable slots */
    int32_t nlocalsplus;     /* nlocals + ncells + nfrees */
    int32_t stacksize;       /* maximum value-stack depth */
    int32_t flags;           /* TW_CO_* */
    int32_t firstlineno;
    int32_t ncode;      /* instructions */
    int32_t ncaches;    /* inline cache entries */
    int32_t nexctable;  /* exception-table entries */
    int32_t nlinetable; /* bytes of the line table */
    int32_t npostable;  /* bytes of the position table */
    uint32_t *code;     /* the instructions */
    TwCacheEntry *caches;
    TwExcTableEntry *exctable;
    uint8_t *linetable;
    uint8_t *postable;    /* the columns of each instruction (see above) */
    uint8_t *localkinds;  /* TW_LOCAL_* per slot */
    TwObject *consts;     /* tuple */
    TwObject *names;      /* tuple of interned str: globals, attributes, imports */
    TwObject *localnames; /* tuple of interned str, one per slot */
    TwObject *filename;   /* str */
    TwObject *name;       /* str */
    TwObject *qualname;   /* str */
} TwCodeObject;

extern TwType tw_code_type;
static inline int tw_code_check(TwObject *op)
{
    return TW_TYPE(op) == &tw_code_type;
}

/* What the compiler hands to tw_code_new: arrays are copied, objects are
 * referenced (not stolen). */
typedef struct TwCodeSpec {
    int argcount, posonlyargcount, kwonlyargcount;
    int nlocals, ncells, nfrees;
    int stacksize, flags, firstlineno;
    const uint32_t *code;
    int ncode;
    const uint32_t *cache_names; /* name index of each cache entry */
    int ncaches;
    const TwExcTableEntry *exctable;
    int nexctable;
    const uint8_t *linetable;
    int nlinetable;
    const uint8_t *postable;
    int npostable;
    const uint8_t *localkinds; /* nlocals + ncells + nfrees entries */
    TwObject *consts, *names, *localnames, *filename, *name, *qualname;
} TwCodeSpec;

TwObject *tw_code_new(const TwCodeSpec *spec);

/* The source line of instruction `offset`, or -1 for an offset outside the
 * code. */
int tw_code_addr2line(TwCodeObject *co, int offset);

/* Where instruction `offset` comes from.  Columns are 0-based code
 * points, -1 when unknown.  For a binary operation anchor1/anchor2 are the
 * end of the left operand and the start of the right one, for a
 * subscript the end of the value and the end of the index: tracebacks use
 * them to underline the operator or the brackets, as CPython does. */
typedef struct TwLocation {
    int lineno, end_lineno, col, end_col, anchor1, anchor2;
} TwLocation;
/* 0 on success, -1 for an offset outside the code. */
int tw_code_addr2location(TwCodeObject *co, int offset, TwLocation *loc);

/* The handler covering instruction `offset`, or NULL. */
const TwExcTableEntry *tw_code_find_handler(TwCodeObject *co, int offset);

#endif
