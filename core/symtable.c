/* The symbol table: which scope each name of a module lives in.
 *
 * Pass 1 (the visitors below) opens a block per scope and records the
 * TW_DEF_* uses of each name, in source order, so that "used before its
 * global declaration" can be detected as the declaration is met.
 *
 * Pass 2 (analyze_block) resolves scopes top-down and bottom-up at once:
 * a block receives the set of names bound in enclosing function blocks
 * ("bound") and the names declared global above it ("global"); its
 * children report back the names they need from outside ("free").  A
 * local that a child needs becomes a cell; a name a child needs that this
 * block does not bind is passed through as a free variable of this block
 * too, so that closures can be built level by level.  Class bodies are not
 * visible to the functions inside them, except for the implicit __class__
 * cell that zero-argument super() relies on.
 *
 * All state is private to one compilation: no locking. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/symtable.h"
#include "core/tstate.h"

typedef struct {
    TwSymtable *st;
    TwSymBlock *cur;
    TwObject *s_class;     /* "__class__" */
    TwObject *s_super;     /* "super" */
    TwObject *s_dot0;      /* ".0", the hidden argument of a comprehension */
    TwObject *nonlocal_at; /* dict: block-qualified key -> location, for late errors */
} Builder;

/* ---- small dict-as-set helpers --------------------------------------------- */

static int set_add(TwObject *set, TwObject *name)
{
    return tw_dict_set_item(set, name, TW_TRUE);
}

static int set_has(TwObject *set, TwObject *name)
{
    return set != NULL ? tw_dict_contains(set, name) : 0;
}

static int set_discard(TwObject *set, TwObject *name)
{
    int r = tw_dict_contains(set, name);
    if (r <= 0)
        return r;
    return tw_dict_del_item(set, name);
}

/* dst |= src (src may be NULL). */
static int set_update(TwObject *dst, TwObject *src)
{
    if (src == NULL)
        return 0;
    return tw_dict_update(dst, src);
}

static int get_flags(TwObject *symbols, TwObject *name)
{
    TwObject *v;
    int r = tw_dict_get_item_ref(symbols, name, &v);
    if (r <= 0)
        return r < 0 ? -1 : 0;
    int64_t f = tw_int_as_i64(v);
    tw_decref(v);
    return (int)f;
}

static int set_flags(TwObject *symbols, TwObject *name, int flags)
{
    TwObject *v = tw_int_from_i64(flags);
    if (v == NULL)
        return -1;
    int r = tw_dict_set_item(symbols, name, v);
    tw_decref(v);
    return r;
}

/* ---- mangling ------------------------------------------------------------- */

