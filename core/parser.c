/* The parser: tokens (core/tokenizer.c) to the AST of core/ast.h.
 *
 * A hand-written recursive-descent parser over the whole token array (the
 * source is tokenized first, so any token can be looked at again).  Each
 * parsing function returns the node it built, or NULL when the input does
 * not match.  A NULL either comes with an exception already raised (a
 * specific message such as "expected ':'"), or without one: the caller then
 * reports CPython's generic "invalid syntax" at the furthest token the
 * parser looked at, which is where CPython's parser points too.
 *
 * Tokenizer errors are kept in the token stream as a final ERROR token.
 * The parser raises them when it reaches that token; an error the parser
 * finds earlier is replaced by a later tokenizer error (an unterminated
 * string further down wins over a syntax error, and an unclosed bracket
 * wins over a syntax error on a later line), as CPython does.
 *
 * Recursion is bounded (MAX_DEPTH) so that no input exhausts the C stack:
 * brackets are limited by the tokenizer, and every recursive rule that
 * does not consume a bracket (unary operators, not, **, lambda, if-else)
 * counts towards the same limit. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <twinpy/twinpy.h>
#include <twinpy/abstract.h>

#include "core/parser.h"
#include "core/tokenizer.h"

#define MAX_DEPTH 4000

/* ---- SyntaxError --------------------------------------------------------------
 *
 * A family of exception classes (core/exceptions.c holds the others): the
 * location fields are set by the parser, by the compiler through
 * tw_syntax_error_at_node, or by SyntaxError(msg, (filename, lineno,
 * offset, text[, end_lineno, end_offset])) in Python code.  The object
 * fields change only under the instance's critical section, like the other
 * exception families' fields. */

static void syntax_error_dealloc(TwObject *op)
{
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)op;
    TW_CLEAR(e->msg);
    TW_CLEAR(e->filename);
    TW_CLEAR(e->text);
    tw_exception_clear_base(op);
    tw_object_free(op);
}

/* Replace an object field (a new reference to value, or NULL). */
static void set_object_field(TwObject *op, TwObject **slot, TwObject *value)
{
    TwObject *old;
    if (value == TW_NONE)
        value = NULL;
    TW_BEGIN_CRITICAL_SECTION(op);
    old = *slot;
    *slot = value ? tw_newref(value) : NULL;
    TW_END_CRITICAL_SECTION();
    tw_xdecref(old);
}

/* A new reference to an object field (None when unset). */
static TwObject *get_object_field(TwObject *op, TwObject **slot)
{
    TwObject *v;
    TW_BEGIN_CRITICAL_SECTION(op);
    v = *slot ? tw_newref(*slot) : tw_newref(TW_NONE);
    TW_END_CRITICAL_SECTION();
    return v;
}

/* The file name without its directories, as str(SyntaxError) shows it. */
static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* str(e): "msg (file.py, line 3)", as CPython. */
static TwObject *syntax_error_str(TwObject *op)
{
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)op;
    TwObject *msg = get_object_field(op, &e->msg);
    TwObject *filename = get_object_field(op, &e->filename);
    TwObject *smsg = tw_object_str(msg);
    TwObject *r = NULL;
    if (smsg != NULL) {
        const char *m = tw_str_utf8(smsg);
        int have_file = tw_str_check(filename);
        int have_line = e->has_location;
        if (have_file && have_line)
            r = tw_str_from_format("%s (%s, line %d)", m, basename_of(tw_str_utf8(filename)), e->lineno);
        else if (have_file)
            r = tw_str_from_format("%s (%s)", m, basename_of(tw_str_utf8(filename)));
        else if (have_line)
            r = tw_str_from_format("%s (line %d)", m, e->lineno);
        else
            r = tw_newref(smsg);
        tw_decref(smsg);
    }
    tw_decref(msg);
    tw_decref(filename);
    return r;
}

/* An int location field from Python: an int, or None for "unknown". */
static int location_value(TwObject *value, int *out)
{
    if (value == NULL || value == TW_NONE) {
        *out = 0;
        return 0;
    }
    int64_t v = tw_int_as_i64(value);
    if (v == -1 && tw_err_occurred())
        return -1;
    *out = v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int)v;
    return 1;
}

/* SyntaxError(msg) or SyntaxError(msg, (filename, lineno, offset, text
 * [, end_lineno, end_offset])), as CPython. */
static int syntax_error_init(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_exc_BaseException.tp_init(self, args, nargs, kwnames) < 0)
        return -1;
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)self;
    if (nargs >= 1)
        set_object_field(self, &e->msg, args[0]);
    if (nargs != 2)
        return 0;
    TwObject *info = args[1];
    intptr_t n = tw_tuple_check(info) ? tw_tuple_size(info) : -1;
    if (n < 4 || n > 6) {
        tw_err_set_string(&tw_exc_TypeError, "SyntaxError details must be a tuple of 4 to 6 items");
        return -1;
    }
    int ints[4] = {0, 0, 0, 0};
    static const int index[4] = {1, 2, 4, 5};
    int located = 0;
    for (int i = 0; i < 4; i++) {
        int r = index[i] < n ? location_value(tw_tuple_get_item_borrowed(info, index[i]), &ints[i]) : 0;
        if (r < 0)
            return -1;
        located |= r;
    }
    set_object_field(self, &e->filename, tw_tuple_get_item_borrowed(info, 0));
    set_object_field(self, &e->text, tw_tuple_get_item_borrowed(info, 3));
    TW_BEGIN_CRITICAL_SECTION(self);
    e->lineno = ints[0];
    e->offset = ints[1];
    e->end_lineno = ints[2];
    e->end_offset = ints[3];
    e->has_location = (char)located;
    TW_END_CRITICAL_SECTION();
    return 0;
}

/* Attributes: closure = offset of the field. */
static TwObject *object_get(TwObject *op, void *closure)
{
    return get_object_field(op, (TwObject **)((char *)op + (size_t)closure));
}

static int object_set(TwObject *op, TwObject *value, void *closure)
{
    set_object_field(op, (TwObject **)((char *)op + (size_t)closure), value);
    return 0;
}

static TwObject *int_get(TwObject *op, void *closure)
{
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)op;
    if (!e->has_location)
        return tw_newref(TW_NONE);
    return tw_int_from_i64(*(int *)((char *)op + (size_t)closure));
}

static int int_set(TwObject *op, TwObject *value, void *closure)
{
    int v;
    int r = location_value(value, &v);
    if (r < 0)
        return -1;
    TW_BEGIN_CRITICAL_SECTION(op);
    *(int *)((char *)op + (size_t)closure) = v;
    if (r > 0)
        ((TwSyntaxErrorObject *)op)->has_location = 1;
    TW_END_CRITICAL_SECTION();
    return 0;
}

static TwObject *none_get(TwObject *op, void *closure) { return tw_newref(TW_NONE); }

#define OBJECT_FIELD(name, field) {name, object_get, object_set, (void *)offsetof(TwSyntaxErrorObject, field)}
#define INT_FIELD(name, field) {name, int_get, int_set, (void *)offsetof(TwSyntaxErrorObject, field)}

static const TwGetSetDef syntax_error_getset[] = {
    OBJECT_FIELD("msg", msg),
    OBJECT_FIELD("filename", filename),
    OBJECT_FIELD("text", text),
    INT_FIELD("lineno", lineno),
    INT_FIELD("offset", offset),
    INT_FIELD("end_lineno", end_lineno),
    INT_FIELD("end_offset", end_offset),
    {"print_file_and_line", none_get, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

#define SYNTAX_ERROR_TYPE(cname, pyname, base)                                                     \
    TwType tw_exc_##cname = {                                                                      \
        .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),                                             \
        .tp_name = pyname,                                                                         \
        .tp_basicsize = sizeof(TwSyntaxErrorObject),                                               \
        .tp_flags = TW_TPFLAGS_EXCEPTION | TW_TPFLAGS_BASETYPE,                                    \
        .tp_base = base,                                                                           \
        .tp_dealloc = syntax_error_dealloc,                                                        \
        .tp_str = syntax_error_str,                                                                \
        .tp_init = syntax_error_init,                                                              \
        .tp_getset = syntax_error_getset,                                                          \
    }

SYNTAX_ERROR_TYPE(SyntaxError, "SyntaxError", &tw_exc_Exception);
SYNTAX_ERROR_TYPE(IndentationError, "IndentationError", &tw_exc_SyntaxError);
SYNTAX_ERROR_TYPE(TabError, "TabError", &tw_exc_IndentationError);

/* Build the exception; returns NULL (MemoryError set) on failure. */
static TwObject *syntax_error_new(TwType *type, const char *msg, const char *filename, int lineno,
                                  int offset, int end_lineno, int end_offset, const char *text,
                                  size_t textlen)
{
    TwObject *m = tw_str_from_utf8(msg, strlen(msg));
    TwObject *f = filename ? tw_str_from_utf8(filename, strlen(filename)) : NULL;
    TwObject *t = text ? tw_str_from_utf8(text, textlen) : NULL;
    if (m == NULL || (filename && f == NULL) || (text && t == NULL)) {
        /* Undecodable text or file name: keep the error without them. */
        if (m == NULL) {
            tw_err_clear();
            m = tw_str_from_cstr("invalid syntax");
        }
        if (filename && f == NULL) {
            tw_err_clear();
            f = tw_str_from_cstr("<unknown>");
        }
        if (text && t == NULL)
            tw_err_clear();
        if (m == NULL)
            goto fail;
    }
    TwObject *loc_items[6];
    loc_items[0] = f ? tw_newref(f) : tw_newref(TW_NONE);
    loc_items[1] = tw_int_from_i64(lineno);
    loc_items[2] = tw_int_from_i64(offset);
    loc_items[3] = t ? tw_newref(t) : tw_newref(TW_NONE);
    loc_items[4] = tw_int_from_i64(end_lineno);
    loc_items[5] = tw_int_from_i64(end_offset);
    TwObject *loc = tw_tuple_new(6);
    if (loc == NULL) {
        for (int i = 0; i < 6; i++)
            tw_xdecref(loc_items[i]);
        goto fail;
    }
    for (int i = 0; i < 6; i++) {
        if (loc_items[i] == NULL) {
            for (int j = i; j < 6; j++)
                tw_xdecref(loc_items[j]);
            tw_decref(loc);
            goto fail;
        }
        tw_tuple_init_item(loc, i, loc_items[i]);
    }
    TwObject *args = tw_tuple_pack(2, m, loc);
    tw_decref(loc);
    if (args == NULL)
        goto fail;
    /* Built directly (the parser needs no __init__), but through the
     * class's own allocation so that the base fields are set up. */
    TwSyntaxErrorObject *e = tw_type_ready(type) < 0 ? NULL
                           : (TwSyntaxErrorObject *)type->tp_new(type, NULL, 0, NULL);
    if (e == NULL) {
        tw_decref(args);
        goto fail;
    }
    TW_CLEAR(e->base.args);
    e->base.args = args;
    e->has_location = 1;
    e->msg = m;
    e->filename = f;
    e->text = t;
    e->lineno = lineno;
    e->offset = offset;
    e->end_lineno = end_lineno;
    e->end_offset = end_offset;
    return (TwObject *)e;
fail:
    tw_xdecref(m);
    tw_xdecref(f);
    tw_xdecref(t);
    return NULL;
}

void tw_syntax_error_set(TwType *type, const char *msg, const char *filename, int lineno,
                         int offset, int end_lineno, int end_offset, const char *text)
{
    TwObject *e = syntax_error_new(type, msg, filename, lineno, offset, end_lineno, end_offset,
                                   text, text ? strlen(text) : 0);
    if (e != NULL)
        tw_err_restore(e);
}

/* The bytes of line `lineno` (1-based) of [src, end), '\n' included when
 * present; NULL past the end. */
static const char *source_line(const char *src, const char *end, int lineno, size_t *len)
{
    const char *p = src;
    for (int l = 1; l < lineno; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
    return p;
}

void tw_syntax_error_at_node(TwType *type, const char *msg, const char *filename,
                             const char *source, size_t n, int lineno, int col, int end_lineno,
                             int end_col)
{
    size_t len = 0;
    const char *line = source ? source_line(source, source + n, lineno, &len) : NULL;
    TwObject *e = syntax_error_new(type, msg, filename, lineno, col + 1, end_lineno, end_col + 1,
                                   line, len);
    if (e != NULL)
        tw_err_restore(e);
}

/* The source line and the caret line, following CPython 3.11: leading
 * blanks are stripped (moving the caret with them), the caret is clipped to
 * the end of the line, a caret left of the text is not printed, and the
 * carets cover [offset, end_offset) or are a single one.  Columns count
 * code points. */
static void print_error_text(FILE *out, int offset, int end_offset, const char *text, int single)
{
    int reps = (end_offset > 0 && end_offset > offset && !single) ? end_offset - offset : 1;
    int off = offset - 1;
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        off--;
    }
    int len = tw_utf8_count(text, text + strlen(text));
    size_t blen = strlen(text);
    if (blen > 0 && text[blen - 1] == '\n')
        len--;
    if (off > len)
        off = len;
    for (;;) {
        const char *nl = strchr(text, '\n');
        if (nl == NULL)
            break;
        int inl = tw_utf8_count(text, nl);
        if (inl >= off)
            break;
        text = nl + 1;
        len -= inl + 1;
        off -= inl + 1;
    }
    fputs("    ", out);
    fputs(text, out);
    blen = strlen(text);
    if (blen == 0 || text[blen - 1] != '\n')
        fputc('\n', out);
    if (off < 0)
        return;
    fputs("    ", out);
    for (int i = 0; i < off; i++)
        fputc(' ', out);
    for (int i = 0; i < reps; i++)
        fputc('^', out);
    fputc('\n', out);
}

void tw_syntax_error_print(TwObject *exc, FILE *out)
{
    const char *name = TW_TYPE(exc)->tp_name;
    if (!tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SyntaxError)) {
        TwObject *s = tw_object_str(exc);
        fprintf(out, "%s: %s\n", name, s ? tw_str_utf8(s) : "");
        if (s == NULL)
            tw_err_clear();
        tw_xdecref(s);
        return;
    }
    TwSyntaxErrorObject *e = (TwSyntaxErrorObject *)exc;
    TwObject *msg = get_object_field(exc, &e->msg);
    TwObject *filename = get_object_field(exc, &e->filename);
    TwObject *text = get_object_field(exc, &e->text);
    if (e->has_location && e->lineno > 0) {
        TwObject *fname = tw_object_str(filename);
        fprintf(out, "  File \"%s\", line %d\n", fname && filename != TW_NONE ? tw_str_utf8(fname) : "<string>",
                e->lineno);
        tw_xdecref(fname);
        if (tw_str_check(text)) {
            int size = (int)tw_str_length(text);
            int end_offset = e->end_offset;
            if (e->end_lineno > e->lineno)
                end_offset = size;
            if (end_offset > size + 1)
                end_offset = size + 1;
            print_error_text(out, e->offset, end_offset, tw_str_utf8(text),
                             tw_type_is_subtype(TW_TYPE(exc), &tw_exc_IndentationError));
        }
    }
    TwObject *smsg = tw_object_str(msg);
    fprintf(out, "%s: %s\n", name, smsg ? tw_str_utf8(smsg) : "");
    if (smsg == NULL)
        tw_err_clear();
    tw_xdecref(smsg);
    tw_decref(msg);
    tw_decref(filename);
    tw_decref(text);
}

/* ---- parser state ------------------------------------------------------------ */

/* A growable byte buffer for decoded string literals. */
typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static int buf_put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *d = realloc(b->data, ncap);
        if (d == NULL) {
            tw_err_no_memory();
            return -1;
        }
        b->data = d;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* Append code point cp as UTF-8. */
static int buf_put_cp(Buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_put(b, u, n);
}

typedef struct Parser {
    TwArena *arena;
    TwToken *toks;      /* the tokens being parsed; the last is ENDMARKER or ERROR */
    int ntoks;
    int pos;            /* the next token */
    int maxpos;         /* the furthest token looked at: where "invalid syntax" points */
    const char *src, *src_end; /* the whole source, for the text of error lines */
    const char *filename;
    int depth;          /* recursion depth, bounded by MAX_DEPTH */
    int failed;         /* an exception has been raised */
    int fstring;        /* > 0 inside an f-string replacement field */
    TwTokError tokerr;  /* the tokenizer's error when the tokens end in ERROR */
    TwAstExpr *bare_tuple; /* the last tuple built without brackets (a, b) */
} Parser;

