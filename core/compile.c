/* The compiler: AST -> instructions -> code objects.
 *
 * Structure.  A Compiler walks one module; a Unit is the scope being
 * compiled (module, class body, function, lambda, comprehension) and
 * collects its instructions, constants, names and slots.  Units nest as the
 * walk enters inner scopes; each finished unit is assembled into a code
 * object that becomes a constant of its parent.
 *
 * Stack depth.  emit() adds each instruction's stack effect to u->depth.
 * A jump records at its target label the depth the target will see; when
 * the label is bound after code that cannot fall through, the depth
 * continues from the recorded one.  Since every construct compiles to
 * structured code, the depth at a label is the same along every path (a
 * mismatch is a compiler bug, checked in debug builds).  Instructions
 * emitted while the code is unreachable are dropped.
 *
 * Exception handling.  A handler is a label plus the depth to cut the
 * stack back to.  Handlers form a tree (Handler.parent); u->cur_handler is
 * the innermost active one and every emitted instruction records it.  The
 * assembler turns runs of instructions with the same handler into the
 * exception table.  At a handler the stack is [..depth items, exc].
 *
 * Frame blocks.  return/break/continue must undo what enclosing blocks
 * hold on the stack (a for-loop's iterator, a with-statement's __exit__,
 * the exception being handled) and run pending finally bodies; the
 * FBlock stack records what to undo, and unwind_fblock emits it.
 *
 * All state is private to one compilation: no locking. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code.h"
#include "core/compile.h"
#include "core/opcode.h"
#include "core/parser.h"
#include "core/symtable.h"
#include "core/tstate.h"
#include <twinpy/abstract.h>

#define MAX_FBLOCKS 20   /* statically nested blocks, as CPython */
#define MAX_NESTING 1500 /* AST recursion depth the compiler accepts */

/* IMPORT_NAME flags above the name index. */
#define IMPORT_NAME_MASK ((1u << 22) - 1)
#define IMPORT_TOP       (1u << 22) /* bind the top-level package of a dotted name */
#define IMPORT_RELATIVE  (1u << 23) /* `from . import x`: unsupported, raises at run time */

/* A source span: where an instruction comes from, for tracebacks.  a1
 * and a2 mark the operator of a binary operation (the end of the left
 * operand, the start of the right one) or the brackets of a subscript
 * (the end of the value, the end of the index); -1 elsewhere.  Columns are
 * 0-based code points, -1 when unknown. */
typedef struct {
    int lineno, col, end_lineno, end_col, a1, a2;
} Loc;

#define LOC_OF(n)      ((Loc){(n)->lineno, (n)->col, (n)->end_lineno, (n)->end_col, -1, -1})
#define LOC_LINE(line) ((Loc){(line), -1, (line), -1, -1, -1})

/* The location of obj.name for LOAD_ATTR / LOAD_METHOD: on a chain that
 * spans lines, the line of `.name`, so tracebacks point at the call in
 * the chain that failed (as CPython does). */
static inline Loc attr_loc(TwAstExpr *e)
{
    Loc l = LOC_OF(e);
    if (l.lineno != e->end_lineno) {
        int len = (int)tw_str_length(e->v.attribute.attr);
        l.lineno = e->end_lineno;
        l.col = len <= e->end_col ? e->end_col - len : -1;
        if (l.col < 0)
            l.end_col = -1;
    }
    return l;
}

typedef struct {
    uint8_t op;
    uint32_t arg;
    Loc loc;
    int handler; /* index into Unit.handlers, or -1 */
} Instr;

typedef struct {
    int pos;   /* instruction index once bound, or -1 */
    int depth; /* stack depth on entry, or -1 while unknown */
} Label;

typedef struct {
    int label;  /* where to go */
    int depth;  /* stack depth to cut back to */
    int parent; /* the enclosing handler or -1 */
} Handler;

typedef enum {
    FB_WHILE,           /* a while loop: nothing on the stack */
    FB_FOR,             /* a for loop: the iterator */
    FB_TRY_EXCEPT,      /* the body of try/except */
    FB_FINALLY_TRY,     /* the body of try/finally: run the finally body */
    FB_FINALLY_END,     /* inside a finally body run for an exception: [prev, exc] */
    FB_WITH,            /* the body of a with statement: [exit] */
    FB_HANDLER_CLEANUP, /* inside an except body: [prev]; datum: the `as` name or NULL */
} FBType;

typedef struct {
    FBType type;
    int block;         /* loops: the label continue jumps to */
    int exit;          /* loops: the label break jumps to */
    int handler;       /* the handler active outside this block */
    const void *datum; /* FINALLY_TRY: the finally body; HANDLER_CLEANUP: the name */
} FBlock;

typedef struct Unit {
    struct Unit *parent;
    TwSymBlock *ste;
    TwObject *name, *qualname;
    Instr *instrs;
    int ninstrs, instrs_cap;
    Label *labels;
    int nlabels, labels_cap;
    Handler *handlers;
    int nhandlers, handlers_cap;
    int cur_handler;
    uint32_t *cache_names;
    int ncaches, caches_cap;
    TwObject *consts, *const_index; /* list, dict key -> index */
    TwObject *names, *name_index;   /* list, dict name -> index */
    TwObject *fast_slots;           /* dict name -> slot: arguments and plain locals */
    TwObject *deref_slots;          /* dict name -> slot: cells and free variables */
    TwObject *localnames;           /* list of slot names */
    uint8_t *kinds;                 /* TW_LOCAL_* per slot */
    int nlocals, ncells, nfrees;
    int argcount, posonly, kwonly, flags;
    int firstlineno;
    int depth, maxdepth, unreachable;
    FBlock fblocks[MAX_FBLOCKS];
    int nfblocks;
} Unit;

typedef struct {
    TwSymtable *st;
    const char *filename;
    const char *source; /* for SyntaxError text; may be NULL */
    size_t source_len;
    TwObject *filename_obj;
    Unit *u;
    Loc loc; /* the node being compiled: what emitted instructions record */
    int nesting;
    /* interned names the compiler emits itself */
    TwObject *s_name, *s_module, *s_qualname, *s_doc, *s_class, *s_super, *s_dot0;
} Compiler;

/* ---- SyntaxError --------------------------------------------------------------
 *
 * The parser owns the SyntaxError class (core/parser.c); the compiler
 * raises it with the location of the offending node. */

/* A SyntaxError at a node (its start and end positions). */
static int compiler_error(Compiler *c, int lineno, int col, int end_lineno, int end_col,
                          const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tw_compile_syntax_error(c->filename, c->source, c->source_len, lineno, col, end_lineno, end_col,
                            "%s", msg);
    return -1;
}

void tw_compile_syntax_error(const char *filename, const char *source, size_t source_len,
                             int lineno, int col, int end_lineno, int end_col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tw_syntax_error_at_node(&tw_exc_SyntaxError, msg, filename, source, source_len, lineno, col,
                            end_lineno, end_col);
}

/* ---- units ------------------------------------------------------------------- */

static void unit_free(Unit *u)
{
    if (u == NULL)
        return;
    free(u->instrs);
    free(u->labels);
    free(u->handlers);
    free(u->cache_names);
    free(u->kinds);
    tw_xdecref(u->name);
    tw_xdecref(u->qualname);
    tw_xdecref(u->consts);
    tw_xdecref(u->const_index);
    tw_xdecref(u->names);
    tw_xdecref(u->name_index);
    tw_xdecref(u->fast_slots);
    tw_xdecref(u->deref_slots);
    tw_xdecref(u->localnames);
    free(u);
}

/* Grow an array of `size`-byte items so that one more fits. */
static int grow(void **items, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int newcap = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, (size_t)newcap * size);
    if (p == NULL) {
        tw_err_no_memory();
        return -1;
    }
    *items = p;
    *cap = newcap;
    return 0;
}

static int new_label(Compiler *c)
{
    Unit *u = c->u;
    if (grow((void **)&u->labels, &u->labels_cap, u->nlabels, sizeof(Label)) < 0)
        return -1;
    u->labels[u->nlabels] = (Label){.pos = -1, .depth = -1};
    return u->nlabels++;
}

/* ---- stack effects ------------------------------------------------------------ */

/* The change of stack depth made by an instruction; for jumps, along the
 * jump (jump = 1) or the fall-through path (jump = 0). */
static int stack_effect(int op, uint32_t arg, int jump)
{
    switch (op) {
    case TW_OP_NOP:
    case TW_OP_SWAP:
    case TW_OP_DELETE_FAST:
    case TW_OP_DELETE_DEREF:
    case TW_OP_DELETE_NAME:
    case TW_OP_DELETE_GLOBAL:
    case TW_OP_LOAD_ATTR:
    case TW_OP_UNARY_NEGATIVE:
    case TW_OP_UNARY_POSITIVE:
    case TW_OP_UNARY_INVERT:
    case TW_OP_UNARY_NOT:
    case TW_OP_LIST_TO_TUPLE:
    case TW_OP_GET_ITER:
    case TW_OP_JUMP:
    case TW_OP_JUMP_BACKWARD:
    case TW_OP_RETURN_CONST:
    case TW_OP_CHECK_EXC_MATCH:
    case TW_OP_WITH_EXIT:
    case TW_OP_YIELD_VALUE:
    case TW_OP_GET_YIELD_FROM_ITER:
        return 0;
    case TW_OP_POP_TOP:
    case TW_OP_STORE_FAST:
    case TW_OP_STORE_DEREF:
    case TW_OP_STORE_NAME:
    case TW_OP_STORE_GLOBAL:
    case TW_OP_DELETE_ATTR:
    case TW_OP_BINARY_OP:
    case TW_OP_COMPARE_OP:
    case TW_OP_IS_OP:
    case TW_OP_CONTAINS_OP:
    case TW_OP_BINARY_SUBSCR:
    case TW_OP_LIST_APPEND:
    case TW_OP_SET_ADD:
    case TW_OP_LIST_EXTEND:
    case TW_OP_SET_UPDATE:
    case TW_OP_DICT_UPDATE:
    case TW_OP_DICT_MERGE:
    case TW_OP_POP_JUMP_IF_FALSE:
    case TW_OP_POP_JUMP_IF_TRUE:
    case TW_OP_POP_JUMP_IF_NONE:
    case TW_OP_POP_JUMP_IF_NOT_NONE:
    case TW_OP_RETURN_VALUE:
    case TW_OP_RERAISE:
    case TW_OP_POP_EXCEPT:
    case TW_OP_YIELD_FROM:
    case TW_OP_IMPORT_STAR:
    case TW_OP_STORE_CLASSCELL:
    case TW_OP_LOAD_SUPER_METHOD:
        return -1;
    case TW_OP_PUSH_NULL:
    case TW_OP_COPY:
    case TW_OP_LOAD_CONST:
    case TW_OP_LOAD_FAST:
    case TW_OP_LOAD_DEREF:
    case TW_OP_LOAD_CLOSURE:
    case TW_OP_LOAD_CLASSDEREF:
    case TW_OP_LOAD_NAME:
    case TW_OP_LOAD_GLOBAL:
    case TW_OP_LOAD_METHOD:
    case TW_OP_LOAD_BUILD_CLASS:
    case TW_OP_PUSH_EXC_INFO:
    case TW_OP_BEFORE_WITH:
    case TW_OP_WITH_EXCEPT_START:
    case TW_OP_IMPORT_NAME:
    case TW_OP_IMPORT_FROM:
    case TW_OP_LOAD_ASSERTION_ERROR:
    case TW_OP_MAKE_CELL:
        return 1;
    case TW_OP_LOAD_FAST_LOAD_FAST:
        return 2;
    case TW_OP_STORE_ATTR:
    case TW_OP_DELETE_SUBSCR:
    case TW_OP_MAP_ADD:
        return -2;
    case TW_OP_STORE_SUBSCR:
        return -3;
    case TW_OP_LOAD_SUPER_ATTR:
        return -2;
    case TW_OP_BUILD_SLICE:
    case TW_OP_BUILD_TUPLE:
    case TW_OP_BUILD_LIST:
    case TW_OP_BUILD_SET:
    case TW_OP_BUILD_STRING:
        return 1 - (int)arg;
    case TW_OP_BUILD_MAP:
        return 1 - 2 * (int)arg;
    case TW_OP_FORMAT_VALUE:
        return (arg & TW_FMT_HAVE_SPEC) ? -1 : 0;
    case TW_OP_UNPACK_SEQUENCE:
        return (int)arg - 1;
    case TW_OP_UNPACK_EX:
        return (int)(arg & 0xff) + (int)(arg >> 8);
    case TW_OP_FOR_ITER:
        return jump ? -1 : 1;
    case TW_OP_JUMP_IF_FALSE_OR_POP:
    case TW_OP_JUMP_IF_TRUE_OR_POP:
        return jump ? 0 : -1;
    case TW_OP_CALL:
        return -(int)arg - 1;
    case TW_OP_CALL_KW:
        return -(int)arg - 2;
    case TW_OP_CALL_EX:
        return -2 - (int)(arg & 1);
    case TW_OP_MAKE_FUNCTION:
        return -(int)((arg & TW_MKFN_DEFAULTS) != 0) - (int)((arg & TW_MKFN_KWDEFAULTS) != 0) -
               (int)((arg & TW_MKFN_CLOSURE) != 0);
    case TW_OP_RAISE_VARARGS:
        return -(int)arg;
    }
    return 0;
}

static int is_jump(int op)
{
    switch (op) {
    case TW_OP_FOR_ITER:
    case TW_OP_JUMP:
    case TW_OP_JUMP_BACKWARD:
    case TW_OP_POP_JUMP_IF_FALSE:
    case TW_OP_POP_JUMP_IF_TRUE:
    case TW_OP_POP_JUMP_IF_NONE:
    case TW_OP_POP_JUMP_IF_NOT_NONE:
    case TW_OP_JUMP_IF_FALSE_OR_POP:
    case TW_OP_JUMP_IF_TRUE_OR_POP:
        return 1;
    }
    return 0;
}

/* Instructions after which control never falls through. */
static int is_terminal(int op)
{
    switch (op) {
    case TW_OP_JUMP:
    case TW_OP_JUMP_BACKWARD:
    case TW_OP_RETURN_VALUE:
    case TW_OP_RETURN_CONST:
    case TW_OP_RAISE_VARARGS:
    case TW_OP_RERAISE:
        return 1;
    }
    return 0;
}

/* ---- emitting ------------------------------------------------------------------ */

static int emit(Compiler *c, int op, uint32_t arg)
{
    Unit *u = c->u;
    if (u->unreachable)
        return 0;
    if (arg > TW_ARG_MAX) {
        tw_err_set_string(&tw_exc_SystemError, "compiler: instruction argument out of range");
        return -1;
    }
    if (grow((void **)&u->instrs, &u->instrs_cap, u->ninstrs, sizeof(Instr)) < 0)
        return -1;
    u->instrs[u->ninstrs++] = (Instr){(uint8_t)op, arg, c->loc, u->cur_handler};
    u->depth += stack_effect(op, arg, 0);
    tw_assert(u->depth >= 0);
    if (u->depth > u->maxdepth)
        u->maxdepth = u->depth;
    if (is_terminal(op))
        u->unreachable = 1;
    return 0;
}

static int emit_jump(Compiler *c, int op, int label)
{
    Unit *u = c->u;
    if (u->unreachable)
        return 0;
    Label *l = &u->labels[label];
    int d = u->depth + stack_effect(op, 0, 1);
    if (l->depth < 0)
        l->depth = d;
    else if (l->depth != d)
        tw_fatal("compiler: stack depth %d at a jump to a label expecting %d", d, l->depth);
    tw_assert((op == TW_OP_JUMP_BACKWARD) == (l->pos >= 0));
    return emit(c, op, (uint32_t)label);
}

static void bind_label(Compiler *c, int label)
{
    Unit *u = c->u;
    Label *l = &u->labels[label];
    l->pos = u->ninstrs;
    if (l->depth >= 0) {
        if (u->unreachable) {
            u->depth = l->depth;
            u->unreachable = 0;
        } else if (u->depth != l->depth) {
            tw_fatal("compiler: stack depth %d falls into a label expecting %d", u->depth,
                     l->depth);
        }
    } else if (!u->unreachable) {
        l->depth = u->depth;
    }
}

