/* Internal: the abstract syntax tree, the contract between the parser
 * (core/parser.c) and the compiler (core/compile.c).
 *
 * Nodes live in an arena (TwArena) owned by the parse: the compiler reads
 * them and the whole arena is freed at once.  Constants (numbers, strings,
 * bytes) are held as object references owned by the arena; tw_arena_free
 * drops them.  Every node records the span of source it came from: lineno
 * and col are 1-based line and 0-based column in code points of its first
 * character, end_lineno/end_col of the character after its end, matching
 * what CPython reports in SyntaxErrors and tracebacks. */
#ifndef TWINPY_CORE_AST_H
#define TWINPY_CORE_AST_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwArena TwArena;
TwArena *tw_arena_new(void);
void *tw_arena_alloc(TwArena *a, size_t size); /* zeroed; NULL with MemoryError */
/* Keep a reference to obj (stolen) until the arena is freed. */
int tw_arena_add_object(TwArena *a, TwObject *obj);
void tw_arena_free(TwArena *a);

typedef struct TwAstExpr TwAstExpr;
typedef struct TwAstStmt TwAstStmt;

/* A growable array of node pointers, allocated in the arena. */
typedef struct {
    intptr_t n;
    void **items;
} TwAstSeq;
#define TW_SEQ_LEN(s) ((s) ? (s)->n : 0)
#define TW_SEQ_GET(s, i) ((s)->items[(i)])

typedef enum { TW_CTX_LOAD, TW_CTX_STORE, TW_CTX_DEL } TwExprContext;

typedef enum {
    TW_OP_ADD, TW_OP_SUB, TW_OP_MUL, TW_OP_MATMUL, TW_OP_DIV, TW_OP_MOD, TW_OP_POW,
    TW_OP_LSHIFT, TW_OP_RSHIFT, TW_OP_BITOR, TW_OP_BITXOR, TW_OP_BITAND, TW_OP_FLOORDIV
} TwBinOp;

typedef enum { TW_UOP_INVERT, TW_UOP_NOT, TW_UOP_UADD, TW_UOP_USUB } TwUnaryOp;
typedef enum { TW_BOOL_AND, TW_BOOL_OR } TwBoolOp;
typedef enum {
    TW_CMP_EQ, TW_CMP_NOTEQ, TW_CMP_LT, TW_CMP_LTE, TW_CMP_GT, TW_CMP_GTE,
    TW_CMP_IS, TW_CMP_ISNOT, TW_CMP_IN, TW_CMP_NOTIN
} TwCmpOp;

typedef enum {
    TW_EXPR_BOOLOP, TW_EXPR_NAMEDEXPR, TW_EXPR_BINOP, TW_EXPR_UNARYOP, TW_EXPR_LAMBDA,
    TW_EXPR_IFEXP, TW_EXPR_DICT, TW_EXPR_SET, TW_EXPR_LISTCOMP, TW_EXPR_SETCOMP,
    TW_EXPR_DICTCOMP, TW_EXPR_GENEXP, TW_EXPR_YIELD, TW_EXPR_YIELDFROM, TW_EXPR_COMPARE,
    TW_EXPR_CALL, TW_EXPR_FORMATTEDVALUE, TW_EXPR_JOINEDSTR, TW_EXPR_CONSTANT,
    TW_EXPR_ATTRIBUTE, TW_EXPR_SUBSCRIPT, TW_EXPR_STARRED, TW_EXPR_NAME, TW_EXPR_LIST,
    TW_EXPR_TUPLE, TW_EXPR_SLICE
} TwExprKind;

/* One `for ... in ... if ...` clause of a comprehension. */
typedef struct {
    TwAstExpr *target;
    TwAstExpr *iter;
    TwAstSeq *ifs; /* of TwAstExpr */
} TwAstComprehension;

typedef struct {
    TwObject *arg; /* interned str, or NULL for **kwargs */
    TwAstExpr *value;
    int lineno, col;
} TwAstKeyword;

typedef struct {
    TwObject *arg; /* interned str */
    int lineno, col;
} TwAstArg;

/* A parameter list: def f(posonly, /, args, *vararg, kwonly, **kwarg). */
typedef struct {
    TwAstSeq *posonlyargs; /* of TwAstArg */
    TwAstSeq *args;        /* of TwAstArg */
    TwAstArg *vararg;      /* or NULL */
    TwAstSeq *kwonlyargs;  /* of TwAstArg */
    TwAstSeq *kw_defaults; /* of TwAstExpr, parallel to kwonlyargs; NULL entries = none */
    TwAstArg *kwarg;       /* or NULL */
    TwAstSeq *defaults;    /* of TwAstExpr: defaults of the last positional parameters */
} TwAstArguments;