TwObject *tw_mangle(TwObject *private_name, TwObject *name)
{
    const char *n = tw_str_utf8(name);
    size_t len = (size_t)tw_str_byte_size(name);
    if (private_name == NULL || len < 2 || n[0] != '_' || n[1] != '_')
        return tw_newref(name);
    /* Dunder names and dotted import names are left alone. */
    if ((len >= 4 && n[len - 1] == '_' && n[len - 2] == '_') || strchr(n, '.') != NULL)
        return tw_newref(name);
    const char *p = tw_str_utf8(private_name);
    while (*p == '_')
        p++;
    if (*p == '\0')
        return tw_newref(name); /* a class named only with underscores */
    size_t plen = strlen(p);
    char *buf = malloc(1 + plen + len + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    buf[0] = '_';
    memcpy(buf + 1, p, plen);
    memcpy(buf + 1 + plen, n, len + 1);
    TwObject *r = tw_str_intern_cstr(buf);
    free(buf);
    return r;
}

/* ---- blocks ------------------------------------------------------------------ */

static void block_free(TwSymBlock *b)
{
    if (b == NULL)
        return;
    for (int i = 0; i < b->nchildren; i++)
        block_free(b->children[i]);
    free(b->children);
    tw_xdecref(b->symbols);
    tw_xdecref(b->params);
    tw_xdecref(b->name);
    tw_xdecref(b->private_name);
    free(b);
}

void tw_symtable_free(TwSymtable *st)
{
    if (st == NULL)
        return;
    block_free(st->top);
    free(st);
}

static TwSymBlock *block_new(Builder *bd, const void *key, TwObject *name, TwBlockType type,
                             int lineno, int col)
{
    TwSymBlock *b = calloc(1, sizeof(*b));
    if (b == NULL) {
        tw_err_no_memory();
        return NULL;
    }
    b->key = key;
    b->name = tw_newref(name);
    b->type = type;
    b->lineno = lineno;
    b->col = col;
    b->symbols = tw_dict_new();
    b->params = tw_list_new(0);
    if (b->symbols == NULL || b->params == NULL) {
        block_free(b);
        return NULL;
    }
    TwSymBlock *parent = bd->cur;
    b->parent = parent;
    if (parent != NULL) {
        if (parent->type == TW_BLOCK_FUNCTION || parent->is_nested)
            b->is_nested = 1;
        /* Mangling applies inside a class and everything nested in it. */
        TwObject *priv = type == TW_BLOCK_CLASS ? name : parent->private_name;
        b->private_name = priv ? tw_newref(priv) : NULL;
        if (parent->nchildren == parent->children_cap) {
            int cap = parent->children_cap ? parent->children_cap * 2 : 4;
            TwSymBlock **c = realloc(parent->children, (size_t)cap * sizeof(*c));
            if (c == NULL) {
                block_free(b);
                tw_err_no_memory();
                return NULL;
            }
            parent->children = c;
            parent->children_cap = cap;
        }
        parent->children[parent->nchildren++] = b;
    }
    return b;
}

TwSymBlock *tw_symtable_child(TwSymBlock *block, const void *key)
{
    for (int i = 0; i < block->nchildren; i++)
        if (block->children[i]->key == key)
            return block->children[i];
    return NULL;
}

int tw_symtable_lookup(TwSymBlock *block, TwObject *name)
{
    int f = get_flags(block->symbols, name);
    if (f < 0) {
        tw_err_clear();
        return 0;
    }
    return f;
}

/* ---- pass 1: recording uses ---------------------------------------------------- */

/* Set a SyntaxError spanning (lineno, col) .. (end_lineno, end_col); fmt
 * has at most one %s, filled with arg. */
static int error_span(Builder *bd, int lineno, int col, int end_lineno, int end_col,
                      const char *fmt, const char *arg)
{
    char msg[512];
    if (arg != NULL)
        snprintf(msg, sizeof msg, fmt, arg);
    else
        snprintf(msg, sizeof msg, "%s", fmt);
    tw_compile_syntax_error(bd->st->filename, bd->st->source, bd->st->source_len, lineno, col,
                            end_lineno, end_col, "%s", msg);
    return -1;
}

static int error_at_cstr(Builder *bd, int lineno, int col, const char *fmt, const char *arg)
{
    return error_span(bd, lineno, col, lineno, col + 1, fmt, arg);
}

/* Errors about a whole statement or expression node. */
#define ERROR_NODE(bd, n, fmt, name)                                                               \
    error_span((bd), (n)->lineno, (n)->col, (n)->end_lineno, (n)->end_col, (fmt),                  \
               (name) != NULL ? tw_str_utf8(name) : NULL)

/* Set a SyntaxError; fmt has at most one %s, filled with name's text. */
static int error_at(Builder *bd, int lineno, int col, const char *fmt, TwObject *name)
{
    return error_at_cstr(bd, lineno, col, fmt, name != NULL ? tw_str_utf8(name) : NULL);
}

/* Record `flag` for name in the current block (mangled). */
static int add_def_in(Builder *bd, TwSymBlock *b, TwObject *rawname, int flag, int lineno, int col)
{
    TwObject *name = tw_mangle(b->private_name, rawname);
    if (name == NULL)
        return -1;
    int old = get_flags(b->symbols, name);
    int r = -1;
    if (old < 0)
        goto done;
    if ((flag & TW_DEF_PARAM) && (old & TW_DEF_PARAM)) {
        error_at(bd, lineno, col, "duplicate argument '%s' in function definition", name);
        goto done;
    }
    if (set_flags(b->symbols, name, old | flag) < 0)
        goto done;
    if ((flag & TW_DEF_PARAM) && tw_list_append(b->params, name) < 0)
        goto done;
    r = 0;
done:
    tw_decref(name);
    return r;
}

static int add_def(Builder *bd, TwObject *name, int flag, int lineno, int col)
{
    return add_def_in(bd, bd->cur, name, flag, lineno, col);
}

static int enter_block(Builder *bd, const void *key, TwObject *name, TwBlockType type, int lineno,
                       int col)
{
    TwSymBlock *b = block_new(bd, key, name, type, lineno, col);
    if (b == NULL)
        return -1;
    bd->cur = b;
    return 0;
}

static void leave_block(Builder *bd)
{
    bd->cur = bd->cur->parent;
}

static int visit_stmt(Builder *bd, TwAstStmt *s);
static int visit_expr(Builder *bd, TwAstExpr *e);

static int visit_stmts(Builder *bd, TwAstSeq *seq)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(seq); i++)
        if (visit_stmt(bd, TW_SEQ_GET(seq, i)) < 0)
            return -1;
    return 0;
}

static int visit_exprs(Builder *bd, TwAstSeq *seq)
{
    for (intptr_t i = 0; i < TW_SEQ_LEN(seq); i++) {
        TwAstExpr *e = TW_SEQ_GET(seq, i);
        if (e != NULL && visit_expr(bd, e) < 0)
            return -1;
    }
    return 0;
}

/* Defaults are evaluated where the function is defined. */
static int visit_defaults(Builder *bd, TwAstArguments *a)
{
    if (a == NULL)
        return 0;
    if (visit_exprs(bd, a->defaults) < 0 || visit_exprs(bd, a->kw_defaults) < 0)
        return -1;
    return 0;
}