static TwToken *tok_at(Parser *p, int i)
{
    if (i >= p->ntoks)
        i = p->ntoks - 1;
    if (i > p->maxpos)
        p->maxpos = i;
    return &p->toks[i];
}

static TwToken *peek(Parser *p) { return tok_at(p, p->pos); }
static TwToken *peek_n(Parser *p, int k) { return tok_at(p, p->pos + k); }

static TwToken *advance(Parser *p)
{
    TwToken *t = tok_at(p, p->pos);
    if (p->pos < p->ntoks - 1)
        p->pos++;
    return t;
}

/* The last token consumed. */
static TwToken *prev(Parser *p) { return &p->toks[p->pos > 0 ? p->pos - 1 : 0]; }

static int at(Parser *p, int kind) { return peek(p)->kind == kind; }

static int is_kw(const TwToken *t, int kw) { return t->kind == TW_TK_NAME && t->kw == kw; }
static int at_kw(Parser *p, int kw) { return is_kw(peek(p), kw); }

static TwToken *accept(Parser *p, int kind) { return at(p, kind) ? advance(p) : NULL; }
static TwToken *accept_kw(Parser *p, int kw) { return at_kw(p, kw) ? advance(p) : NULL; }

/* A plain name: a NAME token that is not a keyword. */
static int is_name(const TwToken *t) { return t->kind == TW_TK_NAME && t->kw == 0; }

/* ---- errors -------------------------------------------------------------------- */

/* Raise `type` at the given place (1-based offsets) unless an error is
 * already raised; the first error wins.  Returns NULL for convenience. */
static void *vraise(Parser *p, TwType *type, int lineno, int offset, int end_lineno, int end_offset,
                    const char *fmt, va_list ap)
{
    if (p->failed)
        return NULL;
    char text[500], msg[512];
    vsnprintf(text, sizeof text, fmt, ap);
    snprintf(msg, sizeof msg, "%s%s", p->fstring > 0 && strncmp(text, "f-string", 8) != 0 ? "f-string: " : "",
             text);
    size_t len = 0;
    const char *line = source_line(p->src, p->src_end, lineno, &len);
    TwObject *e = syntax_error_new(type, msg, p->filename, lineno, offset, end_lineno, end_offset,
                                   line, len);
    if (e != NULL)
        tw_err_restore(e);
    p->failed = 1;
    return NULL;
}

static void *raise_at(Parser *p, TwType *type, int lineno, int offset, int end_lineno, int end_offset,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
static void *raise_at(Parser *p, TwType *type, int lineno, int offset, int end_lineno, int end_offset,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vraise(p, type, lineno, offset, end_lineno, end_offset, fmt, ap);
    va_end(ap);
    return NULL;
}

/* A SyntaxError over the source range of 0-based columns [col, end_col). */
static void *raise_range(Parser *p, int lineno, int col, int end_lineno, int end_col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static void *raise_range(Parser *p, int lineno, int col, int end_lineno, int end_col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vraise(p, &tw_exc_SyntaxError, lineno, col + 1, end_lineno, end_col + 1, fmt, ap);
    va_end(ap);
    return NULL;
}

#define RAISE_TOK(p, t, ...) raise_range((p), (t)->lineno, (t)->col, (t)->end_lineno, (t)->end_col, __VA_ARGS__)
#define RAISE_NODE(p, e, ...) raise_range((p), (e)->lineno, (e)->col, (e)->end_lineno, (e)->end_col, __VA_ARGS__)

/* Raise the tokenizer's error recorded in p->tokerr. */
static void *raise_tokenizer_error(Parser *p)
{
    const TwTokError *e = &p->tokerr;
    TwType *type = e->kind == TW_TOKERR_INDENT ? &tw_exc_IndentationError
                 : e->kind == TW_TOKERR_TAB    ? &tw_exc_TabError
                                               : &tw_exc_SyntaxError;
    return raise_at(p, type, e->lineno, e->offset, e->end_lineno, e->end_offset, "%s", e->msg);
}

/* Enter a recursive rule; fails cleanly past MAX_DEPTH. */
static int enter_weighted(Parser *p, int weight)
{
    p->depth += weight;
    if (p->depth > MAX_DEPTH) {
        TwToken *t = peek(p);
        RAISE_TOK(p, t, "too many nested expressions");
        p->depth -= weight;
        return -1;
    }
    return 0;
}

/* Unary operators and the like are cheap on the C stack; a nested
 * expression (through brackets) costs EXPR_WEIGHT. */
#define EXPR_WEIGHT 10
static int enter(Parser *p) { return enter_weighted(p, 1); }

/* ---- building nodes -------------------------------------------------------------- */

static TwAstExpr *new_expr(Parser *p, TwExprKind kind, int lineno, int col, int end_lineno, int end_col)
{
    TwAstExpr *e = tw_arena_alloc(p->arena, sizeof *e);
    if (e == NULL) {
        p->failed = 1;
        return NULL;
    }
    e->kind = kind;
    e->lineno = lineno;
    e->col = col;
    e->end_lineno = end_lineno;
    e->end_col = end_col;
    return e;
}

/* A node from token `start` to the last token consumed. */
static TwAstExpr *expr_from_tok(Parser *p, TwExprKind kind, const TwToken *start)
{
    const TwToken *end = prev(p);
    return new_expr(p, kind, start->lineno, start->col, end->end_lineno, end->end_col);
}

static TwAstStmt *new_stmt(Parser *p, TwStmtKind kind, const TwToken *start)
{
    TwAstStmt *s = tw_arena_alloc(p->arena, sizeof *s);
    if (s == NULL) {
        p->failed = 1;
        return NULL;
    }
    const TwToken *end = prev(p);
    s->kind = kind;
    s->lineno = start->lineno;
    s->col = start->col;
    s->end_lineno = end->end_lineno;
    s->end_col = end->end_col;
    return s;
}

static void *alloc(Parser *p, size_t size)
{
    void *r = tw_arena_alloc(p->arena, size);
    if (r == NULL)
        p->failed = 1;
    return r;
}

/* Append to a sequence, creating it when *s is NULL.  Capacity is the
 * next power of two >= n (at least 4), so it needs no field of its own. */
static int seq_append(Parser *p, TwAstSeq **s, void *item)
{
    if (*s == NULL) {
        *s = alloc(p, sizeof(TwAstSeq));
        if (*s == NULL)
            return -1;
    }
    TwAstSeq *q = *s;
    if (q->n == 0 || (q->n >= 4 && (q->n & (q->n - 1)) == 0)) {
        intptr_t cap = q->n == 0 ? 4 : q->n * 2;
        void **items = alloc(p, (size_t)cap * sizeof(void *));
        if (items == NULL)
            return -1;
        if (q->n > 0)
            memcpy(items, q->items, (size_t)q->n * sizeof(void *));
        q->items = items;
    }
    q->items[q->n++] = item;
    return 0;
}

/* An empty (non-NULL) sequence. */
static TwAstSeq *seq_empty(Parser *p) { return alloc(p, sizeof(TwAstSeq)); }

/* Keep obj (a new reference, stolen) alive as long as the arena. */
static TwObject *keep(Parser *p, TwObject *obj)
{
    if (obj == NULL) {
        p->failed = 1;
        return NULL;
    }
    if (tw_arena_add_object(p->arena, obj) < 0) {
        p->failed = 1;
        return NULL;
    }
    return obj;
}

/* The interned str of n bytes of identifier text. */
static TwObject *intern_text(Parser *p, const char *s, size_t n)
{
    TwObject *tmp = tw_str_from_utf8(s, n);
    if (tmp == NULL) {
        p->failed = 1;
        return NULL;
    }
    TwObject *r = tw_str_intern(tmp);
    tw_decref(tmp);
    return keep(p, r);
}

static TwObject *intern_tok(Parser *p, const TwToken *t)
{
    return intern_text(p, t->start, (size_t)(t->end - t->start));
}

static TwAstExpr *name_expr(Parser *p, const TwToken *t, TwExprContext ctx)
{
    TwAstExpr *e = new_expr(p, TW_EXPR_NAME, t->lineno, t->col, t->end_lineno, t->end_col);
    if (e == NULL)
        return NULL;
    e->v.name.id = intern_tok(p, t);
    e->v.name.ctx = ctx;
    return e->v.name.id ? e : NULL;
}

/* Whether a token can begin an expression. */
static int starts_expression(const TwToken *t)
{
    switch (t->kind) {
    case TW_TK_NAME:
        return t->kw == 0 || t->kw == TW_KW_TRUE || t->kw == TW_KW_FALSE || t->kw == TW_KW_NONE ||
               t->kw == TW_KW_LAMBDA || t->kw == TW_KW_NOT || t->kw == TW_KW_AWAIT;
    case TW_TK_NUMBER: case TW_TK_STRING: case TW_TK_LPAR: case TW_TK_LSQB: case TW_TK_LBRACE:
    case TW_TK_MINUS: case TW_TK_PLUS: case TW_TK_TILDE: case TW_TK_STAR: case TW_TK_ELLIPSIS:
        return 1;
    default:
        return 0;
    }
}

/* What CPython calls a node in "cannot assign to ..." messages. */
static const char *expr_name(const TwAstExpr *e)
{
    switch (e->kind) {
    case TW_EXPR_ATTRIBUTE: return "attribute";
    case TW_EXPR_SUBSCRIPT: return "subscript";
    case TW_EXPR_STARRED: return "starred";
    case TW_EXPR_NAME: return "name";
    case TW_EXPR_LIST: return "list";
    case TW_EXPR_TUPLE: return "tuple";
    case TW_EXPR_LAMBDA: return "lambda";
    case TW_EXPR_CALL: return "function call";
    case TW_EXPR_BOOLOP: case TW_EXPR_BINOP: case TW_EXPR_UNARYOP: return "expression";
    case TW_EXPR_GENEXP: return "generator expression";
    case TW_EXPR_YIELD: case TW_EXPR_YIELDFROM: return "yield expression";
    case TW_EXPR_LISTCOMP: return "list comprehension";
    case TW_EXPR_SETCOMP: return "set comprehension";
    case TW_EXPR_DICTCOMP: return "dict comprehension";
    case TW_EXPR_DICT: return "dict literal";
    case TW_EXPR_SET: return "set display";
    case TW_EXPR_JOINEDSTR: case TW_EXPR_FORMATTEDVALUE: return "f-string expression";
    case TW_EXPR_CONSTANT: {
        TwObject *v = e->v.constant.value;
        if (v == TW_NONE) return "None";
        if (v == TW_TRUE) return "True";
        if (v == TW_FALSE) return "False";
        if (v == TW_ELLIPSIS) return "ellipsis";
        return "literal";
    }
    case TW_EXPR_COMPARE: return "comparison";
    case TW_EXPR_IFEXP: return "conditional expression";
    case TW_EXPR_NAMEDEXPR: return "named expression";
    default: return "expression";
    }
}

/* ---- assignment targets ------------------------------------------------------------ */

/* The first part of target e that cannot be assigned (or deleted): NULL
 * when all of e is a valid target. */
static TwAstExpr *invalid_target(TwAstExpr *e, int del)
{
    switch (e->kind) {
    case TW_EXPR_NAME: case TW_EXPR_ATTRIBUTE: case TW_EXPR_SUBSCRIPT:
        return NULL;
    case TW_EXPR_STARRED:
        return del ? e : invalid_target(e->v.starred.value, del);
    case TW_EXPR_LIST: case TW_EXPR_TUPLE: {
        TwAstSeq *elts = e->kind == TW_EXPR_LIST ? e->v.list.elts : e->v.tuple.elts;
        for (intptr_t i = 0; i < TW_SEQ_LEN(elts); i++) {
            TwAstExpr *bad = invalid_target(TW_SEQ_GET(elts, i), del);
            if (bad != NULL)
                return bad;
        }
        return NULL;
    }
    default:
        return e;
    }
}

/* Give every name, attribute, subscript, starred, list and tuple in
 * target e the context ctx. */
static void set_context(TwAstExpr *e, TwExprContext ctx)
{
    switch (e->kind) {
    case TW_EXPR_NAME: e->v.name.ctx = ctx; break;
    case TW_EXPR_ATTRIBUTE: e->v.attribute.ctx = ctx; break;
    case TW_EXPR_SUBSCRIPT: e->v.subscript.ctx = ctx; break;
    case TW_EXPR_STARRED:
        e->v.starred.ctx = ctx;
        set_context(e->v.starred.value, ctx);
        break;
    case TW_EXPR_LIST:
        e->v.list.ctx = ctx;
        for (intptr_t i = 0; i < TW_SEQ_LEN(e->v.list.elts); i++)
            set_context(TW_SEQ_GET(e->v.list.elts, i), ctx);
        break;
    case TW_EXPR_TUPLE:
        e->v.tuple.ctx = ctx;
        for (intptr_t i = 0; i < TW_SEQ_LEN(e->v.tuple.elts); i++)
            set_context(TW_SEQ_GET(e->v.tuple.elts, i), ctx);
        break;
    default:
        break;
    }
}

/* A name that may never be bound: __debug__. */
static TwAstExpr *debug_name(TwAstExpr *e)
{
    switch (e->kind) {
    case TW_EXPR_NAME:
        return tw_str_equal_cstr(e->v.name.id, "__debug__") ? e : NULL;
    case TW_EXPR_STARRED:
        return debug_name(e->v.starred.value);
    case TW_EXPR_LIST: case TW_EXPR_TUPLE: {
        TwAstSeq *elts = e->kind == TW_EXPR_LIST ? e->v.list.elts : e->v.tuple.elts;
        for (intptr_t i = 0; i < TW_SEQ_LEN(elts); i++) {
            TwAstExpr *bad = debug_name(TW_SEQ_GET(elts, i));
            if (bad != NULL)
                return bad;
        }
        return NULL;
    }
    default:
        return NULL;
    }
}

/* Check a starred target list: at most one starred item per list/tuple,
 * and a starred item only inside one (CPython's compiler errors). */
static int check_starred(Parser *p, TwAstExpr *e, int top)
{
    if (e->kind == TW_EXPR_STARRED) {
        if (top) {
            RAISE_NODE(p, e, "starred assignment target must be in a list or tuple");
            return -1;
        }
        return check_starred(p, e->v.starred.value, 0);
    }
    if (e->kind != TW_EXPR_LIST && e->kind != TW_EXPR_TUPLE)
        return 0;
    TwAstSeq *elts = e->kind == TW_EXPR_LIST ? e->v.list.elts : e->v.tuple.elts;
    int nstar = 0;
    for (intptr_t i = 0; i < TW_SEQ_LEN(elts); i++) {
        TwAstExpr *x = TW_SEQ_GET(elts, i);
        if (x->kind == TW_EXPR_STARRED && ++nstar > 1) {
            RAISE_NODE(p, e, "multiple starred expressions in assignment");
            return -1;
        }
        if (check_starred(p, x, 0) < 0)
            return -1;
    }
    return 0;
}

/* Validate e as an assignment (del = 0) or deletion (del = 1) target and
 * set its context.  `suffix` adds CPython's hint for `f() = 1`. */
static int make_target(Parser *p, TwAstExpr *e, int del, int suffix)
{
    TwAstExpr *bad = invalid_target(e, del);
    if (bad != NULL) {
        if (suffix)
            RAISE_NODE(p, bad, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                       expr_name(bad));
        else
            RAISE_NODE(p, bad, del ? "cannot delete %s" : "cannot assign to %s", expr_name(bad));
        return -1;
    }
    bad = debug_name(e);
    if (bad != NULL) {
        RAISE_NODE(p, bad, del ? "cannot delete __debug__" : "cannot assign to __debug__");
        return -1;
    }
    if (!del && check_starred(p, e, 1) < 0)
        return -1;
    set_context(e, del ? TW_CTX_DEL : TW_CTX_STORE);
    return 0;
}

/* ---- expressions ------------------------------------------------------------------- */

static TwAstExpr *expression(Parser *p);
static TwAstExpr *named_expression(Parser *p, int eq_check);
static TwAstExpr *star_expressions(Parser *p);
static TwAstExpr *star_named_expression(Parser *p);
static TwAstExpr *disjunction(Parser *p);
static TwAstExpr *bitwise_or(Parser *p);
static TwAstExpr *yield_expr(Parser *p);
static TwAstExpr *strings(Parser *p);
static TwAstSeq *comprehension_clauses(Parser *p);
static TwAstArguments *parameters(Parser *p, int is_lambda);

/* Speculation: remember the parser position and undo a failed attempt. */
typedef struct {
    int pos, maxpos;
    TwAstExpr *bare_tuple;
} Mark;

static Mark mark(Parser *p) { return (Mark){p->pos, p->maxpos, p->bare_tuple}; }

static void reset(Parser *p, Mark m)
{
    p->pos = m.pos;
    p->maxpos = m.maxpos;
    p->bare_tuple = m.bare_tuple;
    if (p->failed) {
        tw_err_clear();
        p->failed = 0;
    }
}

/* Inside brackets, `[1 2]` earns CPython's "Perhaps you forgot a comma?"
 * hint: after element a, another expression b that starts right away is
 * reported over the range a..b.  Returns -1 when it raised. */
static int missing_comma(Parser *p, TwAstExpr *a)
{
    TwToken *t = peek(p);
    if (p->failed || t->level == 0 || !starts_expression(t) || t->kind == TW_TK_STAR ||
        t->kind == TW_TK_MINUS || t->kind == TW_TK_PLUS || t->kind == TW_TK_TILDE)
        return 0;
    if (is_kw(t, TW_KW_NOT))
        return 0;
    /* `a 'b'` is not the comma case: CPython excludes a name before a string. */
    if (a->kind == TW_EXPR_NAME && t->kind == TW_TK_STRING)
        return 0;
    if (a->kind == TW_EXPR_LAMBDA || a->kind == TW_EXPR_IFEXP)
        return 0;
    Mark m = mark(p);
    TwAstExpr *b = expression(p);
    if (b == NULL || p->failed) {
        reset(p, m);
        return 0;
    }
    p->maxpos = m.maxpos;
    raise_range(p, a->lineno, a->col, b->end_lineno, b->end_col, "invalid syntax. Perhaps you forgot a comma?");
    return -1;
}

/* A number literal. */
static TwAstExpr *number(Parser *p)
{
    TwToken *t = advance(p);
    size_t n = (size_t)(t->end - t->start);
    char small[128];
    char *text = n < sizeof small ? small : malloc(n + 1);
    if (text == NULL) {
        tw_err_no_memory();
        p->failed = 1;
        return NULL;
    }
    memcpy(text, t->start, n);
    text[n] = '\0';
    TwObject *value = NULL;
    int is_radix = n > 1 && text[0] == '0' && strchr("xXoObB", text[1]) != NULL;
    if (!is_radix && (text[n - 1] == 'j' || text[n - 1] == 'J')) {
        RAISE_TOK(p, t, "complex numbers are not supported by twinpy");
    } else if (!is_radix && strpbrk(text, ".eE") != NULL) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (text[i] != '_')
                text[k++] = text[i];
        text[k] = '\0';
        value = tw_float_from_double(strtod(text, NULL));
        if (value == NULL)
            p->failed = 1;
    } else {
        value = tw_int_from_string(text, n, 0);
        if (value == NULL) {
            /* e.g. more digits than int allows to convert */
            TwObject *exc = tw_err_fetch();
            TwObject *msg = exc ? tw_object_str(exc) : NULL;
            if (msg == NULL)
                tw_err_clear();
            RAISE_TOK(p, t, "%s", msg ? tw_str_utf8(msg) : "invalid number literal");
            tw_xdecref(msg);
            tw_xdecref(exc);
        }
    }
    if (text != small)
        free(text);
    if (value == NULL || keep(p, value) == NULL)
        return NULL;
    TwAstExpr *e = new_expr(p, TW_EXPR_CONSTANT, t->lineno, t->col, t->end_lineno, t->end_col);
    if (e != NULL)
        e->v.constant.value = value;
    return e;
}

static TwAstExpr *constant(Parser *p, const TwToken *t, TwObject *value)
{
    TwAstExpr *e = new_expr(p, TW_EXPR_CONSTANT, t->lineno, t->col, t->end_lineno, t->end_col);
    if (e != NULL)
        e->v.constant.value = value;
    return e;
}

/* A list display or list comprehension; '[' is next. */
static TwAstExpr *list_atom(Parser *p)
{
    TwToken *open = advance(p);
    TwAstSeq *elts = NULL;
    if (accept(p, TW_TK_RSQB)) {
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_LIST, open);
        if (e)
            e->v.list.elts = seq_empty(p);
        return e;
    }
    TwAstExpr *first = star_named_expression(p);
    if (first == NULL)
        return NULL;
    if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
        if (first->kind == TW_EXPR_STARRED)
            return RAISE_NODE(p, first, "iterable unpacking cannot be used in comprehension");
        TwAstSeq *gens = comprehension_clauses(p);
        if (gens == NULL || !accept(p, TW_TK_RSQB))
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_LISTCOMP, open);
        if (e) {
            e->v.comp.elt = first;
            e->v.comp.generators = gens;
        }
        return e;
    }
    if (seq_append(p, &elts, first) < 0)
        return NULL;
    for (;;) {
        if (missing_comma(p, TW_SEQ_GET(elts, elts->n - 1)) < 0)
            return NULL;
        if (!accept(p, TW_TK_COMMA) || at(p, TW_TK_RSQB))
            break;
        TwAstExpr *x = star_named_expression(p);
        if (x == NULL || seq_append(p, &elts, x) < 0)
            return NULL;
    }
    if (!accept(p, TW_TK_RSQB))
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_LIST, open);
    if (e)
        e->v.list.elts = elts;
    return e;
}