struct TwAstExpr {
    TwExprKind kind;
    int lineno, col, end_lineno, end_col;
    union {
        struct { TwBoolOp op; TwAstSeq *values; } boolop;
        struct { TwAstExpr *target; TwAstExpr *value; } namedexpr;
        struct { TwAstExpr *left; TwBinOp op; TwAstExpr *right; } binop;
        struct { TwUnaryOp op; TwAstExpr *operand; } unaryop;
        struct { TwAstArguments *args; TwAstExpr *body; } lambda;
        struct { TwAstExpr *test; TwAstExpr *body; TwAstExpr *orelse; } ifexp;
        struct { TwAstSeq *keys; TwAstSeq *values; } dict; /* a NULL key: **mapping */
        struct { TwAstSeq *elts; } set;
        /* listcomp, setcomp, genexp use elt; dictcomp uses key and value */
        struct { TwAstExpr *elt; TwAstExpr *key; TwAstExpr *value; TwAstSeq *generators; } comp;
        struct { TwAstExpr *value; } yield; /* value may be NULL */
        struct { TwAstExpr *value; } yieldfrom;
        struct { TwAstExpr *left; TwAstSeq *ops; /* of (TwCmpOp) intptr_t */ TwAstSeq *comparators; } compare;
        struct { TwAstExpr *func; TwAstSeq *args; TwAstSeq *keywords; /* of TwAstKeyword */ } call;
        /* conversion: -1 none, 'r', 's', 'a'; format_spec: a JOINEDSTR or NULL */
        struct { TwAstExpr *value; int conversion; TwAstExpr *format_spec; } formattedvalue;
        struct { TwAstSeq *values; } joinedstr; /* CONSTANT str and FORMATTEDVALUE parts */
        struct { TwObject *value; } constant;   /* owned by the arena */
        struct { TwAstExpr *value; TwObject *attr; TwExprContext ctx; } attribute;
        struct { TwAstExpr *value; TwAstExpr *slice; TwExprContext ctx; } subscript;
        struct { TwAstExpr *value; TwExprContext ctx; } starred;
        struct { TwObject *id; TwExprContext ctx; } name; /* id: interned str */
        struct { TwAstSeq *elts; TwExprContext ctx; } list;
        struct { TwAstSeq *elts; TwExprContext ctx; } tuple;
        struct { TwAstExpr *lower; TwAstExpr *upper; TwAstExpr *step; } slice;
    } v;
};

typedef enum {
    TW_STMT_FUNCTIONDEF, TW_STMT_CLASSDEF, TW_STMT_RETURN, TW_STMT_DELETE, TW_STMT_ASSIGN,
    TW_STMT_AUGASSIGN, TW_STMT_ANNASSIGN, TW_STMT_FOR, TW_STMT_WHILE, TW_STMT_IF, TW_STMT_WITH,
    TW_STMT_RAISE, TW_STMT_TRY, TW_STMT_ASSERT, TW_STMT_IMPORT, TW_STMT_IMPORTFROM,
    TW_STMT_GLOBAL, TW_STMT_NONLOCAL, TW_STMT_EXPR, TW_STMT_PASS, TW_STMT_BREAK, TW_STMT_CONTINUE
} TwStmtKind;

typedef struct {
    TwAstExpr *context_expr;
    TwAstExpr *optional_vars; /* or NULL */
} TwAstWithItem;

typedef struct {
    TwAstExpr *type; /* or NULL for a bare except */
    TwObject *name;  /* interned str or NULL */
    TwAstSeq *body;
    int lineno, col;
} TwAstExceptHandler;

typedef struct {
    TwObject *name;   /* dotted module name, or the imported name for `from` */
    TwObject *asname; /* or NULL */
} TwAstAlias;

struct TwAstStmt {
    TwStmtKind kind;
    int lineno, col, end_lineno, end_col;
    union {
        struct { TwObject *name; TwAstArguments *args; TwAstSeq *body; TwAstSeq *decorators; } functiondef;
        struct { TwObject *name; TwAstSeq *bases; TwAstSeq *keywords; TwAstSeq *body; TwAstSeq *decorators; } classdef;
        struct { TwAstExpr *value; } return_; /* may be NULL */
        struct { TwAstSeq *targets; } delete_;
        struct { TwAstSeq *targets; TwAstExpr *value; } assign; /* a = b = value */
        struct { TwAstExpr *target; TwBinOp op; TwAstExpr *value; } augassign;
        struct { TwAstExpr *target; TwAstExpr *annotation; TwAstExpr *value; int simple; } annassign;
        struct { TwAstExpr *target; TwAstExpr *iter; TwAstSeq *body; TwAstSeq *orelse; } for_;
        struct { TwAstExpr *test; TwAstSeq *body; TwAstSeq *orelse; } while_;
        struct { TwAstExpr *test; TwAstSeq *body; TwAstSeq *orelse; } if_;
        struct { TwAstSeq *items; /* of TwAstWithItem */ TwAstSeq *body; } with;
        struct { TwAstExpr *exc; TwAstExpr *cause; } raise; /* both may be NULL */
        struct { TwAstSeq *body; TwAstSeq *handlers; TwAstSeq *orelse; TwAstSeq *finalbody; } try_;
        struct { TwAstExpr *test; TwAstExpr *msg; } assert_;
        struct { TwAstSeq *names; /* of TwAstAlias */ } import;
        struct { TwObject *module; TwAstSeq *names; int level; } importfrom; /* module may be NULL */
        struct { TwAstSeq *names; /* of interned str objects */ } global, nonlocal;
        struct { TwAstExpr *value; } expr;
    } v;
};

/* A parsed module: its statements and the arena holding them. */
typedef struct {
    TwArena *arena;
    TwAstSeq *body; /* of TwAstStmt */
} TwAstModule;

/* Parse `source` (UTF-8, length n) read from `filename`.  On failure returns
 * -1 with SyntaxError or IndentationError set: the exception carries the
 * filename, line, column (1-based, as CPython shows), end line/column and
 * the source line's text (see core/parser.h). */
int tw_parse_module(const char *source, size_t n, const char *filename, TwAstModule *out);

#endif
