/* Internal: the symbol table, the compiler's first pass.
 *
 * It walks the AST once, making a block per scope (the module, each class
 * body, each function, lambda and comprehension) and recording how each
 * name is used there (TW_DEF_*).  A second pass resolves every name to a
 * scope (TW_SCOPE_*), deciding which locals must live in cells because an
 * inner function captures them, and which names a block receives from its
 * closure.  Misplaced global/nonlocal/yield are SyntaxErrors found here.
 *
 * Names are mangled as in Python: inside class C, an identifier __x (not
 * ending in __) is stored as _C__x. */
#ifndef TWINPY_CORE_SYMTABLE_H
#define TWINPY_CORE_SYMTABLE_H

#include "core/ast.h"

typedef enum { TW_BLOCK_MODULE, TW_BLOCK_CLASS, TW_BLOCK_FUNCTION } TwBlockType;

/* How a name is used in a block (bits). */
#define TW_DEF_GLOBAL     0x001 /* declared global */
#define TW_DEF_LOCAL      0x002 /* assigned, deleted or a loop/with/except target */
#define TW_DEF_PARAM      0x004 /* a parameter */
#define TW_DEF_NONLOCAL   0x008 /* declared nonlocal */
#define TW_DEF_USE        0x010 /* read */
#define TW_DEF_FREE_CLASS 0x020 /* bound in a class body and free in an inner function */
#define TW_DEF_IMPORT     0x040 /* bound by an import */
#define TW_DEF_COMP_BOUND 0x080 /* bound by a walrus in a comprehension (binds outside) */
#define TW_DEF_BOUND      (TW_DEF_LOCAL | TW_DEF_PARAM | TW_DEF_IMPORT)

/* Where a name lives after analysis. */
enum {
    TW_SCOPE_NONE = 0,
    TW_SCOPE_LOCAL,           /* a slot (functions) or the locals dict */
    TW_SCOPE_GLOBAL_EXPLICIT, /* declared global */
    TW_SCOPE_GLOBAL_IMPLICIT, /* not bound anywhere enclosing: globals, then builtins */
    TW_SCOPE_FREE,            /* a cell from an enclosing function */
    TW_SCOPE_CELL             /* a local captured by an inner function */
};
#define TW_SCOPE_SHIFT 12
#define TW_SCOPE_MASK  7

typedef struct TwSymBlock {
    const void *key; /* the AST node that opened the block (NULL: module) */
    TwObject *name;  /* the function or class name, "<lambda>", "<listcomp>", ... */
    TwBlockType type;
    TwObject *symbols; /* dict: name -> int (TW_DEF_* | scope << TW_SCOPE_SHIFT) */
    TwObject *params;  /* list of parameter names, in slot order */
    struct TwSymBlock *parent;
    struct TwSymBlock **children;
    int nchildren, children_cap;
    int lineno, col;
    unsigned is_generator : 1;        /* contains yield */
    unsigned is_nested : 1;           /* inside a function */
    unsigned is_comprehension : 1;    /* a comprehension or generator expression */
    unsigned has_varargs : 1;         /* *args */
    unsigned has_varkw : 1;           /* **kwargs */
    unsigned needs_class_closure : 1; /* class body: a method uses __class__ or super */
    TwExprKind comp_kind;             /* for comprehensions: which kind */
    TwObject *private_name;           /* the enclosing class name for mangling, or NULL */
} TwSymBlock;

typedef struct TwSymtable {
    TwSymBlock *top;
    const char *filename;
    const char *source; /* for the text of SyntaxErrors; may be NULL */
    size_t source_len;
} TwSymtable;

/* Build and analyse the symbol table of a module.  NULL with SyntaxError
 * (or MemoryError) set on failure. */
TwSymtable *tw_symtable_build(TwAstModule *mod, const char *filename, const char *source,
                              size_t source_len);
void tw_symtable_free(TwSymtable *st);

/* The child block opened by AST node `key`, or NULL. */
TwSymBlock *tw_symtable_child(TwSymBlock *block, const void *key);
/* The flags and scope of name (already mangled) in block, 0 if unknown. */
int tw_symtable_lookup(TwSymBlock *block, TwObject *name);
static inline int tw_symtable_scope_of(int flags)
{
    return (flags >> TW_SCOPE_SHIFT) & TW_SCOPE_MASK;
}

/* The mangled form of name inside class private_name (a new reference;
 * the same string when no mangling applies). */
TwObject *tw_mangle(TwObject *private_name, TwObject *name);

/* Set a SyntaxError for the node spanning (lineno, col) .. (end_lineno,
 * end_col) (columns 0-based, as in the AST), with the source line's text
 * when source is known.  Implemented in core/compile.c on top of the
 * parser's SyntaxError. */
void tw_compile_syntax_error(const char *filename, const char *source, size_t source_len,
                             int lineno, int col, int end_lineno, int end_col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

#endif