/* Parameters in slot order: positional, keyword-only, *args, **kwargs. */
static int visit_params(Builder *bd, TwAstArguments *a)
{
    if (a == NULL)
        return 0;
    TwAstSeq *groups[3] = {a->posonlyargs, a->args, a->kwonlyargs};
    for (int g = 0; g < 3; g++)
        for (intptr_t i = 0; i < TW_SEQ_LEN(groups[g]); i++) {
            TwAstArg *arg = TW_SEQ_GET(groups[g], i);
            if (add_def(bd, arg->arg, TW_DEF_PARAM, arg->lineno, arg->col) < 0)
                return -1;
        }
    if (a->vararg) {
        if (add_def(bd, a->vararg->arg, TW_DEF_PARAM, a->vararg->lineno, a->vararg->col) < 0)
            return -1;
        bd->cur->has_varargs = 1;
    }
    if (a->kwarg) {
        if (add_def(bd, a->kwarg->arg, TW_DEF_PARAM, a->kwarg->lineno, a->kwarg->col) < 0)
            return -1;
        bd->cur->has_varkw = 1;
    }
    return 0;
}

/* A key naming (block, name) in Builder.nonlocal_at. */
static TwObject *block_key(TwSymBlock *b, TwObject *name)
{
    TwObject *id = tw_int_from_i64((int64_t)(intptr_t)b);
    if (id == NULL)
        return NULL;
    TwObject *key = tw_tuple_pack(2, id, name);
    tw_decref(id);
    return key;
}

/* global / nonlocal: the declaration must come before any use in the
 * block, and cannot name a parameter. */