/* A handler's code starts with `depth` items and the exception. */
static void bind_handler(Compiler *c, int label, int depth)
{
    Unit *u = c->u;
    Label *l = &u->labels[label];
    l->pos = u->ninstrs;
    l->depth = depth + 1;
    u->depth = depth + 1;
    if (u->depth > u->maxdepth)
        u->maxdepth = u->depth;
    u->unreachable = 0;
}

static int push_handler(Compiler *c, int label, int depth)
{
    Unit *u = c->u;
    if (grow((void **)&u->handlers, &u->handlers_cap, u->nhandlers, sizeof(Handler)) < 0)
        return -1;
    u->handlers[u->nhandlers] = (Handler){label, depth, u->cur_handler};
    u->cur_handler = u->nhandlers++;
    return 0;
}

static void pop_handler(Compiler *c)
{
    c->u->cur_handler = c->u->handlers[c->u->cur_handler].parent;
}

static int push_fblock(Compiler *c, FBType type, int block, int exit, const void *datum)
{
    Unit *u = c->u;
    if (u->nfblocks >= MAX_FBLOCKS)
        return compiler_error(c, c->loc.lineno, 0, c->loc.lineno, 1,
                              "too many statically nested blocks");
    u->fblocks[u->nfblocks++] = (FBlock){type, block, exit, u->cur_handler, datum};
    return 0;
}

static void pop_fblock(Compiler *c)
{
    c->u->nfblocks--;
}

/* ---- constants, names, slots ---------------------------------------------------- */

/* The key under which a constant is deduplicated: values of different
 * types never merge (1, 1.0 and True stay apart), nor do 0.0 and -0.0. */
static TwObject *const_key(TwObject *o)
{
    TwType *t = TW_TYPE(o);
    TwObject *tag = tw_int_from_i64((int64_t)(intptr_t)t);
    if (tag == NULL)
        return NULL;
    TwObject *val = NULL;
    if (t == &tw_float_type) {
        double d = ((TwFloatObject *)o)->value;
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        val = tw_int_from_u64(bits);
    } else if (t == &tw_tuple_type) {
        intptr_t n = tw_tuple_size(o);
        val = tw_tuple_new(n);
        for (intptr_t i = 0; val != NULL && i < n; i++) {
            TwObject *k = const_key(tw_tuple_get_item_borrowed(o, i));
            if (k == NULL) {
                TW_CLEAR(val);
                break;
            }
            tw_tuple_init_item(val, i, k);
        }
    } else if (t == &tw_int_type || t == &tw_str_type || t == &tw_bytes_type ||
               t == &tw_bool_type || o == TW_NONE || o == TW_ELLIPSIS) {
        val = tw_newref(o);
    } else {
        val = tw_int_from_i64((int64_t)(intptr_t)o); /* identity: code objects */
    }
    if (val == NULL) {
        tw_decref(tag);
        return NULL;
    }
    TwObject *key = tw_tuple_pack(2, tag, val);
    tw_decref(tag);
    tw_decref(val);
    return key;
}

/* The index of constant o in the unit (added if new); -1 on error. */
static int add_const(Compiler *c, TwObject *o)
{
    Unit *u = c->u;
    TwObject *key = const_key(o);
    if (key == NULL)
        return -1;
    TwObject *idx;
    int r = tw_dict_get_item_ref(u->const_index, key, &idx);
    if (r != 0) {
        tw_decref(key);
        if (r < 0)
            return -1;
        int64_t i = tw_int_as_i64(idx);
        tw_decref(idx);
        return (int)i;
    }
    intptr_t n = tw_list_size(u->consts);
    idx = tw_int_from_i64(n);
    if (idx == NULL || tw_dict_set_item(u->const_index, key, idx) < 0 ||
        tw_list_append(u->consts, o) < 0) {
        tw_xdecref(idx);
        tw_decref(key);
        return -1;
    }
    tw_decref(idx);
    tw_decref(key);
    return (int)n;
}

static int emit_const(Compiler *c, TwObject *o)
{
    int i = add_const(c, o);
    return i < 0 ? -1 : emit(c, TW_OP_LOAD_CONST, (uint32_t)i);
}

static int add_name(Compiler *c, TwObject *name)
{
    Unit *u = c->u;
    TwObject *idx;
    int r = tw_dict_get_item_ref(u->name_index, name, &idx);
    if (r != 0) {
        if (r < 0)
            return -1;
        int64_t i = tw_int_as_i64(idx);
        tw_decref(idx);
        return (int)i;
    }
    intptr_t n = tw_list_size(u->names);
    idx = tw_int_from_i64(n);
    if (idx == NULL || tw_dict_set_item(u->name_index, name, idx) < 0 ||
        tw_list_append(u->names, name) < 0) {
        tw_xdecref(idx);
        return -1;
    }
    tw_decref(idx);
    return (int)n;
}

/* A new inline-cache entry for names[name_idx]. */
static int add_cache(Compiler *c, int name_idx)
{
    Unit *u = c->u;
    if (grow((void **)&u->cache_names, &u->caches_cap, u->ncaches, sizeof(uint32_t)) < 0)
        return -1;
    u->cache_names[u->ncaches] = (uint32_t)name_idx;
    return u->ncaches++;
}

/* Emit a cached instruction operating on `name`. */
/* Emit a cached instruction operating on `name`.  Attribute instructions
 * get two consecutive entries (a code path often sees two classes, such
 * as a method inherited by a subclass); the argument is the first. */
static int emit_cached(Compiler *c, int op, TwObject *name)
{
    int ni = add_name(c, name);
    if (ni < 0)
        return -1;
    int ci = add_cache(c, ni);
    if (ci >= 0 && (op == TW_OP_LOAD_ATTR || op == TW_OP_LOAD_METHOD || op == TW_OP_STORE_ATTR) &&
        add_cache(c, ni) < 0)
        return -1;
    return ci < 0 ? -1 : emit(c, op, (uint32_t)ci);
}

static int emit_named(Compiler *c, int op, TwObject *name)
{
    int ni = add_name(c, name);
    return ni < 0 ? -1 : emit(c, op, (uint32_t)ni);
}

static int dict_slot(TwObject *d, TwObject *name)
{
    TwObject *v;
    int r = tw_dict_get_item_ref(d, name, &v);
    if (r <= 0)
        return -1;
    int64_t i = tw_int_as_i64(v);
    tw_decref(v);
    return (int)i;
}

static int add_slot(Unit *u, TwObject *dict, TwObject *name, uint8_t kind)
{
    intptr_t n = tw_list_size(u->localnames);
    TwObject *idx = tw_int_from_i64(n);
    if (idx == NULL)
        return -1;
    int r = tw_dict_set_item(dict, name, idx);
    tw_decref(idx);
    if (r < 0 || tw_list_append(u->localnames, name) < 0)
        return -1;
    uint8_t *k = realloc(u->kinds, (size_t)n + 1);
    if (k == NULL) {
        tw_err_no_memory();
        return -1;
    }
    u->kinds = k;
    u->kinds[n] = kind;
    return 0;
}

/* Lay out the slots of a unit (see core/code.h): arguments, locals, cells,
 * free variables. */
static int setup_slots(Compiler *c, Unit *u)
{
    TwSymBlock *b = u->ste;
    TwObject *key = NULL, *value = NULL;
    intptr_t pos;
    int it;
    if (b->type == TW_BLOCK_FUNCTION) {
        intptr_t np = tw_list_size(b->params);
        for (intptr_t i = 0; i < np; i++) {
            TwObject *p = tw_list_get_item(b->params, i);
            if (p == NULL)
                return -1;
            int scope = tw_symtable_scope_of(tw_symtable_lookup(b, p));
            int r = scope == TW_SCOPE_CELL
                        ? add_slot(u, u->deref_slots, p, TW_LOCAL_ARG | TW_LOCAL_CELL)
                        : add_slot(u, u->fast_slots, p, TW_LOCAL_ARG);
            tw_decref(p);
            if (r < 0)
                return -1;
        }
        pos = 0;
        while ((it = tw_dict_next_ref(b->symbols, &pos, &key, &value)) == 1) {
            int flags = (int)tw_int_as_i64(value);
            if (tw_symtable_scope_of(flags) == TW_SCOPE_LOCAL && !(flags & TW_DEF_PARAM) &&
                add_slot(u, u->fast_slots, key, 0) < 0)
                goto fail;
            TW_CLEAR(key);
            TW_CLEAR(value);
        }
        if (it < 0)
            goto fail;
    }
    u->nlocals = (int)tw_list_size(u->localnames);
    pos = 0;
    while ((it = tw_dict_next_ref(b->symbols, &pos, &key, &value)) == 1) {
        int flags = (int)tw_int_as_i64(value);
        if (tw_symtable_scope_of(flags) == TW_SCOPE_CELL && !(flags & TW_DEF_PARAM) &&
            add_slot(u, u->deref_slots, key, TW_LOCAL_CELL) < 0)
            goto fail;
        TW_CLEAR(key);
        TW_CLEAR(value);
    }
    if (it < 0)
        goto fail;
    u->ncells = (int)tw_list_size(u->localnames) - u->nlocals;
    /* A class body receives its __class__ cell from the code that runs
     * the class statement: it is the first free variable. */
    if (b->type == TW_BLOCK_CLASS && b->needs_class_closure &&
        add_slot(u, u->deref_slots, c->s_class, TW_LOCAL_FREE) < 0)
        return -1;
    pos = 0;
    while ((it = tw_dict_next_ref(b->symbols, &pos, &key, &value)) == 1) {
        int flags = (int)tw_int_as_i64(value);
        if ((tw_symtable_scope_of(flags) == TW_SCOPE_FREE ||
             (b->type == TW_BLOCK_CLASS && (flags & TW_DEF_FREE_CLASS))) &&
            add_slot(u, u->deref_slots, key, TW_LOCAL_FREE) < 0)
            goto fail;
        TW_CLEAR(key);
        TW_CLEAR(value);
    }
    if (it < 0)
        goto fail;
    u->nfrees = (int)tw_list_size(u->localnames) - u->nlocals - u->ncells;
    return 0;
fail:
    tw_xdecref(key);
    tw_xdecref(value);
    return -1;
}

/* qualname: "f", "C.f", "f.<locals>.g"; a function declared global in
 * its parent is named as if at module level. */
static TwObject *make_qualname(Compiler *c, TwObject *name)
{
    Unit *p = c->u;
    if (p == NULL || p->ste->type == TW_BLOCK_MODULE)
        return tw_newref(name);
    if (p->ste->type == TW_BLOCK_FUNCTION || p->ste->type == TW_BLOCK_CLASS) {
        TwObject *mangled = tw_mangle(p->ste->private_name, name);
        if (mangled == NULL)
            return NULL;
        int scope = tw_symtable_scope_of(tw_symtable_lookup(p->ste, mangled));
        tw_decref(mangled);
        if (scope == TW_SCOPE_GLOBAL_EXPLICIT)
            return tw_newref(name);
    }
    const char *sep = p->ste->type == TW_BLOCK_FUNCTION ? ".<locals>." : ".";
    return tw_str_from_format("%s%s%s", tw_str_utf8(p->qualname), sep, tw_str_utf8(name));
}

static int enter_scope(Compiler *c, TwSymBlock *ste, TwObject *name, int firstlineno)
{
    Unit *u = calloc(1, sizeof(*u));
    if (u == NULL) {
        tw_err_no_memory();
        return -1;
    }
    u->ste = ste;
    u->name = tw_newref(name);
    u->qualname = make_qualname(c, name);
    u->cur_handler = -1;
    u->firstlineno = firstlineno;
    u->consts = tw_list_new(0);
    u->const_index = tw_dict_new();
    u->names = tw_list_new(0);
    u->name_index = tw_dict_new();
    u->fast_slots = tw_dict_new();
    u->deref_slots = tw_dict_new();
    u->localnames = tw_list_new(0);
    if (!u->qualname || !u->consts || !u->const_index || !u->names || !u->name_index ||
        !u->fast_slots || !u->deref_slots || !u->localnames || setup_slots(c, u) < 0) {
        unit_free(u);
        return -1;
    }
    if (ste->type == TW_BLOCK_FUNCTION) {
        u->flags |= TW_CO_OPTIMIZED | TW_CO_NEWLOCALS;
        if (ste->is_nested)
            u->flags |= TW_CO_NESTED;
        if (ste->is_generator)
            u->flags |= TW_CO_GENERATOR;
        if (ste->has_varargs)
            u->flags |= TW_CO_VARARGS;
        if (ste->has_varkw)
            u->flags |= TW_CO_VARKEYWORDS;
    } else if (ste->type == TW_BLOCK_CLASS) {
        u->flags |= TW_CO_CLASSBODY;
    }
    u->parent = c->u;
    c->u = u;
    return 0;
}

static void discard_scope(Compiler *c)
{
    Unit *u = c->u;
    c->u = u->parent;
    unit_free(u);
}

/* ---- assembling ------------------------------------------------------------------ */

