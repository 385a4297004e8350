/* Parser: the AST of every construct of the subset (compared with what
 * python3's ast module gives for the same source, written in the compact
 * form of dump() below), node positions, and the errors (type, message,
 * line and 1-based column range that CPython 3.11 reports when it runs the
 * source as a file), their printed form, unsupported constructs, hostile
 * input, and leaks. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <twinpy/abstract.h>

#include "support.h"
#include "core/parser.h"

TestSuite(parser, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- AST dumper: a compact text form of the tree, compared against
 * expected strings (the same format tests/unit/ derive from python3's ast
 * module when writing them). ---------------------------------------------- */
typedef struct {
    char *buf;
    size_t len, cap;
    int pos; /* append @line:col-endline:endcol to every node */
    int in_fstring; /* no positions for the parts of an f-string (CPython's are the whole string's) */
} Dump;

static void dput(Dump *d, const char *s)
{
    size_t n = strlen(s);
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->buf = realloc(d->buf, d->cap);
    }
    memcpy(d->buf + d->len, s, n + 1);
    d->len += n;
}

static void dfmt(Dump *d, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    dput(d, tmp);
}

static void dobj(Dump *d, TwObject *o)
{
    TwObject *r = tw_object_repr(o);
    dput(d, r ? tw_str_utf8(r) : "<?>");
    if (r)
        tw_decref(r);
    else
        tw_err_clear();
}

static void dpos(Dump *d, int l, int c, int el, int ec)
{
    if (d->pos)
        dfmt(d, "@%d:%d-%d:%d", l, c, el, ec);
}

static void dexpr(Dump *d, TwAstExpr *e);
static void dstmts(Dump *d, TwAstSeq *s);

static void dexprs(Dump *d, TwAstSeq *s)
{
    dput(d, "[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(s); i++) {
        if (i)
            dput(d, ",");
        dexpr(d, TW_SEQ_GET(s, i));
    }
    dput(d, "]");
}

static const char *ctxname(TwExprContext c) { return c == TW_CTX_STORE ? ",Store" : c == TW_CTX_DEL ? ",Del" : ""; }