static int visit_declaration(Builder *bd, TwAstStmt *s, int is_global)
{
    TwAstSeq *names = is_global ? s->v.global.names : s->v.nonlocal.names;
    const char *what = is_global ? "global" : "nonlocal";
    if (!is_global && bd->cur->type == TW_BLOCK_MODULE)
        return ERROR_NODE(bd, s, "nonlocal declaration not allowed at module level",
                          (TwObject *)NULL);
    for (intptr_t i = 0; i < TW_SEQ_LEN(names); i++) {
        TwObject *raw = TW_SEQ_GET(names, i);
        TwObject *name = tw_mangle(bd->cur->private_name, raw);
        if (name == NULL)
            return -1;
        int cur = get_flags(bd->cur->symbols, name);
        char msg[96];
        int bad = 0;
        if (cur < 0) {
            tw_decref(name);
            return -1;
        }
        if (cur & TW_DEF_PARAM) {
            snprintf(msg, sizeof msg, "name '%%s' is parameter and %s", what);
            bad = 1;
        } else if (cur & TW_DEF_USE) {
            snprintf(msg, sizeof msg, "name '%%s' is used prior to %s declaration", what);
            bad = 1;
        } else if (cur & (TW_DEF_LOCAL | TW_DEF_IMPORT)) {
            snprintf(msg, sizeof msg, "name '%%s' is assigned to before %s declaration", what);
            bad = 1;
        } else if (is_global && (cur & TW_DEF_NONLOCAL)) {
            snprintf(msg, sizeof msg, "name '%%s' is nonlocal and global");
            bad = 1;
        } else if (!is_global && (cur & TW_DEF_GLOBAL)) {
            snprintf(msg, sizeof msg, "name '%%s' is nonlocal and global");
            bad = 1;
        }
        if (bad) {
            ERROR_NODE(bd, s, msg, name);
            tw_decref(name);
            return -1;
        }
        int r =
            set_flags(bd->cur->symbols, name, cur | (is_global ? TW_DEF_GLOBAL : TW_DEF_NONLOCAL));
        if (r == 0 && !is_global) {
            /* Remember where, for "no binding for nonlocal" found in pass 2. */
            TwObject *key = block_key(bd->cur, name);
            TwObject *loc = tw_int_from_i64((int64_t)s->lineno << 24 | (s->col & 0xffffff));
            if (key == NULL || loc == NULL || tw_dict_set_item(bd->nonlocal_at, key, loc) < 0)
                r = -1;
            tw_xdecref(key);
            tw_xdecref(loc);
        }
        tw_decref(name);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int visit_import_alias(Builder *bd, TwAstStmt *s, TwAstAlias *a)
{
    TwObject *bind = a->asname;
    if (tw_str_equal_cstr(a->name, "*")) {
        if (bd->cur->type != TW_BLOCK_MODULE)
            return error_at(bd, s->lineno, s->col, "import * only allowed at module level", NULL);
        return 0;
    }
    if (bind != NULL)
        return add_def(bd, bind, TW_DEF_IMPORT, s->lineno, s->col);
    /* `import a.b` binds a. */
    const char *n = tw_str_utf8(a->name);
    const char *dot = strchr(n, '.');
    if (dot == NULL)
        return add_def(bd, a->name, TW_DEF_IMPORT, s->lineno, s->col);
    TwObject *first = tw_str_from_utf8(n, (size_t)(dot - n));
    if (first == NULL)
        return -1;
    TwObject *interned = tw_str_intern(first);
    tw_decref(first);
    if (interned == NULL)
        return -1;
    int r = add_def(bd, interned, TW_DEF_IMPORT, s->lineno, s->col);
    tw_decref(interned);
    return r;
}

static int visit_stmt(Builder *bd, TwAstStmt *s)
{
    switch (s->kind) {
    case TW_STMT_FUNCTIONDEF: {
        if (visit_exprs(bd, s->v.functiondef.decorators) < 0 ||
            visit_defaults(bd, s->v.functiondef.args) < 0)
            return -1;
        if (add_def(bd, s->v.functiondef.name, TW_DEF_LOCAL, s->lineno, s->col) < 0)
            return -1;
        if (enter_block(bd, s, s->v.functiondef.name, TW_BLOCK_FUNCTION, s->lineno, s->col) < 0)
            return -1;
        if (visit_params(bd, s->v.functiondef.args) < 0 ||
            visit_stmts(bd, s->v.functiondef.body) < 0)
            return -1;
        leave_block(bd);
        return 0;
    }
    case TW_STMT_CLASSDEF: {
        if (visit_exprs(bd, s->v.classdef.decorators) < 0 ||
            visit_exprs(bd, s->v.classdef.bases) < 0)
            return -1;
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.classdef.keywords); i++) {
            TwAstKeyword *k = TW_SEQ_GET(s->v.classdef.keywords, i);
            if (visit_expr(bd, k->value) < 0)
                return -1;
        }
        if (add_def(bd, s->v.classdef.name, TW_DEF_LOCAL, s->lineno, s->col) < 0)
            return -1;
        if (enter_block(bd, s, s->v.classdef.name, TW_BLOCK_CLASS, s->lineno, s->col) < 0)
            return -1;
        if (visit_stmts(bd, s->v.classdef.body) < 0)
            return -1;
        leave_block(bd);
        return 0;
    }
    case TW_STMT_RETURN:
        return s->v.return_.value ? visit_expr(bd, s->v.return_.value) : 0;
    case TW_STMT_DELETE:
        return visit_exprs(bd, s->v.delete_.targets);
    case TW_STMT_ASSIGN:
        if (visit_expr(bd, s->v.assign.value) < 0)
            return -1;
        return visit_exprs(bd, s->v.assign.targets);
    case TW_STMT_AUGASSIGN:
        if (visit_expr(bd, s->v.augassign.target) < 0)
            return -1;
        /* The target is read too. */
        if (s->v.augassign.target->kind == TW_EXPR_NAME &&
            add_def(bd, s->v.augassign.target->v.name.id, TW_DEF_USE, s->lineno, s->col) < 0)
            return -1;
        return visit_expr(bd, s->v.augassign.value);
    case TW_STMT_ANNASSIGN:
        if (s->v.annassign.value && visit_expr(bd, s->v.annassign.value) < 0)
            return -1;
        if (s->v.annassign.target->kind == TW_EXPR_NAME) {
            return add_def(bd, s->v.annassign.target->v.name.id, TW_DEF_LOCAL, s->lineno, s->col);
        }
        return s->v.annassign.value ? visit_expr(bd, s->v.annassign.target) : 0;
    case TW_STMT_FOR:
        if (visit_expr(bd, s->v.for_.target) < 0 || visit_expr(bd, s->v.for_.iter) < 0)
            return -1;
        return visit_stmts(bd, s->v.for_.body) < 0 ? -1 : visit_stmts(bd, s->v.for_.orelse);
    case TW_STMT_WHILE:
        if (visit_expr(bd, s->v.while_.test) < 0 || visit_stmts(bd, s->v.while_.body) < 0)
            return -1;
        return visit_stmts(bd, s->v.while_.orelse);
    case TW_STMT_IF:
        if (visit_expr(bd, s->v.if_.test) < 0 || visit_stmts(bd, s->v.if_.body) < 0)
            return -1;
        return visit_stmts(bd, s->v.if_.orelse);
    case TW_STMT_WITH:
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.with.items); i++) {
            TwAstWithItem *it = TW_SEQ_GET(s->v.with.items, i);
            if (visit_expr(bd, it->context_expr) < 0)
                return -1;
            if (it->optional_vars && visit_expr(bd, it->optional_vars) < 0)
                return -1;
        }
        return visit_stmts(bd, s->v.with.body);
    case TW_STMT_RAISE:
        if (s->v.raise.exc && visit_expr(bd, s->v.raise.exc) < 0)
            return -1;
        return s->v.raise.cause ? visit_expr(bd, s->v.raise.cause) : 0;
    case TW_STMT_TRY:
        if (visit_stmts(bd, s->v.try_.body) < 0)
            return -1;
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.try_.handlers); i++) {
            TwAstExceptHandler *h = TW_SEQ_GET(s->v.try_.handlers, i);
            if (h->type && visit_expr(bd, h->type) < 0)
                return -1;
            if (h->name && add_def(bd, h->name, TW_DEF_LOCAL, h->lineno, h->col) < 0)
                return -1;
            if (visit_stmts(bd, h->body) < 0)
                return -1;
        }
        if (visit_stmts(bd, s->v.try_.orelse) < 0)
            return -1;
        return visit_stmts(bd, s->v.try_.finalbody);
    case TW_STMT_ASSERT:
        if (visit_expr(bd, s->v.assert_.test) < 0)
            return -1;
        return s->v.assert_.msg ? visit_expr(bd, s->v.assert_.msg) : 0;
    case TW_STMT_IMPORT:
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.import.names); i++)
            if (visit_import_alias(bd, s, TW_SEQ_GET(s->v.import.names, i)) < 0)
                return -1;
        return 0;
    case TW_STMT_IMPORTFROM:
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.importfrom.names); i++)
            if (visit_import_alias(bd, s, TW_SEQ_GET(s->v.importfrom.names, i)) < 0)
                return -1;
        return 0;
    case TW_STMT_GLOBAL:
        return visit_declaration(bd, s, 1);
    case TW_STMT_NONLOCAL:
        return visit_declaration(bd, s, 0);
    case TW_STMT_EXPR:
        return visit_expr(bd, s->v.expr.value);
    case TW_STMT_PASS:
    case TW_STMT_BREAK:
    case TW_STMT_CONTINUE:
        return 0;
    }
    return 0;
}