/* A parenthesized expression, tuple, generator expression or yield; '('
 * is next. */
static TwAstExpr *paren_atom(Parser *p)
{
    TwToken *open = advance(p);
    if (accept(p, TW_TK_RPAR)) {
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_TUPLE, open);
        if (e)
            e->v.tuple.elts = seq_empty(p);
        return e;
    }
    if (at_kw(p, TW_KW_YIELD)) {
        TwAstExpr *y = yield_expr(p);
        if (y == NULL || !accept(p, TW_TK_RPAR))
            return NULL;
        return y;
    }
    TwAstExpr *first = star_named_expression(p);
    if (first == NULL)
        return NULL;
    if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
        if (first->kind == TW_EXPR_STARRED)
            return RAISE_NODE(p, first, "iterable unpacking cannot be used in comprehension");
        TwAstSeq *gens = comprehension_clauses(p);
        if (gens == NULL || !accept(p, TW_TK_RPAR))
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_GENEXP, open);
        if (e) {
            e->v.comp.elt = first;
            e->v.comp.generators = gens;
        }
        return e;
    }
    if (!at(p, TW_TK_COMMA)) {
        if (missing_comma(p, first) < 0)
            return NULL;
        if (!accept(p, TW_TK_RPAR))
            return NULL;
        if (first->kind == TW_EXPR_STARRED)
            return RAISE_NODE(p, first, "cannot use starred expression here");
        return first;
    }
    TwAstSeq *elts = NULL;
    if (seq_append(p, &elts, first) < 0)
        return NULL;
    while (accept(p, TW_TK_COMMA) && !at(p, TW_TK_RPAR)) {
        TwAstExpr *x = star_named_expression(p);
        if (x == NULL || seq_append(p, &elts, x) < 0)
            return NULL;
        if (missing_comma(p, x) < 0)
            return NULL;
    }
    if (!accept(p, TW_TK_RPAR))
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_TUPLE, open);
    if (e)
        e->v.tuple.elts = elts;
    return e;
}

/* A dict or set display or comprehension; '{' is next. */
static TwAstExpr *brace_atom(Parser *p)
{
    TwToken *open = advance(p);
    if (accept(p, TW_TK_RBRACE)) {
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_DICT, open);
        if (e) {
            e->v.dict.keys = seq_empty(p);
            e->v.dict.values = seq_empty(p);
        }
        return e;
    }
    TwAstSeq *keys = NULL, *values = NULL;
    TwAstExpr *first_key = NULL, *first_value = NULL;
    if (at(p, TW_TK_DOUBLESTAR)) {
        TwToken *star = advance(p);
        first_value = bitwise_or(p);
        if (first_value == NULL)
            return NULL;
        if (at_kw(p, TW_KW_FOR))
            return RAISE_TOK(p, star, "dict unpacking cannot be used in dict comprehension");
    } else {
        TwAstExpr *first = star_named_expression(p);
        if (first == NULL)
            return NULL;
        if (!at(p, TW_TK_COLON) || first->kind == TW_EXPR_STARRED) {
            /* a set */
            if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
                if (first->kind == TW_EXPR_STARRED)
                    return RAISE_NODE(p, first, "iterable unpacking cannot be used in comprehension");
                TwAstSeq *gens = comprehension_clauses(p);
                if (gens == NULL || !accept(p, TW_TK_RBRACE))
                    return NULL;
                TwAstExpr *e = expr_from_tok(p, TW_EXPR_SETCOMP, open);
                if (e) {
                    e->v.comp.elt = first;
                    e->v.comp.generators = gens;
                }
                return e;
            }
            TwAstSeq *elts = NULL;
            if (seq_append(p, &elts, first) < 0)
                return NULL;
            for (;;) {
                if (missing_comma(p, TW_SEQ_GET(elts, elts->n - 1)) < 0)
                    return NULL;
                if (!accept(p, TW_TK_COMMA) || at(p, TW_TK_RBRACE))
                    break;
                TwAstExpr *x = star_named_expression(p);
                if (x == NULL || seq_append(p, &elts, x) < 0)
                    return NULL;
            }
            if (!accept(p, TW_TK_RBRACE))
                return NULL;
            TwAstExpr *e = expr_from_tok(p, TW_EXPR_SET, open);
            if (e)
                e->v.set.elts = elts;
            return e;
        }
        if (first->kind == TW_EXPR_NAMEDEXPR && p->toks[p->pos - 1].kind != TW_TK_RPAR)
            return NULL; /* {a := 1: 2} */
        TwToken *colon = advance(p);
        if (at(p, TW_TK_RBRACE) || at(p, TW_TK_COMMA))
            return RAISE_TOK(p, colon, "expression expected after dictionary key and ':'");
        first_key = first;
        first_value = expression(p);
        if (first_value == NULL)
            return NULL;
        if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
            TwAstSeq *gens = comprehension_clauses(p);
            if (gens == NULL || !accept(p, TW_TK_RBRACE))
                return NULL;
            TwAstExpr *e = expr_from_tok(p, TW_EXPR_DICTCOMP, open);
            if (e) {
                e->v.comp.key = first_key;
                e->v.comp.value = first_value;
                e->v.comp.generators = gens;
            }
            return e;
        }
    }
    if (seq_append(p, &keys, first_key) < 0 || seq_append(p, &values, first_value) < 0)
        return NULL;
    for (;;) {
        if (missing_comma(p, first_value) < 0)
            return NULL;
        if (!accept(p, TW_TK_COMMA) || at(p, TW_TK_RBRACE))
            break;
        TwAstExpr *k = NULL, *v;
        if (accept(p, TW_TK_DOUBLESTAR)) {
            v = bitwise_or(p);
        } else {
            k = expression(p);
            if (k == NULL)
                return NULL;
            TwToken *colon = accept(p, TW_TK_COLON);
            if (colon == NULL)
                return NULL;
            if (at(p, TW_TK_RBRACE) || at(p, TW_TK_COMMA))
                return RAISE_TOK(p, colon, "expression expected after dictionary key and ':'");
            v = expression(p);
        }
        if (v == NULL || seq_append(p, &keys, k) < 0 || seq_append(p, &values, v) < 0)
            return NULL;
        first_value = v;
    }
    if (!accept(p, TW_TK_RBRACE))
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_DICT, open);
    if (e) {
        e->v.dict.keys = keys;
        e->v.dict.values = values;
    }
    return e;
}

static TwAstExpr *atom(Parser *p)
{
    TwToken *t = peek(p);
    switch (t->kind) {
    case TW_TK_NAME:
        switch (t->kw) {
        case 0:
            advance(p);
            return name_expr(p, t, TW_CTX_LOAD);
        case TW_KW_TRUE:
            advance(p);
            return constant(p, t, TW_TRUE);
        case TW_KW_FALSE:
            advance(p);
            return constant(p, t, TW_FALSE);
        case TW_KW_NONE:
            advance(p);
            return constant(p, t, TW_NONE);
        case TW_KW_AWAIT:
            return RAISE_TOK(p, t, "'await' expressions are not supported by twinpy");
        default:
            return NULL;
        }
    case TW_TK_NUMBER:
        return number(p);
    case TW_TK_STRING:
        return strings(p);
    case TW_TK_LPAR:
        return paren_atom(p);
    case TW_TK_LSQB:
        return list_atom(p);
    case TW_TK_LBRACE:
        return brace_atom(p);
    case TW_TK_ELLIPSIS:
        advance(p);
        return constant(p, t, TW_ELLIPSIS);
    default:
        return NULL;
    }
}

/* One subscript item: a slice a:b:c or an expression. */
static TwAstExpr *slice_item(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *lower = NULL, *upper = NULL, *step = NULL;
    if (at(p, TW_TK_STAR)) {
        TwToken *star = advance(p);
        TwAstExpr *v = bitwise_or(p);
        if (v == NULL)
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_STARRED, star);
        if (e) {
            e->v.starred.value = v;
            e->v.starred.ctx = TW_CTX_LOAD;
        }
        return e;
    }
    if (!at(p, TW_TK_COLON)) {
        lower = named_expression(p, 1);
        if (lower == NULL)
            return NULL;
        if (!at(p, TW_TK_COLON))
            return lower;
        if (lower->kind == TW_EXPR_NAMEDEXPR && prev(p)->kind != TW_TK_RPAR)
            return NULL;
    }
    advance(p); /* ':' */
    if (!at(p, TW_TK_COLON) && !at(p, TW_TK_RSQB) && !at(p, TW_TK_COMMA)) {
        upper = expression(p);
        if (upper == NULL)
            return NULL;
    }
    if (accept(p, TW_TK_COLON) && !at(p, TW_TK_RSQB) && !at(p, TW_TK_COMMA)) {
        step = expression(p);
        if (step == NULL)
            return NULL;
    }
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_SLICE, start);
    if (e) {
        e->v.slice.lower = lower;
        e->v.slice.upper = upper;
        e->v.slice.step = step;
    }
    return e;
}

/* The subscript of value[...]; '[' is next. */
static TwAstExpr *subscript(Parser *p, TwAstExpr *value, const TwToken *vstart)
{
    advance(p);
    TwToken *start = peek(p);
    TwAstExpr *first = slice_item(p);
    if (first == NULL)
        return NULL;
    TwAstExpr *index = first;
    if (at(p, TW_TK_COMMA) || first->kind == TW_EXPR_STARRED) {
        TwAstSeq *elts = NULL;
        if (seq_append(p, &elts, first) < 0)
            return NULL;
        while (accept(p, TW_TK_COMMA) && !at(p, TW_TK_RSQB)) {
            TwAstExpr *x = slice_item(p);
            if (x == NULL || seq_append(p, &elts, x) < 0)
                return NULL;
        }
        index = expr_from_tok(p, TW_EXPR_TUPLE, start);
        if (index == NULL)
            return NULL;
        index->v.tuple.elts = elts;
        index->v.tuple.ctx = TW_CTX_LOAD;
    } else if (missing_comma(p, first) < 0) {
        return NULL;
    }
    if (!accept(p, TW_TK_RSQB))
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_SUBSCRIPT, vstart);
    if (e) {
        e->v.subscript.value = value;
        e->v.subscript.slice = index;
        e->v.subscript.ctx = TW_CTX_LOAD;
    }
    return e;
}

/* A keyword argument NAME=value or **value. */
static TwAstKeyword *keyword(Parser *p, TwObject *arg, const TwToken *start, TwAstExpr *value)
{
    TwAstKeyword *k = alloc(p, sizeof *k);
    if (k) {
        k->arg = arg;
        k->value = value;
        k->lineno = start->lineno;
        k->col = start->col;
    }
    return k;
}

