/* Code objects: construction from the compiler's arrays, the line table,
 * the exception table and the few attributes Python code can read.
 *
 * Everything but the inline caches is immutable after tw_code_new, so any
 * thread may read it without a lock; the caches follow their own protocol
 * (core/code.h, TwCacheEntry). */
#include <stdio.h>
#include <string.h>

#include "core/code.h"
#include "core/opcode.h"
#include "core/tstate.h"
#include <twinpy/abstract.h>

const char *tw_opcode_name(int op)
{
    static const char *const names[] = {
#define TW_OPCODE_NAME(name) #name,
        TW_OPCODES(TW_OPCODE_NAME)
#undef TW_OPCODE_NAME
    };
    if (op < 0 || op >= TW_OP_COUNT)
        return "<invalid>";
    return names[op];
}

/* One allocation holds every array of the code object, so that building
 * and freeing it costs one malloc and one free. */
TwObject *tw_code_new(const TwCodeSpec *s)
{
    int nslots = s->nlocals + s->ncells + s->nfrees;
    size_t code_bytes = (size_t)s->ncode * sizeof(uint32_t);
    size_t cache_bytes = (size_t)s->ncaches * sizeof(TwCacheEntry);
    size_t exc_bytes = (size_t)s->nexctable * sizeof(TwExcTableEntry);
    size_t total = cache_bytes + exc_bytes + code_bytes + (size_t)s->nlinetable +
                   (size_t)s->npostable + (size_t)nslots;
    char *mem = tw_mem_calloc(1, total ? total : 1);
    if (mem == NULL) {
        tw_err_no_memory();
        return NULL;
    }
    TwCodeObject *co = (TwCodeObject *)tw_object_new(&tw_code_type, 0);
    if (co == NULL) {
        tw_mem_free(mem);
        return NULL;
    }
    /* Most-aligned arrays first. */
    co->caches = (TwCacheEntry *)mem;
    co->exctable = (TwExcTableEntry *)(mem + cache_bytes);
    co->code = (uint32_t *)(mem + cache_bytes + exc_bytes);
    co->linetable = (uint8_t *)(mem + cache_bytes + exc_bytes + code_bytes);
    co->postable = co->linetable + s->nlinetable;
    co->localkinds = co->postable + s->npostable;
    memcpy(co->code, s->code, code_bytes);
    for (int i = 0; i < s->ncaches; i++) {
        co->caches[i].name = s->cache_names[i];
        atomic_init(&co->caches[i].seq, 0);
        atomic_init(&co->caches[i].key, 0);
        atomic_init(&co->caches[i].version, 0);
        atomic_init(&co->caches[i].aux, 0);
        atomic_init(&co->caches[i].value, 0);
    }
    if (exc_bytes)
        memcpy(co->exctable, s->exctable, exc_bytes);
    if (s->nlinetable)
        memcpy(co->linetable, s->linetable, (size_t)s->nlinetable);
    if (s->npostable)
        memcpy(co->postable, s->postable, (size_t)s->npostable);
    if (nslots)
        memcpy(co->localkinds, s->localkinds, (size_t)nslots);
    co->argcount = s->argcount;
    co->posonlyargcount = s->posonlyargcount;
    co->kwonlyargcount = s->kwonlyargcount;
    co->nlocals = s->nlocals;
    co->ncells = s->ncells;
    co->nfrees = s->nfrees;
    co->nlocalsplus = nslots;
    co->stacksize = s->stacksize;
    co->flags = s->flags & 0xffff;
    int has_cell_args = 0;
    for (int i = 0; i < s->nlocals; i++)
        if (s->localkinds[i] & TW_LOCAL_CELL)
            has_cell_args = 1;
    if (has_cell_args)
        co->flags |= TW_CO_HAS_CELL_ARGS;
    if (!has_cell_args && s->ncells == 0 && s->nfrees == 0 && s->kwonlyargcount == 0 &&
        !(s->flags & (TW_CO_VARARGS | TW_CO_VARKEYWORDS)))
        co->flags |= TW_CO_SIMPLE_ARGS;
    co->firstlineno = s->firstlineno;
    co->ncode = s->ncode;
    co->ncaches = s->ncaches;
    co->nexctable = s->nexctable;
    co->nlinetable = s->nlinetable;
    co->npostable = s->npostable;
    co->consts = tw_newref(s->consts);
    co->names = tw_newref(s->names);
    co->localnames = tw_newref(s->localnames);
    co->filename = tw_newref(s->filename);
    co->name = tw_newref(s->name);
    co->qualname = tw_newref(s->qualname);
    return (TwObject *)co;
}

static void code_dealloc(TwObject *op)
{
    TwCodeObject *co = (TwCodeObject *)op;
    TW_CLEAR(co->consts);
    TW_CLEAR(co->names);
    TW_CLEAR(co->localnames);
    TW_CLEAR(co->filename);
    TW_CLEAR(co->name);
    TW_CLEAR(co->qualname);
    tw_mem_free(co->caches); /* the start of the one allocation */
    tw_object_free(op);
}