static const char *comprehension_kind(TwExprKind k)
{
    switch (k) {
    case TW_EXPR_LISTCOMP:
        return "list comprehension";
    case TW_EXPR_SETCOMP:
        return "set comprehension";
    case TW_EXPR_DICTCOMP:
        return "dict comprehension";
    default:
        return "generator expression";
    }
}

static const char *comprehension_name(TwExprKind k)
{
    switch (k) {
    case TW_EXPR_LISTCOMP:
        return "<listcomp>";
    case TW_EXPR_SETCOMP:
        return "<setcomp>";
    case TW_EXPR_DICTCOMP:
        return "<dictcomp>";
    default:
        return "<genexpr>";
    }
}

/* A comprehension is a function of one hidden argument (".0", the
 * iterator of its first `for`), whose first iterable is evaluated
 * outside. */
static int visit_comprehension(Builder *bd, TwAstExpr *e)
{
    TwAstSeq *gens = e->v.comp.generators;
    TwAstComprehension *first = TW_SEQ_GET(gens, 0);
    if (visit_expr(bd, first->iter) < 0)
        return -1;
    TwObject *name = tw_str_intern_cstr(comprehension_name(e->kind));
    if (name == NULL)
        return -1;
    int r = enter_block(bd, e, name, TW_BLOCK_FUNCTION, e->lineno, e->col);
    tw_decref(name);
    if (r < 0)
        return -1;
    TwSymBlock *b = bd->cur;
    b->is_comprehension = 1;
    b->comp_kind = e->kind;
    if (e->kind == TW_EXPR_GENEXP)
        b->is_generator = 1;
    if (add_def(bd, bd->s_dot0, TW_DEF_PARAM, e->lineno, e->col) < 0)
        return -1;
    for (intptr_t i = 0; i < TW_SEQ_LEN(gens); i++) {
        TwAstComprehension *g = TW_SEQ_GET(gens, i);
        if (i > 0 && visit_expr(bd, g->iter) < 0)
            return -1;
        if (visit_expr(bd, g->target) < 0 || visit_exprs(bd, g->ifs) < 0)
            return -1;
    }
    if (e->kind == TW_EXPR_DICTCOMP) {
        if (visit_expr(bd, e->v.comp.key) < 0 || visit_expr(bd, e->v.comp.value) < 0)
            return -1;
    } else if (visit_expr(bd, e->v.comp.elt) < 0) {
        return -1;
    }
    leave_block(bd);
    return 0;
}

/* `(x := v)` inside a comprehension binds x in the nearest enclosing
 * function or module, not in the comprehension. */
static int visit_walrus_target(Builder *bd, TwAstExpr *e)
{
    TwAstExpr *t = e->v.namedexpr.target;
    if (!bd->cur->is_comprehension)
        return visit_expr(bd, t);
    TwSymBlock *b = bd->cur;
    while (b->is_comprehension)
        b = b->parent;
    if (b->type == TW_BLOCK_CLASS)
        return error_at(
            bd, e->lineno, e->col,
            "assignment expression within a comprehension cannot be used in a class body", NULL);
    int through = b->type == TW_BLOCK_FUNCTION ? TW_DEF_NONLOCAL : TW_DEF_GLOBAL;
    for (TwSymBlock *c = bd->cur; c != b; c = c->parent) {
        int f = get_flags(c->symbols, t->v.name.id);
        if (f < 0)
            return -1;
        if (f & TW_DEF_LOCAL)
            return error_at(
                bd, e->lineno, e->col,
                "assignment expression cannot rebind comprehension iteration variable '%s'",
                t->v.name.id);
        if (add_def_in(bd, c, t->v.name.id, through | TW_DEF_COMP_BOUND, t->lineno, t->col) < 0)
            return -1;
    }
    return add_def_in(bd, b, t->v.name.id, TW_DEF_LOCAL, t->lineno, t->col);
}