static int put_varint(uint8_t **buf, int *n, int *cap, unsigned v)
{
    do {
        if (grow((void **)buf, cap, *n, 1) < 0)
            return -1;
        uint8_t b = v & 0x7f;
        v >>= 7;
        (*buf)[(*n)++] = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
    return 0;
}

/* Fuse LOAD_FAST pairs into LOAD_FAST_LOAD_FAST where no label, handler
 * boundary or line change separates them, and the second slot is an
 * argument never deleted (so it cannot be unbound: an UnboundLocalError
 * always comes from the first, whose position the fused instruction
 * keeps).  Label positions are remapped. */
static int fuse_superinstructions(Unit *u)
{
    int n = u->ninstrs;
    if (n < 2)
        return 0;
    uint8_t *target = calloc((size_t)n + 1, 1);
    int *newpos = malloc(((size_t)n + 1) * sizeof(int));
    if (target == NULL || newpos == NULL) {
        free(target);
        free(newpos);
        tw_err_no_memory();
        return -1;
    }
    for (int i = 0; i < u->nlabels; i++)
        if (u->labels[i].pos >= 0)
            target[u->labels[i].pos] = 1;
    /* Which argument slots may be second: not deleted anywhere. */
    int nargs = u->argcount + u->kwonly + ((u->flags & TW_CO_VARARGS) != 0) +
                ((u->flags & TW_CO_VARKEYWORDS) != 0);
    uint8_t *sure = calloc((size_t)nargs + 1, 1);
    if (sure == NULL) {
        free(target);
        free(newpos);
        tw_err_no_memory();
        return -1;
    }
    for (int k = 0; k < nargs; k++)
        sure[k] = (u->kinds[k] & TW_LOCAL_CELL) == 0;
    for (int i = 0; i < n; i++)
        if (u->instrs[i].op == TW_OP_DELETE_FAST && (int)u->instrs[i].arg < nargs)
            sure[u->instrs[i].arg] = 0;
    int out = 0;
    for (int i = 0; i < n; i++) {
        newpos[i] = out;
        Instr a = u->instrs[i];
        if (i + 1 < n && a.op == TW_OP_LOAD_FAST && u->instrs[i + 1].op == TW_OP_LOAD_FAST &&
            !target[i + 1] && a.arg < 4096 && u->instrs[i + 1].arg < 4096 &&
            (int)u->instrs[i + 1].arg < nargs && sure[u->instrs[i + 1].arg] &&
            a.handler == u->instrs[i + 1].handler && a.loc.lineno == u->instrs[i + 1].loc.lineno) {
            a.op = TW_OP_LOAD_FAST_LOAD_FAST;
            a.arg = a.arg | (u->instrs[i + 1].arg << 12);
            u->instrs[out++] = a;
            newpos[i + 1] = out - 1;
            i++;
            continue;
        }
        u->instrs[out++] = a;
    }
    newpos[n] = out;
    for (int i = 0; i < u->nlabels; i++)
        if (u->labels[i].pos >= 0)
            u->labels[i].pos = newpos[u->labels[i].pos];
    u->ninstrs = out;
    free(target);
    free(newpos);
    free(sure);
    return 0;
}

static TwObject *list_to_tuple(TwObject *list)
{
    return tw_list_as_tuple(list);
}

/* Turn the finished unit into a code object. */
static TwObject *assemble(Compiler *c)
{
    Unit *u = c->u;
    TwObject *co = NULL, *consts = NULL, *names = NULL, *localnames = NULL;
    uint32_t *code = NULL;
    TwExcTableEntry *exc = NULL;
    uint8_t *lines = NULL, *pos = NULL;
    int nexc = 0, exc_cap = 0, nlines = 0, lines_cap = 0, npos = 0, pos_cap = 0;

    if (fuse_superinstructions(u) < 0)
        return NULL;
    code = malloc(((size_t)u->ninstrs + 1) * sizeof(uint32_t));
    if (code == NULL) {
        tw_err_no_memory();
        goto done;
    }
    for (int i = 0; i < u->ninstrs; i++) {
        Instr *in = &u->instrs[i];
        uint32_t arg = in->arg;
        if (is_jump(in->op)) {
            int pos = u->labels[arg].pos;
            if (pos < 0)
                tw_fatal("compiler: jump to an unbound label");
            arg = (uint32_t)pos;
        }
        code[i] = TW_INSTR(in->op, arg);
    }
    /* The exception table: runs of equal handlers. */
    for (int i = 0; i < u->ninstrs;) {
        int h = u->instrs[i].handler;
        int j = i + 1;
        while (j < u->ninstrs && u->instrs[j].handler == h)
            j++;
        if (h >= 0) {
            if (grow((void **)&exc, &exc_cap, nexc, sizeof(*exc)) < 0)
                goto done;
            Handler *hd = &u->handlers[h];
            exc[nexc++] = (TwExcTableEntry){
                (uint32_t)i, (uint32_t)j, (uint32_t)u->labels[hd->label].pos, (uint32_t)hd->depth};
        }
        i = j;
    }
    /* The line table. */
    int prev_line = u->firstlineno;
    for (int i = 0; i < u->ninstrs;) {
        int line = u->instrs[i].loc.lineno;
        int j = i + 1;
        while (j < u->ninstrs && u->instrs[j].loc.lineno == line)
            j++;
        int delta = line - prev_line;
        unsigned zz = ((unsigned)delta << 1) ^ (unsigned)(delta >> 31);
        if (put_varint(&lines, &nlines, &lines_cap, (unsigned)(j - i)) < 0 ||
            put_varint(&lines, &nlines, &lines_cap, zz) < 0)
            goto done;
        prev_line = line;
        i = j;
    }
    /* The position table: per instruction, varints of end_lineno - lineno
     * and col, end_col, a1, a2 each plus one (0: unknown). */
    for (int i = 0; i < u->ninstrs; i++) {
        Loc *l = &u->instrs[i].loc;
        int dl = l->end_lineno >= l->lineno ? l->end_lineno - l->lineno : 0;
        if (put_varint(&pos, &npos, &pos_cap, (unsigned)dl) < 0 ||
            put_varint(&pos, &npos, &pos_cap, (unsigned)(l->col + 1)) < 0 ||
            put_varint(&pos, &npos, &pos_cap, (unsigned)(l->end_col + 1)) < 0 ||
            put_varint(&pos, &npos, &pos_cap, (unsigned)(l->a1 + 1)) < 0 ||
            put_varint(&pos, &npos, &pos_cap, (unsigned)(l->a2 + 1)) < 0)
            goto done;
    }
    consts = list_to_tuple(u->consts);
    names = list_to_tuple(u->names);
    localnames = list_to_tuple(u->localnames);
    if (consts == NULL || names == NULL || localnames == NULL)
        goto done;
    TwCodeSpec spec = {
        .argcount = u->argcount,
        .posonlyargcount = u->posonly,
        .kwonlyargcount = u->kwonly,
        .nlocals = u->nlocals,
        .ncells = u->ncells,
        .nfrees = u->nfrees,
        .stacksize = u->maxdepth,
        .flags = u->flags,
        .firstlineno = u->firstlineno,
        .code = code,
        .ncode = u->ninstrs,
        .cache_names = u->cache_names,
        .ncaches = u->ncaches,
        .exctable = exc,
        .nexctable = nexc,
        .linetable = lines,
        .nlinetable = nlines,
        .postable = pos,
        .npostable = npos,
        .localkinds = u->kinds,
        .consts = consts,
        .names = names,
        .localnames = localnames,
        .filename = c->filename_obj,
        .name = u->name,
        .qualname = u->qualname,
    };
    co = tw_code_new(&spec);
done:
    free(code);
    free(exc);
    free(lines);
    free(pos);
    tw_xdecref(consts);
    tw_xdecref(names);
    tw_xdecref(localnames);
    return co;
}

/* Assemble the current unit, leave it, and return its code object. */
static TwObject *leave_scope(Compiler *c)
{
    TwObject *co = assemble(c);
    discard_scope(c);
    return co;
}

/* ---- names ------------------------------------------------------------------------ */

static int compile_nameop(Compiler *c, TwObject *rawname, TwExprContext ctx)
{
    Unit *u = c->u;
    TwObject *name = tw_mangle(u->ste->private_name, rawname);
    if (name == NULL)
        return -1;
    int scope = tw_symtable_scope_of(tw_symtable_lookup(u->ste, name));
    int is_func = u->ste->type == TW_BLOCK_FUNCTION;
    int r = -1;
    static const int fast_ops[] = {TW_OP_LOAD_FAST, TW_OP_STORE_FAST, TW_OP_DELETE_FAST};
    static const int deref_ops[] = {TW_OP_LOAD_DEREF, TW_OP_STORE_DEREF, TW_OP_DELETE_DEREF};
    static const int name_ops[] = {TW_OP_LOAD_NAME, TW_OP_STORE_NAME, TW_OP_DELETE_NAME};
    static const int global_ops[] = {TW_OP_LOAD_GLOBAL, TW_OP_STORE_GLOBAL, TW_OP_DELETE_GLOBAL};
    switch (scope) {
    case TW_SCOPE_FREE:
    case TW_SCOPE_CELL: {
        int slot = dict_slot(u->deref_slots, name);
        if (slot < 0) {
            tw_err_format(&tw_exc_SystemError, "compiler: no cell for '%s'", tw_str_utf8(name));
            break;
        }
        int op = deref_ops[ctx];
        if (ctx == TW_CTX_LOAD && u->ste->type == TW_BLOCK_CLASS)
            op = TW_OP_LOAD_CLASSDEREF;
        r = emit(c, op, (uint32_t)slot);
        break;
    }
    case TW_SCOPE_LOCAL:
        if (is_func) {
            int slot = dict_slot(u->fast_slots, name);
            if (slot < 0) {
                tw_err_format(&tw_exc_SystemError, "compiler: no slot for '%s'", tw_str_utf8(name));
                break;
            }
            r = emit(c, fast_ops[ctx], (uint32_t)slot);
        } else {
            r = emit_named(c, name_ops[ctx], name);
        }
        break;
    case TW_SCOPE_GLOBAL_IMPLICIT:
        if (is_func)
            r = ctx == TW_CTX_LOAD ? emit_cached(c, TW_OP_LOAD_GLOBAL, name)
                                   : emit_named(c, global_ops[ctx], name);
        else
            r = emit_named(c, name_ops[ctx], name);
        break;
    case TW_SCOPE_GLOBAL_EXPLICIT:
        r = ctx == TW_CTX_LOAD ? emit_cached(c, TW_OP_LOAD_GLOBAL, name)
                               : emit_named(c, global_ops[ctx], name);
        break;
    default:
        r = emit_named(c, name_ops[ctx], name);
        break;
    }
    tw_decref(name);
    return r;
}

/* Push the cell a new function's closure needs for `name`. */
static int emit_closure_cell(Compiler *c, TwObject *name)
{
    int slot = dict_slot(c->u->deref_slots, name);
    if (slot < 0) {
        tw_err_format(&tw_exc_SystemError, "compiler: no cell to close over for '%s'",
                      tw_str_utf8(name));
        return -1;
    }
    return emit(c, TW_OP_LOAD_CLOSURE, (uint32_t)slot);
}

/* Push the closure (if any) and the code object, then MAKE_FUNCTION.
 * class_cell_depth > 0: the code is a class body whose first free
 * variable, __class__, is the cell that many items down the stack. */
static int make_function_ex(Compiler *c, TwObject *code, int flags, int class_cell_depth)
{
    TwCodeObject *co = (TwCodeObject *)code;
    if (co->nfrees > 0) {
        int first = co->nlocals + co->ncells;
        for (int i = 0; i < co->nfrees; i++) {
            int r =
                i == 0 && class_cell_depth > 0
                    ? emit(c, TW_OP_COPY, (uint32_t)class_cell_depth)
                    : emit_closure_cell(c, tw_tuple_get_item_borrowed(co->localnames, first + i));
            if (r < 0)
                return -1;
        }
        if (emit(c, TW_OP_BUILD_TUPLE, (uint32_t)co->nfrees) < 0)
            return -1;
        flags |= TW_MKFN_CLOSURE;
    }
    if (emit_const(c, code) < 0)
        return -1;
    return emit(c, TW_OP_MAKE_FUNCTION, (uint32_t)flags);
}

static int make_function(Compiler *c, TwObject *code, int flags)
{
    return make_function_ex(c, code, flags, 0);
}

/* ---- forward declarations -------------------------------------------------------- */

static int compile_stmt(Compiler *c, TwAstStmt *s);
static int compile_expr(Compiler *c, TwAstExpr *e);
static int compile_stmts(Compiler *c, TwAstSeq *seq);
static int compile_store(Compiler *c, TwAstExpr *target);
static int compile_jump_if(Compiler *c, TwAstExpr *e, int label, int cond);

static int compile_stmts(Compiler *c, TwAstSeq *seq)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(seq); i++)
        if (compile_stmt(c, TW_SEQ_GET(seq, i)) < 0)
            return -1;
    return 0;
}

/* The docstring of a body: its first statement if that is a string
 * literal (borrowed), else NULL. */
static TwObject *docstring_of(TwAstSeq *body)
{
    if (TW_SEQ_LEN(body) == 0)
        return NULL;
    TwAstStmt *s = TW_SEQ_GET(body, 0);
    if (s->kind != TW_STMT_EXPR || s->v.expr.value->kind != TW_EXPR_CONSTANT)
        return NULL;
    TwObject *v = s->v.expr.value->v.constant.value;
    return TW_TYPE(v) == &tw_str_type ? v : NULL;
}

/* ---- unwinding for return / break / continue -------------------------------------- */

static int emit_name_cleanup(Compiler *c, TwObject *name)
{
    if (emit_const(c, TW_NONE) < 0 || compile_nameop(c, name, TW_CTX_STORE) < 0)
        return -1;
    return compile_nameop(c, name, TW_CTX_DEL);
}

/* Emit what leaving `fb` requires.  With preserve_tos, a value on top of
 * the stack (the return value) stays there. */