/* The arguments of a call; '(' is next.  Also used for class bases. */
static int call_arguments(Parser *p, TwAstSeq **args, TwAstSeq **keywords, int allow_genexp)
{
    TwToken *open = advance(p);
    int seen_keyword = 0, seen_kwunpack = 0;
    TwAstExpr *genexp = NULL;
    int nitems = 0;
    while (!at(p, TW_TK_RPAR)) {
        TwToken *t = peek(p);
        nitems++;
        if (at(p, TW_TK_DOUBLESTAR)) {
            advance(p);
            TwAstExpr *v = expression(p);
            if (v == NULL)
                return -1;
            TwAstKeyword *k = keyword(p, NULL, t, v);
            if (k == NULL || seq_append(p, keywords, k) < 0)
                return -1;
            seen_kwunpack = 1;
        } else if (at(p, TW_TK_STAR)) {
            advance(p);
            TwAstExpr *v = expression(p);
            if (v == NULL)
                return -1;
            if (seen_kwunpack)
                return RAISE_TOK(p, t, "iterable argument unpacking follows keyword argument unpacking"), -1;
            if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC))
                return raise_range(p, t->lineno, t->col, v->end_lineno, v->end_col,
                                   "iterable unpacking cannot be used in comprehension"), -1;
            TwAstExpr *e = expr_from_tok(p, TW_EXPR_STARRED, t);
            if (e == NULL)
                return -1;
            e->v.starred.value = v;
            e->v.starred.ctx = TW_CTX_LOAD;
            if (seq_append(p, args, e) < 0)
                return -1;
        } else if (t->kind == TW_TK_NAME && peek_n(p, 1)->kind == TW_TK_EQUAL) {
            if (t->kw == TW_KW_TRUE || t->kw == TW_KW_FALSE || t->kw == TW_KW_NONE) {
                TwToken *eq = peek_n(p, 1);
                return raise_range(p, t->lineno, t->col, eq->end_lineno, eq->end_col,
                                   "cannot assign to %.*s", (int)(t->end - t->start), t->start), -1;
            }
            if (t->kw != 0)
                return -1;
            advance(p);
            advance(p);
            TwAstExpr *v = expression(p);
            if (v == NULL)
                return -1;
            if (at_kw(p, TW_KW_FOR)) {
                TwToken *eq = t + 1;
                return raise_range(p, t->lineno, t->col, eq->end_lineno, eq->end_col,
                                   "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"), -1;
            }
            TwObject *name = intern_tok(p, t);
            if (name == NULL)
                return -1;
            for (intptr_t i = 0; i < TW_SEQ_LEN(*keywords); i++) {
                TwAstKeyword *o = TW_SEQ_GET(*keywords, i);
                if (o->arg == name)
                    return raise_range(p, t->lineno, t->col, v->end_lineno, v->end_col,
                                       "keyword argument repeated: %s", tw_str_utf8(name)), -1;
            }
            TwAstKeyword *k = keyword(p, name, t, v);
            if (k == NULL || seq_append(p, keywords, k) < 0)
                return -1;
            seen_keyword = 1;
        } else {
            TwToken *vstart = peek(p);
            TwAstExpr *v = named_expression(p, 0);
            if (v == NULL)
                return -1;
            if (at(p, TW_TK_EQUAL)) {
                TwToken *eq = peek(p);
                return raise_range(p, v->lineno, v->col, eq->end_lineno, eq->end_col,
                                   "expression cannot contain assignment, perhaps you meant \"==\"?"), -1;
            }
            if (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
                if (!allow_genexp)
                    return -1; /* class A(x for x in y): "invalid syntax" at 'for' */
                TwAstSeq *gens = comprehension_clauses(p);
                if (gens == NULL)
                    return -1;
                /* A lone generator argument shares the call's parentheses. */
                int alone = nitems == 1 && at(p, TW_TK_RPAR);
                TwAstExpr *g = alone ? new_expr(p, TW_EXPR_GENEXP, open->lineno, open->col,
                                                peek(p)->end_lineno, peek(p)->end_col)
                                     : expr_from_tok(p, TW_EXPR_GENEXP, vstart);
                if (g == NULL)
                    return -1;
                g->v.comp.elt = v;
                g->v.comp.generators = gens;
                if (!alone && genexp == NULL)
                    genexp = g;
                v = g;
            }
            if (seen_kwunpack)
                return RAISE_TOK(p, peek(p), "positional argument follows keyword argument unpacking"), -1;
            if (seen_keyword)
                return RAISE_TOK(p, peek(p), "positional argument follows keyword argument"), -1;
            if (seq_append(p, args, v) < 0)
                return -1;
            if (missing_comma(p, v) < 0)
                return -1;
        }
        if (!accept(p, TW_TK_COMMA))
            break;
    }
    if (genexp != NULL)
        return RAISE_NODE(p, genexp, "Generator expression must be parenthesized"), -1;
    if (!accept(p, TW_TK_RPAR))
        return -1;
    return 0;
}

/* An atom followed by attribute access, calls and subscripts. */
static TwAstExpr *primary(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *e = atom(p);
    while (e != NULL) {
        if (at(p, TW_TK_DOT)) {
            advance(p);
            TwToken *name = peek(p);
            if (!is_name(name))
                return NULL;
            advance(p);
            TwAstExpr *a = expr_from_tok(p, TW_EXPR_ATTRIBUTE, start);
            if (a == NULL)
                return NULL;
            a->v.attribute.value = e;
            a->v.attribute.attr = intern_tok(p, name);
            a->v.attribute.ctx = TW_CTX_LOAD;
            if (a->v.attribute.attr == NULL)
                return NULL;
            e = a;
        } else if (at(p, TW_TK_LPAR)) {
            TwAstSeq *args = NULL, *keywords = NULL;
            if (call_arguments(p, &args, &keywords, 1) < 0)
                return NULL;
            TwAstExpr *c = expr_from_tok(p, TW_EXPR_CALL, start);
            if (c == NULL)
                return NULL;
            c->v.call.func = e;
            c->v.call.args = args;
            c->v.call.keywords = keywords;
            e = c;
        } else if (at(p, TW_TK_LSQB)) {
            e = subscript(p, e, start);
        } else {
            break;
        }
    }
    return e;
}

/* power: primary ['**' factor] (right-associative through factor). */
static TwAstExpr *factor(Parser *p);

static TwAstExpr *power(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *left = primary(p);
    if (left == NULL || !at(p, TW_TK_DOUBLESTAR))
        return left;
    advance(p);
    if (enter(p) < 0)
        return NULL;
    TwAstExpr *right = factor(p);
    p->depth--;
    if (right == NULL)
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_BINOP, start);
    if (e) {
        e->v.binop.left = left;
        e->v.binop.op = TW_OP_POW;
        e->v.binop.right = right;
    }
    return e;
}

static TwAstExpr *factor(Parser *p)
{
    TwToken *t = peek(p);
    TwUnaryOp op;
    switch (t->kind) {
    case TW_TK_PLUS: op = TW_UOP_UADD; break;
    case TW_TK_MINUS: op = TW_UOP_USUB; break;
    case TW_TK_TILDE: op = TW_UOP_INVERT; break;
    default: return power(p);
    }
    advance(p);
    if (enter(p) < 0)
        return NULL;
    TwAstExpr *operand = factor(p);
    p->depth--;
    if (operand == NULL)
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_UNARYOP, t);
    if (e) {
        e->v.unaryop.op = op;
        e->v.unaryop.operand = operand;
    }
    return e;
}

/* The binary operator of token t at precedence level `level` (0 '|' ... 5
 * '*'), or -1. */
static int binop_at_level(const TwToken *t, int level)
{
    switch (level) {
    case 0: return t->kind == TW_TK_VBAR ? TW_OP_BITOR : -1;
    case 1: return t->kind == TW_TK_CIRCUMFLEX ? TW_OP_BITXOR : -1;
    case 2: return t->kind == TW_TK_AMPER ? TW_OP_BITAND : -1;
    case 3:
        return t->kind == TW_TK_LEFTSHIFT ? TW_OP_LSHIFT : t->kind == TW_TK_RIGHTSHIFT ? TW_OP_RSHIFT : -1;
    case 4: return t->kind == TW_TK_PLUS ? TW_OP_ADD : t->kind == TW_TK_MINUS ? TW_OP_SUB : -1;
    default:
        switch (t->kind) {
        case TW_TK_STAR: return TW_OP_MUL;
        case TW_TK_SLASH: return TW_OP_DIV;
        case TW_TK_DOUBLESLASH: return TW_OP_FLOORDIV;
        case TW_TK_PERCENT: return TW_OP_MOD;
        case TW_TK_AT: return TW_OP_MATMUL;
        default: return -1;
        }
    }
}

/* Left-associative binary operators, one precedence level per call. */
static TwAstExpr *binary(Parser *p, int level)
{
    TwToken *start = peek(p);
    TwAstExpr *left = level == 5 ? factor(p) : binary(p, level + 1);
    while (left != NULL) {
        int op = binop_at_level(peek(p), level);
        if (op < 0)
            break;
        advance(p);
        TwAstExpr *right = level == 5 ? factor(p) : binary(p, level + 1);
        if (right == NULL)
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_BINOP, start);
        if (e == NULL)
            return NULL;
        e->v.binop.left = left;
        e->v.binop.op = (TwBinOp)op;
        e->v.binop.right = right;
        left = e;
    }
    return left;
}

static TwAstExpr *bitwise_or(Parser *p) { return binary(p, 0); }

/* A comparison operator at the current token (consumed), or -1. */
static int comparison_op(Parser *p)
{
    TwToken *t = peek(p);
    int op;
    switch (t->kind) {
    case TW_TK_EQEQUAL: op = TW_CMP_EQ; break;
    case TW_TK_NOTEQUAL: op = TW_CMP_NOTEQ; break;
    case TW_TK_LESS: op = TW_CMP_LT; break;
    case TW_TK_LESSEQUAL: op = TW_CMP_LTE; break;
    case TW_TK_GREATER: op = TW_CMP_GT; break;
    case TW_TK_GREATEREQUAL: op = TW_CMP_GTE; break;
    case TW_TK_NAME:
        if (t->kw == TW_KW_IN) {
            op = TW_CMP_IN;
            break;
        }
        if (t->kw == TW_KW_NOT && is_kw(peek_n(p, 1), TW_KW_IN)) {
            advance(p);
            op = TW_CMP_NOTIN;
            break;
        }
        if (t->kw == TW_KW_IS) {
            if (is_kw(peek_n(p, 1), TW_KW_NOT)) {
                advance(p);
                op = TW_CMP_ISNOT;
            } else {
                op = TW_CMP_IS;
            }
            break;
        }
        return -1;
    default:
        return -1;
    }
    advance(p);
    return op;
}

static TwAstExpr *comparison(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *left = bitwise_or(p);
    if (left == NULL)
        return NULL;
    TwAstSeq *ops = NULL, *comparators = NULL;
    for (;;) {
        int op = comparison_op(p);
        if (op < 0)
            break;
        TwAstExpr *right = bitwise_or(p);
        if (right == NULL)
            return NULL;
        if (seq_append(p, &ops, (void *)(intptr_t)op) < 0 || seq_append(p, &comparators, right) < 0)
            return NULL;
    }
    if (ops == NULL)
        return left;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_COMPARE, start);
    if (e) {
        e->v.compare.left = left;
        e->v.compare.ops = ops;
        e->v.compare.comparators = comparators;
    }
    return e;
}

static TwAstExpr *inversion(Parser *p)
{
    if (!at_kw(p, TW_KW_NOT))
        return comparison(p);
    TwToken *t = advance(p);
    if (enter(p) < 0)
        return NULL;
    TwAstExpr *operand = inversion(p);
    p->depth--;
    if (operand == NULL)
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_UNARYOP, t);
    if (e) {
        e->v.unaryop.op = TW_UOP_NOT;
        e->v.unaryop.operand = operand;
    }
    return e;
}

/* and/or chains: one BoolOp with all the operands. */
static TwAstExpr *boolop(Parser *p, int kw)
{
    TwToken *start = peek(p);
    TwAstExpr *first = kw == TW_KW_OR ? boolop(p, TW_KW_AND) : inversion(p);
    if (first == NULL || !at_kw(p, kw))
        return first;
    TwAstSeq *values = NULL;
    if (seq_append(p, &values, first) < 0)
        return NULL;
    while (accept_kw(p, kw)) {
        TwAstExpr *next = kw == TW_KW_OR ? boolop(p, TW_KW_AND) : inversion(p);
        if (next == NULL || seq_append(p, &values, next) < 0)
            return NULL;
    }
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_BOOLOP, start);
    if (e) {
        e->v.boolop.op = kw == TW_KW_OR ? TW_BOOL_OR : TW_BOOL_AND;
        e->v.boolop.values = values;
    }
    return e;
}

static TwAstExpr *disjunction(Parser *p) { return boolop(p, TW_KW_OR); }

static TwAstExpr *lambdef(Parser *p)
{
    TwToken *t = advance(p);
    TwAstArguments *args = parameters(p, 1);
    if (args == NULL)
        return NULL;
    if (!accept(p, TW_TK_COLON))
        return NULL;
    TwAstExpr *body = expression(p);
    if (body == NULL)
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_LAMBDA, t);
    if (e) {
        e->v.lambda.args = args;
        e->v.lambda.body = body;
    }
    return e;
}

/* expression: lambda | disjunction ['if' disjunction 'else' expression] */
static TwAstExpr *expression(Parser *p)
{
    if (enter_weighted(p, EXPR_WEIGHT) < 0)
        return NULL;
    TwAstExpr *r;
    if (at_kw(p, TW_KW_LAMBDA)) {
        r = lambdef(p);
    } else {
        TwToken *start = peek(p);
        r = disjunction(p);
        if (r != NULL && at_kw(p, TW_KW_IF)) {
            advance(p);
            TwAstExpr *test = disjunction(p);
            if (test == NULL) {
                r = NULL;
            } else if (!accept_kw(p, TW_KW_ELSE)) {
                if (!at(p, TW_TK_COLON))
                    raise_range(p, r->lineno, r->col, test->end_lineno, test->end_col,
                                "expected 'else' after 'if' expression");
                r = NULL;
            } else {
                TwAstExpr *orelse = expression(p);
                TwAstExpr *e = orelse ? expr_from_tok(p, TW_EXPR_IFEXP, start) : NULL;
                if (e) {
                    e->v.ifexp.test = test;
                    e->v.ifexp.body = r;
                    e->v.ifexp.orelse = orelse;
                }
                r = e;
            }
        }
    }
    p->depth -= EXPR_WEIGHT;
    return r;
}

/* CPython's hints for `=` where an expression was expected, as in
 * `if x = 1:`.  e is the expression before the '='. */
static void *misplaced_assignment(Parser *p, TwAstExpr *e)
{
    Mark m = mark(p);
    advance(p); /* '=' */
    TwAstExpr *b = bitwise_or(p);
    int ok = b != NULL && !p->failed && !at(p, TW_TK_EQUAL) && !at(p, TW_TK_COLONEQUAL);
    reset(p, m);
    if (!ok)
        return NULL;
    if (e->kind == TW_EXPR_NAME)
        return raise_range(p, e->lineno, e->col, b->end_lineno, b->end_col,
                           "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    if (e->kind == TW_EXPR_LIST || e->kind == TW_EXPR_TUPLE || e->kind == TW_EXPR_GENEXP ||
        e->kind == TW_EXPR_BOOLOP || e->kind == TW_EXPR_COMPARE || e->kind == TW_EXPR_IFEXP ||
        e->kind == TW_EXPR_LAMBDA || (e->kind == TW_EXPR_UNARYOP && e->v.unaryop.op == TW_UOP_NOT) ||
        (e->kind == TW_EXPR_CONSTANT &&
         (e->v.constant.value == TW_TRUE || e->v.constant.value == TW_FALSE ||
          e->v.constant.value == TW_NONE)))
        return NULL;
    return RAISE_NODE(p, e, "cannot assign to %s here. Maybe you meant '==' instead of '='?", expr_name(e));
}

/* named_expression: NAME ':=' expression | expression.  With eq_check,
 * a following '=' gets CPython's hint instead of "invalid syntax". */
static TwAstExpr *named_expression(Parser *p, int eq_check)
{
    TwToken *t = peek(p);
    if (is_name(t) && peek_n(p, 1)->kind == TW_TK_COLONEQUAL) {
        advance(p);
        advance(p);
        TwAstExpr *target = name_expr(p, t, TW_CTX_STORE);
        TwAstExpr *value = target ? expression(p) : NULL;
        if (value == NULL)
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_NAMEDEXPR, t);
        if (e) {
            e->v.namedexpr.target = target;
            e->v.namedexpr.value = value;
        }
        return e;
    }
    TwAstExpr *e = expression(p);
    if (e == NULL)
        return NULL;
    if (at(p, TW_TK_COLONEQUAL) && p->fstring == 0)
        return RAISE_NODE(p, e, "cannot use assignment expressions with %s", expr_name(e));
    if (eq_check && at(p, TW_TK_EQUAL)) {
        misplaced_assignment(p, e);
        return NULL;
    }
    return e;
}