static int visit_expr(Builder *bd, TwAstExpr *e)
{
    switch (e->kind) {
    case TW_EXPR_BOOLOP:
        return visit_exprs(bd, e->v.boolop.values);
    case TW_EXPR_NAMEDEXPR:
        if (visit_expr(bd, e->v.namedexpr.value) < 0)
            return -1;
        return visit_walrus_target(bd, e);
    case TW_EXPR_BINOP:
        return visit_expr(bd, e->v.binop.left) < 0 ? -1 : visit_expr(bd, e->v.binop.right);
    case TW_EXPR_UNARYOP:
        return visit_expr(bd, e->v.unaryop.operand);
    case TW_EXPR_LAMBDA: {
        if (visit_defaults(bd, e->v.lambda.args) < 0)
            return -1;
        TwObject *name = tw_str_intern_cstr("<lambda>");
        if (name == NULL)
            return -1;
        int r = enter_block(bd, e, name, TW_BLOCK_FUNCTION, e->lineno, e->col);
        tw_decref(name);
        if (r < 0 || visit_params(bd, e->v.lambda.args) < 0 || visit_expr(bd, e->v.lambda.body) < 0)
            return -1;
        leave_block(bd);
        return 0;
    }
    case TW_EXPR_IFEXP:
        if (visit_expr(bd, e->v.ifexp.test) < 0 || visit_expr(bd, e->v.ifexp.body) < 0)
            return -1;
        return visit_expr(bd, e->v.ifexp.orelse);
    case TW_EXPR_DICT:
        return visit_exprs(bd, e->v.dict.keys) < 0 ? -1 : visit_exprs(bd, e->v.dict.values);
    case TW_EXPR_SET:
        return visit_exprs(bd, e->v.set.elts);
    case TW_EXPR_LISTCOMP:
    case TW_EXPR_SETCOMP:
    case TW_EXPR_DICTCOMP:
    case TW_EXPR_GENEXP:
        return visit_comprehension(bd, e);
    case TW_EXPR_YIELD:
    case TW_EXPR_YIELDFROM: {
        TwSymBlock *b = bd->cur;
        if (b->type != TW_BLOCK_FUNCTION)
            return ERROR_NODE(bd, e, "'yield' outside function", (TwObject *)NULL);
        if (b->is_comprehension)
            return error_span(bd, e->lineno, e->col, e->end_lineno, e->end_col, "'yield' inside %s",
                              comprehension_kind(b->comp_kind));
        b->is_generator = 1;
        TwAstExpr *v = e->kind == TW_EXPR_YIELD ? e->v.yield.value : e->v.yieldfrom.value;
        return v ? visit_expr(bd, v) : 0;
    }
    case TW_EXPR_COMPARE:
        return visit_expr(bd, e->v.compare.left) < 0 ? -1
                                                     : visit_exprs(bd, e->v.compare.comparators);
    case TW_EXPR_CALL:
        if (visit_expr(bd, e->v.call.func) < 0 || visit_exprs(bd, e->v.call.args) < 0)
            return -1;
        for (intptr_t i = 0; i < TW_SEQ_LEN(e->v.call.keywords); i++) {
            TwAstKeyword *k = TW_SEQ_GET(e->v.call.keywords, i);
            if (visit_expr(bd, k->value) < 0)
                return -1;
        }
        return 0;
    case TW_EXPR_FORMATTEDVALUE:
        if (visit_expr(bd, e->v.formattedvalue.value) < 0)
            return -1;
        return e->v.formattedvalue.format_spec ? visit_expr(bd, e->v.formattedvalue.format_spec)
                                               : 0;
    case TW_EXPR_JOINEDSTR:
        return visit_exprs(bd, e->v.joinedstr.values);
    case TW_EXPR_CONSTANT:
        return 0;
    case TW_EXPR_ATTRIBUTE:
        return visit_expr(bd, e->v.attribute.value);
    case TW_EXPR_SUBSCRIPT:
        return visit_expr(bd, e->v.subscript.value) < 0 ? -1 : visit_expr(bd, e->v.subscript.slice);
    case TW_EXPR_STARRED:
        return visit_expr(bd, e->v.starred.value);
    case TW_EXPR_NAME: {
        int flag = e->v.name.ctx == TW_CTX_LOAD ? TW_DEF_USE : TW_DEF_LOCAL;
        if (add_def(bd, e->v.name.id, flag, e->lineno, e->col) < 0)
            return -1;
        /* super() and __class__ inside a function need the class cell. */
        if (e->v.name.ctx == TW_CTX_LOAD && bd->cur->type == TW_BLOCK_FUNCTION &&
            (e->v.name.id == bd->s_super || e->v.name.id == bd->s_class))
            return add_def(bd, bd->s_class, TW_DEF_USE, e->lineno, e->col);
        return 0;
    }
    case TW_EXPR_LIST:
        return visit_exprs(bd, e->v.list.elts);
    case TW_EXPR_TUPLE:
        return visit_exprs(bd, e->v.tuple.elts);
    case TW_EXPR_SLICE:
        if (e->v.slice.lower && visit_expr(bd, e->v.slice.lower) < 0)
            return -1;
        if (e->v.slice.upper && visit_expr(bd, e->v.slice.upper) < 0)
            return -1;
        return e->v.slice.step ? visit_expr(bd, e->v.slice.step) : 0;
    }
    return 0;
}