static unsigned read_varint(const uint8_t **pp, const uint8_t *end)
{
    unsigned v = 0;
    int shift = 0;
    const uint8_t *p = *pp;
    while (p < end) {
        uint8_t b = *p++;
        v |= (unsigned)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80) || shift > 28)
            break;
    }
    *pp = p;
    return v;
}

/* Walk the runs until the one holding `offset`.  Only tracebacks and
 * warnings need this, so a linear scan is enough. */
int tw_code_addr2line(TwCodeObject *co, int offset)
{
    if (offset < 0 || offset >= co->ncode)
        return -1;
    const uint8_t *p = co->linetable, *end = p + co->nlinetable;
    int line = co->firstlineno, addr = 0;
    while (p < end) {
        unsigned run = read_varint(&p, end);
        unsigned zz = read_varint(&p, end);
        int delta = (int)(zz >> 1) ^ -(int)(zz & 1);
        line += delta;
        addr += (int)run;
        if (offset < addr)
            return line;
    }
    return line;
}

int tw_code_addr2location(TwCodeObject *co, int offset, TwLocation *loc)
{
    int line = tw_code_addr2line(co, offset);
    if (line < 0)
        return -1;
    const uint8_t *p = co->postable, *end = p + co->npostable;
    unsigned v[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i <= offset && p < end; i++)
        for (int k = 0; k < 5; k++)
            v[k] = read_varint(&p, end);
    loc->lineno = line;
    loc->end_lineno = line + (int)v[0];
    loc->col = (int)v[1] - 1;
    loc->end_col = (int)v[2] - 1;
    loc->anchor1 = (int)v[3] - 1;
    loc->anchor2 = (int)v[4] - 1;
    return 0;
}

/* Ranges are sorted and disjoint: binary search. */
const TwExcTableEntry *tw_code_find_handler(TwCodeObject *co, int offset)
{
    int lo = 0, hi = co->nexctable;
    uint32_t off = (uint32_t)offset;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const TwExcTableEntry *e = &co->exctable[mid];
        if (off < e->start)
            hi = mid;
        else if (off >= e->end)
            lo = mid + 1;
        else
            return e;
    }
    return NULL;
}

static TwObject *code_repr(TwObject *op)
{
    TwCodeObject *co = (TwCodeObject *)op;
    return tw_str_from_format("<code object %s at %p, file \"%s\", line %d>", tw_str_utf8(co->name),
                              (void *)co, tw_str_utf8(co->filename), co->firstlineno);
}

static TwObject *code_get_name(TwObject *op, void *c)
{
    return tw_newref(((TwCodeObject *)op)->name);
}
static TwObject *code_get_qualname(TwObject *op, void *c)
{
    return tw_newref(((TwCodeObject *)op)->qualname);
}
static TwObject *code_get_filename(TwObject *op, void *c)
{
    return tw_newref(((TwCodeObject *)op)->filename);
}
static TwObject *code_get_consts(TwObject *op, void *c)
{
    return tw_newref(((TwCodeObject *)op)->consts);
}
static TwObject *code_get_names(TwObject *op, void *c)
{
    return tw_newref(((TwCodeObject *)op)->names);
}
static TwObject *code_get_firstlineno(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwCodeObject *)op)->firstlineno);
}
static TwObject *code_get_argcount(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwCodeObject *)op)->argcount);
}
static TwObject *code_get_kwonlyargcount(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwCodeObject *)op)->kwonlyargcount);
}
static TwObject *code_get_posonlyargcount(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwCodeObject *)op)->posonlyargcount);
}
static TwObject *code_get_flags(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwCodeObject *)op)->flags);
}

/* co_varnames: the names of the argument and local slots. */
static TwObject *code_get_varnames(TwObject *op, void *c)
{
    TwCodeObject *co = (TwCodeObject *)op;
    TwObject *t = tw_tuple_new(co->nlocals);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < co->nlocals; i++)
        tw_tuple_init_item(t, i, tw_newref(tw_tuple_get_item_borrowed(co->localnames, i)));
    return t;
}

static const TwGetSetDef code_getset[] = {
    {"co_name", code_get_name, NULL, NULL},
    {"co_qualname", code_get_qualname, NULL, NULL},
    {"co_filename", code_get_filename, NULL, NULL},
    {"co_consts", code_get_consts, NULL, NULL},
    {"co_names", code_get_names, NULL, NULL},
    {"co_varnames", code_get_varnames, NULL, NULL},
    {"co_firstlineno", code_get_firstlineno, NULL, NULL},
    {"co_argcount", code_get_argcount, NULL, NULL},
    {"co_kwonlyargcount", code_get_kwonlyargcount, NULL, NULL},
    {"co_posonlyargcount", code_get_posonlyargcount, NULL, NULL},
    {"co_flags", code_get_flags, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

TwType tw_code_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "code",
    .tp_basicsize = sizeof(TwCodeObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = code_dealloc,
    .tp_repr = code_repr,
    .tp_getset = code_getset,
};