static int unwind_fblock(Compiler *c, FBlock *fb, int preserve_tos)
{
    c->u->cur_handler = fb->handler;
    switch (fb->type) {
    case FB_WHILE:
    case FB_TRY_EXCEPT:
        return 0;
    case FB_FOR:
        if (preserve_tos && emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        return emit(c, TW_OP_POP_TOP, 0);
    case FB_FINALLY_TRY:
        return compile_stmts(c, (TwAstSeq *)fb->datum);
    case FB_FINALLY_END:
        if (preserve_tos && emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        if (emit(c, TW_OP_POP_TOP, 0) < 0)
            return -1;
        if (preserve_tos && emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        return emit(c, TW_OP_POP_EXCEPT, 0);
    case FB_WITH:
        if (preserve_tos && emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        if (emit(c, TW_OP_WITH_EXIT, 0) < 0)
            return -1;
        return emit(c, TW_OP_POP_TOP, 0);
    case FB_HANDLER_CLEANUP:
        if (preserve_tos && emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        if (emit(c, TW_OP_POP_EXCEPT, 0) < 0)
            return -1;
        if (fb->datum != NULL)
            return emit_name_cleanup(c, (TwObject *)fb->datum);
        return 0;
    }
    return 0;
}

/* Unwind every block above the innermost loop (loop_out != NULL) or all
 * blocks (return).  Blocks are popped while their code is emitted, so that
 * a return inside a finally body does not run that body again, and pushed
 * back afterwards. */
static int unwind_stack(Compiler *c, int preserve_tos, int *loop_out)
{
    Unit *u = c->u;
    if (u->nfblocks == 0)
        return 0;
    FBlock *top = &u->fblocks[u->nfblocks - 1];
    if (loop_out != NULL && (top->type == FB_WHILE || top->type == FB_FOR)) {
        *loop_out = u->nfblocks - 1;
        return 0;
    }
    FBlock saved = *top;
    u->nfblocks--;
    int r = unwind_fblock(c, &saved, preserve_tos);
    if (r == 0)
        r = unwind_stack(c, preserve_tos, loop_out);
    u->fblocks[u->nfblocks++] = saved;
    return r;
}

static int compile_return(Compiler *c, TwAstStmt *s)
{
    Unit *u = c->u;
    if (u->ste->type != TW_BLOCK_FUNCTION)
        return compiler_error(c, s->lineno, s->col, s->end_lineno, s->end_col,
                              "'return' outside function");
    TwAstExpr *v = s->v.return_.value;
    int saved_handler = u->cur_handler;
    int r;
    if (v != NULL && v->kind == TW_EXPR_CONSTANT) {
        int ci = add_const(c, v->v.constant.value);
        r = ci < 0 ? -1 : unwind_stack(c, 0, NULL);
        if (r == 0) {
            c->loc = LOC_OF(s);
            r = emit(c, TW_OP_RETURN_CONST, (uint32_t)ci);
        }
    } else {
        if (v != NULL)
            r = compile_expr(c, v);
        else
            r = emit_const(c, TW_NONE);
        if (r == 0)
            r = unwind_stack(c, 1, NULL);
        if (r == 0) {
            c->loc = LOC_OF(s);
            r = emit(c, TW_OP_RETURN_VALUE, 0);
        }
    }
    u->cur_handler = saved_handler;
    return r;
}

static int compile_break_continue(Compiler *c, TwAstStmt *s, int is_break)
{
    Unit *u = c->u;
    int loop = -1;
    for (int i = u->nfblocks - 1; i >= 0; i--)
        if (u->fblocks[i].type == FB_WHILE || u->fblocks[i].type == FB_FOR) {
            loop = i;
            break;
        }
    if (loop < 0)
        return compiler_error(c, s->lineno, s->col, s->end_lineno, s->end_col,
                              is_break ? "'break' outside loop"
                                       : "'continue' not properly in loop");
    int saved_handler = u->cur_handler;
    int r = unwind_stack(c, 0, &loop);
    if (r == 0) {
        FBlock *fb = &u->fblocks[loop];
        c->loc = LOC_OF(s);
        if (is_break) {
            r = unwind_fblock(c, fb, 0);
            if (r == 0)
                r = emit_jump(c, TW_OP_JUMP, fb->exit);
        } else {
            c->u->cur_handler = fb->handler;
            r = emit_jump(c, TW_OP_JUMP_BACKWARD, fb->block);
        }
    }
    u->cur_handler = saved_handler;
    return r;
}

/* ---- functions, lambdas, classes ------------------------------------------------------ */

/* Push the defaults tuple and keyword-only defaults dict of a parameter
 * list; returns the MAKE_FUNCTION flags, or -1. */
static int compile_defaults(Compiler *c, TwAstArguments *a)
{
    int flags = 0;
    if (a == NULL)
        return 0;
    intptr_t nd = TW_SEQ_LEN(a->defaults);
    if (nd > 0) {
        for (intptr_t i = 0; i < nd; i++)
            if (compile_expr(c, TW_SEQ_GET(a->defaults, i)) < 0)
                return -1;
        if (emit(c, TW_OP_BUILD_TUPLE, (uint32_t)nd) < 0)
            return -1;
        flags |= TW_MKFN_DEFAULTS;
    }
    int nkw = 0;
    for (intptr_t i = 0; i < TW_SEQ_LEN(a->kwonlyargs); i++) {
        TwAstExpr *d = TW_SEQ_GET(a->kw_defaults, i);
        if (d == NULL)
            continue;
        TwAstArg *arg = TW_SEQ_GET(a->kwonlyargs, i);
        TwObject *name = tw_mangle(c->u->ste->private_name, arg->arg);
        if (name == NULL)
            return -1;
        int r = emit_const(c, name);
        tw_decref(name);
        if (r < 0 || compile_expr(c, d) < 0)
            return -1;
        nkw++;
    }
    if (nkw > 0) {
        if (emit(c, TW_OP_BUILD_MAP, (uint32_t)nkw) < 0)
            return -1;
        flags |= TW_MKFN_KWDEFAULTS;
    }
    return flags;
}

static void set_arg_counts(Unit *u, TwAstArguments *a)
{
    if (a == NULL)
        return;
    u->posonly = (int)TW_SEQ_LEN(a->posonlyargs);
    u->argcount = u->posonly + (int)TW_SEQ_LEN(a->args);
    u->kwonly = (int)TW_SEQ_LEN(a->kwonlyargs);
}

/* Compile a function body in its own unit; returns the code object. */
static TwObject *compile_function_code(Compiler *c, const void *key, TwObject *name,
                                       TwAstArguments *args, TwAstSeq *body, TwAstExpr *lambda_body,
                                       int lineno)
{
    TwSymBlock *ste = tw_symtable_child(c->u->ste, key);
    if (ste == NULL) {
        tw_err_set_string(&tw_exc_SystemError, "compiler: no symbol table for a function");
        return NULL;
    }
    if (enter_scope(c, ste, name, lineno) < 0)
        return NULL;
    Unit *u = c->u;
    set_arg_counts(u, args);
    Loc saved_line = c->loc;
    c->loc = LOC_LINE(lineno);
    /* consts[0] is the docstring, or None (lambdas never have one). */
    TwObject *doc = lambda_body ? NULL : docstring_of(body);
    int r = add_const(c, doc ? doc : TW_NONE) < 0 ? -1 : 0;
    if (r == 0 && lambda_body != NULL) {
        r = compile_expr(c, lambda_body);
        if (r == 0)
            r = emit(c, TW_OP_RETURN_VALUE, 0);
    } else if (r == 0) {
        r = compile_stmts(c, body);
        if (r == 0 && !u->unreachable) {
            c->loc = LOC_LINE(
                TW_SEQ_LEN(body) ? ((TwAstStmt *)TW_SEQ_GET(body, TW_SEQ_LEN(body) - 1))->end_lineno
                                 : lineno);
            int ci = add_const(c, TW_NONE);
            r = ci < 0 ? -1 : emit(c, TW_OP_RETURN_CONST, (uint32_t)ci);
        }
    }
    c->loc = saved_line;
    if (r < 0) {
        discard_scope(c);
        return NULL;
    }
    return leave_scope(c);
}

static int compile_decorators_start(Compiler *c, TwAstSeq *decorators)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(decorators); i++) {
        if (compile_expr(c, TW_SEQ_GET(decorators, i)) < 0 || emit(c, TW_OP_PUSH_NULL, 0) < 0)
            return -1;
    }
    return 0;
}

static int compile_decorators_apply(Compiler *c, TwAstSeq *decorators)
{
    for (intptr_t i = TW_SEQ_LEN(decorators) - 1; i >= 0; i--) {
        c->loc = LOC_OF((TwAstExpr *)TW_SEQ_GET(decorators, i));
        if (emit(c, TW_OP_CALL, 1) < 0)
            return -1;
    }
    return 0;
}

static int compile_functiondef(Compiler *c, TwAstStmt *s)
{
    TwAstSeq *decorators = s->v.functiondef.decorators;
    if (compile_decorators_start(c, decorators) < 0)
        return -1;
    c->loc = LOC_OF(s);
    int flags = compile_defaults(c, s->v.functiondef.args);
    if (flags < 0)
        return -1;
    TwObject *code = compile_function_code(c, s, s->v.functiondef.name, s->v.functiondef.args,
                                           s->v.functiondef.body, NULL, s->lineno);
    if (code == NULL)
        return -1;
    int r = make_function(c, code, flags);
    tw_decref(code);
    if (r < 0 || compile_decorators_apply(c, decorators) < 0)
        return -1;
    c->loc = LOC_OF(s);
    return compile_nameop(c, s->v.functiondef.name, TW_CTX_STORE);
}

static int compile_lambda(Compiler *c, TwAstExpr *e)
{
    int flags = compile_defaults(c, e->v.lambda.args);
    if (flags < 0)
        return -1;
    TwObject *name = tw_str_intern_cstr("<lambda>");
    if (name == NULL)
        return -1;
    TwObject *code =
        compile_function_code(c, e, name, e->v.lambda.args, NULL, e->v.lambda.body, e->lineno);
    tw_decref(name);
    if (code == NULL)
        return -1;
    int r = make_function(c, code, flags);
    tw_decref(code);
    return r;
}

static int compile_call_helper(Compiler *c, int nprefix, TwAstSeq *args, TwAstSeq *keywords);

/* class C(bases, **kw): body
 *   -> __build_class__(<function running body>, 'C', *bases, **kw)
 * When a method uses super() or __class__, this code makes the __class__
 * cell itself: [cell, __build_class__, NULL, body function (whose closure
 * holds the cell), 'C', bases...]; once the class exists STORE_CLASSCELL
 * puts it in the cell. */
static int compile_classdef(Compiler *c, TwAstStmt *s)
{
    TwAstSeq *decorators = s->v.classdef.decorators;
    if (compile_decorators_start(c, decorators) < 0)
        return -1;
    c->loc = LOC_OF(s);
    TwSymBlock *ste = tw_symtable_child(c->u->ste, s);
    if (ste == NULL) {
        tw_err_set_string(&tw_exc_SystemError, "compiler: no symbol table for a class");
        return -1;
    }
    int has_cell = ste->needs_class_closure;
    if (has_cell && emit(c, TW_OP_MAKE_CELL, 0) < 0)
        return -1;
    if (emit(c, TW_OP_LOAD_BUILD_CLASS, 0) < 0 || emit(c, TW_OP_PUSH_NULL, 0) < 0)
        return -1;
    if (enter_scope(c, ste, s->v.classdef.name, s->lineno) < 0)
        return -1;
    Unit *u = c->u;
    int r = 0;
    TwObject *doc = docstring_of(s->v.classdef.body);
    /* __module__ = __name__; __qualname__ = '...'; __doc__ = '...' */
    if (emit_named(c, TW_OP_LOAD_NAME, c->s_name) < 0 ||
        emit_named(c, TW_OP_STORE_NAME, c->s_module) < 0 || emit_const(c, u->qualname) < 0 ||
        emit_named(c, TW_OP_STORE_NAME, c->s_qualname) < 0)
        r = -1;
    if (r == 0 && doc != NULL &&
        (emit_const(c, doc) < 0 || emit_named(c, TW_OP_STORE_NAME, c->s_doc) < 0))
        r = -1;
    if (r == 0)
        r = compile_stmts(c, s->v.classdef.body);
    if (r == 0 && !u->unreachable) {
        int ci = add_const(c, TW_NONE);
        r = ci < 0 ? -1 : emit(c, TW_OP_RETURN_CONST, (uint32_t)ci);
    }
    if (r < 0) {
        discard_scope(c);
        return -1;
    }
    TwObject *code = leave_scope(c);
    if (code == NULL)
        return -1;
    c->loc = LOC_OF(s);
    r = make_function_ex(c, code, 0, has_cell ? 3 : 0);
    tw_decref(code);
    if (r < 0 || emit_const(c, s->v.classdef.name) < 0)
        return -1;
    if (compile_call_helper(c, 2, s->v.classdef.bases, s->v.classdef.keywords) < 0)
        return -1;
    c->loc = LOC_OF(s);
    if (has_cell && emit(c, TW_OP_STORE_CLASSCELL, 0) < 0)
        return -1;
    if (compile_decorators_apply(c, decorators) < 0)
        return -1;
    c->loc = LOC_OF(s);
    return compile_nameop(c, s->v.classdef.name, TW_CTX_STORE);
}

/* ---- comprehensions ------------------------------------------------------------------- */

static int compile_comp_generator(Compiler *c, TwAstExpr *e, intptr_t gi)
{
    TwAstSeq *gens = e->v.comp.generators;
    TwAstComprehension *g = TW_SEQ_GET(gens, gi);
    if (gi == 0) {
        if (emit(c, TW_OP_LOAD_FAST, 0) < 0) /* .0, the iterator passed in */
            return -1;
    } else if (compile_expr(c, g->iter) < 0 || emit(c, TW_OP_GET_ITER, 0) < 0) {
        return -1;
    }
    int top = new_label(c), cont = new_label(c), end = new_label(c);
    if (top < 0 || cont < 0 || end < 0)
        return -1;
    bind_label(c, top);
    if (emit_jump(c, TW_OP_FOR_ITER, end) < 0 || compile_store(c, g->target) < 0)
        return -1;
    for (intptr_t i = 0; i < TW_SEQ_LEN(g->ifs); i++)
        if (compile_jump_if(c, TW_SEQ_GET(g->ifs, i), cont, 0) < 0)
            return -1;
    if (gi + 1 < TW_SEQ_LEN(gens)) {
        if (compile_comp_generator(c, e, gi + 1) < 0)
            return -1;
    } else {
        uint32_t depth = (uint32_t)gi + 2; /* the collection sits below the iterators */
        Loc saved = c->loc;
        switch (e->kind) {
        case TW_EXPR_LISTCOMP:
            if (compile_expr(c, e->v.comp.elt) < 0 || emit(c, TW_OP_LIST_APPEND, depth) < 0)
                return -1;
            break;
        case TW_EXPR_SETCOMP:
            if (compile_expr(c, e->v.comp.elt) < 0 || emit(c, TW_OP_SET_ADD, depth) < 0)
                return -1;
            break;
        case TW_EXPR_DICTCOMP:
            if (compile_expr(c, e->v.comp.key) < 0 || compile_expr(c, e->v.comp.value) < 0 ||
                emit(c, TW_OP_MAP_ADD, depth) < 0)
                return -1;
            break;
        default:
            if (compile_expr(c, e->v.comp.elt) < 0 || emit(c, TW_OP_YIELD_VALUE, 0) < 0 ||
                emit(c, TW_OP_POP_TOP, 0) < 0)
                return -1;
            break;
        }
        c->loc = saved;
    }
    bind_label(c, cont);
    if (emit_jump(c, TW_OP_JUMP_BACKWARD, top) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

static int compile_comprehension(Compiler *c, TwAstExpr *e)
{
    TwSymBlock *ste = tw_symtable_child(c->u->ste, e);
    if (ste == NULL) {
        tw_err_set_string(&tw_exc_SystemError, "compiler: no symbol table for a comprehension");
        return -1;
    }
    if (enter_scope(c, ste, ste->name, e->lineno) < 0)
        return -1;
    c->u->argcount = 1;
    int r = 0;
    switch (e->kind) {
    case TW_EXPR_LISTCOMP:
        r = emit(c, TW_OP_BUILD_LIST, 0);
        break;
    case TW_EXPR_SETCOMP:
        r = emit(c, TW_OP_BUILD_SET, 0);
        break;
    case TW_EXPR_DICTCOMP:
        r = emit(c, TW_OP_BUILD_MAP, 0);
        break;
    default:
        break;
    }
    if (r == 0)
        r = compile_comp_generator(c, e, 0);
    if (r == 0) {
        if (e->kind == TW_EXPR_GENEXP) {
            int ci = add_const(c, TW_NONE);
            r = ci < 0 ? -1 : emit(c, TW_OP_RETURN_CONST, (uint32_t)ci);
        } else {
            r = emit(c, TW_OP_RETURN_VALUE, 0);
        }
    }
    if (r < 0) {
        discard_scope(c);
        return -1;
    }
    TwObject *code = leave_scope(c);
    if (code == NULL)
        return -1;
    r = make_function(c, code, 0);
    tw_decref(code);
    if (r < 0 || emit(c, TW_OP_PUSH_NULL, 0) < 0)
        return -1;
    TwAstComprehension *first = TW_SEQ_GET(e->v.comp.generators, 0);
    if (compile_expr(c, first->iter) < 0 || emit(c, TW_OP_GET_ITER, 0) < 0)
        return -1;
    return emit(c, TW_OP_CALL, 1);
}

/* ---- control flow ------------------------------------------------------------------------ */

/* A constant's truth when the compiler can know it: 1, 0, or -1. */
static int constant_truth(TwAstExpr *e)
{
    if (e->kind != TW_EXPR_CONSTANT)
        return -1;
    TwObject *v = e->v.constant.value;
    TwType *t = TW_TYPE(v);
    if (v == TW_NONE || v == TW_FALSE)
        return 0;
    if (v == TW_TRUE)
        return 1;
    if (t == &tw_int_type || t == &tw_str_type || t == &tw_bytes_type || t == &tw_float_type) {
        int r = tw_object_is_true(v);
        if (r < 0) {
            tw_err_clear();
            return -1;
        }
        return r;
    }
    return -1;
}

/* Jump to `label` if the truth of e equals cond; fall through otherwise.
 * and/or/not become jumps rather than values. */
static int compile_jump_if(Compiler *c, TwAstExpr *e, int label, int cond)
{
    Loc saved = c->loc;
    c->loc = LOC_OF(e);
    int r = 0;
    switch (e->kind) {
    case TW_EXPR_UNARYOP:
        if (e->v.unaryop.op == TW_UOP_NOT) {
            r = compile_jump_if(c, e->v.unaryop.operand, label, !cond);
            goto done;
        }
        break;
    case TW_EXPR_BOOLOP: {
        TwAstSeq *vals = e->v.boolop.values;
        intptr_t n = TW_SEQ_LEN(vals);
        int is_or = e->v.boolop.op == TW_BOOL_OR;
        if (is_or == cond) {
            /* (a or b) true: either jumps; (a and b) false: either jumps. */
            for (intptr_t i = 0; i < n && r == 0; i++)
                r = compile_jump_if(c, TW_SEQ_GET(vals, i), label, cond);
        } else {
            int next = new_label(c);
            if (next < 0) {
                r = -1;
                goto done;
            }
            for (intptr_t i = 0; i < n - 1 && r == 0; i++)
                r = compile_jump_if(c, TW_SEQ_GET(vals, i), next, !cond);
            if (r == 0)
                r = compile_jump_if(c, TW_SEQ_GET(vals, n - 1), label, cond);
            bind_label(c, next);
        }
        goto done;
    }
    case TW_EXPR_COMPARE:
        /* x is None / x is not None */
        if (TW_SEQ_LEN(e->v.compare.ops) == 1) {
            intptr_t op = (intptr_t)TW_SEQ_GET(e->v.compare.ops, 0);
            TwAstExpr *rhs = TW_SEQ_GET(e->v.compare.comparators, 0);
            if ((op == TW_CMP_IS || op == TW_CMP_ISNOT) && rhs->kind == TW_EXPR_CONSTANT &&
                rhs->v.constant.value == TW_NONE) {
                int is = (op == TW_CMP_IS) == cond;
                r = compile_expr(c, e->v.compare.left);
                if (r == 0)
                    r = emit_jump(c, is ? TW_OP_POP_JUMP_IF_NONE : TW_OP_POP_JUMP_IF_NOT_NONE,
                                  label);
                goto done;
            }
        }
        break;
    default: {
        int t = constant_truth(e);
        if (t >= 0) {
            if (t == cond)
                r = emit_jump(c, TW_OP_JUMP, label);
            goto done;
        }
        break;
    }
    }
    r = compile_expr(c, e);
    if (r == 0)
        r = emit_jump(c, cond ? TW_OP_POP_JUMP_IF_TRUE : TW_OP_POP_JUMP_IF_FALSE, label);
done:
    c->loc = saved;
    return r;
}

static int compile_if(Compiler *c, TwAstStmt *s)
{
    int end = new_label(c), orelse = new_label(c);
    if (end < 0 || orelse < 0)
        return -1;
    int has_else = TW_SEQ_LEN(s->v.if_.orelse) > 0;
    if (compile_jump_if(c, s->v.if_.test, has_else ? orelse : end, 0) < 0)
        return -1;
    if (compile_stmts(c, s->v.if_.body) < 0)
        return -1;
    if (has_else) {
        if (emit_jump(c, TW_OP_JUMP, end) < 0)
            return -1;
        bind_label(c, orelse);
        if (compile_stmts(c, s->v.if_.orelse) < 0)
            return -1;
    }
    bind_label(c, end);
    return 0;
}

static int compile_while(Compiler *c, TwAstStmt *s)
{
    int top = new_label(c), orelse = new_label(c), exit = new_label(c);
    if (top < 0 || orelse < 0 || exit < 0)
        return -1;
    bind_label(c, top);
    if (compile_jump_if(c, s->v.while_.test, orelse, 0) < 0)
        return -1;
    if (push_fblock(c, FB_WHILE, top, exit, NULL) < 0)
        return -1;
    if (compile_stmts(c, s->v.while_.body) < 0)
        return -1;
    pop_fblock(c);
    c->loc = LOC_OF(s);
    if (emit_jump(c, TW_OP_JUMP_BACKWARD, top) < 0)
        return -1;
    bind_label(c, orelse);
    if (compile_stmts(c, s->v.while_.orelse) < 0)
        return -1;
    bind_label(c, exit);
    return 0;
}

static int compile_for(Compiler *c, TwAstStmt *s)
{
    int top = new_label(c), cleanup = new_label(c), exit = new_label(c);
    if (top < 0 || cleanup < 0 || exit < 0)
        return -1;
    if (compile_expr(c, s->v.for_.iter) < 0)
        return -1;
    c->loc = LOC_OF(s);
    if (emit(c, TW_OP_GET_ITER, 0) < 0)
        return -1;
    bind_label(c, top);
    if (emit_jump(c, TW_OP_FOR_ITER, cleanup) < 0)
        return -1;
    if (push_fblock(c, FB_FOR, top, exit, NULL) < 0)
        return -1;
    if (compile_store(c, s->v.for_.target) < 0 || compile_stmts(c, s->v.for_.body) < 0)
        return -1;
    pop_fblock(c);
    c->loc = LOC_OF(s);
    if (emit_jump(c, TW_OP_JUMP_BACKWARD, top) < 0)
        return -1;
    bind_label(c, cleanup);
    if (compile_stmts(c, s->v.for_.orelse) < 0)
        return -1;
    bind_label(c, exit);
    return 0;
}

/* try: body / except ...: / else: (see the file comment for the stack
 * layout at each handler). */
static int compile_try_except(Compiler *c, TwAstStmt *s)
{
    Unit *u = c->u;
    int base = u->depth;
    int handler = new_label(c), end = new_label(c), cleanup = new_label(c);
    if (handler < 0 || end < 0 || cleanup < 0)
        return -1;
    if (push_fblock(c, FB_TRY_EXCEPT, -1, -1, NULL) < 0 || push_handler(c, handler, base) < 0)
        return -1;
    if (compile_stmts(c, s->v.try_.body) < 0)
        return -1;
    pop_handler(c);
    pop_fblock(c);
    if (compile_stmts(c, s->v.try_.orelse) < 0 || emit_jump(c, TW_OP_JUMP, end) < 0)
        return -1;

    TwAstSeq *handlers = s->v.try_.handlers;
    intptr_t n = TW_SEQ_LEN(handlers);
    TwAstExceptHandler *h0 = TW_SEQ_GET(handlers, 0);
    c->loc = (Loc){h0->lineno, h0->col, h0->lineno, -1, -1, -1};
    bind_handler(c, handler, base);          /* [exc] */
    if (emit(c, TW_OP_PUSH_EXC_INFO, 0) < 0) /* [prev, exc] */
        return -1;
    if (push_handler(c, cleanup, base + 1) < 0)
        return -1;
    for (intptr_t i = 0; i < n; i++) {
        TwAstExceptHandler *h = TW_SEQ_GET(handlers, i);
        c->loc = (Loc){h->lineno, h->col, h->lineno, -1, -1, -1};
        if (h->type == NULL && i < n - 1)
            return compiler_error(c, h->lineno, h->col, h->lineno, h->col + 6,
                                  "default 'except:' must be last");
        int next = new_label(c);
        if (next < 0)
            return -1;
        if (h->type != NULL) {
            if (compile_expr(c, h->type) < 0 || emit(c, TW_OP_CHECK_EXC_MATCH, 0) < 0 ||
                emit_jump(c, TW_OP_POP_JUMP_IF_FALSE, next) < 0)
                return -1;
        }
        if (h->name != NULL) {
            int named_cleanup = new_label(c);
            if (named_cleanup < 0 || compile_nameop(c, h->name, TW_CTX_STORE) < 0) /* [prev] */
                return -1;
            if (push_handler(c, named_cleanup, base + 1) < 0 ||
                push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->name) < 0)
                return -1;
            if (compile_stmts(c, h->body) < 0)
                return -1;
            pop_fblock(c);
            pop_handler(c);
            c->loc = (Loc){h->lineno, h->col, h->lineno, -1, -1, -1};
            if (emit(c, TW_OP_POP_EXCEPT, 0) < 0 || emit_name_cleanup(c, h->name) < 0 ||
                emit_jump(c, TW_OP_JUMP, end) < 0)
                return -1;
            /* The body raised: unbind the name, then re-raise (under `cleanup`). */
            bind_handler(c, named_cleanup, base + 1); /* [prev, exc2] */
            if (emit_name_cleanup(c, h->name) < 0 || emit(c, TW_OP_RERAISE, 0) < 0)
                return -1;
        } else {
            if (emit(c, TW_OP_POP_TOP, 0) < 0 || /* [prev] */
                push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, NULL) < 0)
                return -1;
            if (compile_stmts(c, h->body) < 0)
                return -1;
            pop_fblock(c);
            c->loc = (Loc){h->lineno, h->col, h->lineno, -1, -1, -1};
            if (emit(c, TW_OP_POP_EXCEPT, 0) < 0 || emit_jump(c, TW_OP_JUMP, end) < 0)
                return -1;
        }
        bind_label(c, next);
    }
    /* No clause matched: re-raise. */
    if (emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    pop_handler(c);
    /* An exception while handling: restore the previous one and re-raise. */
    bind_handler(c, cleanup, base + 1); /* [prev, exc2] */
    if (emit(c, TW_OP_SWAP, 2) < 0 || emit(c, TW_OP_POP_EXCEPT, 0) < 0 ||
        emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

static int compile_try_finally(Compiler *c, TwAstStmt *s)
{
    Unit *u = c->u;
    int base = u->depth;
    TwAstSeq *finalbody = s->v.try_.finalbody;
    int handler = new_label(c), end = new_label(c), cleanup = new_label(c);
    if (handler < 0 || end < 0 || cleanup < 0)
        return -1;
    if (push_fblock(c, FB_FINALLY_TRY, -1, -1, finalbody) < 0 || push_handler(c, handler, base) < 0)
        return -1;
    int r = TW_SEQ_LEN(s->v.try_.handlers) > 0 ? compile_try_except(c, s)
                                               : compile_stmts(c, s->v.try_.body);
    if (r < 0)
        return -1;
    pop_handler(c);
    pop_fblock(c);
    /* The normal path runs the finally body inline. */
    if (compile_stmts(c, finalbody) < 0 || emit_jump(c, TW_OP_JUMP, end) < 0)
        return -1;
    /* The exceptional path: [exc] -> [prev, exc], run it, re-raise. */
    bind_handler(c, handler, base);
    if (emit(c, TW_OP_PUSH_EXC_INFO, 0) < 0 || push_handler(c, cleanup, base + 1) < 0 ||
        push_fblock(c, FB_FINALLY_END, -1, -1, NULL) < 0)
        return -1;
    if (compile_stmts(c, finalbody) < 0)
        return -1;
    pop_fblock(c);
    if (emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    pop_handler(c);
    bind_handler(c, cleanup, base + 1);
    if (emit(c, TW_OP_SWAP, 2) < 0 || emit(c, TW_OP_POP_EXCEPT, 0) < 0 ||
        emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

static int compile_try(Compiler *c, TwAstStmt *s)
{
    if (TW_SEQ_LEN(s->v.try_.finalbody) > 0)
        return compile_try_finally(c, s);
    return compile_try_except(c, s);
}

/* with a as x, b as y: body  ==  with a as x: with b as y: body */
static int compile_with(Compiler *c, TwAstStmt *s, intptr_t item)
{
    Unit *u = c->u;
    TwAstWithItem *it = TW_SEQ_GET(s->v.with.items, item);
    if (compile_expr(c, it->context_expr) < 0)
        return -1;
    c->loc = LOC_OF(s);
    if (emit(c, TW_OP_BEFORE_WITH, 0) < 0) /* [exit, value] */
        return -1;
    int base = u->depth - 2;
    int handler = new_label(c), end = new_label(c), cleanup = new_label(c), suppress = new_label(c);
    if (handler < 0 || end < 0 || cleanup < 0 || suppress < 0)
        return -1;
    if (push_fblock(c, FB_WITH, -1, -1, NULL) < 0 || push_handler(c, handler, base + 1) < 0)
        return -1;
    if (it->optional_vars != NULL) {
        if (compile_store(c, it->optional_vars) < 0)
            return -1;
    } else if (emit(c, TW_OP_POP_TOP, 0) < 0) {
        return -1;
    }
    int r = item + 1 < TW_SEQ_LEN(s->v.with.items) ? compile_with(c, s, item + 1)
                                                   : compile_stmts(c, s->v.with.body);
    if (r < 0)
        return -1;
    pop_handler(c);
    pop_fblock(c);
    c->loc = LOC_OF(s);
    if (emit(c, TW_OP_WITH_EXIT, 0) < 0 || emit(c, TW_OP_POP_TOP, 0) < 0 ||
        emit_jump(c, TW_OP_JUMP, end) < 0)
        return -1;
    /* An exception in the body: [exit, exc] */
    bind_handler(c, handler, base + 1);
    if (emit(c, TW_OP_PUSH_EXC_INFO, 0) < 0 || /* [exit, prev, exc] */
        push_handler(c, cleanup, base + 2) < 0 ||
        emit(c, TW_OP_WITH_EXCEPT_START, 0) < 0 || /* [exit, prev, exc, res] */
        emit_jump(c, TW_OP_POP_JUMP_IF_TRUE, suppress) < 0 || emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    pop_handler(c);
    /* __exit__ returned true: the exception is swallowed. */
    bind_label(c, suppress);
    if (emit(c, TW_OP_POP_TOP, 0) < 0 || emit(c, TW_OP_POP_EXCEPT, 0) < 0 ||
        emit(c, TW_OP_POP_TOP, 0) < 0 || emit_jump(c, TW_OP_JUMP, end) < 0)
        return -1;
    bind_handler(c, cleanup, base + 2); /* [exit, prev, exc2] */
    if (emit(c, TW_OP_SWAP, 2) < 0 || emit(c, TW_OP_POP_EXCEPT, 0) < 0 ||
        emit(c, TW_OP_RERAISE, 0) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

static int compile_raise(Compiler *c, TwAstStmt *s)
{
    uint32_t n = 0;
    if (s->v.raise.exc != NULL) {
        if (compile_expr(c, s->v.raise.exc) < 0)
            return -1;
        n = 1;
        if (s->v.raise.cause != NULL) {
            if (compile_expr(c, s->v.raise.cause) < 0)
                return -1;
            n = 2;
        }
    }
    c->loc = LOC_OF(s);
    return emit(c, TW_OP_RAISE_VARARGS, n);
}

static int compile_assert(Compiler *c, TwAstStmt *s)
{
    int end = new_label(c);
    if (end < 0 || compile_jump_if(c, s->v.assert_.test, end, 1) < 0)
        return -1;
    /* The raise is reported at the test, as CPython does. */
    c->loc = LOC_OF(s->v.assert_.test);
    if (emit(c, TW_OP_LOAD_ASSERTION_ERROR, 0) < 0)
        return -1;
    if (s->v.assert_.msg != NULL) {
        if (emit(c, TW_OP_PUSH_NULL, 0) < 0 || compile_expr(c, s->v.assert_.msg) < 0)
            return -1;
        c->loc = LOC_OF(s->v.assert_.test);
        if (emit(c, TW_OP_CALL, 1) < 0)
            return -1;
    }
    if (emit(c, TW_OP_RAISE_VARARGS, 1) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

/* ---- imports ------------------------------------------------------------------------------ */

static int emit_import_name(Compiler *c, TwObject *name, uint32_t flags)
{
    int ni = add_name(c, name);
    if (ni < 0)
        return -1;
    if ((uint32_t)ni > IMPORT_NAME_MASK) {
        tw_err_set_string(&tw_exc_SystemError, "compiler: too many names");
        return -1;
    }
    return emit(c, TW_OP_IMPORT_NAME, (uint32_t)ni | flags);
}

static int compile_import(Compiler *c, TwAstStmt *s)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.import.names); i++) {
        TwAstAlias *a = TW_SEQ_GET(s->v.import.names, i);
        const char *n = tw_str_utf8(a->name);
        const char *dot = strchr(n, '.');
        if (a->asname != NULL) {
            if (emit_import_name(c, a->name, 0) < 0 ||
                compile_nameop(c, a->asname, TW_CTX_STORE) < 0)
                return -1;
        } else if (dot == NULL) {
            if (emit_import_name(c, a->name, 0) < 0 || compile_nameop(c, a->name, TW_CTX_STORE) < 0)
                return -1;
        } else {
            TwObject *first = tw_str_from_utf8(n, (size_t)(dot - n));
            TwObject *top = first ? tw_str_intern(first) : NULL;
            tw_xdecref(first);
            if (top == NULL)
                return -1;
            int r = emit_import_name(c, a->name, IMPORT_TOP);
            if (r == 0)
                r = compile_nameop(c, top, TW_CTX_STORE);
            tw_decref(top);
            if (r < 0)
                return -1;
        }
    }
    return 0;
}

static int compile_importfrom(Compiler *c, TwAstStmt *s)
{
    TwObject *module = s->v.importfrom.module;
    TwObject *empty = NULL;
    if (module == NULL) {
        empty = tw_str_intern_cstr("");
        if (empty == NULL)
            return -1;
        module = empty;
    }
    int r = emit_import_name(c, module, s->v.importfrom.level > 0 ? IMPORT_RELATIVE : 0);
    tw_xdecref(empty);
    if (r < 0)
        return -1;
    intptr_t n = TW_SEQ_LEN(s->v.importfrom.names);
    for (intptr_t i = 0; i < n; i++) {
        TwAstAlias *a = TW_SEQ_GET(s->v.importfrom.names, i);
        if (tw_str_equal_cstr(a->name, "*"))
            return emit(c, TW_OP_IMPORT_STAR, 0);
        if (emit_named(c, TW_OP_IMPORT_FROM, a->name) < 0 ||
            compile_nameop(c, a->asname ? a->asname : a->name, TW_CTX_STORE) < 0)
            return -1;
    }
    return emit(c, TW_OP_POP_TOP, 0);
}

/* ---- assignment ----------------------------------------------------------------------------- */

/* Unpack the value on top of the stack into the elements of a tuple or
 * list target. */
static int compile_unpack(Compiler *c, TwAstSeq *elts, TwAstExpr *target)
{
    intptr_t n = TW_SEQ_LEN(elts);
    intptr_t star = -1;
    for (intptr_t i = 0; i < n; i++) {
        TwAstExpr *e = TW_SEQ_GET(elts, i);
        if (e->kind == TW_EXPR_STARRED) {
            if (star >= 0)
                return compiler_error(c, e->lineno, e->col, e->end_lineno, e->end_col,
                                      "multiple starred expressions in assignment");
            star = i;
        }
    }
    if (star < 0) {
        if (emit(c, TW_OP_UNPACK_SEQUENCE, (uint32_t)n) < 0)
            return -1;
    } else {
        intptr_t after = n - star - 1;
        if (star >= 256 || after >= (1 << 15))
            return compiler_error(c, target->lineno, target->col, target->end_lineno,
                                  target->end_col,
                                  "too many expressions in star-unpacking assignment");
        if (emit(c, TW_OP_UNPACK_EX, (uint32_t)star | (uint32_t)after << 8) < 0)
            return -1;
    }
    for (intptr_t i = 0; i < n; i++) {
        TwAstExpr *e = TW_SEQ_GET(elts, i);
        if (compile_store(c, e->kind == TW_EXPR_STARRED ? e->v.starred.value : e) < 0)
            return -1;
    }
    return 0;
}

/* Store the value on top of the stack into target. */
static int compile_store(Compiler *c, TwAstExpr *t)
{
    Loc saved = c->loc;
    c->loc = LOC_OF(t);
    int r;
    switch (t->kind) {
    case TW_EXPR_NAME:
        r = compile_nameop(c, t->v.name.id, TW_CTX_STORE);
        break;
    case TW_EXPR_ATTRIBUTE: {
        r = compile_expr(c, t->v.attribute.value);
        if (r == 0) {
            TwObject *attr = tw_mangle(c->u->ste->private_name, t->v.attribute.attr);
            c->loc = LOC_OF(t);
            r = attr ? emit_cached(c, TW_OP_STORE_ATTR, attr) : -1;
            tw_xdecref(attr);
        }
        break;
    }
    case TW_EXPR_SUBSCRIPT:
        r = compile_expr(c, t->v.subscript.value);
        if (r == 0)
            r = compile_expr(c, t->v.subscript.slice);
        c->loc = LOC_OF(t);
        if (r == 0)
            r = emit(c, TW_OP_STORE_SUBSCR, 0);
        break;
    case TW_EXPR_TUPLE:
        r = compile_unpack(c, t->v.tuple.elts, t);
        break;
    case TW_EXPR_LIST:
        r = compile_unpack(c, t->v.list.elts, t);
        break;
    case TW_EXPR_STARRED:
        r = compiler_error(c, t->lineno, t->col, t->end_lineno, t->end_col,
                           "starred assignment target must be in a list or tuple");
        break;
    default:
        r = compiler_error(c, t->lineno, t->col, t->end_lineno, t->end_col,
                           "cannot assign to expression");
        break;
    }
    c->loc = saved;
    return r;
}

static int has_starred(TwAstSeq *elts)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(elts); i++)
        if (((TwAstExpr *)TW_SEQ_GET(elts, i))->kind == TW_EXPR_STARRED)
            return 1;
    return 0;
}

static int compile_assign(Compiler *c, TwAstStmt *s)
{
    TwAstSeq *targets = s->v.assign.targets;
    TwAstExpr *value = s->v.assign.value;
    intptr_t nt = TW_SEQ_LEN(targets);
    TwAstExpr *t0 = TW_SEQ_GET(targets, 0);
    /* a, b = b, a: no tuple is built, the values are swapped on the stack. */
    if (nt == 1 && value->kind == TW_EXPR_TUPLE &&
        (t0->kind == TW_EXPR_TUPLE || t0->kind == TW_EXPR_LIST)) {
        TwAstSeq *telts = t0->kind == TW_EXPR_TUPLE ? t0->v.tuple.elts : t0->v.list.elts;
        intptr_t n = TW_SEQ_LEN(value->v.tuple.elts);
        if (n == TW_SEQ_LEN(telts) && n >= 2 && n <= 3 && !has_starred(value->v.tuple.elts) &&
            !has_starred(telts)) {
            for (intptr_t i = 0; i < n; i++)
                if (compile_expr(c, TW_SEQ_GET(value->v.tuple.elts, i)) < 0)
                    return -1;
            c->loc = LOC_OF(s);
            if (emit(c, TW_OP_SWAP, (uint32_t)n) < 0)
                return -1;
            for (intptr_t i = 0; i < n; i++)
                if (compile_store(c, TW_SEQ_GET(telts, i)) < 0)
                    return -1;
            return 0;
        }
    }
    if (compile_expr(c, value) < 0)
        return -1;
    for (intptr_t i = 0; i < nt; i++) {
        c->loc = LOC_OF(s);
        if (i + 1 < nt && emit(c, TW_OP_COPY, 1) < 0)
            return -1;
        if (compile_store(c, TW_SEQ_GET(targets, i)) < 0)
            return -1;
    }
    return 0;
}

static int compile_augassign(Compiler *c, TwAstStmt *s)
{
    TwAstExpr *t = s->v.augassign.target;
    uint32_t op = (uint32_t)s->v.augassign.op | TW_BINOP_INPLACE;
    switch (t->kind) {
    case TW_EXPR_NAME:
        c->loc = LOC_OF(t);
        if (compile_nameop(c, t->v.name.id, TW_CTX_LOAD) < 0 ||
            compile_expr(c, s->v.augassign.value) < 0)
            return -1;
        c->loc = LOC_OF(s);
        if (emit(c, TW_OP_BINARY_OP, op) < 0)
            return -1;
        c->loc = LOC_OF(t);
        return compile_nameop(c, t->v.name.id, TW_CTX_STORE);
    case TW_EXPR_ATTRIBUTE: {
        TwObject *attr = tw_mangle(c->u->ste->private_name, t->v.attribute.attr);
        if (attr == NULL)
            return -1;
        int r = compile_expr(c, t->v.attribute.value);
        c->loc = LOC_OF(t);
        if (r == 0 && (emit(c, TW_OP_COPY, 1) < 0 || emit_cached(c, TW_OP_LOAD_ATTR, attr) < 0 ||
                       compile_expr(c, s->v.augassign.value) < 0))
            r = -1;
        c->loc = LOC_OF(s);
        if (r == 0 && (emit(c, TW_OP_BINARY_OP, op) < 0 || emit(c, TW_OP_SWAP, 2) < 0 ||
                       emit_cached(c, TW_OP_STORE_ATTR, attr) < 0))
            r = -1;
        tw_decref(attr);
        return r;
    }
    case TW_EXPR_SUBSCRIPT:
        if (compile_expr(c, t->v.subscript.value) < 0 || compile_expr(c, t->v.subscript.slice) < 0)
            return -1;
        c->loc = LOC_OF(t);
        if (emit(c, TW_OP_COPY, 2) < 0 || emit(c, TW_OP_COPY, 2) < 0 ||
            emit(c, TW_OP_BINARY_SUBSCR, 0) < 0 || compile_expr(c, s->v.augassign.value) < 0)
            return -1;
        c->loc = LOC_OF(s);
        if (emit(c, TW_OP_BINARY_OP, op) < 0 || emit(c, TW_OP_SWAP, 3) < 0 ||
            emit(c, TW_OP_SWAP, 2) < 0)
            return -1;
        return emit(c, TW_OP_STORE_SUBSCR, 0);
    default:
        return compiler_error(c, t->lineno, t->col, t->end_lineno, t->end_col,
                              "'%s' is an illegal expression for augmented assignment",
                              t->kind == TW_EXPR_TUPLE  ? "tuple"
                              : t->kind == TW_EXPR_LIST ? "list"
                                                        : "expression");
    }
}

static int compile_delete_target(Compiler *c, TwAstExpr *t)
{
    c->loc = LOC_OF(t);
    switch (t->kind) {
    case TW_EXPR_NAME:
        return compile_nameop(c, t->v.name.id, TW_CTX_DEL);
    case TW_EXPR_ATTRIBUTE: {
        if (compile_expr(c, t->v.attribute.value) < 0)
            return -1;
        TwObject *attr = tw_mangle(c->u->ste->private_name, t->v.attribute.attr);
        if (attr == NULL)
            return -1;
        c->loc = LOC_OF(t);
        int r = emit_named(c, TW_OP_DELETE_ATTR, attr);
        tw_decref(attr);
        return r;
    }
    case TW_EXPR_SUBSCRIPT:
        if (compile_expr(c, t->v.subscript.value) < 0 || compile_expr(c, t->v.subscript.slice) < 0)
            return -1;
        c->loc = LOC_OF(t);
        return emit(c, TW_OP_DELETE_SUBSCR, 0);
    case TW_EXPR_TUPLE:
    case TW_EXPR_LIST: {
        TwAstSeq *elts = t->kind == TW_EXPR_TUPLE ? t->v.tuple.elts : t->v.list.elts;
        for (intptr_t i = 0; i < TW_SEQ_LEN(elts); i++)
            if (compile_delete_target(c, TW_SEQ_GET(elts, i)) < 0)
                return -1;
        return 0;
    }
    default:
        return compiler_error(c, t->lineno, t->col, t->end_lineno, t->end_col,
                              "cannot delete expression");
    }
}

/* ---- statements --------------------------------------------------------------------------- */

static int compile_stmt(Compiler *c, TwAstStmt *s)
{
    if (++c->nesting > MAX_NESTING) {
        c->nesting--;
        tw_err_set_string(&tw_exc_RecursionError,
                          "maximum recursion depth exceeded during compilation");
        return -1;
    }
    c->loc = LOC_OF(s);
    int r = 0;
    switch (s->kind) {
    case TW_STMT_FUNCTIONDEF:
        r = compile_functiondef(c, s);
        break;
    case TW_STMT_CLASSDEF:
        r = compile_classdef(c, s);
        break;
    case TW_STMT_RETURN:
        r = compile_return(c, s);
        break;
    case TW_STMT_DELETE:
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.delete_.targets) && r == 0; i++)
            r = compile_delete_target(c, TW_SEQ_GET(s->v.delete_.targets, i));
        break;
    case TW_STMT_ASSIGN:
        r = compile_assign(c, s);
        break;
    case TW_STMT_AUGASSIGN:
        r = compile_augassign(c, s);
        break;
    case TW_STMT_ANNASSIGN:
        /* Annotations are not evaluated; `x: T = v` is `x = v`. */
        if (s->v.annassign.value != NULL) {
            r = compile_expr(c, s->v.annassign.value);
            if (r == 0)
                r = compile_store(c, s->v.annassign.target);
        }
        break;
    case TW_STMT_FOR:
        r = compile_for(c, s);
        break;
    case TW_STMT_WHILE:
        r = compile_while(c, s);
        break;
    case TW_STMT_IF:
        r = compile_if(c, s);
        break;
    case TW_STMT_WITH:
        r = compile_with(c, s, 0);
        break;
    case TW_STMT_RAISE:
        r = compile_raise(c, s);
        break;
    case TW_STMT_TRY:
        r = compile_try(c, s);
        break;
    case TW_STMT_ASSERT:
        r = compile_assert(c, s);
        break;
    case TW_STMT_IMPORT:
        r = compile_import(c, s);
        break;
    case TW_STMT_IMPORTFROM:
        r = compile_importfrom(c, s);
        break;
    case TW_STMT_GLOBAL:
    case TW_STMT_NONLOCAL:
    case TW_STMT_PASS:
        break;
    case TW_STMT_EXPR:
        /* A lone constant (a docstring, `...`) does nothing. */
        if (s->v.expr.value->kind == TW_EXPR_CONSTANT)
            break;
        r = compile_expr(c, s->v.expr.value);
        if (r == 0) {
            c->loc = LOC_OF(s);
            r = emit(c, TW_OP_POP_TOP, 0);
        }
        break;
    case TW_STMT_BREAK:
        r = compile_break_continue(c, s, 1);
        break;
    case TW_STMT_CONTINUE:
        r = compile_break_continue(c, s, 0);
        break;
    }
    c->nesting--;
    return r;
}

/* ---- expressions ---------------------------------------------------------------------------- */

/* A tuple of constants when every element is a constant, else NULL with
 * no exception (or NULL with one on failure: check tw_err_occurred). */
static TwObject *constant_tuple(TwAstSeq *elts)
{
    intptr_t n = TW_SEQ_LEN(elts);
    for (intptr_t i = 0; i < n; i++)
        if (((TwAstExpr *)TW_SEQ_GET(elts, i))->kind != TW_EXPR_CONSTANT)
            return NULL;
    TwObject *t = tw_tuple_new(n);
    if (t == NULL)
        return NULL;
    for (intptr_t i = 0; i < n; i++)
        tw_tuple_init_item(t, i, tw_newref(((TwAstExpr *)TW_SEQ_GET(elts, i))->v.constant.value));
    return t;
}

/* A list, tuple or set display.  Without starred items the elements are
 * pushed and built at once; with them the collection grows item by item. */
static int compile_sequence(Compiler *c, TwAstSeq *elts, int build_op)
{
    intptr_t n = TW_SEQ_LEN(elts);
    if (build_op == TW_OP_BUILD_TUPLE && n > 0) {
        TwObject *t = constant_tuple(elts);
        if (t != NULL) {
            int r = emit_const(c, t);
            tw_decref(t);
            return r;
        }
        if (tw_err_occurred())
            return -1;
    }
    if (!has_starred(elts)) {
        for (intptr_t i = 0; i < n; i++)
            if (compile_expr(c, TW_SEQ_GET(elts, i)) < 0)
                return -1;
        return emit(c, build_op, (uint32_t)n);
    }
    int is_set = build_op == TW_OP_BUILD_SET;
    if (emit(c, is_set ? TW_OP_BUILD_SET : TW_OP_BUILD_LIST, 0) < 0)
        return -1;
    for (intptr_t i = 0; i < n; i++) {
        TwAstExpr *e = TW_SEQ_GET(elts, i);
        if (e->kind == TW_EXPR_STARRED) {
            if (compile_expr(c, e->v.starred.value) < 0 ||
                emit(c, is_set ? TW_OP_SET_UPDATE : TW_OP_LIST_EXTEND, 1) < 0)
                return -1;
        } else if (compile_expr(c, e) < 0 ||
                   emit(c, is_set ? TW_OP_SET_ADD : TW_OP_LIST_APPEND, 1) < 0) {
            return -1;
        }
    }
    if (build_op == TW_OP_BUILD_TUPLE)
        return emit(c, TW_OP_LIST_TO_TUPLE, 0);
    return 0;
}

static int compile_dict(Compiler *c, TwAstExpr *e)
{
    TwAstSeq *keys = e->v.dict.keys, *values = e->v.dict.values;
    intptr_t n = TW_SEQ_LEN(values);
    int has_unpack = 0;
    for (intptr_t i = 0; i < n; i++)
        if (TW_SEQ_GET(keys, i) == NULL)
            has_unpack = 1;
    if (!has_unpack) {
        for (intptr_t i = 0; i < n; i++)
            if (compile_expr(c, TW_SEQ_GET(keys, i)) < 0 ||
                compile_expr(c, TW_SEQ_GET(values, i)) < 0)
                return -1;
        return emit(c, TW_OP_BUILD_MAP, (uint32_t)n);
    }
    if (emit(c, TW_OP_BUILD_MAP, 0) < 0)
        return -1;
    for (intptr_t i = 0; i < n; i++) {
        TwAstExpr *k = TW_SEQ_GET(keys, i);
        if (k == NULL) {
            if (compile_expr(c, TW_SEQ_GET(values, i)) < 0 || emit(c, TW_OP_DICT_UPDATE, 1) < 0)
                return -1;
        } else if (compile_expr(c, k) < 0 || compile_expr(c, TW_SEQ_GET(values, i)) < 0 ||
                   emit(c, TW_OP_MAP_ADD, 1) < 0) {
            return -1;
        }
    }
    return 0;
}

static int compare_op_emit(Compiler *c, intptr_t op)
{
    switch (op) {
    case TW_CMP_EQ:
        return emit(c, TW_OP_COMPARE_OP, TW_EQ);
    case TW_CMP_NOTEQ:
        return emit(c, TW_OP_COMPARE_OP, TW_NE);
    case TW_CMP_LT:
        return emit(c, TW_OP_COMPARE_OP, TW_LT);
    case TW_CMP_LTE:
        return emit(c, TW_OP_COMPARE_OP, TW_LE);
    case TW_CMP_GT:
        return emit(c, TW_OP_COMPARE_OP, TW_GT);
    case TW_CMP_GTE:
        return emit(c, TW_OP_COMPARE_OP, TW_GE);
    case TW_CMP_IS:
        return emit(c, TW_OP_IS_OP, 0);
    case TW_CMP_ISNOT:
        return emit(c, TW_OP_IS_OP, 1);
    case TW_CMP_IN:
        return emit(c, TW_OP_CONTAINS_OP, 0);
    case TW_CMP_NOTIN:
        return emit(c, TW_OP_CONTAINS_OP, 1);
    }
    return -1;
}

/* a < b < c evaluates b once and stops at the first false comparison. */
static int compile_compare(Compiler *c, TwAstExpr *e)
{
    TwAstSeq *ops = e->v.compare.ops, *cmps = e->v.compare.comparators;
    intptr_t n = TW_SEQ_LEN(ops);
    if (compile_expr(c, e->v.compare.left) < 0)
        return -1;
    if (n == 1) {
        if (compile_expr(c, TW_SEQ_GET(cmps, 0)) < 0)
            return -1;
        c->loc = LOC_OF(e);
        return compare_op_emit(c, (intptr_t)TW_SEQ_GET(ops, 0));
    }
    int cleanup = new_label(c), end = new_label(c);
    if (cleanup < 0 || end < 0)
        return -1;
    for (intptr_t i = 0; i < n - 1; i++) {
        if (compile_expr(c, TW_SEQ_GET(cmps, i)) < 0)
            return -1;
        c->loc = LOC_OF(e);
        if (emit(c, TW_OP_SWAP, 2) < 0 || emit(c, TW_OP_COPY, 2) < 0 ||
            compare_op_emit(c, (intptr_t)TW_SEQ_GET(ops, i)) < 0 ||
            emit_jump(c, TW_OP_JUMP_IF_FALSE_OR_POP, cleanup) < 0)
            return -1;
    }
    if (compile_expr(c, TW_SEQ_GET(cmps, n - 1)) < 0)
        return -1;
    c->loc = LOC_OF(e);
    if (compare_op_emit(c, (intptr_t)TW_SEQ_GET(ops, n - 1)) < 0 ||
        emit_jump(c, TW_OP_JUMP, end) < 0)
        return -1;
    bind_label(c, cleanup); /* [b, False] */
    if (emit(c, TW_OP_SWAP, 2) < 0 || emit(c, TW_OP_POP_TOP, 0) < 0)
        return -1;
    bind_label(c, end);
    return 0;
}

static int keywords_have_unpack(TwAstSeq *keywords)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(keywords); i++)
        if (((TwAstKeyword *)TW_SEQ_GET(keywords, i))->arg == NULL)
            return 1;
    return 0;
}

/* Push the arguments and emit the call; [callable, self|NULL] and
 * `nprefix` positional arguments are already on the stack. */
static int compile_call_helper(Compiler *c, int nprefix, TwAstSeq *args, TwAstSeq *keywords)
{
    Loc line = c->loc;
    intptr_t nargs = TW_SEQ_LEN(args), nkw = TW_SEQ_LEN(keywords);
    if (!has_starred(args) && !keywords_have_unpack(keywords)) {
        for (intptr_t i = 0; i < nargs; i++)
            if (compile_expr(c, TW_SEQ_GET(args, i)) < 0)
                return -1;
        if (nkw == 0) {
            c->loc = line;
            return emit(c, TW_OP_CALL, (uint32_t)(nprefix + nargs));
        }
        TwObject *kwnames = tw_tuple_new(nkw);
        if (kwnames == NULL)
            return -1;
        for (intptr_t i = 0; i < nkw; i++) {
            TwAstKeyword *k = TW_SEQ_GET(keywords, i);
            for (intptr_t j = 0; j < i; j++)
                if (((TwAstKeyword *)TW_SEQ_GET(keywords, j))->arg == k->arg) {
                    tw_decref(kwnames);
                    return compiler_error(c, k->lineno, k->col, k->lineno, k->col + 1,
                                          "keyword argument repeated: %s", tw_str_utf8(k->arg));
                }
            tw_tuple_init_item(kwnames, i, tw_newref(k->arg));
            if (compile_expr(c, k->value) < 0) {
                tw_decref(kwnames);
                return -1;
            }
        }
        int r = emit_const(c, kwnames);
        tw_decref(kwnames);
        c->loc = line;
        return r < 0 ? -1 : emit(c, TW_OP_CALL_KW, (uint32_t)(nprefix + nargs + nkw));
    }
    /* f(*a, **k): an argument tuple and a keyword dict. */
    if (emit(c, TW_OP_BUILD_LIST, (uint32_t)nprefix) < 0)
        return -1;
    for (intptr_t i = 0; i < nargs; i++) {
        TwAstExpr *e = TW_SEQ_GET(args, i);
        if (e->kind == TW_EXPR_STARRED) {
            if (compile_expr(c, e->v.starred.value) < 0 || emit(c, TW_OP_LIST_EXTEND, 1) < 0)
                return -1;
        } else if (compile_expr(c, e) < 0 || emit(c, TW_OP_LIST_APPEND, 1) < 0) {
            return -1;
        }
    }
    if (emit(c, TW_OP_LIST_TO_TUPLE, 0) < 0)
        return -1;
    if (nkw > 0) {
        if (emit(c, TW_OP_BUILD_MAP, 0) < 0)
            return -1;
        for (intptr_t i = 0; i < nkw; i++) {
            TwAstKeyword *k = TW_SEQ_GET(keywords, i);
            if (k->arg == NULL) {
                if (compile_expr(c, k->value) < 0 || emit(c, TW_OP_DICT_MERGE, 1) < 0)
                    return -1;
            } else {
                if (emit(c, TW_OP_BUILD_MAP, 0) < 0 || emit_const(c, k->arg) < 0 ||
                    compile_expr(c, k->value) < 0 || emit(c, TW_OP_MAP_ADD, 1) < 0 ||
                    emit(c, TW_OP_DICT_MERGE, 1) < 0)
                    return -1;
            }
        }
    }
    c->loc = line;
    return emit(c, TW_OP_CALL_EX, nkw > 0 ? 1 : 0);
}

/* Is e a zero-argument super() call inside a method, which the compiler
 * turns into super(__class__, <first argument>)?  That needs the name
 * super to be the global one, __class__ to be a free variable, and a
 * first argument. */
static int is_zero_arg_super(Compiler *c, TwAstExpr *e)
{
    Unit *u = c->u;
    if (e->kind != TW_EXPR_CALL)
        return 0;
    TwAstExpr *f = e->v.call.func;
    if (f->kind != TW_EXPR_NAME || f->v.name.id != c->s_super || TW_SEQ_LEN(e->v.call.args) ||
        TW_SEQ_LEN(e->v.call.keywords) || u->ste->type != TW_BLOCK_FUNCTION)
        return 0;
    int sscope = tw_symtable_scope_of(tw_symtable_lookup(u->ste, c->s_super));
    int cscope = tw_symtable_scope_of(tw_symtable_lookup(u->ste, c->s_class));
    if (sscope != TW_SCOPE_GLOBAL_IMPLICIT || cscope != TW_SCOPE_FREE)
        return 0;
    return u->argcount > 0 || (u->flags & TW_CO_VARARGS);
}

/* Push super, __class__ and the first argument (see is_zero_arg_super). */
static int emit_super_operands(Compiler *c, TwAstExpr *e)
{
    Unit *u = c->u;
    int r = compile_nameop(c, c->s_super, TW_CTX_LOAD);
    if (r == 0)
        r = compile_nameop(c, c->s_class, TW_CTX_LOAD);
    if (r == 0)
        r = emit(c, (u->kinds[0] & TW_LOCAL_CELL) ? TW_OP_LOAD_DEREF : TW_OP_LOAD_FAST, 0);
    if (r == 0 && u->argcount == 0) {
        /* def f(*args): super() uses args[0] */
        r = emit_const(c, tw_int_from_i64(0));
        if (r == 0)
            r = emit(c, TW_OP_BINARY_SUBSCR, 0);
    }
    c->loc = LOC_OF(e);
    return r;
}

/* super() alone: a real super object, super(__class__, self). */
static int try_compile_zero_arg_super(Compiler *c, TwAstExpr *e, int *done)
{
    *done = 0;
    if (!is_zero_arg_super(c, e))
        return 0;
    *done = 1;
    if (compile_nameop(c, c->s_super, TW_CTX_LOAD) < 0 || emit(c, TW_OP_PUSH_NULL, 0) < 0)
        return -1;
    Unit *u = c->u;
    int r = compile_nameop(c, c->s_class, TW_CTX_LOAD);
    if (r == 0)
        r = emit(c, (u->kinds[0] & TW_LOCAL_CELL) ? TW_OP_LOAD_DEREF : TW_OP_LOAD_FAST, 0);
    if (r == 0 && u->argcount == 0) {
        r = emit_const(c, tw_int_from_i64(0));
        if (r == 0)
            r = emit(c, TW_OP_BINARY_SUBSCR, 0);
    }
    c->loc = LOC_OF(e);
    return r == 0 ? emit(c, TW_OP_CALL, 2) : -1;
}

static int compile_call(Compiler *c, TwAstExpr *e)
{
    int done;
    if (try_compile_zero_arg_super(c, e, &done) < 0)
        return -1;
    if (done)
        return 0;
    TwAstExpr *f = e->v.call.func;
    /* obj.meth(args): LOAD_METHOD avoids the bound method; super().meth(args)
     * avoids the super object too. */
    if (f->kind == TW_EXPR_ATTRIBUTE && !has_starred(e->v.call.args) &&
        !keywords_have_unpack(e->v.call.keywords)) {
        int super_call = is_zero_arg_super(c, f->v.attribute.value);
        if (super_call ? emit_super_operands(c, f->v.attribute.value) < 0
                       : compile_expr(c, f->v.attribute.value) < 0)
            return -1;
        TwObject *attr = tw_mangle(c->u->ste->private_name, f->v.attribute.attr);
        if (attr == NULL)
            return -1;
        Loc mloc = attr_loc(f);
        c->loc = mloc;
        int r = emit_cached(c, super_call ? TW_OP_LOAD_SUPER_METHOD : TW_OP_LOAD_METHOD, attr);
        tw_decref(attr);
        if (r < 0)
            return -1;
        /* The call of a method on a chain that spans lines is reported
         * from the method's name on. */
        c->loc = LOC_OF(e);
        if (mloc.lineno != e->lineno) {
            c->loc.lineno = mloc.lineno;
            c->loc.col = mloc.col;
            if (mloc.col < 0)
                c->loc.end_col = -1;
        }
        return compile_call_helper(c, 0, e->v.call.args, e->v.call.keywords);
    }
    if (compile_expr(c, f) < 0 || emit(c, TW_OP_PUSH_NULL, 0) < 0)
        return -1;
    c->loc = LOC_OF(e);
    return compile_call_helper(c, 0, e->v.call.args, e->v.call.keywords);
}

static int compile_formatted_value(Compiler *c, TwAstExpr *e)
{
    if (compile_expr(c, e->v.formattedvalue.value) < 0)
        return -1;
    uint32_t flags;
    switch (e->v.formattedvalue.conversion) {
    case 's':
        flags = TW_FMT_STR;
        break;
    case 'r':
        flags = TW_FMT_REPR;
        break;
    case 'a':
        flags = TW_FMT_ASCII;
        break;
    default:
        flags = TW_FMT_NONE;
        break;
    }
    if (e->v.formattedvalue.format_spec != NULL) {
        if (compile_expr(c, e->v.formattedvalue.format_spec) < 0)
            return -1;
        flags |= TW_FMT_HAVE_SPEC;
    }
    c->loc = LOC_OF(e);
    return emit(c, TW_OP_FORMAT_VALUE, flags);
}

static int compile_joinedstr(Compiler *c, TwAstExpr *e)
{
    TwAstSeq *vals = e->v.joinedstr.values;
    intptr_t n = TW_SEQ_LEN(vals);
    if (n == 0) {
        TwObject *empty = tw_str_from_cstr("");
        if (empty == NULL)
            return -1;
        int r = emit_const(c, empty);
        tw_decref(empty);
        return r;
    }
    for (intptr_t i = 0; i < n; i++)
        if (compile_expr(c, TW_SEQ_GET(vals, i)) < 0)
            return -1;
    if (n == 1 && ((TwAstExpr *)TW_SEQ_GET(vals, 0))->kind == TW_EXPR_FORMATTEDVALUE)
        return 0;
    if (n == 1 && ((TwAstExpr *)TW_SEQ_GET(vals, 0))->kind == TW_EXPR_CONSTANT)
        return 0;
    return emit(c, TW_OP_BUILD_STRING, (uint32_t)n);
}

static int compile_boolop(Compiler *c, TwAstExpr *e)
{
    int end = new_label(c);
    if (end < 0)
        return -1;
    int op = e->v.boolop.op == TW_BOOL_AND ? TW_OP_JUMP_IF_FALSE_OR_POP : TW_OP_JUMP_IF_TRUE_OR_POP;
    TwAstSeq *vals = e->v.boolop.values;
    intptr_t n = TW_SEQ_LEN(vals);
    for (intptr_t i = 0; i < n; i++) {
        if (compile_expr(c, TW_SEQ_GET(vals, i)) < 0)
            return -1;
        if (i + 1 < n && emit_jump(c, op, end) < 0)
            return -1;
    }
    bind_label(c, end);
    return 0;
}

static int compile_slice_part(Compiler *c, TwAstExpr *part)
{
    return part ? compile_expr(c, part) : emit_const(c, TW_NONE);
}

/* ---- constant folding ------------------------------------------------------
 *
 * Arithmetic on literals is computed at compile time (by the same number
 * code that runs it later), as CPython does, so `-1` or `2 ** 10` cost
 * nothing and equal folded results share one constant (`1000 + 24 is
 * 1024` holds).  Like CPython, results are kept small: integers of at
 * most 128 bits, strings of at most 4096 characters; an operation that
 * raises (1 / 0) is left for run time. */

#define FOLD_MAX_INT_BITS 128
#define FOLD_MAX_STR      4096

static int is_number_constant(TwObject *o)
{
    TwType *t = TW_TYPE(o);
    return t == &tw_int_type || t == &tw_float_type || t == &tw_bool_type;
}

/* Bits of a small int's magnitude, or a large number for big ints. */
static int int_bits(TwObject *o)
{
    if (TW_TYPE(o) == &tw_float_type)
        return 0;
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(o, &overflow);
    if (overflow)
        return 1000;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int b = 0;
    while (m) {
        b++;
        m >>= 1;
    }
    return b;
}

static TwObject *fold_constant(TwAstExpr *e, int depth);

static TwObject *fold_binop(TwAstExpr *e, int depth)
{
    TwObject *l = fold_constant(e->v.binop.left, depth + 1);
    if (l == NULL)
        return NULL;
    TwObject *r = fold_constant(e->v.binop.right, depth + 1);
    if (r == NULL) {
        tw_decref(l);
        return NULL;
    }
    TwObject *res = NULL;
    int op = (int)e->v.binop.op;
    if (is_number_constant(l) && is_number_constant(r)) {
        int ok = 1;
        int both_int = TW_TYPE(l) != &tw_float_type && TW_TYPE(r) != &tw_float_type;
        if (both_int) {
            int bl = int_bits(l), br = int_bits(r);
            if (op == TW_OP_MUL && bl + br > FOLD_MAX_INT_BITS)
                ok = 0;
            if (op == TW_OP_POW) {
                int overflow = 0;
                int64_t ex = tw_int_as_i64_overflow(r, &overflow);
                /* bl * ex <= FOLD_MAX_INT_BITS, without overflowing for a huge ex */
                ok = !overflow && ex >= 0 && (bl == 0 || ex <= FOLD_MAX_INT_BITS / bl);
            }
            if (op == TW_OP_LSHIFT) {
                int overflow = 0;
                int64_t sh = tw_int_as_i64_overflow(r, &overflow);
                ok = !overflow && sh >= 0 && sh <= FOLD_MAX_INT_BITS - bl;
            }
            if (bl > FOLD_MAX_INT_BITS || br > FOLD_MAX_INT_BITS)
                ok = 0;
        }
        if (op == TW_OP_MATMUL)
            ok = 0;
        if (ok)
            res = tw_number_binop(op, l, r, 0);
    } else if (op == TW_OP_ADD && TW_TYPE(l) == &tw_str_type && TW_TYPE(r) == &tw_str_type) {
        if (tw_str_length(l) + tw_str_length(r) <= FOLD_MAX_STR)
            res = tw_str_concat(l, r);
    }
    if (res == NULL)
        tw_err_clear();
    tw_decref(l);
    tw_decref(r);
    return res;
}

/* The value of e if it is a constant expression the compiler computes,
 * else NULL (no exception). */
static TwObject *fold_constant(TwAstExpr *e, int depth)
{
    if (depth > 100)
        return NULL;
    switch (e->kind) {
    case TW_EXPR_CONSTANT:
        return tw_newref(e->v.constant.value);
    case TW_EXPR_UNARYOP: {
        if (e->v.unaryop.op == TW_UOP_NOT)
            return NULL;
        TwObject *v = fold_constant(e->v.unaryop.operand, depth + 1);
        if (v == NULL)
            return NULL;
        TwObject *r = NULL;
        if (is_number_constant(v)) {
            if (e->v.unaryop.op == TW_UOP_USUB)
                r = tw_number_negative(v);
            else if (e->v.unaryop.op == TW_UOP_UADD)
                r = tw_number_positive(v);
            else if (TW_TYPE(v) != &tw_float_type)
                r = tw_number_invert(v);
        }
        if (r == NULL)
            tw_err_clear();
        tw_decref(v);
        return r;
    }
    case TW_EXPR_BINOP:
        return fold_binop(e, depth);
    default:
        return NULL;
    }
}

/* Emit e as one constant if it folds; *done says whether it did. */
static int try_fold(Compiler *c, TwAstExpr *e, int *done)
{
    *done = 0;
    TwObject *v = fold_constant(e, 0);
    if (v == NULL)
        return 0;
    *done = 1;
    int r = emit_const(c, v);
    tw_decref(v);
    return r;
}

static int compile_expr_inner(Compiler *c, TwAstExpr *e)
{
    switch (e->kind) {
    case TW_EXPR_BOOLOP:
        return compile_boolop(c, e);
    case TW_EXPR_NAMEDEXPR:
        if (compile_expr(c, e->v.namedexpr.value) < 0 || emit(c, TW_OP_COPY, 1) < 0)
            return -1;
        return compile_store(c, e->v.namedexpr.target);
    case TW_EXPR_BINOP: {
        int done;
        if (try_fold(c, e, &done) < 0)
            return -1;
        if (done)
            return 0;
        if (compile_expr(c, e->v.binop.left) < 0 || compile_expr(c, e->v.binop.right) < 0)
            return -1;
        c->loc = LOC_OF(e);
        if (e->lineno == e->end_lineno) {
            c->loc.a1 = e->v.binop.left->end_col; /* the operator lies between */
            c->loc.a2 = e->v.binop.right->col;
        }
        return emit(c, TW_OP_BINARY_OP, (uint32_t)e->v.binop.op);
    }
    case TW_EXPR_UNARYOP: {
        int done;
        if (try_fold(c, e, &done) < 0)
            return -1;
        if (done)
            return 0;
        if (compile_expr(c, e->v.unaryop.operand) < 0)
            return -1;
        c->loc = LOC_OF(e);
        switch (e->v.unaryop.op) {
        case TW_UOP_INVERT:
            return emit(c, TW_OP_UNARY_INVERT, 0);
        case TW_UOP_NOT:
            return emit(c, TW_OP_UNARY_NOT, 0);
        case TW_UOP_UADD:
            return emit(c, TW_OP_UNARY_POSITIVE, 0);
        case TW_UOP_USUB:
            return emit(c, TW_OP_UNARY_NEGATIVE, 0);
        }
        return -1;
    }
    case TW_EXPR_LAMBDA:
        return compile_lambda(c, e);
    case TW_EXPR_IFEXP: {
        int orelse = new_label(c), end = new_label(c);
        if (orelse < 0 || end < 0 || compile_jump_if(c, e->v.ifexp.test, orelse, 0) < 0 ||
            compile_expr(c, e->v.ifexp.body) < 0 || emit_jump(c, TW_OP_JUMP, end) < 0)
            return -1;
        bind_label(c, orelse);
        if (compile_expr(c, e->v.ifexp.orelse) < 0)
            return -1;
        bind_label(c, end);
        return 0;
    }
    case TW_EXPR_DICT:
        return compile_dict(c, e);
    case TW_EXPR_SET:
        return compile_sequence(c, e->v.set.elts, TW_OP_BUILD_SET);
    case TW_EXPR_LISTCOMP:
    case TW_EXPR_SETCOMP:
    case TW_EXPR_DICTCOMP:
    case TW_EXPR_GENEXP:
        return compile_comprehension(c, e);
    case TW_EXPR_YIELD:
        if (e->v.yield.value != NULL ? compile_expr(c, e->v.yield.value) < 0
                                     : emit_const(c, TW_NONE) < 0)
            return -1;
        c->loc = LOC_OF(e);
        return emit(c, TW_OP_YIELD_VALUE, 0);
    case TW_EXPR_YIELDFROM:
        if (compile_expr(c, e->v.yieldfrom.value) < 0)
            return -1;
        c->loc = LOC_OF(e);
        if (emit(c, TW_OP_GET_YIELD_FROM_ITER, 0) < 0 || emit_const(c, TW_NONE) < 0)
            return -1;
        return emit(c, TW_OP_YIELD_FROM, 0);
    case TW_EXPR_COMPARE:
        return compile_compare(c, e);
    case TW_EXPR_CALL:
        return compile_call(c, e);
    case TW_EXPR_FORMATTEDVALUE:
        return compile_formatted_value(c, e);
    case TW_EXPR_JOINEDSTR:
        return compile_joinedstr(c, e);
    case TW_EXPR_CONSTANT:
        return emit_const(c, e->v.constant.value);
    case TW_EXPR_ATTRIBUTE: {
        if (e->v.attribute.ctx != TW_CTX_LOAD)
            return compiler_error(c, e->lineno, e->col, e->end_lineno, e->end_col,
                                  "invalid attribute context");
        int super_attr = is_zero_arg_super(c, e->v.attribute.value);
        if (super_attr ? emit_super_operands(c, e->v.attribute.value) < 0
                       : compile_expr(c, e->v.attribute.value) < 0)
            return -1;
        TwObject *attr = tw_mangle(c->u->ste->private_name, e->v.attribute.attr);
        if (attr == NULL)
            return -1;
        c->loc = attr_loc(e);
        int r = emit_cached(c, super_attr ? TW_OP_LOAD_SUPER_ATTR : TW_OP_LOAD_ATTR, attr);
        tw_decref(attr);
        return r;
    }
    case TW_EXPR_SUBSCRIPT:
        if (compile_expr(c, e->v.subscript.value) < 0 || compile_expr(c, e->v.subscript.slice) < 0)
            return -1;
        c->loc = LOC_OF(e);
        if (e->lineno == e->end_lineno) {
            c->loc.a1 = e->v.subscript.value->end_col; /* then the brackets */
            c->loc.a2 = e->v.subscript.slice->end_col;
        }
        return emit(c, TW_OP_BINARY_SUBSCR, 0);
    case TW_EXPR_STARRED:
        return compiler_error(c, e->lineno, e->col, e->end_lineno, e->end_col,
                              "can't use starred expression here");
    case TW_EXPR_NAME:
        return compile_nameop(c, e->v.name.id, TW_CTX_LOAD);
    case TW_EXPR_LIST:
        return compile_sequence(c, e->v.list.elts, TW_OP_BUILD_LIST);
    case TW_EXPR_TUPLE:
        return compile_sequence(c, e->v.tuple.elts, TW_OP_BUILD_TUPLE);
    case TW_EXPR_SLICE: {
        int n = e->v.slice.step ? 3 : 2;
        if (compile_slice_part(c, e->v.slice.lower) < 0 ||
            compile_slice_part(c, e->v.slice.upper) < 0)
            return -1;
        if (n == 3 && compile_expr(c, e->v.slice.step) < 0)
            return -1;
        return emit(c, TW_OP_BUILD_SLICE, (uint32_t)n);
    }
    }
    tw_err_set_string(&tw_exc_SystemError, "compiler: unknown expression kind");
    return -1;
}

static int compile_expr(Compiler *c, TwAstExpr *e)
{
    if (++c->nesting > MAX_NESTING) {
        c->nesting--;
        tw_err_set_string(&tw_exc_RecursionError,
                          "maximum recursion depth exceeded during compilation");
        return -1;
    }
    Loc saved = c->loc;
    c->loc = LOC_OF(e);
    int r = compile_expr_inner(c, e);
    c->loc = saved;
    c->nesting--;
    return r;
}

/* ---- modules ----------------------------------------------------------------------------- */

static void compiler_clear(Compiler *c)
{
    while (c->u != NULL)
        discard_scope(c);
    tw_symtable_free(c->st);
    tw_xdecref(c->filename_obj);
    tw_xdecref(c->s_name);
    tw_xdecref(c->s_module);
    tw_xdecref(c->s_qualname);
    tw_xdecref(c->s_doc);
    tw_xdecref(c->s_class);
    tw_xdecref(c->s_super);
    tw_xdecref(c->s_dot0);
}

int tw_compile_types_ready(void);

TwObject *tw_compile_module(TwAstModule *mod, const char *filename, const char *source,
                            size_t source_len)
{
    Compiler c = {0};
    TwObject *code = NULL;
    if (tw_compile_types_ready() < 0)
        return NULL;
    c.filename = filename;
    c.source = source;
    c.source_len = source_len;
    c.filename_obj = tw_str_from_cstr(filename);
    c.s_name = tw_str_intern_cstr("__name__");
    c.s_module = tw_str_intern_cstr("__module__");
    c.s_qualname = tw_str_intern_cstr("__qualname__");
    c.s_doc = tw_str_intern_cstr("__doc__");
    c.s_class = tw_str_intern_cstr("__class__");
    c.s_super = tw_str_intern_cstr("super");
    c.s_dot0 = tw_str_intern_cstr(".0");
    if (!c.filename_obj || !c.s_name || !c.s_module || !c.s_qualname || !c.s_doc || !c.s_class ||
        !c.s_super || !c.s_dot0)
        goto done;
    c.st = tw_symtable_build(mod, filename, source, source_len);
    if (c.st == NULL)
        goto done;
    TwObject *modname = tw_str_intern_cstr("<module>");
    if (modname == NULL)
        goto done;
    int r = enter_scope(&c, c.st->top, modname, 1);
    tw_decref(modname);
    if (r < 0)
        goto done;
    c.loc = LOC_LINE(1);
    TwObject *doc = docstring_of(mod->body);
    if (doc != NULL) {
        c.loc = LOC_OF((TwAstStmt *)TW_SEQ_GET(mod->body, 0));
        if (emit_const(&c, doc) < 0 || emit_named(&c, TW_OP_STORE_NAME, c.s_doc) < 0)
            goto done;
    }
    if (compile_stmts(&c, mod->body) < 0)
        goto done;
    if (!c.u->unreachable) {
        int ci = add_const(&c, TW_NONE);
        if (ci < 0 || emit(&c, TW_OP_RETURN_CONST, (uint32_t)ci) < 0)
            goto done;
    }
    code = leave_scope(&c);
done:
    compiler_clear(&c);
    return code;
}

TwObject *tw_compile_source(const char *source, size_t n, const char *filename)
{
    TwAstModule mod;
    if (tw_parse_module(source, n, filename, &mod) < 0)
        return NULL;
    TwObject *code = tw_compile_module(&mod, filename, source, n);
    tw_arena_free(mod.arena);
    return code;
}

/* ---- disassembly --------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t n, cap;
} Text;

static void text_add(Text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    if ((size_t)len >= sizeof small)
        len = sizeof small - 1;
    if (t->n + (size_t)len + 1 > t->cap) {
        size_t cap = (t->cap + (size_t)len + 1) * 2;
        char *p = realloc(t->buf, cap);
        if (p == NULL)
            return;
        t->buf = p;
        t->cap = cap;
    }
    memcpy(t->buf + t->n, small, (size_t)len);
    t->n += (size_t)len;
    t->buf[t->n] = '\0';
}

static void dis_one(Text *t, TwCodeObject *co)
{
    text_add(t, "code %s (%s) args=%d kwonly=%d locals=%d cells=%d frees=%d stack=%d flags=0x%x\n",
             tw_str_utf8(co->qualname), tw_str_utf8(co->filename), co->argcount, co->kwonlyargcount,
             co->nlocals, co->ncells, co->nfrees, co->stacksize, co->flags);
    for (int i = 0; i < co->ncode; i++) {
        uint32_t w = co->code[i];
        int op = (int)TW_OP(w);
        uint32_t arg = TW_ARG(w);
        text_add(t, "%4d %4d %s %u", tw_code_addr2line(co, i), i, tw_opcode_name(op), arg);
        TwObject *name = NULL;
        switch (op) {
        case TW_OP_LOAD_CONST:
        case TW_OP_RETURN_CONST: {
            TwObject *v = tw_tuple_get_item_borrowed(co->consts, arg);
            if (tw_code_check(v)) {
                text_add(t, " (<code %s>)", tw_str_utf8(((TwCodeObject *)v)->qualname));
            } else {
                TwObject *r = tw_object_repr(v);
                if (r != NULL) {
                    text_add(t, " (%s)", tw_str_utf8(r));
                    tw_decref(r);
                } else {
                    tw_err_clear();
                }
            }
            break;
        }
        case TW_OP_LOAD_FAST:
        case TW_OP_STORE_FAST:
        case TW_OP_DELETE_FAST:
        case TW_OP_LOAD_DEREF:
        case TW_OP_STORE_DEREF:
        case TW_OP_DELETE_DEREF:
        case TW_OP_LOAD_CLOSURE:
        case TW_OP_LOAD_CLASSDEREF:
            name = tw_tuple_get_item_borrowed(co->localnames, arg);
            break;
        case TW_OP_LOAD_FAST_LOAD_FAST:
            text_add(t, " (%s, %s)",
                     tw_str_utf8(tw_tuple_get_item_borrowed(co->localnames, arg & 0xfff)),
                     tw_str_utf8(tw_tuple_get_item_borrowed(co->localnames, arg >> 12)));
            break;
        case TW_OP_LOAD_NAME:
        case TW_OP_STORE_NAME:
        case TW_OP_DELETE_NAME:
        case TW_OP_STORE_GLOBAL:
        case TW_OP_DELETE_GLOBAL:
        case TW_OP_DELETE_ATTR:
        case TW_OP_IMPORT_FROM:
            name = tw_tuple_get_item_borrowed(co->names, arg);
            break;
        case TW_OP_IMPORT_NAME:
            name = tw_tuple_get_item_borrowed(co->names, arg & IMPORT_NAME_MASK);
            break;
        case TW_OP_LOAD_GLOBAL:
        case TW_OP_LOAD_ATTR:
        case TW_OP_LOAD_METHOD:
        case TW_OP_STORE_ATTR:
        case TW_OP_LOAD_SUPER_ATTR:
        case TW_OP_LOAD_SUPER_METHOD:
            name = tw_tuple_get_item_borrowed(co->names, co->caches[arg].name);
            break;
        }
        if (name != NULL)
            text_add(t, " (%s)", tw_str_utf8(name));
        text_add(t, "\n");
    }
    for (int i = 0; i < co->nexctable; i++)
        text_add(t, "  handler [%u, %u) -> %u depth %u\n", co->exctable[i].start,
                 co->exctable[i].end, co->exctable[i].handler, co->exctable[i].depth);
    for (intptr_t i = 0; i < tw_tuple_size(co->consts); i++) {
        TwObject *v = tw_tuple_get_item_borrowed(co->consts, i);
        if (tw_code_check(v))
            dis_one(t, (TwCodeObject *)v);
    }
}

TwObject *tw_compile_disassemble(TwObject *code)
{
    Text t = {0};
    dis_one(&t, (TwCodeObject *)code);
    TwObject *s = tw_str_from_utf8(t.buf ? t.buf : "", t.n);
    free(t.buf);
    return s;
}