/* '*' bitwise_or, as an element of a display or an unpacking. */
static TwAstExpr *starred(Parser *p)
{
    TwToken *star = advance(p);
    TwAstExpr *v = bitwise_or(p);
    if (v == NULL)
        return NULL;
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_STARRED, star);
    if (e) {
        e->v.starred.value = v;
        e->v.starred.ctx = TW_CTX_LOAD;
    }
    return e;
}

static TwAstExpr *star_named_expression(Parser *p)
{
    if (at(p, TW_TK_STAR))
        return starred(p);
    return named_expression(p, 1);
}

static TwAstExpr *star_expression(Parser *p)
{
    if (at(p, TW_TK_STAR))
        return starred(p);
    return expression(p);
}

/* star_expressions: one expression, or a tuple without brackets. */
static TwAstExpr *star_expressions(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *first = star_expression(p);
    if (first == NULL || !at(p, TW_TK_COMMA))
        return first;
    TwAstSeq *elts = NULL;
    if (seq_append(p, &elts, first) < 0)
        return NULL;
    while (accept(p, TW_TK_COMMA)) {
        if (!starts_expression(peek(p)))
            break;
        TwAstExpr *x = star_expression(p);
        if (x == NULL || seq_append(p, &elts, x) < 0)
            return NULL;
    }
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_TUPLE, start);
    if (e) {
        e->v.tuple.elts = elts;
        e->v.tuple.ctx = TW_CTX_LOAD;
        p->bare_tuple = e;
    }
    return e;
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
static TwAstExpr *yield_expr(Parser *p)
{
    TwToken *t = advance(p);
    if (accept_kw(p, TW_KW_FROM)) {
        TwAstExpr *v = expression(p);
        if (v == NULL)
            return NULL;
        TwAstExpr *e = expr_from_tok(p, TW_EXPR_YIELDFROM, t);
        if (e)
            e->v.yieldfrom.value = v;
        return e;
    }
    TwAstExpr *v = NULL;
    if (starts_expression(peek(p))) {
        v = star_expressions(p);
        if (v == NULL)
            return NULL;
    }
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_YIELD, t);
    if (e)
        e->v.yield.value = v;
    return e;
}

/* Targets of `for` and comprehensions: bitwise_or items (so that `in`
 * ends them), a tuple when there are commas. */
static TwAstExpr *target_list(Parser *p)
{
    TwToken *start = peek(p);
    TwAstExpr *first = at(p, TW_TK_STAR) ? starred(p) : bitwise_or(p);
    if (first == NULL || !at(p, TW_TK_COMMA))
        return first;
    TwAstSeq *elts = NULL;
    if (seq_append(p, &elts, first) < 0)
        return NULL;
    while (accept(p, TW_TK_COMMA)) {
        if (!starts_expression(peek(p)))
            break;
        TwAstExpr *x = at(p, TW_TK_STAR) ? starred(p) : bitwise_or(p);
        if (x == NULL || seq_append(p, &elts, x) < 0)
            return NULL;
    }
    TwAstExpr *e = expr_from_tok(p, TW_EXPR_TUPLE, start);
    if (e) {
        e->v.tuple.elts = elts;
        p->bare_tuple = e;
    }
    return e;
}

/* for_if_clauses of a comprehension; 'for' is next. */
static TwAstSeq *comprehension_clauses(Parser *p)
{
    TwAstSeq *gens = NULL;
    while (at_kw(p, TW_KW_FOR) || at_kw(p, TW_KW_ASYNC)) {
        if (at_kw(p, TW_KW_ASYNC))
            return RAISE_TOK(p, peek(p), "asynchronous comprehensions are not supported by twinpy");
        advance(p);
        TwAstExpr *target = target_list(p);
        if (target == NULL)
            return NULL;
        if (!at_kw(p, TW_KW_IN)) {
            TwAstExpr *bad = invalid_target(target, 0);
            if (bad != NULL)
                return RAISE_NODE(p, bad, "cannot assign to %s", expr_name(bad));
            return NULL;
        }
        advance(p);
        if (make_target(p, target, 0, 0) < 0)
            return NULL;
        TwAstExpr *iter = disjunction(p);
        if (iter == NULL)
            return NULL;
        TwAstComprehension *c = alloc(p, sizeof *c);
        if (c == NULL)
            return NULL;
        c->target = target;
        c->iter = iter;
        while (accept_kw(p, TW_KW_IF)) {
            TwAstExpr *cond = disjunction(p);
            if (cond == NULL || seq_append(p, &c->ifs, cond) < 0)
                return NULL;
        }
        if (seq_append(p, &gens, c) < 0)
            return NULL;
    }
    return gens;
}

/* ---- string literals ---------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* An error in an escape sequence: CPython reports these just after the
 * literal's token. */