static const char *binopname(int op)
{
    static const char *n[] = {"Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "FloorDiv"};
    return n[op];
}

static const char *cmpname(int op)
{
    static const char *n[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
    return n[op];
}

static void dargs(Dump *d, TwAstArguments *a)
{
    dput(d, "arguments([");
    for (intptr_t i = 0; i < TW_SEQ_LEN(a->posonlyargs); i++)
        dfmt(d, "%s'%s'", i ? "," : "", tw_str_utf8(((TwAstArg *)TW_SEQ_GET(a->posonlyargs, i))->arg));
    dput(d, "],[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(a->args); i++)
        dfmt(d, "%s'%s'", i ? "," : "", tw_str_utf8(((TwAstArg *)TW_SEQ_GET(a->args, i))->arg));
    dput(d, "],");
    if (a->vararg)
        dfmt(d, "'%s'", tw_str_utf8(a->vararg->arg));
    else
        dput(d, "None");
    dput(d, ",[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(a->kwonlyargs); i++)
        dfmt(d, "%s'%s'", i ? "," : "", tw_str_utf8(((TwAstArg *)TW_SEQ_GET(a->kwonlyargs, i))->arg));
    dput(d, "],[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(a->kw_defaults); i++) {
        if (i)
            dput(d, ",");
        if (TW_SEQ_GET(a->kw_defaults, i))
            dexpr(d, TW_SEQ_GET(a->kw_defaults, i));
        else
            dput(d, "None");
    }
    dput(d, "],");
    if (a->kwarg)
        dfmt(d, "'%s'", tw_str_utf8(a->kwarg->arg));
    else
        dput(d, "None");
    dput(d, ",");
    dexprs(d, a->defaults);
    dput(d, ")");
}

static void dopt(Dump *d, TwAstExpr *e)
{
    if (e)
        dexpr(d, e);
    else
        dput(d, "None");
}

static void dcomps(Dump *d, TwAstSeq *s)
{
    dput(d, "[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(s); i++) {
        TwAstComprehension *c = TW_SEQ_GET(s, i);
        dput(d, i ? ",comprehension(" : "comprehension(");
        dexpr(d, c->target);
        dput(d, ",");
        dexpr(d, c->iter);
        dput(d, ",");
        dexprs(d, c->ifs);
        dput(d, ")");
    }
    dput(d, "]");
}

static void dkeywords(Dump *d, TwAstSeq *s)
{
    dput(d, "[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(s); i++) {
        TwAstKeyword *k = TW_SEQ_GET(s, i);
        if (i)
            dput(d, ",");
        if (k->arg)
            dfmt(d, "keyword('%s',", tw_str_utf8(k->arg));
        else
            dput(d, "keyword(None,");
        dexpr(d, k->value);
        dput(d, ")");
    }
    dput(d, "]");
}

static void dexpr(Dump *d, TwAstExpr *e)
{
    switch (e->kind) {
    case TW_EXPR_BOOLOP:
        dput(d, e->v.boolop.op == TW_BOOL_AND ? "BoolOp(And," : "BoolOp(Or,");
        dexprs(d, e->v.boolop.values);
        break;
    case TW_EXPR_NAMEDEXPR:
        dput(d, "NamedExpr(");
        dexpr(d, e->v.namedexpr.target);
        dput(d, ",");
        dexpr(d, e->v.namedexpr.value);
        break;
    case TW_EXPR_BINOP:
        dput(d, "BinOp(");
        dexpr(d, e->v.binop.left);
        dfmt(d, ",%s,", binopname(e->v.binop.op));
        dexpr(d, e->v.binop.right);
        break;
    case TW_EXPR_UNARYOP: {
        static const char *n[] = {"Invert", "Not", "UAdd", "USub"};
        dfmt(d, "UnaryOp(%s,", n[e->v.unaryop.op]);
        dexpr(d, e->v.unaryop.operand);
        break;
    }
    case TW_EXPR_LAMBDA:
        dput(d, "Lambda(");
        dargs(d, e->v.lambda.args);
        dput(d, ",");
        dexpr(d, e->v.lambda.body);
        break;
    case TW_EXPR_IFEXP:
        dput(d, "IfExp(");
        dexpr(d, e->v.ifexp.test);
        dput(d, ",");
        dexpr(d, e->v.ifexp.body);
        dput(d, ",");
        dexpr(d, e->v.ifexp.orelse);
        break;
    case TW_EXPR_DICT:
        dput(d, "Dict([");
        for (intptr_t i = 0; i < TW_SEQ_LEN(e->v.dict.keys); i++) {
            if (i)
                dput(d, ",");
            dopt(d, TW_SEQ_GET(e->v.dict.keys, i));
        }
        dput(d, "],");
        dexprs(d, e->v.dict.values);
        break;
    case TW_EXPR_SET:
        dput(d, "Set(");
        dexprs(d, e->v.set.elts);
        break;
    case TW_EXPR_LISTCOMP: case TW_EXPR_SETCOMP: case TW_EXPR_GENEXP:
        dput(d, e->kind == TW_EXPR_LISTCOMP ? "ListComp(" : e->kind == TW_EXPR_SETCOMP ? "SetComp(" : "GeneratorExp(");
        dexpr(d, e->v.comp.elt);
        dput(d, ",");
        dcomps(d, e->v.comp.generators);
        break;
    case TW_EXPR_DICTCOMP:
        dput(d, "DictComp(");
        dexpr(d, e->v.comp.key);
        dput(d, ",");
        dexpr(d, e->v.comp.value);
        dput(d, ",");
        dcomps(d, e->v.comp.generators);
        break;
    case TW_EXPR_YIELD:
        dput(d, "Yield(");
        dopt(d, e->v.yield.value);
        break;
    case TW_EXPR_YIELDFROM:
        dput(d, "YieldFrom(");
        dexpr(d, e->v.yieldfrom.value);
        break;
    case TW_EXPR_COMPARE:
        dput(d, "Compare(");
        dexpr(d, e->v.compare.left);
        dput(d, ",[");
        for (intptr_t i = 0; i < TW_SEQ_LEN(e->v.compare.ops); i++)
            dfmt(d, "%s%s", i ? "," : "", cmpname((int)(intptr_t)TW_SEQ_GET(e->v.compare.ops, i)));
        dput(d, "],");
        dexprs(d, e->v.compare.comparators);
        break;
    case TW_EXPR_CALL:
        dput(d, "Call(");
        dexpr(d, e->v.call.func);
        dput(d, ",");
        dexprs(d, e->v.call.args);
        dput(d, ",");
        dkeywords(d, e->v.call.keywords);
        break;
    case TW_EXPR_FORMATTEDVALUE: {
        int saved = d->in_fstring;
        d->in_fstring = 0;
        dput(d, "FormattedValue(");
        dexpr(d, e->v.formattedvalue.value);
        dfmt(d, ",%d,", e->v.formattedvalue.conversion);
        d->in_fstring = 1;
        dopt(d, e->v.formattedvalue.format_spec);
        d->in_fstring = saved;
        break;
    }
    case TW_EXPR_JOINEDSTR: {
        int saved = d->in_fstring;
        dput(d, "JoinedStr(");
        d->in_fstring = 1;
        dexprs(d, e->v.joinedstr.values);
        d->in_fstring = saved;
        break;
    }
    case TW_EXPR_CONSTANT:
        dput(d, "Constant(");
        dobj(d, e->v.constant.value);
        break;
    case TW_EXPR_ATTRIBUTE:
        dput(d, "Attribute(");
        dexpr(d, e->v.attribute.value);
        dfmt(d, ",'%s'%s", tw_str_utf8(e->v.attribute.attr), ctxname(e->v.attribute.ctx));
        break;
    case TW_EXPR_SUBSCRIPT:
        dput(d, "Subscript(");
        dexpr(d, e->v.subscript.value);
        dput(d, ",");
        dexpr(d, e->v.subscript.slice);
        dput(d, ctxname(e->v.subscript.ctx));
        break;
    case TW_EXPR_STARRED:
        dput(d, "Starred(");
        dexpr(d, e->v.starred.value);
        dput(d, ctxname(e->v.starred.ctx));
        break;
    case TW_EXPR_NAME:
        dfmt(d, "Name('%s'%s", tw_str_utf8(e->v.name.id), ctxname(e->v.name.ctx));
        break;
    case TW_EXPR_LIST:
        dput(d, "List(");
        dexprs(d, e->v.list.elts);
        dput(d, ctxname(e->v.list.ctx));
        break;
    case TW_EXPR_TUPLE:
        dput(d, "Tuple(");
        dexprs(d, e->v.tuple.elts);
        dput(d, ctxname(e->v.tuple.ctx));
        break;
    case TW_EXPR_SLICE:
        dput(d, "Slice(");
        dopt(d, e->v.slice.lower);
        dput(d, ",");
        dopt(d, e->v.slice.upper);
        dput(d, ",");
        dopt(d, e->v.slice.step);
        break;
    }
    dput(d, ")");
    if (!d->in_fstring)
        dpos(d, e->lineno, e->col, e->end_lineno, e->end_col);
}

static void dnames(Dump *d, TwAstSeq *s)
{
    dput(d, "[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(s); i++)
        dfmt(d, "%s'%s'", i ? "," : "", tw_str_utf8(TW_SEQ_GET(s, i)));
    dput(d, "]");
}

static void dstmt(Dump *d, TwAstStmt *s)
{
    switch (s->kind) {
    case TW_STMT_FUNCTIONDEF:
        dfmt(d, "FunctionDef('%s',", tw_str_utf8(s->v.functiondef.name));
        dargs(d, s->v.functiondef.args);
        dput(d, ",");
        dstmts(d, s->v.functiondef.body);
        dput(d, ",");
        dexprs(d, s->v.functiondef.decorators);
        break;
    case TW_STMT_CLASSDEF:
        dfmt(d, "ClassDef('%s',", tw_str_utf8(s->v.classdef.name));
        dexprs(d, s->v.classdef.bases);
        dput(d, ",");
        dkeywords(d, s->v.classdef.keywords);
        dput(d, ",");
        dstmts(d, s->v.classdef.body);
        dput(d, ",");
        dexprs(d, s->v.classdef.decorators);
        break;
    case TW_STMT_RETURN:
        dput(d, "Return(");
        dopt(d, s->v.return_.value);
        break;
    case TW_STMT_DELETE:
        dput(d, "Delete(");
        dexprs(d, s->v.delete_.targets);
        break;
    case TW_STMT_ASSIGN:
        dput(d, "Assign(");
        dexprs(d, s->v.assign.targets);
        dput(d, ",");
        dexpr(d, s->v.assign.value);
        break;
    case TW_STMT_AUGASSIGN:
        dput(d, "AugAssign(");
        dexpr(d, s->v.augassign.target);
        dfmt(d, ",%s,", binopname(s->v.augassign.op));
        dexpr(d, s->v.augassign.value);
        break;
    case TW_STMT_ANNASSIGN:
        dput(d, "AnnAssign(");
        dexpr(d, s->v.annassign.target);
        dput(d, ",");
        dexpr(d, s->v.annassign.annotation);
        dput(d, ",");
        dopt(d, s->v.annassign.value);
        dfmt(d, ",%d", s->v.annassign.simple);
        break;
    case TW_STMT_FOR:
        dput(d, "For(");
        dexpr(d, s->v.for_.target);
        dput(d, ",");
        dexpr(d, s->v.for_.iter);
        dput(d, ",");
        dstmts(d, s->v.for_.body);
        dput(d, ",");
        dstmts(d, s->v.for_.orelse);
        break;
    case TW_STMT_WHILE: case TW_STMT_IF:
        dput(d, s->kind == TW_STMT_WHILE ? "While(" : "If(");
        dexpr(d, s->v.if_.test);
        dput(d, ",");
        dstmts(d, s->v.if_.body);
        dput(d, ",");
        dstmts(d, s->v.if_.orelse);
        break;
    case TW_STMT_WITH:
        dput(d, "With([");
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.with.items); i++) {
            TwAstWithItem *w = TW_SEQ_GET(s->v.with.items, i);
            dput(d, i ? ",withitem(" : "withitem(");
            dexpr(d, w->context_expr);
            dput(d, ",");
            dopt(d, w->optional_vars);
            dput(d, ")");
        }
        dput(d, "],");
        dstmts(d, s->v.with.body);
        break;
    case TW_STMT_RAISE:
        dput(d, "Raise(");
        dopt(d, s->v.raise.exc);
        dput(d, ",");
        dopt(d, s->v.raise.cause);
        break;
    case TW_STMT_TRY:
        dput(d, "Try(");
        dstmts(d, s->v.try_.body);
        dput(d, ",[");
        for (intptr_t i = 0; i < TW_SEQ_LEN(s->v.try_.handlers); i++) {
            TwAstExceptHandler *h = TW_SEQ_GET(s->v.try_.handlers, i);
            dput(d, i ? ",ExceptHandler(" : "ExceptHandler(");
            dopt(d, h->type);
            if (h->name)
                dfmt(d, ",'%s',", tw_str_utf8(h->name));
            else
                dput(d, ",None,");
            dstmts(d, h->body);
            dput(d, ")");
            dpos(d, h->lineno, h->col, 0, 0);
        }
        dput(d, "],");
        dstmts(d, s->v.try_.orelse);
        dput(d, ",");
        dstmts(d, s->v.try_.finalbody);
        break;
    case TW_STMT_ASSERT:
        dput(d, "Assert(");
        dexpr(d, s->v.assert_.test);
        dput(d, ",");
        dopt(d, s->v.assert_.msg);
        break;
    case TW_STMT_IMPORT: case TW_STMT_IMPORTFROM: {
        TwAstSeq *names;
        if (s->kind == TW_STMT_IMPORT) {
            dput(d, "Import([");
            names = s->v.import.names;
        } else {
            if (s->v.importfrom.module)
                dfmt(d, "ImportFrom('%s',[", tw_str_utf8(s->v.importfrom.module));
            else
                dput(d, "ImportFrom(None,[");
            names = s->v.importfrom.names;
        }
        for (intptr_t i = 0; i < TW_SEQ_LEN(names); i++) {
            TwAstAlias *a = TW_SEQ_GET(names, i);
            dfmt(d, "%salias('%s',", i ? "," : "", tw_str_utf8(a->name));
            if (a->asname)
                dfmt(d, "'%s')", tw_str_utf8(a->asname));
            else
                dput(d, "None)");
        }
        dput(d, "]");
        if (s->kind == TW_STMT_IMPORTFROM)
            dfmt(d, ",%d", s->v.importfrom.level);
        break;
    }
    case TW_STMT_GLOBAL: case TW_STMT_NONLOCAL:
        dput(d, s->kind == TW_STMT_GLOBAL ? "Global(" : "Nonlocal(");
        dnames(d, s->v.global.names);
        break;
    case TW_STMT_EXPR:
        dput(d, "Expr(");
        dexpr(d, s->v.expr.value);
        break;
    case TW_STMT_PASS: dput(d, "Pass("); break;
    case TW_STMT_BREAK: dput(d, "Break("); break;
    case TW_STMT_CONTINUE: dput(d, "Continue("); break;
    }
    dput(d, ")");
    dpos(d, s->lineno, s->col, s->end_lineno, s->end_col);
}

static void dstmts(Dump *d, TwAstSeq *s)
{
    dput(d, "[");
    for (intptr_t i = 0; i < TW_SEQ_LEN(s); i++) {
        if (i)
            dput(d, ",");
        dstmt(d, TW_SEQ_GET(s, i));
    }
    dput(d, "]");
}

/* The dump of src's AST (malloc'ed); positions included when `pos`. */
static char *parse_dump(const char *src, size_t n, int pos)
{
    TwAstModule m;
    int r = tw_parse_module(src, n, "t.py", &m);
    if (r < 0) {
        TwObject *e = tw_err_fetch();
        TwObject *s = e ? tw_object_str(e) : NULL;
        cr_assert_fail("parse of \"%s\" failed: %s: %s", src, e ? TW_TYPE(e)->tp_name : "?",
                       s ? tw_str_utf8(s) : "?");
    }
    cr_assert_null(tw_err_occurred());
    Dump d = {0};
    d.pos = pos;
    dput(&d, "Module(");
    dstmts(&d, m.body);
    dput(&d, ")");
    tw_arena_free(m.arena);
    return d.buf;
}

static void check_ast(const char *src, const char *expected, int pos)
{
    int64_t base = tw_test_live();
    char *got = parse_dump(src, strlen(src), pos);
    cr_assert_str_eq(got, expected, "AST of:\n%s", src);
    free(got);
    tw_test_assert_no_leak(base);
}

static void assert_ast(const char *src, const char *expected) { check_ast(src, expected, 0); }
static void assert_ast_pos(const char *src, const char *expected) { check_ast(src, expected, 1); }

/* Parse src (n bytes) expecting `type` with msg at the given place. */
static void assert_error_n(const char *src, size_t n, TwType *type, const char *msg, int lineno,
                           int offset, int end_lineno, int end_offset)
{
    int64_t base = tw_test_live();
    TwAstModule m;
    cr_assert_eq(tw_parse_module(src, n, "t.py", &m), -1, "no error for:\n%s", src);
    cr_assert_null(m.arena);
    cr_assert_eq(tw_err_occurred(), type, "%s instead of %s for:\n%s", tw_err_occurred()->tp_name,
                 type->tp_name, src);
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)tw_err_fetch();
    cr_assert_str_eq(tw_str_utf8(e->msg), msg, "message for:\n%s", src);
    cr_assert(e->lineno == lineno && e->offset == offset && e->end_lineno == end_lineno &&
                  e->end_offset == end_offset,
              "%s\n  at %d:%d-%d:%d, expected %d:%d-%d:%d, for:\n%s", msg, e->lineno, e->offset,
              e->end_lineno, e->end_offset, lineno, offset, end_lineno, end_offset, src);
    cr_assert_str_eq(tw_str_utf8(e->filename), "t.py");
    tw_decref((TwObject *)e);
    tw_test_assert_no_leak(base);
}

static void assert_error(const char *src, TwType *type, const char *msg, int lineno, int offset,
                         int end_lineno, int end_offset)
{
    assert_error_n(src, strlen(src), type, msg, lineno, offset, end_lineno, end_offset);
}

/* The message of the SyntaxError that parsing src raises. */
static char *error_message(const char *src, size_t n)
{
    TwAstModule m;
    cr_assert_eq(tw_parse_module(src, n, "t.py", &m), -1, "no error for:\n%s", src);
    cr_assert(tw_err_matches(&tw_exc_SyntaxError));
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)tw_err_fetch();
    char *r = strdup(tw_str_utf8(e->msg));
    tw_decref((TwObject *)e);
    return r;
}

/* What tw_syntax_error_print writes for the error of src. */
static char *printed_error_n(const char *src, size_t n)
{
    TwAstModule m;
    cr_assert_eq(tw_parse_module(src, n, "x.py", &m), -1, "no error for:\n%s", src);
    TwObject *e = tw_err_fetch();
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    tw_syntax_error_print(e, out);
    fclose(out);
    tw_decref(e);
    return buf;
}

static char *printed_error(const char *src) { return printed_error_n(src, strlen(src)); }

static void assert_printed(const char *src, const char *expected)
{
    char *got = printed_error(src);
    cr_assert_str_eq(got, expected, "printed error for:\n%s", src);
    free(got);
}

/* ---- the AST of each construct ----------------------------------------------- */

Test(parser, arithmetic_follows_cpython_precedence)
{
    assert_ast("x = 1 + 2 * 3 - 4 / 5 // 6 % 7 @ m\n",
               "Module([Assign([Name('x',Store)],BinOp(BinOp(Constant(1),Add,BinOp(Constant(2),Mult,Const"
               "ant(3))),Sub,BinOp(BinOp(BinOp(BinOp(Constant(4),Div,Constant(5)),FloorDiv,Constant(6)),Mo"
               "d,Constant(7)),MatMult,Name('m'))))])");
}

Test(parser, power_is_right_associative_and_binds_tighter_than_unary_minus)
{
    assert_ast("x = -2 ** 3 ** 4\ny = a ** -b\n",
               "Module([Assign([Name('x',Store)],UnaryOp(USub,BinOp(Constant(2),Pow,BinOp(Constant(3),Pow"
               ",Constant(4))))),Assign([Name('y',Store)],BinOp(Name('a'),Pow,UnaryOp(USub,Name('b'))))])");
}

Test(parser, bitwise_operators_by_precedence)
{
    assert_ast("x = a | b ^ c & d << e >> f + g\n",
               "Module([Assign([Name('x',Store)],BinOp(Name('a'),BitOr,BinOp(Name('b'),BitXor,BinOp(Name("
               "'c'),BitAnd,BinOp(BinOp(Name('d'),LShift,Name('e')),RShift,BinOp(Name('f'),Add,Name('g')))"
               "))))])");
}

Test(parser, unary_operators)
{
    assert_ast("x = -a + +b - ~c\ny = not not d\n",
               "Module([Assign([Name('x',Store)],BinOp(BinOp(UnaryOp(USub,Name('a')),Add,UnaryOp(UAdd,Nam"
               "e('b'))),Sub,UnaryOp(Invert,Name('c')))),Assign([Name('y',Store)],UnaryOp(Not,UnaryOp(Not,"
               "Name('d'))))])");
}

Test(parser, comparisons_chain_into_one_node)
{
    assert_ast("a < b <= c == d != e > f >= g\nx in y not in z is w is not v\n",
               "Module([Expr(Compare(Name('a'),[Lt,LtE,Eq,NotEq,Gt,GtE],[Name('b'),Name('c'),Name('d'),Na"
               "me('e'),Name('f'),Name('g')])),Expr(Compare(Name('x'),[In,NotIn,Is,IsNot],[Name('y'),Name("
               "'z'),Name('w'),Name('v')]))])");
}

Test(parser, boolean_operators_flatten_and_nest_by_precedence)
{
    assert_ast("a or b or c and d and not e\n",
               "Module([Expr(BoolOp(Or,[Name('a'),Name('b'),BoolOp(And,[Name('c'),Name('d'),UnaryOp(Not,N"
               "ame('e'))])]))])");
}

Test(parser, conditional_expressions_nest_to_the_right)
{
    assert_ast("x = a if b else c if d else e\n",
               "Module([Assign([Name('x',Store)],IfExp(Name('b'),Name('a'),IfExp(Name('d'),Name('c'),Name"
               "('e'))))])");
}

Test(parser, lambda_with_every_kind_of_parameter)
{
    assert_ast("f = lambda a, b=1, /, c=2, *args, d, e=3, **kw: a\ng = lambda: 0\nh = lambda *, k: k\n",
               "Module([Assign([Name('f',Store)],Lambda(arguments(['a','b'],['c'],'args',['d','e'],[None,"
               "Constant(3)],'kw',[Constant(1),Constant(2)]),Name('a'))),Assign([Name('g',Store)],Lambda(a"
               "rguments([],[],None,[],[],None,[]),Constant(0))),Assign([Name('h',Store)],Lambda(arguments"
               "([],[],None,['k'],[None],None,[]),Name('k')))])");
}

Test(parser, call_arguments_of_every_kind)
{
    assert_ast("f(a, *b, c=1, *d, **e)\nf(x for x in y)\nf(a)(b)[c].d\n",
               "Module([Expr(Call(Name('f'),[Name('a'),Starred(Name('b')),Starred(Name('d'))],[keyword('c"
               "',Constant(1)),keyword(None,Name('e'))])),Expr(Call(Name('f'),[GeneratorExp(Name('x'),[com"
               "prehension(Name('x',Store),Name('y'),[])])],[])),Expr(Attribute(Subscript(Call(Call(Name('"
               "f'),[Name('a')],[]),[Name('b')],[]),Name('c')),'d'))])");
}

Test(parser, subscripts_and_slices)
{
    assert_ast("x[1]\nx[1:2]\nx[::3]\nx[a:b:c, d]\nx[:]\nx[i, j]\nx[1:2,]\nx[*a]\n",
               "Module([Expr(Subscript(Name('x'),Constant(1))),Expr(Subscript(Name('x'),Slice(Constant(1)"
               ",Constant(2),None))),Expr(Subscript(Name('x'),Slice(None,None,Constant(3)))),Expr(Subscrip"
               "t(Name('x'),Tuple([Slice(Name('a'),Name('b'),Name('c')),Name('d')]))),Expr(Subscript(Name("
               "'x'),Slice(None,None,None))),Expr(Subscript(Name('x'),Tuple([Name('i'),Name('j')]))),Expr("
               "Subscript(Name('x'),Tuple([Slice(Constant(1),Constant(2),None)]))),Expr(Subscript(Name('x'"
               "),Tuple([Starred(Name('a'))])))])");
}

Test(parser, displays)
{
    assert_ast("x = (1, 2), (3,), (), [], [1, *a], {}, {1: 2, **d}, {1, *s}\n",
               "Module([Assign([Name('x',Store)],Tuple([Tuple([Constant(1),Constant(2)]),Tuple([Constant("
               "3)]),Tuple([]),List([]),List([Constant(1),Starred(Name('a'))]),Dict([],[]),Dict([Constant("
               "1),None],[Constant(2),Name('d')]),Set([Constant(1),Starred(Name('s'))])]))])");
}

Test(parser, comprehensions_with_nested_for_and_if)
{
    assert_ast("x = [a * b for a in r if a for b in s if b if a]\ny = {k: v for k, v in d}\nz = {e for e "
               "in s}\nw = (g for g in t)\n",
               "Module([Assign([Name('x',Store)],ListComp(BinOp(Name('a'),Mult,Name('b')),[comprehension("
               "Name('a',Store),Name('r'),[Name('a')]),comprehension(Name('b',Store),Name('s'),[Name('b'),"
               "Name('a')])])),Assign([Name('y',Store)],DictComp(Name('k'),Name('v'),[comprehension(Tuple("
               "[Name('k',Store),Name('v',Store)],Store),Name('d'),[])])),Assign([Name('z',Store)],SetComp"
               "(Name('e'),[comprehension(Name('e',Store),Name('s'),[])])),Assign([Name('w',Store)],Genera"
               "torExp(Name('g'),[comprehension(Name('g',Store),Name('t'),[])]))])");
}

Test(parser, assignment_expressions)
{
    assert_ast("if (n := len(a)) > 1: pass\n[y := 1, y]\nf(x := 2)\n",
               "Module([If(Compare(NamedExpr(Name('n',Store),Call(Name('len'),[Name('a')],[])),[Gt],[Cons"
               "tant(1)]),[Pass()],[]),Expr(List([NamedExpr(Name('y',Store),Constant(1)),Name('y')])),Expr"
               "(Call(Name('f'),[NamedExpr(Name('x',Store),Constant(2))],[]))])");
}

Test(parser, chained_and_unpacking_assignments)
{
    assert_ast("a = b = c\nx, y = y, x\n[p, *q] = r\n(s, (t, u)), v = w\nm.n = o[p] = 1\n",
               "Module([Assign([Name('a',Store),Name('b',Store)],Name('c')),Assign([Tuple([Name('x',Store"
               "),Name('y',Store)],Store)],Tuple([Name('y'),Name('x')])),Assign([List([Name('p',Store),Sta"
               "rred(Name('q',Store),Store)],Store)],Name('r')),Assign([Tuple([Tuple([Name('s',Store),Tupl"
               "e([Name('t',Store),Name('u',Store)],Store)],Store),Name('v',Store)],Store)],Name('w')),Ass"
               "ign([Attribute(Name('m'),'n',Store),Subscript(Name('o'),Name('p'),Store)],Constant(1))])");
}

Test(parser, augmented_assignments)
{
    assert_ast("a += 1\nb -= 1\nc *= 1\nd /= 1\ne //= 1\nf %= 1\ng **= 1\nh <<= 1\ni >>= 1\nj &= 1\nk |= "
               "1\nl ^= 1\nm @= 1\nx.y += 1\nx[0] -= 1\n",
               "Module([AugAssign(Name('a',Store),Add,Constant(1)),AugAssign(Name('b',Store),Sub,Constant"
               "(1)),AugAssign(Name('c',Store),Mult,Constant(1)),AugAssign(Name('d',Store),Div,Constant(1)"
               "),AugAssign(Name('e',Store),FloorDiv,Constant(1)),AugAssign(Name('f',Store),Mod,Constant(1"
               ")),AugAssign(Name('g',Store),Pow,Constant(1)),AugAssign(Name('h',Store),LShift,Constant(1)"
               "),AugAssign(Name('i',Store),RShift,Constant(1)),AugAssign(Name('j',Store),BitAnd,Constant("
               "1)),AugAssign(Name('k',Store),BitOr,Constant(1)),AugAssign(Name('l',Store),BitXor,Constant"
               "(1)),AugAssign(Name('m',Store),MatMult,Constant(1)),AugAssign(Attribute(Name('x'),'y',Stor"
               "e),Add,Constant(1)),AugAssign(Subscript(Name('x'),Constant(0),Store),Sub,Constant(1))])");
}

Test(parser, annotated_assignments)
{
    assert_ast("x: int = 1\ny: list\n(z): int = 2\na.b: str\n",
               "Module([AnnAssign(Name('x',Store),Name('int'),Constant(1),1),AnnAssign(Name('y',Store),Na"
               "me('list'),None,1),AnnAssign(Name('z',Store),Name('int'),Constant(2),0),AnnAssign(Attribut"
               "e(Name('a'),'b',Store),Name('str'),None,0)])");
}

Test(parser, if_elif_else_chain)
{
    assert_ast("if a:\n    pass\nelif b:\n    x = 1\nelse:\n    y = 2\n",
               "Module([If(Name('a'),[Pass()],[If(Name('b'),[Assign([Name('x',Store)],Constant(1))],[Assi"
               "gn([Name('y',Store)],Constant(2))])])])");
}

Test(parser, while_and_for_with_else)
{
    assert_ast("while x:\n    break\nelse:\n    continue\nfor i, j in k:\n    pass\nelse:\n    pass\n",
               "Module([While(Name('x'),[Break()],[Continue()]),For(Tuple([Name('i',Store),Name('j',Store"
               ")],Store),Name('k'),[Pass()],[Pass()])])");
}

Test(parser, try_with_handlers_else_finally)
{
    assert_ast("try:\n    f()\nexcept E:\n    pass\nexcept (A, B) as e:\n    raise\nexcept:\n    raise X "
               "from e\nelse:\n    pass\nfinally:\n    g()\n",
               "Module([Try([Expr(Call(Name('f'),[],[]))],[ExceptHandler(Name('E'),None,[Pass()]),ExceptH"
               "andler(Tuple([Name('A'),Name('B')]),'e',[Raise(None,None)]),ExceptHandler(None,None,[Raise"
               "(Name('X'),Name('e'))])],[Pass()],[Expr(Call(Name('g'),[],[]))])])");
}

Test(parser, with_statements_including_parenthesized_items)
{
    assert_ast("with a as b, c:\n    pass\nwith (d as e, f as (g, h)):\n    pass\nwith (i, j):\n    pass"
               "\n",
               "Module([With([withitem(Name('a'),Name('b',Store)),withitem(Name('c'),None)],[Pass()]),Wit"
               "h([withitem(Name('d'),Name('e',Store)),withitem(Name('f'),Tuple([Name('g',Store),Name('h',"
               "Store)],Store))],[Pass()]),With([withitem(Name('i'),None),withitem(Name('j'),None)],[Pass("
               ")])])");
}

Test(parser, function_definitions)
{
    assert_ast("@dec\n@dec.attr(1)\ndef f(a, /, b: int = 1, *c, d, e=2, **f) -> None:\n    return a\ndef "
               "g(): return\n",
               "Module([FunctionDef('f',arguments(['a'],['b'],'c',['d','e'],[None,Constant(2)],'f',[Const"
               "ant(1)]),[Return(Name('a'))],[Name('dec'),Call(Attribute(Name('dec'),'attr'),[Constant(1)]"
               ",[])]),FunctionDef('g',arguments([],[],None,[],[],None,[]),[Return(None)],[])])");
}

Test(parser, class_definitions)
{
    assert_ast("@d\nclass A(B, C, metaclass=M, **kw):\n    x = 1\n    def m(self):\n        return super("
               ").m()\nclass D: pass\n",
               "Module([ClassDef('A',[Name('B'),Name('C')],[keyword('metaclass',Name('M')),keyword(None,N"
               "ame('kw'))],[Assign([Name('x',Store)],Constant(1)),FunctionDef('m',arguments([],['self'],N"
               "one,[],[],None,[]),[Return(Call(Attribute(Call(Name('super'),[],[]),'m'),[],[]))],[])],[Na"
               "me('d')]),ClassDef('D',[],[],[Pass()],[])])");
}

Test(parser, imports)
{
    assert_ast("import a\nimport a.b.c as d, e\nfrom . import x\nfrom ..m import (y as z, w,)\nfrom ...p."
               "q import *\n",
               "Module([Import([alias('a',None)]),Import([alias('a.b.c','d'),alias('e',None)]),ImportFrom"
               "(None,[alias('x',None)],1),ImportFrom('m',[alias('y','z'),alias('w',None)],2),ImportFrom('"
               "p.q',[alias('*',None)],3)])");
}

Test(parser, simple_statements)
{
    assert_ast("global a, b\nnonlocal c\ndel a, b[0], c.d\ndel (e, f)\nassert x, 'm'\nraise\nraise E\npas"
               "s; pass\n",
               "Module([Global(['a','b']),Nonlocal(['c']),Delete([Name('a',Del),Subscript(Name('b'),Const"
               "ant(0),Del),Attribute(Name('c'),'d',Del)]),Delete([Tuple([Name('e',Del),Name('f',Del)],Del"
               ")]),Assert(Name('x'),Constant('m')),Raise(None,None),Raise(Name('E'),None),Pass(),Pass()])"
               "");
}

Test(parser, generators)
{
    assert_ast("def g():\n    yield\n    yield 1, 2\n    x = yield\n    y = yield from z\n    return (yie"
               "ld)\n",
               "Module([FunctionDef('g',arguments([],[],None,[],[],None,[]),[Expr(Yield(None)),Expr(Yield"
               "(Tuple([Constant(1),Constant(2)]))),Assign([Name('x',Store)],Yield(None)),Assign([Name('y'"
               ",Store)],YieldFrom(Name('z'))),Return(Yield(None))],[])])");
}

Test(parser, string_literals_and_escapes)
{
    assert_ast("a = 'x' \"y\" '''z''' \"\"\"w\"\"\"\nb = 'a\\nb\\tc\\\\d\\'e\\\"f\\x41\\u00e9\\U0001F600"
               "\\101\\0\\q'\nc = r'\\n\\q' + b'\\x00\\xff\\n' + rb'\\d'\nd = 'line\\\ncontinued'\ne = '"
               "\xc3\xa9""\xe2\x82\xac""\xf0\x9f\x98\x80""'\n",
               "Module([Assign([Name('a',Store)],Constant('xyzw')),Assign([Name('b',Store)],Constant('a"
               "\\nb\\tc\\\\d\\'e\"fA\xc3\xa9""\xf0\x9f\x98\x80""A\\x00\\\\q')),Assign([Name('c',Store)],B"
               "inOp(BinOp(Constant('\\\\n\\\\q'),Add,Constant(b'\\x00\\xff\\n')),Add,Constant(b'\\\\d')))"
               ",Assign([Name('d',Store)],Constant('linecontinued')),Assign([Name('e',Store)],Constant('"
               "\xc3\xa9""\xe2\x82\xac""\xf0\x9f\x98\x80""'))])");
}

Test(parser, fstrings)
{
    assert_ast("a = f'x{y}z'\nb = f'{c!r} {d!s:>10} {e!a:{w}.{p}f}'\nc = f'{{lit}} {x}'\nd = f'{x=}' f'{y"
               " = }' f'{z=:>4}'\ne = 'a' f'{b}' 'c'\nf = f''\ng = rf'\\n{x}'\nh = f'{x:}'\n",
               "Module([Assign([Name('a',Store)],JoinedStr([Constant('x'),FormattedValue(Name('y'),-1,Non"
               "e),Constant('z')])),Assign([Name('b',Store)],JoinedStr([FormattedValue(Name('c'),114,None)"
               ",Constant(' '),FormattedValue(Name('d'),115,JoinedStr([Constant('>10')])),Constant(' '),Fo"
               "rmattedValue(Name('e'),97,JoinedStr([FormattedValue(Name('w'),-1,None),Constant('.'),Forma"
               "ttedValue(Name('p'),-1,None),Constant('f')]))])),Assign([Name('c',Store)],JoinedStr([Const"
               "ant('{lit} '),FormattedValue(Name('x'),-1,None)])),Assign([Name('d',Store)],JoinedStr([Con"
               "stant('x='),FormattedValue(Name('x'),114,None),Constant('y = '),FormattedValue(Name('y'),1"
               "14,None),Constant('z='),FormattedValue(Name('z'),-1,JoinedStr([Constant('>4')]))])),Assign"
               "([Name('e',Store)],JoinedStr([Constant('a'),FormattedValue(Name('b'),-1,None),Constant('c'"
               ")])),Assign([Name('f',Store)],JoinedStr([])),Assign([Name('g',Store)],JoinedStr([Constant("
               "'\\\\n'),FormattedValue(Name('x'),-1,None)])),Assign([Name('h',Store)],JoinedStr([Formatte"
               "dValue(Name('x'),-1,JoinedStr([]))]))])");
}

Test(parser, fstrings_nest_quotes_and_fields)
{
    assert_ast("a = f'{\"q\" if x else \"r\"}'\nb = f'{f\"{x}\"}'\nc = f\"{d['k']!r:^{w}}\"\nd = f'{x, y}"
               "'\ne = f'{(lambda: 1)()}'\n",
               "Module([Assign([Name('a',Store)],JoinedStr([FormattedValue(IfExp(Name('x'),Constant('q'),"
               "Constant('r')),-1,None)])),Assign([Name('b',Store)],JoinedStr([FormattedValue(JoinedStr([F"
               "ormattedValue(Name('x'),-1,None)]),-1,None)])),Assign([Name('c',Store)],JoinedStr([Formatt"
               "edValue(Subscript(Name('d'),Constant('k')),114,JoinedStr([Constant('^'),FormattedValue(Nam"
               "e('w'),-1,None)]))])),Assign([Name('d',Store)],JoinedStr([FormattedValue(Tuple([Name('x'),"
               "Name('y')]),-1,None)])),Assign([Name('e',Store)],JoinedStr([FormattedValue(Call(Lambda(arg"
               "uments([],[],None,[],[],None,[]),Constant(1)),[],[]),-1,None)]))])");
}

Test(parser, numbers)
{
    assert_ast("x = 0x1F, 0o17, 0b101, 1_000_000, 0, 00\ny = 1.5, 1e10, 1.5e-3, .5, 5., 1_0.0_1\nz = 1234"
               "56789012345678901234567890\n",
               "Module([Assign([Name('x',Store)],Tuple([Constant(31),Constant(15),Constant(5),Constant(10"
               "00000),Constant(0),Constant(0)])),Assign([Name('y',Store)],Tuple([Constant(1.5),Constant(1"
               "0000000000.0),Constant(0.0015),Constant(0.5),Constant(5.0),Constant(10.01)])),Assign([Name"
               "('z',Store)],Constant(123456789012345678901234567890))])");
}

Test(parser, constants)
{
    assert_ast("x = True, False, None, ...\n",
               "Module([Assign([Name('x',Store)],Tuple([Constant(True),Constant(False),Constant(None),Con"
               "stant(Ellipsis)]))])");
}

Test(parser, soft_keywords_are_names)
{
    assert_ast("match = 1\ncase = match(2)\ntype = type(3)\n",
               "Module([Assign([Name('match',Store)],Constant(1)),Assign([Name('case',Store)],Call(Name('"
               "match'),[Constant(2)],[])),Assign([Name('type',Store)],Call(Name('type'),[Constant(3)],[])"
               ")])");
}

Test(parser, expression_positions_match_cpython)
{
    assert_ast_pos("x = f(a, b=1)[2].c + (d)\ny = [i for i in z]\n",
                   "Module([Assign([Name('x',Store)@1:0-1:1],BinOp(Attribute(Subscript(Call(Name('f')@1:4-1:5"
                   ",[Name('a')@1:6-1:7],[keyword('b',Constant(1)@1:11-1:12)])@1:4-1:13,Constant(2)@1:14-1:15)"
                   "@1:4-1:16,'c')@1:4-1:18,Add,Name('d')@1:22-1:23)@1:4-1:24)@1:0-1:24,Assign([Name('y',Store"
                   ")@2:0-2:1],ListComp(Name('i')@2:5-2:6,[comprehension(Name('i',Store)@2:11-2:12,Name('z')@2"
                   ":16-2:17,[])])@2:4-2:18)@2:0-2:18])");
}

Test(parser, parenthesized_operands_start_the_enclosing_node)
{
    assert_ast_pos("(a).b\n(f)(x) * (y)\n(n := 1) > 0\n",
                   "Module([Expr(Attribute(Name('a')@1:1-1:2,'b')@1:0-1:5)@1:0-1:5,Expr(BinOp(Call(Name('f')@"
                   "2:1-2:2,[Name('x')@2:4-2:5],[])@2:0-2:6,Mult,Name('y')@2:10-2:11)@2:0-2:12)@2:0-2:12,Expr("
                   "Compare(NamedExpr(Name('n',Store)@3:1-3:2,Constant(1)@3:6-3:7)@3:1-3:7,[Gt],[Constant(0)@3"
                   ":11-3:12])@3:0-3:12)@3:0-3:12])");
}

Test(parser, statement_positions_end_with_their_last_statement)
{
    assert_ast_pos("if a:\n    b = 1\nelse:\n    c = (2 +\n         3)\ndef f():\n    return 1\n",
                   "Module([If(Name('a')@1:3-1:4,[Assign([Name('b',Store)@2:4-2:5],Constant(1)@2:8-2:9)@2:4-2"
                   ":9],[Assign([Name('c',Store)@4:4-4:5],BinOp(Constant(2)@4:9-4:10,Add,Constant(3)@5:9-5:10)"
                   "@4:9-5:10)@4:4-5:11])@1:0-5:11,FunctionDef('f',arguments([],[],None,[],[],None,[]),[Return"
                   "(Constant(1)@7:11-7:12)@7:4-7:12],[])@6:0-7:12])");
}

Test(parser, fstring_field_positions_are_in_the_source)
{
    assert_ast_pos("s = f'{a} and {b!r:{c}}'\nt = f'''\n{x}'''\n",
                   "Module([Assign([Name('s',Store)@1:0-1:1],JoinedStr([FormattedValue(Name('a')@1:7-1:8,-1,N"
                   "one),Constant(' and '),FormattedValue(Name('b')@1:15-1:16,114,JoinedStr([FormattedValue(Na"
                   "me('c')@1:20-1:21,-1,None)]))])@1:4-1:24)@1:0-1:24,Assign([Name('t',Store)@2:0-2:1],Joined"
                   "Str([Constant('\\n'),FormattedValue(Name('x')@3:1-3:2,-1,None)])@2:4-3:6)@2:0-3:6])");
}

Test(parser, unclosed_and_unmatched_brackets)
{
    assert_error("x = (1 +\n", &tw_exc_SyntaxError,
                 "'(' was never closed", 1, 5, 1, 0);
    assert_error("x = (1 +", &tw_exc_SyntaxError,
                 "'(' was never closed", 1, 5, 1, 0);
    assert_error("x = [1, 2\ny = 3\n", &tw_exc_SyntaxError,
                 "'[' was never closed", 1, 5, 1, 0);
    assert_error("foo(\n  a,\n  b\n", &tw_exc_SyntaxError,
                 "'(' was never closed", 1, 4, 1, 0);
    assert_error("x = )\n", &tw_exc_SyntaxError,
                 "unmatched ')'", 1, 5, 1, 5);
    assert_error("x = (]\n", &tw_exc_SyntaxError,
                 "closing parenthesis ']' does not match opening parenthesis '('", 1, 6, 1, 6);
    assert_error("x = [1, 2)\n", &tw_exc_SyntaxError,
                 "closing parenthesis ')' does not match opening parenthesis '['", 1, 10, 1, 10);
}

Test(parser, missing_colons)
{
    assert_error("if x\n  pass\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 5, 1, 5);
    assert_error("class A\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 8, 1, 8);
    assert_error("def f() pass\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 9, 1, 13);
    assert_error("for x in y\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 11, 1, 11);
    assert_error("while x\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 8, 1, 8);
    assert_error("with a as b\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 12, 1, 12);
    assert_error("try pass\n", &tw_exc_SyntaxError,
                 "expected ':'", 1, 5, 1, 9);
    assert_error("if x:\n pass\nelse\n", &tw_exc_SyntaxError,
                 "expected ':'", 3, 5, 3, 5);
    assert_error("try:\n pass\nexcept E\n", &tw_exc_SyntaxError,
                 "expected ':'", 3, 9, 3, 9);
    assert_error("try:\n pass\nfinally\n", &tw_exc_SyntaxError,
                 "expected ':'", 3, 8, 3, 8);
}

Test(parser, indentation_errors)
{
    assert_error("if x:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'if' statement on line 1", 2, 1, 2, 5);
    assert_error("  x = 1\n", &tw_exc_IndentationError,
                 "unexpected indent", 1, 2, 1, -1);
    assert_error("x = 1\n    y = 2\n", &tw_exc_IndentationError,
                 "unexpected indent", 2, 4, 2, -1);
    assert_error("if x:\n    a\n  b\n", &tw_exc_IndentationError,
                 "unindent does not match any outer indentation level", 3, 4, 3, -1);
    assert_error("def f():\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after function definition on line 1", 2, 1, 2, 5);
    assert_error("class A:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after class definition on line 1", 2, 1, 2, 5);
    assert_error("for x in y:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'for' statement on line 1", 2, 1, 2, 5);
    assert_error("try:\n  pass\nexcept:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'except' statement on line 3", 4, 1, 4, 5);
    assert_error("if x:\n  pass\nelif y:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'elif' statement on line 3", 4, 1, 4, 5);
    assert_error("while x:\n  pass\nelse:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'else' statement on line 3", 4, 1, 4, 5);
    assert_error("@d\ndef f():\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after function definition on line 2", 3, 1, 3, 5);
    assert_error("with x:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'with' statement on line 1", 2, 1, 2, 5);
    assert_error("try:\npass\n", &tw_exc_IndentationError,
                 "expected an indented block after 'try' statement on line 1", 2, 1, 2, 5);
}

Test(parser, generic_invalid_syntax_points_at_the_furthest_token)
{
    assert_error("a b\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 3, 1, 4);
    assert_error("x = 1 +\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 8, 1, 8);
    assert_error("x = [i for i in]\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 16, 1, 17);
    assert_error("def f(:\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 7, 1, 8);
    assert_error("x = $\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 5, 1, 6);
    assert_error("x.None = 1\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 3, 1, 7);
    assert_error("import a.b as\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 14, 1, 14);
    assert_error("f(a for a in b for)\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 19, 1, 20);
    assert_error("@x\ny = 1\n", &tw_exc_SyntaxError,
                 "invalid syntax", 2, 1, 2, 2);
    assert_error("x = a.\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 7, 1, 7);
    assert_error("return return\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 8, 1, 14);
}

Test(parser, invalid_assignment_targets)
{
    assert_error("1 = x\n", &tw_exc_SyntaxError,
                 "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1, 1, 2);
    assert_error("f() = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1, 1, 4);
    assert_error("x + 1 = 2\n", &tw_exc_SyntaxError,
                 "cannot assign to expression here. Maybe you meant '==' instead of '='?", 1, 1, 1, 6);
    assert_error("(a, 1) = x\n", &tw_exc_SyntaxError,
                 "cannot assign to literal", 1, 5, 1, 6);
    assert_error("[a, b()] = x\n", &tw_exc_SyntaxError,
                 "cannot assign to function call", 1, 5, 1, 8);
    assert_error("True = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to True", 1, 1, 1, 5);
    assert_error("None = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to None", 1, 1, 1, 5);
    assert_error("f() = g() = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to function call", 1, 1, 1, 4);
    assert_error("a and b = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to expression", 1, 1, 1, 8);
    assert_error("a < b = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to comparison", 1, 1, 1, 6);
    assert_error("a if b else c = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to conditional expression", 1, 1, 1, 14);
    assert_error("lambda: 1 = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to lambda", 1, 1, 1, 10);
    assert_error("a, f() = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4, 1, 7);
    assert_error("a = f() = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to function call", 1, 5, 1, 8);
    assert_error("'abc' = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1, 1, 6);
    assert_error("{} = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to dict literal here. Maybe you meant '==' instead of '='?", 1, 1, 1, 3);
    assert_error("f'{x}' = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to f-string expression here. Maybe you meant '==' instead of '='?", 1, 1, 1, 7);
    assert_error("(yield) = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to yield expression here. Maybe you meant '==' instead of '='?", 1, 2, 1, 7);
    assert_error("x = yield = 1\n", &tw_exc_SyntaxError,
                 "assignment to yield expression not possible", 1, 5, 1, 10);
    assert_error("[x for x in y] = 1\n", &tw_exc_SyntaxError,
                 "cannot assign to list comprehension here. Maybe you meant '==' instead of '='?", 1, 1, 1, 15);
}

Test(parser, invalid_del_for_with_and_comprehension_targets)
{
    assert_error("del f()\n", &tw_exc_SyntaxError,
                 "cannot delete function call", 1, 5, 1, 8);
    assert_error("del a, f()\n", &tw_exc_SyntaxError,
                 "cannot delete function call", 1, 8, 1, 11);
    assert_error("del [a, 1]\n", &tw_exc_SyntaxError,
                 "cannot delete literal", 1, 9, 1, 10);
    assert_error("del (a + b)\n", &tw_exc_SyntaxError,
                 "cannot delete expression", 1, 6, 1, 11);
    assert_error("del *a\n", &tw_exc_SyntaxError,
                 "cannot delete starred", 1, 5, 1, 7);
    assert_error("for 1 in x: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to literal", 1, 5, 1, 6);
    assert_error("for f() in x: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to function call", 1, 5, 1, 8);
    assert_error("for a+b in x: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to expression", 1, 5, 1, 8);
    assert_error("with a as 1: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to literal", 1, 11, 1, 12);
    assert_error("with a as f(): pass\n", &tw_exc_SyntaxError,
                 "cannot assign to function call", 1, 11, 1, 14);
    assert_error("[x for 1 in y]\n", &tw_exc_SyntaxError,
                 "cannot assign to literal", 1, 8, 1, 9);
    assert_error("for None in x: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to None", 1, 5, 1, 9);
}

Test(parser, augmented_and_annotated_targets)
{
    assert_error("a, b += 1\n", &tw_exc_SyntaxError,
                 "'tuple' is an illegal expression for augmented assignment", 1, 1, 1, 5);
    assert_error("f() += 1\n", &tw_exc_SyntaxError,
                 "'function call' is an illegal expression for augmented assignment", 1, 1, 1, 4);
    assert_error("[a] += 1\n", &tw_exc_SyntaxError,
                 "'list' is an illegal expression for augmented assignment", 1, 1, 1, 4);
    assert_error("(a, b) += 1\n", &tw_exc_SyntaxError,
                 "'tuple' is an illegal expression for augmented assignment", 1, 1, 1, 7);
    assert_error("(a, b): int\n", &tw_exc_SyntaxError,
                 "only single target (not tuple) can be annotated", 1, 1, 1, 7);
    assert_error("True: int\n", &tw_exc_SyntaxError,
                 "illegal target for annotation", 1, 1, 1, 5);
}

Test(parser, assignment_in_place_of_comparison)
{
    assert_error("if x = 1: pass\n", &tw_exc_SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4, 1, 9);
    assert_error("if f() = 1: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4, 1, 7);
    assert_error("if a.b = 1: pass\n", &tw_exc_SyntaxError,
                 "cannot assign to attribute here. Maybe you meant '==' instead of '='?", 1, 4, 1, 7);
    assert_error("[x = 1]\n", &tw_exc_SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 2, 1, 7);
    assert_error("while x = 1 == 2: pass\n", &tw_exc_SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 7, 1, 12);
    assert_error("f(a=1 for a in b)\n", &tw_exc_SyntaxError,
                 "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 3, 1, 5);
    assert_error("f(a.b=1)\n", &tw_exc_SyntaxError,
                 "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3, 1, 7);
    assert_error("(a.b := 1)\n", &tw_exc_SyntaxError,
                 "cannot use assignment expressions with attribute", 1, 2, 1, 5);
    assert_error("f(True=1)\n", &tw_exc_SyntaxError,
                 "cannot assign to True", 1, 3, 1, 8);
}

Test(parser, call_argument_order)
{
    assert_error("f(x for x in y, 1)\n", &tw_exc_SyntaxError,
                 "Generator expression must be parenthesized", 1, 3, 1, 15);
    assert_error("f(x for x in y,)\n", &tw_exc_SyntaxError,
                 "Generator expression must be parenthesized", 1, 3, 1, 15);
    assert_error("f(**a, *b)\n", &tw_exc_SyntaxError,
                 "iterable argument unpacking follows keyword argument unpacking", 1, 8, 1, 9);
    assert_error("f(a=1, b)\n", &tw_exc_SyntaxError,
                 "positional argument follows keyword argument", 1, 9, 1, 10);
    assert_error("f(**y, x)\n", &tw_exc_SyntaxError,
                 "positional argument follows keyword argument unpacking", 1, 9, 1, 10);
    assert_error("print(*a for a in b)\n", &tw_exc_SyntaxError,
                 "iterable unpacking cannot be used in comprehension", 1, 7, 1, 9);
    assert_error("class A(x for x in y): pass\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 11, 1, 14);
}

Test(parser, parameter_lists)
{
    assert_error("def f(a=1, b): pass\n", &tw_exc_SyntaxError,
                 "non-default argument follows default argument", 1, 12, 1, 13);
    assert_error("def f(*): pass\n", &tw_exc_SyntaxError,
                 "named arguments must follow bare *", 1, 7, 1, 8);
    assert_error("def f(*, **k): pass\n", &tw_exc_SyntaxError,
                 "named arguments must follow bare *", 1, 7, 1, 8);
    assert_error("def f(**k, a): pass\n", &tw_exc_SyntaxError,
                 "arguments cannot follow var-keyword argument", 1, 12, 1, 13);
    assert_error("def f(a, /, /): pass\n", &tw_exc_SyntaxError,
                 "/ may appear only once", 1, 13, 1, 14);
    assert_error("def f(/, a): pass\n", &tw_exc_SyntaxError,
                 "at least one argument must precede /", 1, 7, 1, 8);
    assert_error("def f(*a, /): pass\n", &tw_exc_SyntaxError,
                 "/ must be ahead of *", 1, 11, 1, 12);
    assert_error("def f(*a, *b): pass\n", &tw_exc_SyntaxError,
                 "* argument may appear only once", 1, 11, 1, 12);
    assert_error("def f(**a=1): pass\n", &tw_exc_SyntaxError,
                 "var-keyword argument cannot have default value", 1, 10, 1, 11);
    assert_error("def f(*a=1): pass\n", &tw_exc_SyntaxError,
                 "var-positional argument cannot have default value", 1, 9, 1, 10);
    assert_error("def f(a, *, ): pass\n", &tw_exc_SyntaxError,
                 "named arguments must follow bare *", 1, 10, 1, 11);
    assert_error("lambda x=1, y: x\n", &tw_exc_SyntaxError,
                 "non-default argument follows default argument", 1, 13, 1, 14);
    assert_error("lambda *: 1\n", &tw_exc_SyntaxError,
                 "named arguments must follow bare *", 1, 9, 1, 10);
    assert_error("def f(x=1, /, y): pass\n", &tw_exc_SyntaxError,
                 "non-default argument follows default argument", 1, 15, 1, 16);
    assert_error("def f(True): pass\n", &tw_exc_SyntaxError,
                 "invalid syntax", 1, 7, 1, 11);
}

Test(parser, hints_for_common_mistakes)
{
    assert_error("[1 2]\n", &tw_exc_SyntaxError,
                 "invalid syntax. Perhaps you forgot a comma?", 1, 2, 1, 5);
    assert_error("f(1 2)\n", &tw_exc_SyntaxError,
                 "invalid syntax. Perhaps you forgot a comma?", 1, 3, 1, 6);
    assert_error("{1: 2 3: 4}\n", &tw_exc_SyntaxError,
                 "invalid syntax. Perhaps you forgot a comma?", 1, 5, 1, 8);
    assert_error("x = (a b)\n", &tw_exc_SyntaxError,
                 "invalid syntax. Perhaps you forgot a comma?", 1, 6, 1, 9);
    assert_error("x[a b]\n", &tw_exc_SyntaxError,
                 "invalid syntax. Perhaps you forgot a comma?", 1, 3, 1, 6);
    assert_error("print 'x'\n", &tw_exc_SyntaxError,
                 "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1, 1, 10);
    assert_error("print x, y\n", &tw_exc_SyntaxError,
                 "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1, 1, 11);
    assert_error("x = 1 if 2\n", &tw_exc_SyntaxError,
                 "expected 'else' after 'if' expression", 1, 5, 1, 11);
    assert_error("x = {1: }\n", &tw_exc_SyntaxError,
                 "expression expected after dictionary key and ':'", 1, 7, 1, 8);
    assert_error("from x import a,\n", &tw_exc_SyntaxError,
                 "trailing comma not allowed without surrounding parentheses", 1, 17, 1, 17);
    assert_error("try:\n  pass\nelse:\n  pass\n", &tw_exc_SyntaxError,
                 "expected 'except' or 'finally' block", 3, 1, 3, 5);
    assert_error("try:\n  pass\n", &tw_exc_SyntaxError,
                 "expected 'except' or 'finally' block", 2, 0, 2, -1);
    assert_error("[*a for a in b]\n", &tw_exc_SyntaxError,
                 "iterable unpacking cannot be used in comprehension", 1, 2, 1, 4);
    assert_error("{**a for a in b}\n", &tw_exc_SyntaxError,
                 "dict unpacking cannot be used in dict comprehension", 1, 2, 1, 4);
    assert_error("(*a)\n", &tw_exc_SyntaxError,
                 "cannot use starred expression here", 1, 2, 1, 4);
    assert_error("x = [a, b if c]\n", &tw_exc_SyntaxError,
                 "expected 'else' after 'if' expression", 1, 9, 1, 15);
}

Test(parser, literal_errors)
{
    assert_error("x = 1a\n", &tw_exc_SyntaxError,
                 "invalid decimal literal", 1, 5, 1, 5);
    assert_error("x = 0x\n", &tw_exc_SyntaxError,
                 "invalid hexadecimal literal", 1, 6, 1, 6);
    assert_error("x = 09\n", &tw_exc_SyntaxError,
                 "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal i"
                 "ntegers", 1, 5, 1, 6);
    assert_error("x = 0b2\n", &tw_exc_SyntaxError,
                 "invalid digit '2' in binary literal", 1, 7, 1, 7);
    assert_error("1.e\n", &tw_exc_SyntaxError,
                 "invalid decimal literal", 1, 2, 1, 2);
    assert_error("s = 'abc\n", &tw_exc_SyntaxError,
                 "unterminated string literal (detected at line 1)", 1, 5, 1, 5);
    assert_error("s = \"\"\"abc\n\n", &tw_exc_SyntaxError,
                 "unterminated triple-quoted string literal (detected at line 2)", 1, 5, 1, 5);
    assert_error("x = 'a' b'c'\n", &tw_exc_SyntaxError,
                 "cannot mix bytes and nonbytes literals", 1, 13, 1, 13);
    assert_error("x = '\\x4'\n", &tw_exc_SyntaxError,
                 "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX"
                 " escape", 1, 10, 1, 10);
    assert_error("x = 'a' 'b\n", &tw_exc_SyntaxError,
                 "unterminated string literal (detected at line 1)", 1, 9, 1, 9);
    assert_error("x = \xe2\x82\xac""\n", &tw_exc_SyntaxError,
                 "invalid character '\xe2\x82\xac""' (U+20AC)", 1, 5, 1, 5);
    assert_error("x = 1 \\ 2\n", &tw_exc_SyntaxError,
                 "unexpected character after line continuation character", 1, 8, 1, 0);
}

Test(parser, fstring_errors)
{
    assert_error("f'{}'\n", &tw_exc_SyntaxError,
                 "f-string: empty expression not allowed", 1, 6, 1, 6);
    assert_error("f'{ }'\n", &tw_exc_SyntaxError,
                 "f-string: empty expression not allowed", 1, 7, 1, 7);
    assert_error("f'{x!z}'\n", &tw_exc_SyntaxError,
                 "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 9, 1, 9);
    assert_error("f'{x!}'\n", &tw_exc_SyntaxError,
                 "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 8, 1, 8);
    assert_error("f'{x!rr}'\n", &tw_exc_SyntaxError,
                 "f-string: expecting '}'", 1, 10, 1, 10);
    assert_error("f'}'\n", &tw_exc_SyntaxError,
                 "f-string: single '}' is not allowed", 1, 5, 1, 5);
    assert_error("f'{x}}'\n", &tw_exc_SyntaxError,
                 "f-string: single '}' is not allowed", 1, 8, 1, 8);
    assert_error("f'{'\n", &tw_exc_SyntaxError,
                 "f-string: expecting '}'", 1, 5, 1, 5);
    assert_error("f'{x'\n", &tw_exc_SyntaxError,
                 "f-string: expecting '}'", 1, 6, 1, 6);
    assert_error("f'{x:{y:{z}}}'\n", &tw_exc_SyntaxError,
                 "f-string: expressions nested too deeply", 1, 15, 1, 15);
    assert_error("f'{=}'\n", &tw_exc_SyntaxError,
                 "f-string: expression required before '='", 1, 7, 1, 7);
}

Test(parser, tokenizer_errors_later_in_the_file_take_precedence)
{
    assert_error("x = 1 +\ny = 'abc\n", &tw_exc_SyntaxError,
                 "unterminated string literal (detected at line 2)", 2, 5, 2, 5);
    assert_error("x = (1 +\ny = 'abc\n", &tw_exc_SyntaxError,
                 "unterminated string literal (detected at line 2)", 2, 5, 2, 5);
    assert_error("x = [1, 2\ny = 3\n", &tw_exc_SyntaxError,
                 "'[' was never closed", 1, 5, 1, 0);
}

Test(parser, errors_at_end_of_input)
{
    assert_error("if x:\n", &tw_exc_IndentationError,
                 "expected an indented block after 'if' statement on line 1", 1, 0, 1, -1);
    assert_error("def f():\n", &tw_exc_IndentationError,
                 "expected an indented block after function definition on line 1", 1, 0, 1, -1);
    assert_error("for x in y:\n# c\n", &tw_exc_IndentationError,
                 "expected an indented block after 'for' statement on line 1", 2, 0, 2, -1);
    assert_error("class A:\n\n", &tw_exc_IndentationError,
                 "expected an indented block after class definition on line 1", 2, 0, 2, -1);
    assert_error("\\\n", &tw_exc_SyntaxError,
                 "unexpected EOF while parsing", 1, 0, 1, -1);
    assert_error("x = \\\n", &tw_exc_SyntaxError,
                 "unexpected EOF while parsing", 1, 6, 1, -1);
    assert_error("if x:\n  if y:\n", &tw_exc_IndentationError,
                 "expected an indented block after 'if' statement on line 2", 2, 0, 2, -1);
}

/* ---- hand-written cases ---------------------------------------------------------- */

Test(parser, fstring_fields_may_reuse_the_enclosing_quote_as_in_python_312)
{
    assert_ast("f\"{d[\"k\"]}\"\n",
               "Module([Expr(JoinedStr([FormattedValue(Subscript(Name('d'),Constant('k')),-1,None)]))])");
}

Test(parser, fstring_braces_in_specs_and_after_backslashes)
{
    /* in a format spec "{{}}" is a field holding an empty dict */
    assert_ast("f\"{x:{{}}>10}\"\n",
               "Module([Expr(JoinedStr([FormattedValue(Name('x'),-1,JoinedStr([FormattedValue(Dict([],[]),"
               "-1,None),Constant('>10')]))]))])");
    /* an unknown escape keeps its backslash; the brace still opens a field */
    assert_ast("f\"a\\{b}\"\n",
               "Module([Expr(JoinedStr([Constant('a\\\\'),FormattedValue(Name('b'),-1,None)]))])");
    assert_ast("f\"{'{'}{'}'} { {'a': 1}['a'] } {a!=b}\"\n",
               "Module([Expr(JoinedStr([FormattedValue(Constant('{'),-1,None),FormattedValue(Constant('}'),"
               "-1,None),Constant(' '),FormattedValue(Subscript(Dict([Constant('a')],[Constant(1)]),"
               "Constant('a')),-1,None),Constant(' '),FormattedValue(Compare(Name('a'),[NotEq],[Name('b')]),"
               "-1,None)]))])");
}

Test(parser, large_integer_literals_keep_every_digit)
{
    assert_ast("x = 123456789012345678901234567890 + 0xffffffffffffffffffff\n",
               "Module([Assign([Name('x',Store)],BinOp(Constant(123456789012345678901234567890),Add,"
               "Constant(1208925819614629174706175)))])");
}

Test(parser, non_ascii_columns_count_code_points)
{
    /* CPython mixes byte and character columns here; twinpy counts code points. */
    assert_ast_pos("é = 'ü€' + x\n",
                   "Module([Assign([Name('é',Store)@1:0-1:1],BinOp(Constant('ü€')@1:4-1:8,Add,"
                   "Name('x')@1:11-1:12)@1:4-1:12)@1:0-1:12])");
    assert_error("x = 'é' + 1 +\n", &tw_exc_SyntaxError, "invalid syntax", 1, 14, 1, 14);
    assert_error("b'é'\n", &tw_exc_SyntaxError, "bytes can only contain ASCII literal characters", 1, 1, 1, 5);
}

Test(parser, fstring_expression_errors_point_into_the_string)
{
    /* CPython 3.11 reports these in a copy of the expression; twinpy in the source. */
    assert_error("f'{a b}'\n", &tw_exc_SyntaxError, "f-string: invalid syntax. Perhaps you forgot a comma?",
                 1, 4, 1, 7);
    assert_error("f'{*a}'\n", &tw_exc_SyntaxError, "f-string: cannot use starred expression here", 1, 4, 1, 6);
    assert_error("f'{#}'\n", &tw_exc_SyntaxError, "f-string expression part cannot include '#'", 1, 7, 1, 7);
}

Test(parser, constructs_outside_the_subset_are_named)
{
    assert_error("async def f(): pass\n", &tw_exc_SyntaxError, "'async def' is not supported by twinpy",
                 1, 1, 1, 10);
    assert_error("async for x in y: pass\n", &tw_exc_SyntaxError, "'async for' is not supported by twinpy",
                 1, 1, 1, 10);
    assert_error("async with a: pass\n", &tw_exc_SyntaxError, "'async with' is not supported by twinpy",
                 1, 1, 1, 11);
    assert_error("await x\n", &tw_exc_SyntaxError, "'await' expressions are not supported by twinpy",
                 1, 1, 1, 6);
    assert_error("[x async for x in y]\n", &tw_exc_SyntaxError,
                 "asynchronous comprehensions are not supported by twinpy", 1, 4, 1, 9);
    assert_error("match x:\n    case 1: pass\n", &tw_exc_SyntaxError,
                 "'match' statement is not supported by twinpy", 1, 1, 1, 6);
    assert_error("type X = int\n", &tw_exc_SyntaxError, "'type' alias statement is not supported by twinpy",
                 1, 1, 1, 5);
    assert_error("try:\n    pass\nexcept* E:\n    pass\n", &tw_exc_SyntaxError,
                 "'except*' is not supported by twinpy", 3, 1, 3, 7);
    assert_error("x = 1j\n", &tw_exc_SyntaxError, "complex numbers are not supported by twinpy", 1, 5, 1, 7);
    assert_error("x = '\\N{DASH}'\n", &tw_exc_SyntaxError,
                 "(unicode error) \\N{...} escapes are not supported by twinpy", 1, 15, 1, 15);
    assert_error("x = '\\ud800'\n", &tw_exc_SyntaxError,
                 "(unicode error) lone surrogate \\uD800: surrogate code points are not supported by twinpy",
                 1, 13, 1, 13);
}

Test(parser, checks_cpython_makes_in_its_compiler)
{
    assert_error("*a = 1\n", &tw_exc_SyntaxError, "starred assignment target must be in a list or tuple",
                 1, 1, 1, 3);
    assert_error("*a, *b = 1\n", &tw_exc_SyntaxError, "multiple starred expressions in assignment", 1, 1, 1, 7);
    assert_error("x = *a\n", &tw_exc_SyntaxError, "can't use starred expression here", 1, 5, 1, 7);
    assert_error("def f(a, a): pass\n", &tw_exc_SyntaxError, "duplicate argument 'a' in function definition",
                 1, 10, 1, 11);
    assert_error("f(a, a=1, a=2)\n", &tw_exc_SyntaxError, "keyword argument repeated: a", 1, 11, 1, 14);
    assert_error("__debug__ = 1\n", &tw_exc_SyntaxError, "cannot assign to __debug__", 1, 1, 1, 10);
}

Test(parser, empty_input_and_input_without_final_newline)
{
    assert_ast("", "Module([])");
    assert_ast("\n\n   \n# only a comment", "Module([])");
    assert_ast_pos("x = 1", "Module([Assign([Name('x',Store)@1:0-1:1],Constant(1)@1:4-1:5)@1:0-1:5])");
    assert_ast("if x:\n    y", "Module([If(Name('x'),[Expr(Name('y'))],[])])");
}

Test(parser, bom_and_carriage_returns)
{
    assert_ast("\xef\xbb\xbfx = 1\r\ny = '''a\r\nb'''\rz = 2\r\n",
               "Module([Assign([Name('x',Store)],Constant(1)),Assign([Name('y',Store)],Constant('a\\nb')),"
               "Assign([Name('z',Store)],Constant(2))])");
}

Test(parser, null_bytes_are_refused)
{
    assert_error_n("x = 1\ny = \"\0\"\n", 13, &tw_exc_SyntaxError, "source code cannot contain null bytes",
                   2, 0, 2, 0);
}

Test(parser, invalid_utf8_is_refused_as_cpython_does)
{
    char *msg = error_message("x = 1\ny = '\xff'\n", 13);
    cr_assert_str_eq(msg, "Non-UTF-8 code starting with '\\xff' in file t.py on line 2, but no encoding "
                          "declared; see https://peps.python.org/pep-0263/ for details");
    free(msg);
    /* overlong forms and surrogates are not UTF-8 either */
    free(error_message("x = '\xc0\x80'\n", 9));
    free(error_message("x = '\xed\xa0\x80'\n", 10));
}

Test(parser, nesting_is_bounded)
{
    static char src[200000];
    /* 200 brackets are fine, the 201st is CPython's limit */
    memset(src, '(', 200);
    memset(src + 200, ')', 200);
    strcpy(src + 400, "\n");
    assert_ast(src, "Module([Expr(Tuple([]))])");
    memset(src, '(', 201);
    strcpy(src + 201, "\n");
    assert_error(src, &tw_exc_SyntaxError, "too many nested parentheses", 1, 201, 1, 201);
    /* a thousand unary minus signs parse (as in CPython); far more fail cleanly */
    memset(src, '-', 1000);
    strcpy(src + 1000, "1\n");
    free(parse_dump(src, strlen(src), 0));
    memset(src, '-', 100000);
    strcpy(src + 100000, "1\n");
    free(error_message(src, strlen(src)));
    /* and so do deep chains of other right-recursive forms */
    for (int i = 0; i < 20000; i++)
        memcpy(src + i * 4, "not ", 4);
    strcpy(src + 80000, "x\n");
    free(error_message(src, strlen(src)));
}

Test(parser, nested_fstrings_are_bounded)
{
    static char src[8000];
    char *p = src;
    for (int i = 0; i < 1000; i++)
        p += sprintf(p, "f'{");
    *p = '\0';
    free(error_message(src, strlen(src)));
}

Test(parser, error_carries_the_source_line_and_cpython_args)
{
    TwAstModule m;
    const char *src = "x = 1\ny = (2 +\n";
    cr_assert_eq(tw_parse_module(src, strlen(src), "dir/t.py", &m), -1);
    TwObject *e = tw_err_fetch();
    TwSyntaxErrorObject *se = (TwSyntaxErrorObject *)e;
    cr_assert_str_eq(tw_str_utf8(se->text), "y = (2 +\n");
    TwObject *s = tw_object_str(e);
    cr_assert_str_eq(tw_str_utf8(s), "'(' was never closed (t.py, line 2)");
    tw_decref(s);
    TwObject *r = tw_object_repr(e);
    cr_assert_str_eq(tw_str_utf8(r), "SyntaxError(\"'(' was never closed\", ('dir/t.py', 2, 5, 'y = (2 +\\n', 2, 0))");
    tw_decref(r);
    tw_decref(e);
    cr_assert(tw_type_is_subtype(&tw_exc_TabError, &tw_exc_IndentationError));
    cr_assert(tw_type_is_subtype(&tw_exc_IndentationError, &tw_exc_SyntaxError));
    cr_assert(tw_type_is_subtype(&tw_exc_SyntaxError, &tw_exc_Exception));
}

/* str(getattr(obj, name)), for attribute checks. */
static char *attr_str(TwObject *obj, const char *name)
{
    TwObject *v = tw_object_getattr_cstr(obj, name);
    cr_assert_not_null(v, "no attribute %s", name);
    TwObject *s = tw_object_str(v);
    char *r = strdup(tw_str_utf8(s));
    tw_decref(s);
    tw_decref(v);
    return r;
}

static void assert_attr(TwObject *obj, const char *name, const char *expected)
{
    char *got = attr_str(obj, name);
    cr_assert_str_eq(got, expected, "%s", name);
    free(got);
}

Test(parser, parser_errors_expose_cpython_attributes)
{
    TwAstModule m;
    const char *src = "x = 1\nf() = 2\n";
    cr_assert_eq(tw_parse_module(src, strlen(src), "t.py", &m), -1);
    TwObject *e = tw_err_fetch();
    assert_attr(e, "msg", "cannot assign to function call here. Maybe you meant '==' instead of '='?");
    assert_attr(e, "filename", "t.py");
    assert_attr(e, "lineno", "2");
    assert_attr(e, "offset", "1");
    assert_attr(e, "end_lineno", "2");
    assert_attr(e, "end_offset", "4");
    assert_attr(e, "text", "f() = 2\n");
    assert_attr(e, "print_file_and_line", "None");
    tw_decref(e);
}

Test(parser, syntax_error_built_from_python_arguments)
{
    int64_t base = tw_test_live();
    /* SyntaxError('m', ('f.py', 3, 5, 'abc def\n', 3, 8)) */
    TwObject *loc = tw_tuple_new(6);
    tw_tuple_init_item(loc, 0, tw_str_from_cstr("dir/f.py"));
    tw_tuple_init_item(loc, 1, tw_int_from_i64(3));
    tw_tuple_init_item(loc, 2, tw_int_from_i64(5));
    tw_tuple_init_item(loc, 3, tw_str_from_cstr("abc def\n"));
    tw_tuple_init_item(loc, 4, tw_int_from_i64(3));
    tw_tuple_init_item(loc, 5, tw_int_from_i64(8));
    TwObject *msg = tw_str_from_cstr("m");
    TwObject *args = tw_tuple_pack(2, msg, loc);
    TwObject *e = tw_exception_new(&tw_exc_IndentationError, args);
    cr_assert_not_null(e);
    assert_attr(e, "msg", "m");
    assert_attr(e, "lineno", "3");
    assert_attr(e, "end_offset", "8");
    TwObject *s = tw_object_str(e);
    cr_assert_str_eq(tw_str_utf8(s), "m (f.py, line 3)");
    tw_decref(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    tw_syntax_error_print(e, out);
    fclose(out);
    cr_assert_str_eq(buf, "  File \"dir/f.py\", line 3\n    abc def\n        ^\nIndentationError: m\n");
    free(buf);
    tw_decref(e);
    /* SyntaxError('m'): no location, so only the message is printed */
    TwObject *one = tw_tuple_pack(1, msg);
    e = tw_exception_new(&tw_exc_SyntaxError, one);
    cr_assert_not_null(e);
    assert_attr(e, "lineno", "None");
    assert_attr(e, "filename", "None");
    s = tw_object_str(e);
    cr_assert_str_eq(tw_str_utf8(s), "m");
    tw_decref(s);
    out = open_memstream(&buf, &len);
    tw_syntax_error_print(e, out);
    fclose(out);
    cr_assert_str_eq(buf, "SyntaxError: m\n");
    free(buf);
    tw_decref(e);
    tw_decref(one);
    tw_decref(args);
    tw_decref(msg);
    tw_decref(loc);
    tw_test_assert_no_leak(base);
}

/* ---- printing, as CPython 3.11 prints the same errors ------------------------------ */

Test(parser, print_points_a_caret_at_the_error)
{
    assert_printed("x = (1 +\n", "  File \"x.py\", line 1\n    x = (1 +\n        ^\nSyntaxError: '(' was never closed\n");
    assert_printed("x = 1 +* 2\n", "  File \"x.py\", line 1\n    x = 1 +* 2\n           ^\nSyntaxError: invalid syntax\n");
}

Test(parser, print_underlines_the_whole_offending_range)
{
    assert_printed("f() = 1\n",
                   "  File \"x.py\", line 1\n    f() = 1\n    ^^^\n"
                   "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?\n");
    assert_printed("x = \"\"\"\nabc\n\"\"\" = 1\n",
                   "  File \"x.py\", line 1\n    x = \"\"\"\n        ^^^\nSyntaxError: cannot assign to literal\n");
}

Test(parser, print_strips_indentation_and_moves_the_caret)
{
    assert_printed("def f():\n    x = 1 +* 2\n",
                   "  File \"x.py\", line 2\n    x = 1 +* 2\n           ^\nSyntaxError: invalid syntax\n");
    assert_printed("if x:\n    a\n  b\n",
                   "  File \"x.py\", line 3\n    b\n     ^\n"
                   "IndentationError: unindent does not match any outer indentation level\n");
}

Test(parser, print_omits_a_caret_left_of_the_text_or_at_the_end_of_input)
{
    assert_printed("  x = 1\n", "  File \"x.py\", line 1\n    x = 1\nIndentationError: unexpected indent\n");
    assert_printed("if x:\n",
                   "  File \"x.py\", line 1\n    if x:\n"
                   "IndentationError: expected an indented block after 'if' statement on line 1\n");
    char *got = printed_error_n("x = 1\ny = \"\0\"\n", 13);
    cr_assert_str_eq(got, "  File \"x.py\", line 2\n    y = \"\nSyntaxError: source code cannot contain null bytes\n");
    free(got);
}

Test(parser, print_indentation_errors_with_one_caret)
{
    assert_printed("if x:\npass\n",
                   "  File \"x.py\", line 2\n    pass\n    ^\n"
                   "IndentationError: expected an indented block after 'if' statement on line 1\n");
}

Test(parser, print_without_a_line_shows_only_the_message)
{
    char *got = printed_error("x = '\xff'\n");
    const char *prefix = "SyntaxError: Non-UTF-8 code starting with '\\xff' in file x.py on line 1,";
    cr_assert(strncmp(got, prefix, strlen(prefix)) == 0, "%s", got);
    free(got);
}

Test(parser, print_of_a_set_error_matches_cpython_layout)
{
    tw_syntax_error_set(&tw_exc_SyntaxError, "m", "t.py", 1, 2, 2, 1, "abcdef\n");
    TwObject *e = tw_err_fetch();
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    tw_syntax_error_print(e, out);
    fclose(out);
    /* a range running past its line underlines the rest of the line */
    cr_assert_str_eq(buf, "  File \"t.py\", line 1\n    abcdef\n     ^^^^^\nSyntaxError: m\n");
    free(buf);
    tw_decref(e);
}

/* ---- expressions alone, and leaks ----------------------------------------------------- */

Test(parser, parse_expression_accepts_one_expression)
{
    int64_t base = tw_test_live();
    TwAstModule m;
    TwAstExpr *e;
    const char *src = "  a + 1, f(b)\n\n";
    cr_assert_eq(tw_parse_expression(src, strlen(src), "<string>", &m, &e), 0);
    cr_assert_eq(e->kind, TW_EXPR_TUPLE);
    cr_assert_eq(TW_SEQ_LEN(e->v.tuple.elts), 2);
    tw_arena_free(m.arena);
    src = "x = 1";
    cr_assert_eq(tw_parse_expression(src, strlen(src), "<string>", &m, &e), -1);
    cr_assert(tw_err_matches(&tw_exc_SyntaxError));
    tw_err_clear();
    tw_test_assert_no_leak(base);
}

/* Each thread parses the same source many times: the parser keeps no
 * shared state besides interned names. */
static void parse_in_thread(int index, void *arg)
{
    const char *src = arg;
    for (int i = 0; i < 200; i++) {
        TwAstModule m;
        if (tw_parse_module(src, strlen(src), "t.py", &m) < 0) {
            TwObject *e = tw_err_fetch();
            TwObject *r = e ? tw_object_repr(e) : NULL;
            cr_assert_fail("thread %d: parse failed: %s", index, r ? tw_str_utf8(r) : "?");
        }
        tw_arena_free(m.arena);
        if (tw_parse_module("x = (1 +\n", 9, "t.py", &m) == 0)
            cr_assert_fail("thread %d: no error", index);
        tw_err_clear();
    }
}

Test(parser, threads_parse_at_the_same_time)
{
    const char *src = "def f(a, b=1, *c, **d):\n    return [f'{x!r:>{w}}' for x in a if x]\n"
                      "class K(Base):\n    name = 'value'\n    big = 123456789012345678901234567890\n";
    tw_test_run_threads(4, parse_in_thread, (void *)src);
}

Test(parser, failed_parses_release_everything)
{
    int64_t base = tw_test_live();
    const char *srcs[] = {
        "x = [f'{a!r:{b}}', 123456789012345678901234567890, 'é', b'x']\ny = 1 +\n",
        "def f(a, b=[1, 'x']):\n    return {1: 'a', 2: f'{c}'}\nclass A(\n",
        "x = 'abc' 'def'\nz = f'{y:{w}' \n",
    };
    for (size_t i = 0; i < sizeof srcs / sizeof srcs[0]; i++) {
        TwAstModule m;
        cr_assert_eq(tw_parse_module(srcs[i], strlen(srcs[i]), "t.py", &m), -1);
        tw_err_clear();
    }
    tw_test_assert_no_leak(base);
}