/* ---- pass 2: resolving scopes ------------------------------------------------- */

static int nonlocal_error(Builder *bd, TwSymBlock *b, TwObject *name)
{
    int lineno = b->lineno, col = b->col;
    TwObject *key = block_key(b, name);
    if (key != NULL) {
        TwObject *loc;
        if (tw_dict_get_item_ref(bd->nonlocal_at, key, &loc) > 0) {
            int64_t v = tw_int_as_i64(loc);
            lineno = (int)(v >> 24);
            col = (int)(v & 0xffffff);
            tw_decref(loc);
        }
        tw_decref(key);
    }
    return error_at(bd, lineno, col, "no binding for nonlocal '%s' found", name);
}

/* Decide the scope of one name of block b (see the file comment). */
static int analyze_name(Builder *bd, TwSymBlock *b, TwObject *scopes, TwObject *name, int flags,
                        TwObject *bound, TwObject *local, TwObject *free, TwObject *global)
{
    int scope;
    if (flags & TW_DEF_GLOBAL) {
        scope = TW_SCOPE_GLOBAL_EXPLICIT;
        if (set_add(global, name) < 0)
            return -1;
        if (bound != NULL && set_discard(bound, name) < 0)
            return -1;
    } else if (flags & TW_DEF_NONLOCAL) {
        int r = set_has(bound, name);
        if (r < 0)
            return -1;
        if (!r)
            return nonlocal_error(bd, b, name);
        scope = TW_SCOPE_FREE;
        if (set_add(free, name) < 0)
            return -1;
    } else if (flags & TW_DEF_BOUND) {
        scope = TW_SCOPE_LOCAL;
        if (set_add(local, name) < 0 || set_discard(global, name) < 0)
            return -1;
    } else {
        int r = set_has(bound, name);
        if (r < 0)
            return -1;
        if (r) {
            scope = TW_SCOPE_FREE;
            if (set_add(free, name) < 0)
                return -1;
        } else {
            scope = TW_SCOPE_GLOBAL_IMPLICIT;
        }
    }
    TwObject *v = tw_int_from_i64(scope);
    int r = tw_dict_set_item(scopes, name, v);
    tw_decref(v);
    return r;
}

static int analyze_block(Builder *bd, TwSymBlock *b, TwObject *bound, TwObject *free,
                         TwObject *global);

/* Children see copies of bound/global, so that one child's declarations
 * cannot leak into its siblings. */
static int analyze_child(Builder *bd, TwSymBlock *child, TwObject *bound, TwObject *global,
                         TwObject *child_free)
{
    TwObject *b2 = tw_dict_copy(bound), *g2 = tw_dict_copy(global);
    int r = -1;
    if (b2 != NULL && g2 != NULL)
        r = analyze_block(bd, child, b2, child_free, g2);
    tw_xdecref(b2);
    tw_xdecref(g2);
    return r;
}