static int escape_error(Parser *p, const TwToken *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int escape_error(Parser *p, const TwToken *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vraise(p, &tw_exc_SyntaxError, t->end_lineno, t->end_col + 1, t->end_lineno, t->end_col + 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* Decode the literal text [s, e) of token t into b: escapes unless raw,
 * bytes-only checks when `bytes`.  body is where the literal's body
 * starts, for the positions in error messages. */
static int decode_literal(Parser *p, const TwToken *t, const char *s, const char *e, int raw,
                          int bytes, const char *body, Buf *b)
{
    if (bytes) {
        for (const char *q = s; q < e; q++)
            if ((unsigned char)*q >= 0x80) {
                RAISE_TOK(p, t, "bytes can only contain ASCII literal characters");
                return -1;
            }
    }
    while (s < e) {
        const char *bs = raw ? NULL : memchr(s, '\\', (size_t)(e - s));
        if (bs == NULL)
            return buf_put(b, s, (size_t)(e - s));
        if (buf_put(b, s, (size_t)(bs - s)) < 0)
            return -1;
        s = bs + 1;
        if (s >= e)
            return buf_put(b, "\\", 1);
        char c = *s++;
        int start = (int)(bs - body);
        uint32_t cp;
        switch (c) {
        case '\n': continue;
        case '\\': case '\'': case '"':
            if (buf_put(b, &c, 1) < 0)
                return -1;
            continue;
        case 'a': cp = 7; break;
        case 'b': cp = 8; break;
        case 'f': cp = 12; break;
        case 'n': cp = 10; break;
        case 'r': cp = 13; break;
        case 't': cp = 9; break;
        case 'v': cp = 11; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            cp = (uint32_t)(c - '0');
            for (int k = 0; k < 2 && s < e && *s >= '0' && *s <= '7'; k++)
                cp = cp * 8 + (uint32_t)(*s++ - '0');
            if (bytes) {
                char byte = (char)(cp & 0xFF);
                if (buf_put(b, &byte, 1) < 0)
                    return -1;
                continue;
            }
            break;
        case 'x': case 'u': case 'U': {
            int ndig = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (bytes && c != 'x')
                goto unknown;
            cp = 0;
            int k = 0;
            for (; k < ndig && s < e && hexval((unsigned char)*s) >= 0; k++)
                cp = cp * 16 + (uint32_t)hexval((unsigned char)*s++);
            if (k < ndig) {
                if (bytes)
                    return escape_error(p, t, "(value error) invalid \\x escape at position %d", start);
                return escape_error(p, t,
                                    "(unicode error) 'unicodeescape' codec can't decode bytes in "
                                    "position %d-%d: truncated \\%s escape",
                                    start, (int)(s - body) - 1,
                                    c == 'x' ? "xXX" : c == 'u' ? "uXXXX" : "UXXXXXXXX");
            }
            if (bytes) {
                char byte = (char)cp;
                if (buf_put(b, &byte, 1) < 0)
                    return -1;
                continue;
            }
            if (cp > 0x10FFFF)
                return escape_error(p, t,
                                    "(unicode error) 'unicodeescape' codec can't decode bytes in "
                                    "position %d-%d: illegal Unicode character",
                                    start, (int)(s - body) - 1);
            break;
        }
        case 'N':
            if (bytes)
                goto unknown;
            if (s >= e || *s != '{' || memchr(s, '}', (size_t)(e - s)) == NULL)
                return escape_error(p, t,
                                    "(unicode error) 'unicodeescape' codec can't decode bytes in "
                                    "position %d-%d: malformed \\N character escape",
                                    start, start + 1);
            return escape_error(p, t, "(unicode error) \\N{...} escapes are not supported by twinpy");
        default:
        unknown:
            /* Unknown escapes stay as written (CPython warns). */
            if (buf_put(b, "\\", 1) < 0)
                return -1;
            s--;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return escape_error(p, t,
                                "(unicode error) lone surrogate \\u%04X: surrogate code points are "
                                "not supported by twinpy", (unsigned)cp);
        if (buf_put_cp(b, cp) < 0)
            return -1;
    }
    return 0;
}

/* The span shared by the parts of a string concatenation. */
typedef struct {
    const TwToken *first, *last; /* the tokens of the whole concatenation */
    const TwToken *tok;          /* the f-string being decoded */
    int raw;
} FStr;

static TwAstExpr *fstr_node(Parser *p, const FStr *fs, TwExprKind kind)
{
    return new_expr(p, kind, fs->first->lineno, fs->first->col, fs->last->end_lineno, fs->last->end_col);
}

/* Move the literal text gathered in lit into parts as a str constant. */
static int flush_literal(Parser *p, const FStr *fs, Buf *lit, TwAstSeq **parts)
{
    if (lit->len == 0)
        return 0;
    TwObject *s = keep(p, tw_str_from_utf8(lit->data, lit->len));
    lit->len = 0;
    if (s == NULL)
        return -1;
    TwAstExpr *c = fstr_node(p, fs, TW_EXPR_CONSTANT);
    if (c == NULL)
        return -1;
    c->v.constant.value = s;
    return seq_append(p, parts, c);
}

/* The line and line start of position s inside token t. */
static void position_in_token(Parser *p, const TwToken *t, const char *s, int *lineno, const char **line_start)
{
    const char *ls = t->start;
    while (ls > p->src && ls[-1] != '\n')
        ls--;
    int l = t->lineno;
    for (const char *q = t->start; q < s; q++)
        if (*q == '\n') {
            l++;
            ls = q + 1;
        }
    *lineno = l;
    *line_start = ls;
}

/* Raise at the end of the f-string token, where CPython reports f-string errors. */
static void *fstring_error(Parser *p, const FStr *fs, const char *msg)
{
    const TwToken *t = fs->tok;
    return raise_at(p, &tw_exc_SyntaxError, t->end_lineno, t->end_col + 1, t->end_lineno,
                    t->end_col + 1, "%s", msg);
}

static const char *fstring_parts(Parser *p, FStr *fs, const char *s, const char *e, Buf *lit,
                                 TwAstSeq **parts, int spec_depth);

/* Tokenize and parse the expression of a replacement field starting at s
 * (just after '{') up to the '}', ':', '!' or '=' that ends it; *stop
 * receives that position. */
static TwAstExpr *fstring_expression(Parser *p, FStr *fs, const char *s, const char *e, const char **stop)
{
    int lineno;
    const char *line_start;
    position_in_token(p, fs->tok, s, &lineno, &line_start);
    TwTokenizer tz;
    tw_tokenizer_init_nested(&tz, s, e, lineno, line_start);
    TwToken *toks = NULL;
    int n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            TwToken *nt = realloc(toks, (size_t)cap * sizeof *nt);
            if (nt == NULL) {
                free(toks);
                tw_err_no_memory();
                p->failed = 1;
                return NULL;
            }
            toks = nt;
        }
        int kind = tw_tokenizer_next(&tz, &toks[n]);
        if (kind == TW_TK_ERROR) {
            free(toks);
            p->fstring++;
            fstring_error(p, fs, tz.err.msg);
            p->fstring--;
            return NULL;
        }
        n++;
        if (kind == TW_TK_ENDMARKER)
            break;
    }
    *stop = toks[n - 1].start;
    if (*stop >= e) {
        free(toks);
        return fstring_error(p, fs, "f-string: expecting '}'");
    }
    if (n == 1) {
        free(toks);
        return fstring_error(p, fs, **stop == '=' ? "f-string: expression required before '='"
                                                  : "f-string: empty expression not allowed");
    }
    /* Parse the field's tokens in place of the enclosing ones. */
    TwToken *save_toks = p->toks;
    int save_n = p->ntoks, save_pos = p->pos, save_max = p->maxpos;
    TwAstExpr *save_bare = p->bare_tuple;
    p->toks = toks;
    p->ntoks = n;
    p->pos = p->maxpos = 0;
    p->fstring++;
    TwAstExpr *expr = at_kw(p, TW_KW_YIELD) ? yield_expr(p) : star_expressions(p);
    if (expr != NULL && !at(p, TW_TK_ENDMARKER)) {
        missing_comma(p, expr);
        expr = NULL;
    }
    if (expr != NULL && expr->kind == TW_EXPR_STARRED)
        expr = RAISE_NODE(p, expr, "cannot use starred expression here");
    if (expr == NULL && !p->failed) {
        TwToken *t = &toks[p->maxpos];
        RAISE_TOK(p, t, "invalid syntax");
    }
    p->fstring--;
    p->toks = save_toks;
    p->ntoks = save_n;
    p->pos = save_pos;
    p->maxpos = save_max;
    p->bare_tuple = save_bare;
    free(toks);
    return expr;
}

/* One replacement field; s is just after its '{'.  Returns the position
 * after its '}', or NULL with an error raised. */
static const char *fstring_field(Parser *p, FStr *fs, const char *s, const char *e, Buf *lit,
                                 TwAstSeq **parts, int spec_depth)
{
    const char *q;
    if (enter_weighted(p, EXPR_WEIGHT) < 0)
        return NULL;
    TwAstExpr *value = fstring_expression(p, fs, s, e, &q);
    p->depth -= EXPR_WEIGHT;
    if (value == NULL)
        return NULL;
    int conversion = -1, selfdoc = 0;
    TwAstExpr *spec = NULL;
    if (*q == '=') {
        /* f"{x=}": the text of the expression, then its repr */
        q++;
        while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\f'))
            q++;
        if (buf_put(lit, s, (size_t)(q - s)) < 0)
            return NULL;
        selfdoc = 1;
    }
    if (q < e && *q == '!') {
        q++;
        if (q >= e || (*q != 's' && *q != 'r' && *q != 'a'))
            return fstring_error(p, fs, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        conversion = (unsigned char)*q++;
        if (q >= e || (*q != ':' && *q != '}'))
            return fstring_error(p, fs, "f-string: expecting '}'");
    }
    if (q < e && *q == ':') {
        if (flush_literal(p, fs, lit, parts) < 0)
            return NULL;
        TwAstSeq *sparts = NULL;
        Buf slit = {0};
        const char *close = fstring_parts(p, fs, q + 1, e, &slit, &sparts, spec_depth + 1);
        if (close != NULL && flush_literal(p, fs, &slit, &sparts) < 0)
            close = NULL;
        free(slit.data);
        if (close == NULL)
            return NULL;
        spec = fstr_node(p, fs, TW_EXPR_JOINEDSTR);
        if (spec == NULL)
            return NULL;
        spec->v.joinedstr.values = sparts ? sparts : seq_empty(p);
        q = close;
    }
    if (q >= e || *q != '}')
        return fstring_error(p, fs, "f-string: expecting '}'");
    if (selfdoc && conversion == -1 && spec == NULL)
        conversion = 'r';
    if (flush_literal(p, fs, lit, parts) < 0)
        return NULL;
    TwAstExpr *fv = fstr_node(p, fs, TW_EXPR_FORMATTEDVALUE);
    if (fv == NULL)
        return NULL;
    fv->v.formattedvalue.value = value;
    fv->v.formattedvalue.conversion = conversion;
    fv->v.formattedvalue.format_spec = spec;
    if (seq_append(p, parts, fv) < 0)
        return NULL;
    return q + 1;
}

/* The literal text and fields of an f-string body [s, e).  In a format
 * spec (spec_depth > 0) it stops at the '}' closing the field and returns
 * its position; otherwise it returns e.  NULL with an error raised. */
static const char *fstring_parts(Parser *p, FStr *fs, const char *s, const char *e, Buf *lit,
                                 TwAstSeq **parts, int spec_depth)
{
    const char *body = s;
    while (s < e) {
        char c = *s;
        if (c == '{') {
            /* '{{' is a brace, except in a format spec where it opens a
             * field that holds a dict or set display */
            if (spec_depth == 0 && s + 1 < e && s[1] == '{') {
                if (buf_put(lit, "{", 1) < 0)
                    return NULL;
                s += 2;
                continue;
            }
            if (spec_depth >= 2)
                return fstring_error(p, fs, "f-string: expressions nested too deeply");
            s = fstring_field(p, fs, s + 1, e, lit, parts, spec_depth);
            if (s == NULL)
                return NULL;
            continue;
        }
        if (c == '}') {
            if (spec_depth > 0)
                return s;
            if (s + 1 < e && s[1] == '}') {
                if (buf_put(lit, "}", 1) < 0)
                    return NULL;
                s += 2;
                continue;
            }
            return fstring_error(p, fs, "f-string: single '}' is not allowed");
        }
        /* A run of literal text, escapes included (\N{...} holds braces). */
        const char *r = s;
        while (r < e && *r != '{' && *r != '}') {
            if (*r == '\\' && !fs->raw && r + 1 < e) {
                if (r[1] == 'N' && r + 2 < e && r[2] == '{') {
                    const char *close = memchr(r, '}', (size_t)(e - r));
                    r = close ? close + 1 : e;
                    continue;
                }
                /* "\{" keeps its backslash and the brace opens a field */
                r += (r[1] == '{' || r[1] == '}') ? 1 : 2;
                continue;
            }
            r++;
        }
        if (decode_literal(p, fs->tok, s, r, fs->raw, 0, body, lit) < 0)
            return NULL;
        s = r;
    }
    return e;
}

/* One or more adjacent string literals: a str or bytes constant, or a
 * JoinedStr when any of them is an f-string. */
static TwAstExpr *strings(Parser *p)
{
    int first_index = p->pos;
    int nbytes = 0, nstr = 0, has_f = 0;
    while (at(p, TW_TK_STRING)) {
        TwToken *t = advance(p);
        if (t->str_flags & TW_STR_BYTES)
            nbytes++;
        else
            nstr++;
        if (t->str_flags & TW_STR_FORMAT)
            has_f = 1;
    }
    FStr fs = {&p->toks[first_index], prev(p), NULL, 0};
    if (nbytes && nstr) {
        TwToken *after = peek(p);
        return raise_at(p, &tw_exc_SyntaxError, after->lineno, after->col + 1, after->lineno,
                        after->col + 1, "cannot mix bytes and nonbytes literals");
    }
    Buf lit = {0};
    TwAstSeq *parts = NULL;
    TwAstExpr *result = NULL;
    int last_index = p->pos - 1;
    for (int i = first_index; i <= last_index; i++) {
        TwToken *t = &p->toks[i];
        int q = (t->str_flags & TW_STR_TRIPLE) ? 3 : 1;
        const char *body = t->start + t->prefix_len + q;
        const char *end = t->end - q;
        int raw = (t->str_flags & TW_STR_RAW) != 0;
        if (t->str_flags & TW_STR_FORMAT) {
            fs.tok = t;
            fs.raw = raw;
            if (fstring_parts(p, &fs, body, end, &lit, &parts, 0) == NULL)
                goto done;
        } else if (decode_literal(p, t, body, end, raw, nbytes > 0, body, &lit) < 0) {
            goto done;
        }
    }
    if (has_f) {
        if (flush_literal(p, &fs, &lit, &parts) < 0)
            goto done;
        result = fstr_node(p, &fs, TW_EXPR_JOINEDSTR);
        if (result)
            result->v.joinedstr.values = parts ? parts : seq_empty(p);
    } else {
        TwObject *v = nbytes ? tw_bytes_from_data(lit.data ? lit.data : "", lit.len)
                             : tw_str_from_utf8(lit.data ? lit.data : "", lit.len);
        if (keep(p, v) != NULL) {
            result = fstr_node(p, &fs, TW_EXPR_CONSTANT);
            if (result)
                result->v.constant.value = v;
        }
    }
done:
    free(lit.data);
    return result;
}

/* ---- parameters -------------------------------------------------------------------- */

static TwAstArg *new_arg(Parser *p, const TwToken *name)
{
    TwAstArg *a = alloc(p, sizeof *a);
    if (a == NULL)
        return NULL;
    a->arg = intern_tok(p, name);
    a->lineno = name->lineno;
    a->col = name->col;
    return a->arg ? a : NULL;
}

/* A parameter name with its optional annotation (def only, discarded:
 * twinpy keeps no annotations). */
static TwAstArg *param(Parser *p, int is_lambda, TwObject ***seen, int *nseen)
{
    TwToken *name = peek(p);
    if (!is_name(name))
        return NULL;
    advance(p);
    TwAstArg *a = new_arg(p, name);
    if (a == NULL)
        return NULL;
    for (int i = 0; i < *nseen; i++)
        if ((*seen)[i] == a->arg)
            return RAISE_TOK(p, name, "duplicate argument '%s' in function definition", tw_str_utf8(a->arg));
    TwObject **ns = alloc(p, (size_t)(*nseen + 1) * sizeof *ns);
    if (ns == NULL)
        return NULL;
    if (*nseen)
        memcpy(ns, *seen, (size_t)*nseen * sizeof *ns);
    ns[(*nseen)++] = a->arg;
    *seen = ns;
    if (!is_lambda && accept(p, TW_TK_COLON) && expression(p) == NULL)
        return NULL;
    return a;
}

/* The parameter list of a def (up to ')') or a lambda (up to ':'). */
static TwAstArguments *parameters(Parser *p, int is_lambda)
{
    int close = is_lambda ? TW_TK_COLON : TW_TK_RPAR;
    TwAstArguments *a = alloc(p, sizeof *a);
    if (a == NULL)
        return NULL;
    TwAstSeq *params = NULL;
    int seen_default = 0, seen_slash = 0, seen_kwarg = 0, seen_star = 0;
    TwToken *bare_star = NULL;
    TwObject **seen = NULL;
    int nseen = 0;
    while (!at(p, close)) {
        TwToken *t = peek(p);
        if (t->kind == TW_TK_SLASH) {
            if (seen_slash)
                return RAISE_TOK(p, t, "/ may appear only once");
            if (seen_star || seen_kwarg)
                return RAISE_TOK(p, t, "/ must be ahead of *");
            if (TW_SEQ_LEN(params) == 0)
                return RAISE_TOK(p, t, "at least one argument must precede /");
            advance(p);
            a->posonlyargs = params;
            params = NULL;
            seen_slash = 1;
        } else if (t->kind == TW_TK_STAR) {
            if (seen_kwarg)
                return RAISE_TOK(p, t, "arguments cannot follow var-keyword argument");
            if (seen_star)
                return RAISE_TOK(p, t, "* argument may appear only once");
            advance(p);
            seen_star = 1;
            if (is_name(peek(p))) {
                a->vararg = param(p, is_lambda, &seen, &nseen);
                if (a->vararg == NULL)
                    return NULL;
                if (at(p, TW_TK_EQUAL))
                    return RAISE_TOK(p, peek(p), "var-positional argument cannot have default value");
            } else {
                bare_star = t;
            }
        } else if (t->kind == TW_TK_DOUBLESTAR) {
            if (seen_kwarg)
                return RAISE_TOK(p, t, "arguments cannot follow var-keyword argument");
            advance(p);
            a->kwarg = param(p, is_lambda, &seen, &nseen);
            if (a->kwarg == NULL)
                return NULL;
            if (at(p, TW_TK_EQUAL))
                return RAISE_TOK(p, peek(p), "var-keyword argument cannot have default value");
            seen_kwarg = 1;
        } else if (is_name(t)) {
            if (seen_kwarg)
                return RAISE_TOK(p, t, "arguments cannot follow var-keyword argument");
            TwAstArg *arg = param(p, is_lambda, &seen, &nseen);
            if (arg == NULL)
                return NULL;
            TwAstExpr *dflt = NULL;
            if (accept(p, TW_TK_EQUAL)) {
                dflt = expression(p);
                if (dflt == NULL)
                    return NULL;
            }
            if (seen_star) {
                bare_star = NULL;
                if (seq_append(p, &a->kwonlyargs, arg) < 0 || seq_append(p, &a->kw_defaults, dflt) < 0)
                    return NULL;
            } else {
                if (dflt != NULL) {
                    seen_default = 1;
                    if (seq_append(p, &a->defaults, dflt) < 0)
                        return NULL;
                } else if (seen_default) {
                    return RAISE_TOK(p, t, "non-default argument follows default argument");
                }
                if (seq_append(p, &params, arg) < 0)
                    return NULL;
            }
        } else {
            return NULL;
        }
        if (!accept(p, TW_TK_COMMA))
            break;
    }
    if (bare_star != NULL)
        return RAISE_TOK(p, is_lambda ? peek(p) : bare_star, "named arguments must follow bare *");
    a->args = params;
    return a;
}

/* ---- statements ---------------------------------------------------------------------- */

static int statements(Parser *p, TwAstSeq **body, int toplevel);
static int simple_stmts(Parser *p, TwAstSeq **body);

/* The statement's end is that of the last statement of its last block. */
static void end_at_body(TwAstStmt *s, TwAstSeq *body)
{
    if (TW_SEQ_LEN(body) == 0)
        return;
    TwAstStmt *last = TW_SEQ_GET(body, body->n - 1);
    s->end_lineno = last->end_lineno;
    s->end_col = last->end_col;
}

/* Whether only DEDENTs and the ENDMARKER remain from token t on: an
 * error there is at the end of the file, which CPython reports without a
 * column (offset 0) when it runs a file. */
static int at_end_of_input(Parser *p, const TwToken *t)
{
    for (const TwToken *q = t; q < p->toks + p->ntoks; q++)
        if (q->kind != TW_TK_DEDENT && q->kind != TW_TK_ENDMARKER)
            return 0;
    return 1;
}

/* ':' after a compound statement's header.  `forced` gives "expected ':'"
 * whatever follows (def, try, else, finally); otherwise only before the
 * end of the line, as CPython. */
static int expect_colon(Parser *p, int forced)
{
    if (accept(p, TW_TK_COLON))
        return 0;
    if (forced || at(p, TW_TK_NEWLINE))
        RAISE_TOK(p, peek(p), "expected ':'");
    return -1;
}

/* An indented block, or simple statements on the header's line.  `what`
 * and `lineno` name the header for "expected an indented block". */
static TwAstSeq *block(Parser *p, const char *what, int lineno)
{
    TwAstSeq *body = NULL;
    if (accept(p, TW_TK_NEWLINE)) {
        if (!at(p, TW_TK_INDENT)) {
            TwToken *t = peek(p);
            if (t->kind == TW_TK_ERROR)
                return NULL;
            int zero = t->kind == TW_TK_ENDMARKER || t->kind == TW_TK_DEDENT;
            return raise_at(p, &tw_exc_IndentationError, t->lineno, at_end_of_input(p, t) ? 0 : t->col + 1,
                            t->end_lineno, zero ? -1 : t->end_col + 1,
                            "expected an indented block after %s on line %d", what, lineno);
        }
        advance(p);
        if (statements(p, &body, 0) < 0)
            return NULL;
        if (!accept(p, TW_TK_DEDENT))
            return NULL;
        return body;
    }
    if (simple_stmts(p, &body) < 0)
        return NULL;
    return body;
}

/* 'else' ':' block, when present; *orelse stays NULL otherwise. */
static int else_block(Parser *p, TwAstSeq **orelse)
{
    if (!at_kw(p, TW_KW_ELSE))
        return 0;
    TwToken *t = advance(p);
    if (expect_colon(p, 1) < 0)
        return -1;
    *orelse = block(p, "'else' statement", t->lineno);
    return *orelse ? 0 : -1;
}

/* if / elif chains: an elif is an If inside the orelse of the previous one. */
static TwAstStmt *if_stmt(Parser *p)
{
    TwToken *t = advance(p);
    const char *what = t->kw == TW_KW_IF ? "'if' statement" : "'elif' statement";
    TwAstExpr *test = named_expression(p, 1);
    if (test == NULL || expect_colon(p, 0) < 0)
        return NULL;
    TwAstSeq *body = block(p, what, t->lineno);
    if (body == NULL)
        return NULL;
    TwAstSeq *orelse = NULL;
    if (at_kw(p, TW_KW_ELIF)) {
        TwAstStmt *elif = if_stmt(p);
        if (elif == NULL || seq_append(p, &orelse, elif) < 0)
            return NULL;
    } else if (else_block(p, &orelse) < 0) {
        return NULL;
    }
    TwAstStmt *s = new_stmt(p, TW_STMT_IF, t);
    if (s == NULL)
        return NULL;
    s->v.if_.test = test;
    s->v.if_.body = body;
    s->v.if_.orelse = orelse;
    end_at_body(s, orelse ? orelse : body);
    return s;
}

static TwAstStmt *while_stmt(Parser *p)
{
    TwToken *t = advance(p);
    TwAstExpr *test = named_expression(p, 1);
    if (test == NULL || expect_colon(p, 0) < 0)
        return NULL;
    TwAstSeq *body = block(p, "'while' statement", t->lineno);
    TwAstSeq *orelse = NULL;
    if (body == NULL || else_block(p, &orelse) < 0)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_WHILE, t);
    if (s == NULL)
        return NULL;
    s->v.while_.test = test;
    s->v.while_.body = body;
    s->v.while_.orelse = orelse;
    end_at_body(s, orelse ? orelse : body);
    return s;
}

static TwAstStmt *for_stmt(Parser *p)
{
    TwToken *t = advance(p);
    TwAstExpr *target = target_list(p);
    if (target == NULL)
        return NULL;
    if (!accept_kw(p, TW_KW_IN)) {
        TwAstExpr *bad = invalid_target(target, 0);
        if (bad != NULL)
            RAISE_NODE(p, bad, "cannot assign to %s", expr_name(bad));
        return NULL;
    }
    if (make_target(p, target, 0, 0) < 0)
        return NULL;
    TwAstExpr *iter = star_expressions(p);
    if (iter == NULL || expect_colon(p, 0) < 0)
        return NULL;
    TwAstSeq *body = block(p, "'for' statement", t->lineno);
    TwAstSeq *orelse = NULL;
    if (body == NULL || else_block(p, &orelse) < 0)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_FOR, t);
    if (s == NULL)
        return NULL;
    s->v.for_.target = target;
    s->v.for_.iter = iter;
    s->v.for_.body = body;
    s->v.for_.orelse = orelse;
    end_at_body(s, orelse ? orelse : body);
    return s;
}

static TwAstStmt *try_stmt(Parser *p)
{
    TwToken *t = advance(p);
    if (expect_colon(p, 1) < 0)
        return NULL;
    TwAstSeq *body = block(p, "'try' statement", t->lineno);
    if (body == NULL)
        return NULL;
    TwAstSeq *handlers = NULL, *orelse = NULL, *finalbody = NULL;
    while (at_kw(p, TW_KW_EXCEPT)) {
        TwToken *ex = advance(p);
        if (at(p, TW_TK_STAR))
            return RAISE_TOK(p, ex, "'except*' is not supported by twinpy");
        TwAstExceptHandler *h = alloc(p, sizeof *h);
        if (h == NULL)
            return NULL;
        h->lineno = ex->lineno;
        h->col = ex->col;
        if (!at(p, TW_TK_COLON) && !at(p, TW_TK_NEWLINE)) {
            h->type = expression(p);
            if (h->type == NULL)
                return NULL;
            if (at(p, TW_TK_COMMA)) {
                /* except A, B: -- CPython's hint when B parses */
                Mark m = mark(p);
                advance(p);
                TwAstExpr *more = expression(p);
                if (more != NULL && !p->failed)
                    return raise_range(p, h->type->lineno, h->type->col, more->end_lineno, more->end_col,
                                       "multiple exception types must be parenthesized");
                reset(p, m);
                return NULL;
            }
            if (accept_kw(p, TW_KW_AS)) {
                TwToken *name = peek(p);
                if (!is_name(name))
                    return NULL;
                advance(p);
                h->name = intern_tok(p, name);
                if (h->name == NULL)
                    return NULL;
            }
        }
        if (expect_colon(p, 0) < 0)
            return NULL;
        h->body = block(p, "'except' statement", ex->lineno);
        if (h->body == NULL || seq_append(p, &handlers, h) < 0)
            return NULL;
    }
    if (handlers != NULL && else_block(p, &orelse) < 0)
        return NULL;
    if (at_kw(p, TW_KW_FINALLY)) {
        TwToken *f = advance(p);
        if (expect_colon(p, 1) < 0)
            return NULL;
        finalbody = block(p, "'finally' statement", f->lineno);
        if (finalbody == NULL)
            return NULL;
    }
    if (handlers == NULL && finalbody == NULL) {
        TwToken *n = peek(p);
        if (n->kind == TW_TK_ERROR)
            return NULL;
        int zero = n->kind == TW_TK_ENDMARKER || n->kind == TW_TK_DEDENT;
        return raise_at(p, &tw_exc_SyntaxError, n->lineno, at_end_of_input(p, n) ? 0 : n->col + 1, n->end_lineno,
                        zero ? -1 : n->end_col + 1, "expected 'except' or 'finally' block");
    }
    TwAstStmt *s = new_stmt(p, TW_STMT_TRY, t);
    if (s == NULL)
        return NULL;
    s->v.try_.body = body;
    s->v.try_.handlers = handlers;
    s->v.try_.orelse = orelse;
    s->v.try_.finalbody = finalbody;
    if (finalbody)
        end_at_body(s, finalbody);
    else if (orelse)
        end_at_body(s, orelse);
    else
        end_at_body(s, ((TwAstExceptHandler *)TW_SEQ_GET(handlers, handlers->n - 1))->body);
    return s;
}

/* with_item: expression ['as' target] */
static TwAstWithItem *with_item(Parser *p)
{
    TwAstExpr *ctx = expression(p);
    if (ctx == NULL)
        return NULL;
    TwAstWithItem *w = alloc(p, sizeof *w);
    if (w == NULL)
        return NULL;
    w->context_expr = ctx;
    if (accept_kw(p, TW_KW_AS)) {
        TwAstExpr *target = at(p, TW_TK_STAR) ? starred(p) : bitwise_or(p);
        if (target == NULL)
            return NULL;
        if (make_target(p, target, 0, 0) < 0)
            return NULL;
        w->optional_vars = target;
    }
    return w;
}

static TwAstStmt *with_stmt(Parser *p)
{
    TwToken *t = advance(p);
    TwAstSeq *items = NULL;
    int done = 0;
    if (at(p, TW_TK_LPAR)) {
        /* with (a as b, c as d): ... -- or a parenthesized expression */
        Mark m = mark(p);
        advance(p);
        int ok = 1;
        while (ok && !at(p, TW_TK_RPAR)) {
            TwAstWithItem *w = with_item(p);
            if (w == NULL || seq_append(p, &items, w) < 0)
                ok = 0;
            else if (!accept(p, TW_TK_COMMA))
                break;
        }
        if (ok && items != NULL && accept(p, TW_TK_RPAR) && at(p, TW_TK_COLON) && !p->failed) {
            done = 1;
        } else {
            reset(p, m);
            items = NULL;
        }
    }
    if (!done) {
        do {
            TwAstWithItem *w = with_item(p);
            if (w == NULL || seq_append(p, &items, w) < 0)
                return NULL;
        } while (accept(p, TW_TK_COMMA));
    }
    if (expect_colon(p, 0) < 0)
        return NULL;
    TwAstSeq *body = block(p, "'with' statement", t->lineno);
    if (body == NULL)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_WITH, t);
    if (s == NULL)
        return NULL;
    s->v.with.items = items;
    s->v.with.body = body;
    end_at_body(s, body);
    return s;
}

static TwAstStmt *funcdef(Parser *p, TwAstSeq *decorators)
{
    TwToken *t = advance(p);
    TwToken *name = peek(p);
    if (!is_name(name))
        return NULL;
    advance(p);
    if (!at(p, TW_TK_LPAR))
        return RAISE_TOK(p, peek(p), "expected '('");
    advance(p);
    TwAstArguments *args = parameters(p, 0);
    if (args == NULL || !accept(p, TW_TK_RPAR))
        return NULL;
    if (accept(p, TW_TK_RARROW) && expression(p) == NULL)
        return NULL;
    if (expect_colon(p, 1) < 0)
        return NULL;
    TwAstSeq *body = block(p, "function definition", t->lineno);
    if (body == NULL)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_FUNCTIONDEF, t);
    if (s == NULL)
        return NULL;
    s->v.functiondef.name = intern_tok(p, name);
    s->v.functiondef.args = args;
    s->v.functiondef.body = body;
    s->v.functiondef.decorators = decorators;
    end_at_body(s, body);
    return s->v.functiondef.name ? s : NULL;
}

static TwAstStmt *classdef(Parser *p, TwAstSeq *decorators)
{
    TwToken *t = advance(p);
    TwToken *name = peek(p);
    if (!is_name(name))
        return NULL;
    advance(p);
    TwAstSeq *bases = NULL, *keywords = NULL;
    if (at(p, TW_TK_LPAR) && call_arguments(p, &bases, &keywords, 0) < 0)
        return NULL;
    if (expect_colon(p, 0) < 0)
        return NULL;
    TwAstSeq *body = block(p, "class definition", t->lineno);
    if (body == NULL)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_CLASSDEF, t);
    if (s == NULL)
        return NULL;
    s->v.classdef.name = intern_tok(p, name);
    s->v.classdef.bases = bases;
    s->v.classdef.keywords = keywords;
    s->v.classdef.body = body;
    s->v.classdef.decorators = decorators;
    end_at_body(s, body);
    return s->v.classdef.name ? s : NULL;
}

/* "'async def' is not supported by twinpy" and the like. */
static void *async_unsupported(Parser *p)
{
    TwToken *t = peek(p);
    TwToken *n = peek_n(p, 1);
    const char *what = is_kw(n, TW_KW_DEF) ? "'async def'" : is_kw(n, TW_KW_FOR) ? "'async for'"
                     : is_kw(n, TW_KW_WITH) ? "'async with'" : "'async'";
    return raise_range(p, t->lineno, t->col, n->end_lineno, n->end_col, "%s is not supported by twinpy", what);
}

static TwAstStmt *decorated(Parser *p)
{
    TwAstSeq *decorators = NULL;
    while (accept(p, TW_TK_AT)) {
        TwAstExpr *d = named_expression(p, 0);
        if (d == NULL || !accept(p, TW_TK_NEWLINE) || seq_append(p, &decorators, d) < 0)
            return NULL;
    }
    if (at_kw(p, TW_KW_DEF))
        return funcdef(p, decorators);
    if (at_kw(p, TW_KW_CLASS))
        return classdef(p, decorators);
    if (at_kw(p, TW_KW_ASYNC))
        return async_unsupported(p);
    return NULL;
}

/* A dotted module name a.b.c as one interned str; *last receives its last
 * token. */
static TwObject *dotted_name(Parser *p)
{
    TwToken *first = peek(p);
    if (!is_name(first))
        return NULL;
    advance(p);
    while (at(p, TW_TK_DOT) && is_name(peek_n(p, 1))) {
        advance(p);
        advance(p);
    }
    if (at(p, TW_TK_DOT))
        return NULL;
    /* The tokens are adjacent apart from blanks: rebuild the text. */
    Buf b = {0};
    for (TwToken *t = first; t <= prev(p); t++)
        if (buf_put(&b, t->start, (size_t)(t->end - t->start)) < 0) {
            free(b.data);
            p->failed = 1;
            return NULL;
        }
    TwObject *r = intern_text(p, b.data, b.len);
    free(b.data);
    return r;
}

static TwAstAlias *alias(Parser *p, TwObject *name)
{
    TwAstAlias *a = alloc(p, sizeof *a);
    if (a == NULL)
        return NULL;
    a->name = name;
    if (accept_kw(p, TW_KW_AS)) {
        TwToken *as = peek(p);
        if (!is_name(as))
            return NULL;
        advance(p);
        a->asname = intern_tok(p, as);
        if (a->asname == NULL)
            return NULL;
    }
    return a;
}

static TwAstStmt *import_stmt(Parser *p)
{
    TwToken *t = advance(p);
    TwAstSeq *names = NULL;
    do {
        TwObject *name = dotted_name(p);
        TwAstAlias *a = name ? alias(p, name) : NULL;
        if (a == NULL || seq_append(p, &names, a) < 0)
            return NULL;
    } while (accept(p, TW_TK_COMMA));
    TwAstStmt *s = new_stmt(p, TW_STMT_IMPORT, t);
    if (s)
        s->v.import.names = names;
    return s;
}

static TwAstStmt *from_import_stmt(Parser *p)
{
    TwToken *t = advance(p);
    int level = 0;
    for (;;) {
        if (accept(p, TW_TK_DOT))
            level++;
        else if (accept(p, TW_TK_ELLIPSIS))
            level += 3;
        else
            break;
    }
    TwObject *module = NULL;
    if (!at_kw(p, TW_KW_IMPORT)) {
        module = dotted_name(p);
        if (module == NULL)
            return NULL;
    }
    if (!accept_kw(p, TW_KW_IMPORT))
        return NULL;
    TwAstSeq *names = NULL;
    if (at(p, TW_TK_STAR)) {
        advance(p);
        TwAstAlias *a = alias(p, intern_text(p, "*", 1));
        if (a == NULL || seq_append(p, &names, a) < 0)
            return NULL;
    } else {
        int paren = accept(p, TW_TK_LPAR) != NULL;
        for (;;) {
            TwToken *n = peek(p);
            if (!is_name(n))
                return NULL;
            advance(p);
            TwObject *name = intern_tok(p, n);
            TwAstAlias *a = name ? alias(p, name) : NULL;
            if (a == NULL || seq_append(p, &names, a) < 0)
                return NULL;
            if (!accept(p, TW_TK_COMMA))
                break;
            if (paren && at(p, TW_TK_RPAR))
                break;
            if (!paren && at(p, TW_TK_NEWLINE)) {
                TwToken *nl = peek(p);
                return raise_at(p, &tw_exc_SyntaxError, nl->lineno, nl->col + 1, nl->lineno, nl->col + 1,
                                "trailing comma not allowed without surrounding parentheses");
            }
        }
        if (paren && !accept(p, TW_TK_RPAR))
            return NULL;
    }
    TwAstStmt *s = new_stmt(p, TW_STMT_IMPORTFROM, t);
    if (s) {
        s->v.importfrom.module = module;
        s->v.importfrom.names = names;
        s->v.importfrom.level = level;
    }
    return s;
}

/* global / nonlocal NAME (',' NAME)* */
static TwAstStmt *global_stmt(Parser *p)
{
    TwToken *t = advance(p);
    TwAstSeq *names = NULL;
    do {
        TwToken *n = peek(p);
        if (!is_name(n))
            return NULL;
        advance(p);
        TwObject *name = intern_tok(p, n);
        if (name == NULL || seq_append(p, &names, name) < 0)
            return NULL;
    } while (accept(p, TW_TK_COMMA));
    TwAstStmt *s = new_stmt(p, t->kw == TW_KW_GLOBAL ? TW_STMT_GLOBAL : TW_STMT_NONLOCAL, t);
    if (s)
        s->v.global.names = names;
    return s;
}

static TwAstStmt *del_stmt(Parser *p)
{
    TwToken *t = advance(p);
    if (!starts_expression(peek(p)))
        return NULL;
    TwAstExpr *e = star_expressions(p);
    if (e == NULL)
        return NULL;
    TwAstSeq *targets = NULL;
    if (e == p->bare_tuple) {
        targets = e->v.tuple.elts;
    } else if (seq_append(p, &targets, e) < 0) {
        return NULL;
    }
    for (intptr_t i = 0; i < TW_SEQ_LEN(targets); i++)
        if (make_target(p, TW_SEQ_GET(targets, i), 1, 0) < 0)
            return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_DELETE, t);
    if (s)
        s->v.delete_.targets = targets;
    return s;
}

/* Augmented assignment operators. */
static int augassign_op(const TwToken *t)
{
    switch (t->kind) {
    case TW_TK_PLUSEQUAL: return TW_OP_ADD;
    case TW_TK_MINEQUAL: return TW_OP_SUB;
    case TW_TK_STAREQUAL: return TW_OP_MUL;
    case TW_TK_ATEQUAL: return TW_OP_MATMUL;
    case TW_TK_SLASHEQUAL: return TW_OP_DIV;
    case TW_TK_PERCENTEQUAL: return TW_OP_MOD;
    case TW_TK_AMPEREQUAL: return TW_OP_BITAND;
    case TW_TK_VBAREQUAL: return TW_OP_BITOR;
    case TW_TK_CIRCUMFLEXEQUAL: return TW_OP_BITXOR;
    case TW_TK_LEFTSHIFTEQUAL: return TW_OP_LSHIFT;
    case TW_TK_RIGHTSHIFTEQUAL: return TW_OP_RSHIFT;
    case TW_TK_DOUBLESTAREQUAL: return TW_OP_POW;
    case TW_TK_DOUBLESLASHEQUAL: return TW_OP_FLOORDIV;
    default: return -1;
    }
}

/* The right-hand side of an assignment: yield_expr | star_expressions. */
static TwAstExpr *assigned_value(Parser *p)
{
    return at_kw(p, TW_KW_YIELD) ? yield_expr(p) : star_expressions(p);
}

/* Whether CPython adds "Maybe you meant '=='" for invalid target `bad`
 * of `first = value`: bad is the whole first target or the last item of a
 * bare tuple, an operand-level expression, and the value starts like one. */
static int wants_eq_hint(TwAstExpr *first, int first_bare, TwAstExpr *bad, const TwToken *rhs)
{
    if (bad != first) {
        if (!first_bare || TW_SEQ_GET(first->v.tuple.elts, first->v.tuple.elts->n - 1) != bad)
            return 0;
    }
    switch (bad->kind) {
    case TW_EXPR_BOOLOP: case TW_EXPR_COMPARE: case TW_EXPR_IFEXP: case TW_EXPR_LAMBDA:
    case TW_EXPR_NAMEDEXPR: case TW_EXPR_STARRED: case TW_EXPR_GENEXP:
        return 0;
    case TW_EXPR_UNARYOP:
        if (bad->v.unaryop.op == TW_UOP_NOT)
            return 0;
        break;
    case TW_EXPR_CONSTANT:
        if (bad->v.constant.value == TW_TRUE || bad->v.constant.value == TW_FALSE ||
            bad->v.constant.value == TW_NONE)
            return 0;
        break;
    default:
        break;
    }
    return !(is_kw(rhs, TW_KW_YIELD) || is_kw(rhs, TW_KW_LAMBDA) || is_kw(rhs, TW_KW_NOT) ||
             is_kw(rhs, TW_KW_AWAIT) || rhs->kind == TW_TK_STAR);
}

/* A starred expression alone where a value is needed (`x = *a`). */
static int check_value(Parser *p, TwAstExpr *value)
{
    if (value->kind == TW_EXPR_STARRED) {
        RAISE_NODE(p, value, "can't use starred expression here");
        return -1;
    }
    return 0;
}