static int analyze_block(Builder *bd, TwSymBlock *b, TwObject *bound, TwObject *free,
                         TwObject *global)
{
    TwObject *local = tw_dict_new(), *scopes = tw_dict_new(), *newbound = tw_dict_new();
    TwObject *newglobal = tw_dict_new(), *newfree = tw_dict_new();
    TwObject *key = NULL, *value = NULL;
    int r = -1;
    if (!local || !scopes || !newbound || !newglobal || !newfree)
        goto done;
    if (b->type == TW_BLOCK_CLASS) {
        /* A class body's own names are not visible to its methods. */
        if (set_update(newglobal, global) < 0 || set_update(newbound, bound) < 0)
            goto done;
    }
    intptr_t pos = 0;
    int it;
    while ((it = tw_dict_next_ref(b->symbols, &pos, &key, &value)) == 1) {
        int flags = (int)tw_int_as_i64(value);
        if (analyze_name(bd, b, scopes, key, flags, bound, local, free, global) < 0)
            goto done;
        TW_CLEAR(key);
        TW_CLEAR(value);
    }
    if (it < 0)
        goto done;
    if (b->type != TW_BLOCK_CLASS) {
        if (b->type == TW_BLOCK_FUNCTION && set_update(newbound, local) < 0)
            goto done;
        if (set_update(newbound, bound) < 0 || set_update(newglobal, global) < 0)
            goto done;
    } else if (set_add(newbound, bd->s_class) < 0) {
        goto done;
    }
    for (int i = 0; i < b->nchildren; i++)
        if (analyze_child(bd, b->children[i], newbound, newglobal, newfree) < 0)
            goto done;

    if (b->type == TW_BLOCK_FUNCTION) {
        /* Locals that a child needs become cells. */
        pos = 0;
        while ((it = tw_dict_next_ref(scopes, &pos, &key, &value)) == 1) {
            if (tw_int_as_i64(value) == TW_SCOPE_LOCAL) {
                int has = set_has(newfree, key);
                if (has < 0)
                    goto done;
                if (has) {
                    TwObject *cell = tw_int_from_i64(TW_SCOPE_CELL);
                    int rr = tw_dict_set_item(scopes, key, cell);
                    tw_decref(cell);
                    if (rr < 0 || tw_dict_del_item(newfree, key) < 0)
                        goto done;
                }
            }
            TW_CLEAR(key);
            TW_CLEAR(value);
        }
        if (it < 0)
            goto done;
    } else if (b->type == TW_BLOCK_CLASS) {
        int has = set_has(newfree, bd->s_class);
        if (has < 0)
            goto done;
        if (has) {
            b->needs_class_closure = 1;
            if (tw_dict_del_item(newfree, bd->s_class) < 0)
                goto done;
        }
    }

    /* Write the scopes back into the symbols. */
    pos = 0;
    while ((it = tw_dict_next_ref(scopes, &pos, &key, &value)) == 1) {
        int flags = get_flags(b->symbols, key);
        int scope = (int)tw_int_as_i64(value);
        if (flags < 0 ||
            set_flags(b->symbols, key,
                      (flags & ((1 << TW_SCOPE_SHIFT) - 1)) | scope << TW_SCOPE_SHIFT) < 0)
            goto done;
        TW_CLEAR(key);
        TW_CLEAR(value);
    }
    if (it < 0)
        goto done;
    /* Free names of the children that this block does not know: pass
     * them through (unless they are globals). */
    pos = 0;
    while ((it = tw_dict_next_ref(newfree, &pos, &key, NULL)) == 1) {
        int flags = get_flags(b->symbols, key);
        if (flags < 0)
            goto done;
        if (flags != 0) {
            if (b->type == TW_BLOCK_CLASS &&
                set_flags(b->symbols, key, flags | TW_DEF_FREE_CLASS) < 0)
                goto done;
        } else {
            int has = set_has(bound, key);
            if (has < 0)
                goto done;
            if (bound != NULL && has &&
                set_flags(b->symbols, key, TW_SCOPE_FREE << TW_SCOPE_SHIFT) < 0)
                goto done;
        }
        TW_CLEAR(key);
    }
    if (it < 0)
        goto done;
    if (set_update(free, newfree) < 0)
        goto done;
    r = 0;
done:
    tw_xdecref(key);
    tw_xdecref(value);
    tw_xdecref(local);
    tw_xdecref(scopes);
    tw_xdecref(newbound);
    tw_xdecref(newglobal);
    tw_xdecref(newfree);
    return r;
}

TwSymtable *tw_symtable_build(TwAstModule *mod, const char *filename, const char *source,
                              size_t source_len)
{
    TwSymtable *st = calloc(1, sizeof(*st));
    if (st == NULL) {
        tw_err_no_memory();
        return NULL;
    }
    st->filename = filename;
    st->source = source;
    st->source_len = source_len;
    Builder bd = {.st = st};
    bd.s_class = tw_str_intern_cstr("__class__");
    bd.s_super = tw_str_intern_cstr("super");
    bd.s_dot0 = tw_str_intern_cstr(".0");
    bd.nonlocal_at = tw_dict_new();
    TwObject *modname = tw_str_intern_cstr("<module>");
    TwObject *global = NULL, *free = NULL;
    if (!bd.s_class || !bd.s_super || !bd.s_dot0 || !bd.nonlocal_at || !modname)
        goto fail;
    st->top = block_new(&bd, NULL, modname, TW_BLOCK_MODULE, 0, 0);
    if (st->top == NULL)
        goto fail;
    bd.cur = st->top;
    if (visit_stmts(&bd, mod->body) < 0)
        goto fail;
    global = tw_dict_new();
    free = tw_dict_new();
    if (global == NULL || free == NULL || analyze_block(&bd, st->top, NULL, free, global) < 0)
        goto fail;
    tw_decref(global);
    tw_decref(free);
    tw_decref(bd.nonlocal_at);
    tw_decref(modname);
    return st;
fail:
    tw_xdecref(global);
    tw_xdecref(free);
    tw_xdecref(bd.nonlocal_at);
    tw_xdecref(modname);
    tw_symtable_free(st);
    return NULL;
}