/* Expression statements and assignments of every kind. */
static TwAstStmt *expr_stmt(Parser *p)
{
    TwToken *start = peek(p);
    /* Python 2's print statement gets CPython's hint. */
    if (is_name(start) &&
        ((start->end - start->start == 5 && memcmp(start->start, "print", 5) == 0) ||
         (start->end - start->start == 4 && memcmp(start->start, "exec", 4) == 0))) {
        TwToken *n = peek_n(p, 1);
        if (starts_expression(n) && n->kind != TW_TK_LPAR && n->kind != TW_TK_LSQB &&
            n->kind != TW_TK_MINUS && n->kind != TW_TK_PLUS && n->kind != TW_TK_STAR &&
            n->kind != TW_TK_TILDE && !is_kw(n, TW_KW_NOT)) {
            Mark m = mark(p);
            advance(p);
            TwAstExpr *rest = star_expressions(p);
            if (rest != NULL && !p->failed && (at(p, TW_TK_NEWLINE) || at(p, TW_TK_SEMI))) {
                int len = (int)(start->end - start->start);
                return raise_range(p, start->lineno, start->col, rest->end_lineno, rest->end_col,
                                   "Missing parentheses in call to '%.*s'. Did you mean %.*s(...)?",
                                   len, start->start, len, start->start);
            }
            reset(p, m);
        }
    }
    TwAstExpr *e = assigned_value(p);
    if (e == NULL)
        return NULL;
    int e_bare = e == p->bare_tuple;
    if (at(p, TW_TK_EQUAL)) {
        TwAstSeq *targets = NULL, *starts = NULL;
        if (seq_append(p, &targets, e) < 0 || seq_append(p, &starts, start) < 0)
            return NULL;
        TwAstExpr *value;
        const TwToken *rhs;
        for (;;) {
            advance(p);
            rhs = peek(p);
            value = assigned_value(p);
            if (value == NULL)
                return NULL;
            if (!at(p, TW_TK_EQUAL))
                break;
            if (seq_append(p, &targets, value) < 0 || seq_append(p, &starts, (void *)rhs) < 0)
                return NULL;
        }
        for (intptr_t i = 0; i < targets->n; i++) {
            TwAstExpr *target = TW_SEQ_GET(targets, i);
            /* `x = yield = 1`; a bracketed (yield) is an operand like any other */
            if ((target->kind == TW_EXPR_YIELD || target->kind == TW_EXPR_YIELDFROM) &&
                ((TwToken *)TW_SEQ_GET(starts, i))->kind != TW_TK_LPAR)
                return RAISE_NODE(p, target, "assignment to yield expression not possible");
            TwAstExpr *bad = invalid_target(target, 0);
            int hint = bad != NULL && i == 0 && targets->n == 1 && wants_eq_hint(e, e_bare, bad, rhs);
            if (make_target(p, target, 0, hint) < 0)
                return NULL;
        }
        if (check_value(p, value) < 0)
            return NULL;
        TwAstStmt *s = new_stmt(p, TW_STMT_ASSIGN, start);
        if (s) {
            s->v.assign.targets = targets;
            s->v.assign.value = value;
        }
        return s;
    }
    int op = augassign_op(peek(p));
    if (op >= 0) {
        if (e->kind != TW_EXPR_NAME && e->kind != TW_EXPR_ATTRIBUTE && e->kind != TW_EXPR_SUBSCRIPT)
            return RAISE_NODE(p, e, "'%s' is an illegal expression for augmented assignment", expr_name(e));
        if (make_target(p, e, 0, 0) < 0)
            return NULL;
        advance(p);
        TwAstExpr *value = assigned_value(p);
        if (value == NULL || check_value(p, value) < 0)
            return NULL;
        TwAstStmt *s = new_stmt(p, TW_STMT_AUGASSIGN, start);
        if (s) {
            s->v.augassign.target = e;
            s->v.augassign.op = (TwBinOp)op;
            s->v.augassign.value = value;
        }
        return s;
    }
    if (at(p, TW_TK_COLON)) {
        if (e->kind == TW_EXPR_TUPLE)
            return RAISE_NODE(p, e_bare ? (TwAstExpr *)TW_SEQ_GET(e->v.tuple.elts, 0) : e,
                              "only single target (not tuple) can be annotated");
        if (e->kind == TW_EXPR_LIST)
            return RAISE_NODE(p, e, "only single target (not list) can be annotated");
        if (e->kind != TW_EXPR_NAME && e->kind != TW_EXPR_ATTRIBUTE && e->kind != TW_EXPR_SUBSCRIPT)
            return RAISE_NODE(p, e, "illegal target for annotation");
        if (make_target(p, e, 0, 0) < 0)
            return NULL;
        advance(p);
        TwAstExpr *annotation = expression(p);
        if (annotation == NULL)
            return NULL;
        TwAstExpr *value = NULL;
        if (accept(p, TW_TK_EQUAL)) {
            value = assigned_value(p);
            if (value == NULL)
                return NULL;
        }
        TwAstStmt *s = new_stmt(p, TW_STMT_ANNASSIGN, start);
        if (s) {
            s->v.annassign.target = e;
            s->v.annassign.annotation = annotation;
            s->v.annassign.value = value;
            s->v.annassign.simple = e->kind == TW_EXPR_NAME && start->kind != TW_TK_LPAR;
        }
        return s;
    }
    if (check_value(p, e) < 0)
        return NULL;
    TwAstStmt *s = new_stmt(p, TW_STMT_EXPR, start);
    if (s)
        s->v.expr.value = e;
    return s;
}

/* Whether the logical line starting at the current token ends with ':'
 * (no simple statement does): used to recognise `match x:`. */
static int line_ends_with_colon(Parser *p)
{
    for (int i = p->pos; i < p->ntoks; i++) {
        TwToken *t = &p->toks[i];
        if (t->kind == TW_TK_NEWLINE)
            return i > p->pos && p->toks[i - 1].kind == TW_TK_COLON;
        if (t->kind == TW_TK_ENDMARKER || t->kind == TW_TK_ERROR)
            return 0;
    }
    return 0;
}

static TwAstStmt *simple_stmt(Parser *p)
{
    TwToken *t = peek(p);
    if (t->kind == TW_TK_NAME) {
        switch (t->kw) {
        case TW_KW_PASS: case TW_KW_BREAK: case TW_KW_CONTINUE: {
            advance(p);
            TwStmtKind k = t->kw == TW_KW_PASS ? TW_STMT_PASS : t->kw == TW_KW_BREAK ? TW_STMT_BREAK
                                                                                  : TW_STMT_CONTINUE;
            return new_stmt(p, k, t);
        }
        case TW_KW_RETURN: {
            advance(p);
            TwAstExpr *v = NULL;
            if (starts_expression(peek(p)) && (v = star_expressions(p)) == NULL)
                return NULL;
            TwAstStmt *s = new_stmt(p, TW_STMT_RETURN, t);
            if (s)
                s->v.return_.value = v;
            return s;
        }
        case TW_KW_RAISE: {
            advance(p);
            TwAstExpr *exc = NULL, *cause = NULL;
            if (starts_expression(peek(p))) {
                exc = expression(p);
                if (exc == NULL)
                    return NULL;
                if (accept_kw(p, TW_KW_FROM) && (cause = expression(p)) == NULL)
                    return NULL;
            }
            TwAstStmt *s = new_stmt(p, TW_STMT_RAISE, t);
            if (s) {
                s->v.raise.exc = exc;
                s->v.raise.cause = cause;
            }
            return s;
        }
        case TW_KW_GLOBAL: case TW_KW_NONLOCAL:
            return global_stmt(p);
        case TW_KW_DEL:
            return del_stmt(p);
        case TW_KW_ASSERT: {
            advance(p);
            TwAstExpr *test = expression(p), *msg = NULL;
            if (test == NULL)
                return NULL;
            if (accept(p, TW_TK_COMMA) && (msg = expression(p)) == NULL)
                return NULL;
            TwAstStmt *s = new_stmt(p, TW_STMT_ASSERT, t);
            if (s) {
                s->v.assert_.test = test;
                s->v.assert_.msg = msg;
            }
            return s;
        }
        case TW_KW_IMPORT:
            return import_stmt(p);
        case TW_KW_FROM:
            return from_import_stmt(p);
        case 0:
            if (t->end - t->start == 5 && memcmp(t->start, "match", 5) == 0 && line_ends_with_colon(p))
                return RAISE_TOK(p, t, "'match' statement is not supported by twinpy");
            if (t->end - t->start == 4 && memcmp(t->start, "type", 4) == 0 && is_name(peek_n(p, 1)) &&
                (peek_n(p, 2)->kind == TW_TK_EQUAL || peek_n(p, 2)->kind == TW_TK_LSQB))
                return RAISE_TOK(p, t, "'type' alias statement is not supported by twinpy");
            break;
        default:
            break;
        }
    }
    return expr_stmt(p);
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static int simple_stmts(Parser *p, TwAstSeq **body)
{
    for (;;) {
        TwAstStmt *s = simple_stmt(p);
        if (s == NULL || seq_append(p, body, s) < 0)
            return -1;
        if (!accept(p, TW_TK_SEMI) || at(p, TW_TK_NEWLINE))
            break;
    }
    return accept(p, TW_TK_NEWLINE) ? 0 : -1;
}

/* One statement line: a compound statement or simple statements. */
static int statement(Parser *p, TwAstSeq **body)
{
    TwToken *t = peek(p);
    TwAstStmt *s = NULL;
    if (t->kind == TW_TK_AT) {
        s = decorated(p);
    } else if (t->kind == TW_TK_NAME) {
        switch (t->kw) {
        case TW_KW_IF: s = if_stmt(p); break;
        case TW_KW_WHILE: s = while_stmt(p); break;
        case TW_KW_FOR: s = for_stmt(p); break;
        case TW_KW_TRY: s = try_stmt(p); break;
        case TW_KW_WITH: s = with_stmt(p); break;
        case TW_KW_DEF: s = funcdef(p, NULL); break;
        case TW_KW_CLASS: s = classdef(p, NULL); break;
        case TW_KW_ASYNC: return async_unsupported(p), -1;
        default: return simple_stmts(p, body);
        }
    } else {
        return simple_stmts(p, body);
    }
    if (s == NULL)
        return -1;
    return seq_append(p, body, s);
}

static int statements(Parser *p, TwAstSeq **body, int toplevel)
{
    for (;;) {
        int k = peek(p)->kind;
        if (toplevel ? k == TW_TK_ENDMARKER : (k == TW_TK_DEDENT || k == TW_TK_ENDMARKER))
            return 0;
        if (enter_weighted(p, EXPR_WEIGHT) < 0)
            return -1;
        int r = statement(p, body);
        p->depth -= EXPR_WEIGHT;
        if (r < 0)
            return -1;
    }
}

/* ---- entry points -------------------------------------------------------------------- */

/* The offset of the first byte that is not part of well-formed UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF included), or
 * -1 when all of s is valid. */
static intptr_t invalid_utf8_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t min;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return (intptr_t)i;
        }
        if (i + len > n)
            return (intptr_t)i;
        uint32_t cp = c & (0xFF >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return (intptr_t)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (intptr_t)i;
        i += len;
    }
    return -1;
}

static int line_number_at(const char *src, const char *p)
{
    int l = 1;
    for (const char *q = src; q < p; q++)
        if (*q == '\n')
            l++;
    return l;
}

/* Check and normalise the source: a UTF-8 BOM is skipped, NUL bytes and
 * malformed UTF-8 are SyntaxErrors, and "\r\n" / "\r" line ends become
 * "\n".  *copy receives a malloc'ed normalised copy when one was needed. */
static int prepare_source(const char *source, size_t n, const char *filename, const char **src,
                          size_t *len, char **copy)
{
    *copy = NULL;
    if (n >= 3 && memcmp(source, "\xEF\xBB\xBF", 3) == 0) {
        source += 3;
        n -= 3;
    }
    const char *nul = memchr(source, '\0', n);
    if (nul != NULL) {
        const char *ls = nul;
        while (ls > source && ls[-1] != '\n')
            ls--;
        char *text = malloc((size_t)(nul - ls) + 1);
        if (text == NULL) {
            tw_err_no_memory();
            return -1;
        }
        memcpy(text, ls, (size_t)(nul - ls));
        text[nul - ls] = '\0';
        int line = line_number_at(source, nul);
        TwObject *e = syntax_error_new(&tw_exc_SyntaxError, "source code cannot contain null bytes",
                                       filename, line, 0, line, 0,
                                       invalid_utf8_at((const unsigned char *)text, strlen(text)) < 0 ? text : NULL,
                                       strlen(text));
        free(text);
        if (e != NULL)
            tw_err_restore(e);
        return -1;
    }
    intptr_t bad = invalid_utf8_at((const unsigned char *)source, n);
    if (bad >= 0) {
        char msg[512];
        snprintf(msg, sizeof msg,
                 "Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, but no encoding "
                 "declared; see https://peps.python.org/pep-0263/ for details",
                 (unsigned char)source[bad], filename, line_number_at(source, source + bad));
        tw_syntax_error_set(&tw_exc_SyntaxError, msg, filename, 0, 0, 0, 0, NULL);
        return -1;
    }
    if (memchr(source, '\r', n) != NULL) {
        char *c = malloc(n + 1);
        if (c == NULL) {
            tw_err_no_memory();
            return -1;
        }
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (source[i] == '\r') {
                c[k++] = '\n';
                if (i + 1 < n && source[i + 1] == '\n')
                    i++;
            } else {
                c[k++] = source[i];
            }
        }
        *copy = c;
        source = c;
        n = k;
    }
    *src = source;
    *len = n;
    return 0;
}

/* Tokenize all of [src, src + n) into p->toks, ending with ENDMARKER or
 * with an ERROR token whose details go to p->tokerr. */
static int tokenize_all(Parser *p, const char *src, size_t n)
{
    TwTokenizer *tz = malloc(sizeof *tz);
    if (tz == NULL) {
        tw_err_no_memory();
        return -1;
    }
    tw_tokenizer_init(tz, src, n);
    int cap = 256;
    p->toks = malloc((size_t)cap * sizeof(TwToken));
    p->ntoks = 0;
    for (;;) {
        if (p->toks == NULL) {
            free(tz);
            tw_err_no_memory();
            return -1;
        }
        if (p->ntoks == cap) {
            cap *= 2;
            TwToken *nt = realloc(p->toks, (size_t)cap * sizeof(TwToken));
            if (nt == NULL)
                free(p->toks);
            p->toks = nt;
            continue;
        }
        TwToken *t = &p->toks[p->ntoks];
        int kind = tw_tokenizer_next(tz, t);
        if (kind == TW_TK_ERROR)
            p->tokerr = tz->err;
        p->ntoks++;
        if (kind == TW_TK_ENDMARKER || kind == TW_TK_ERROR)
            break;
    }
    free(tz);
    return 0;
}

/* After a failed parse: raise "invalid syntax" (or "unexpected indent")
 * where the parser stopped unless a specific error was raised, then let a
 * tokenizer error further on take precedence, as CPython does. */
static void report_failure(Parser *p)
{
    int last = p->ntoks - 1;
    if (p->maxpos > last)
        p->maxpos = last;
    TwToken *t = &p->toks[p->maxpos];
    if (!p->failed) {
        if (t->kind == TW_TK_ERROR) {
            raise_tokenizer_error(p);
            return;
        }
        if (t->kind == TW_TK_INDENT)
            raise_at(p, &tw_exc_IndentationError, t->lineno, t->end_col, t->lineno, -1, "unexpected indent");
        else if (t->kind == TW_TK_DEDENT)
            raise_at(p, &tw_exc_IndentationError, t->lineno, t->col + 1, t->lineno, -1, "unexpected unindent");
        else
            raise_at(p, &tw_exc_SyntaxError, t->lineno, t->col + 1, t->end_lineno, t->end_col + 1,
                     "invalid syntax");
    }
    if (p->toks[last].kind == TW_TK_ERROR && p->maxpos < last && tw_err_matches(&tw_exc_SyntaxError)) {
        if (p->tokerr.kind == TW_TOKERR_EOF_IN_PAREN && p->tokerr.lineno >= t->lineno)
            return;
        tw_err_clear();
        p->failed = 0;
        raise_tokenizer_error(p);
    }
}

static int parse_prepare(Parser *p, const char *source, size_t n, const char *filename,
                         TwAstModule *out, char **copy)
{
    memset(p, 0, sizeof *p);
    out->arena = NULL;
    out->body = NULL;
    p->filename = filename ? filename : "<string>";
    const char *src;
    size_t len;
    if (prepare_source(source, n, p->filename, &src, &len, copy) < 0)
        return -1;
    p->src = src;
    p->src_end = src + len;
    p->arena = tw_arena_new();
    if (p->arena == NULL)
        return -1;
    if (tokenize_all(p, src, len) < 0) {
        tw_arena_free(p->arena);
        p->arena = NULL;
        return -1;
    }
    return 0;
}

/* Finish a parse: on failure raise the right error and drop the arena. */
static int parse_finish(Parser *p, int ok, TwAstModule *out, char *copy)
{
    if (!ok) {
        if (!p->failed || !tw_err_occurred() || tw_err_matches(&tw_exc_SyntaxError))
            report_failure(p);
        tw_arena_free(p->arena);
        p->arena = NULL;
    }
    free(p->toks);
    free(copy);
    out->arena = p->arena;
    return ok ? 0 : -1;
}

int tw_parse_module(const char *source, size_t n, const char *filename, TwAstModule *out)
{
    Parser p;
    char *copy = NULL;
    if (parse_prepare(&p, source, n, filename, out, &copy) < 0) {
        free(copy);
        return -1;
    }
    TwAstSeq *body = seq_empty(&p);
    int ok = body != NULL && statements(&p, &body, 1) == 0 && !p.failed;
    if (ok)
        out->body = body;
    return parse_finish(&p, ok, out, copy);
}

int tw_parse_expression(const char *source, size_t n, const char *filename, TwAstModule *out,
                        TwAstExpr **expr)
{
    /* eval() ignores leading blanks. */
    while (n > 0 && (*source == ' ' || *source == '\t')) {
        source++;
        n--;
    }
    Parser p;
    char *copy = NULL;
    *expr = NULL;
    if (parse_prepare(&p, source, n, filename, out, &copy) < 0) {
        free(copy);
        return -1;
    }
    TwAstExpr *e = star_expressions(&p);
    while (e != NULL && accept(&p, TW_TK_NEWLINE))
        ;
    int ok = e != NULL && at(&p, TW_TK_ENDMARKER) && !p.failed;
    if (ok)
        *expr = e;
    return parse_finish(&p, ok, out, copy);
}
