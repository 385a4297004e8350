/* Traceback objects and the printing of uncaught exceptions.
 *
 * A traceback entry records a frame an exception passed through: its code
 * object and instruction (the line is computed once, when the entry is
 * made).  The eval loop prepends an entry as the exception enters each
 * frame, so the chain runs from the outermost frame to the one that
 * raised, which is the order CPython prints.
 *
 * Printing follows CPython 3.11's layout, without the ^^^ position
 * markers: the chain of causes and contexts first, then for each
 * exception "Traceback (most recent call last):", one
 *     File "x.py", line N, in f
 *         <the source line>
 * per entry (runs of more than three identical entries are summarised as
 * "[Previous line repeated N more times]"), and "Type: message".
 * Entries are immutable after creation. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/builtins.h"
#include "core/eval.h"
#include "core/opcode.h"
#include "core/parser.h"
#include "core/tstate.h"
#include "core/typeobject.h"
#include <twinpy/abstract.h>

/* ---- the traceback type ------------------------------------------------------------------- */

int tw_traceback_add(TwObject *exc, TwCodeObject *code, int lasti)
{
    if (!tw_exception_check(exc))
        return 0;
    TwTracebackObject *tb = (TwTracebackObject *)tw_object_new(&tw_traceback_type, 0);
    if (tb == NULL)
        return -1;
    tb->tb_next = (TwTracebackObject *)tw_exception_get_traceback(exc);
    if (tb->tb_next != NULL && TW_TYPE(tb->tb_next) != &tw_traceback_type)
        TW_CLEAR(tb->tb_next);
    tb->code = (TwCodeObject *)tw_newref((TwObject *)code);
    tb->lasti = lasti;
    tb->lineno = tw_code_addr2line(code, lasti < 0 ? 0 : lasti);
    tw_exception_set_traceback(exc, (TwObject *)tb);
    tw_decref((TwObject *)tb);
    return 0;
}

static void traceback_dealloc(TwObject *op)
{
    /* Long chains are freed iteratively, not by recursion. */
    TwTracebackObject *tb = (TwTracebackObject *)op;
    TwTracebackObject *next = tb->tb_next;
    tb->tb_next = NULL;
    TW_CLEAR(tb->code);
    tw_object_free(op);
    while (next != NULL) {
        if (!tw_is_immortal((TwObject *)next) && tw_refcount((TwObject *)next) == 1) {
            TwTracebackObject *n2 = next->tb_next;
            next->tb_next = NULL;
            tw_decref((TwObject *)next);
            next = n2;
        } else {
            tw_decref((TwObject *)next);
            break;
        }
    }
}

static TwObject *tb_get_next(TwObject *op, void *c)
{
    TwObject *n = (TwObject *)((TwTracebackObject *)op)->tb_next;
    return tw_newref(n ? n : TW_NONE);
}
static TwObject *tb_get_lineno(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwTracebackObject *)op)->lineno);
}
static TwObject *tb_get_lasti(TwObject *op, void *c)
{
    return tw_int_from_i64(((TwTracebackObject *)op)->lasti);
}
static TwObject *tb_get_code(TwObject *op, void *c)
{
    return tw_newref((TwObject *)((TwTracebackObject *)op)->code);
}
static TwObject *tb_get_frame(TwObject *op, void *c)
{
    return tw_newref(TW_NONE);
}

static const TwGetSetDef tb_getset[] = {
    {"tb_next", tb_get_next, NULL, NULL},   {"tb_lineno", tb_get_lineno, NULL, NULL},
    {"tb_lasti", tb_get_lasti, NULL, NULL}, {"tb_code", tb_get_code, NULL, NULL},
    {"tb_frame", tb_get_frame, NULL, NULL}, {NULL, NULL, NULL, NULL},
};

TwType tw_traceback_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "traceback",
    .tp_basicsize = sizeof(TwTracebackObject),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = traceback_dealloc,
    .tp_getset = tb_getset,
};

/* ---- text buffer ---------------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t n, cap;
} Out;

static void out_add(Out *o, const char *s, size_t n)
{
    if (o->n + n + 1 > o->cap) {
        size_t cap = (o->cap + n + 1) * 2;
        char *p = realloc(o->buf, cap);
        if (p == NULL)
            return;
        o->buf = p;
        o->cap = cap;
    }
    memcpy(o->buf + o->n, s, n);
    o->n += n;
    o->buf[o->n] = '\0';
}

static void out_str(Out *o, const char *s)
{
    out_add(o, s, strlen(s));
}

static void out_fmt(Out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void out_fmt(Out *o, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    out_add(o, small, (size_t)n < sizeof small ? (size_t)n : sizeof small - 1);
}

static void out_flush(Out *o)
{
    if (o->n > 0)
        tw_sys_write_stderr(o->buf, o->n);
    o->n = 0;
}

/* ---- source lines -----------------------------------------------------------------------------
 */

/* Line `lineno` of file `path` (without its line end) into buf; 0 if
 * unavailable. */
static int source_line(const char *path, int lineno, char *buf, size_t size)
{
    if (path[0] == '<' || lineno < 1)
        return 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    int line = 1, c;
    while (line < lineno && (c = fgetc(f)) != EOF)
        if (c == '\n')
            line++;
    size_t n = 0;
    int found = 0;
    if (line == lineno) {
        while ((c = fgetc(f)) != EOF && c != '\n') {
            found = 1;
            if (n + 1 < size)
                buf[n++] = (char)c;
        }
    }
    fclose(f);
    while (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return found;
}

static int is_ws(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

/* Decode UTF-8 text into code points (up to max); returns how many. */
static int decode_line(const char *s, uint32_t *cps, int max)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p && n < max) {
        uint32_t c = *p;
        int len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (len > 1)
            c &= 0xffu >> (len + 1);
        for (int k = 1; k < len && p[k]; k++)
            c = (c << 6) | (p[k] & 0x3f);
        for (int k = 0; k < len && *p; k++)
            p++;
        cps[n++] = c;
    }
    return n;
}

/* The line under a traceback entry's source line that marks where the
 * failing instruction's code is, as CPython 3.11 prints it: ^ under the
 * whole expression, or ~ with ^ under the operator of a binary operation
 * or the brackets of a subscript; nothing when the expression is the whole
 * line.  cps/len: the line's code points. */
static void print_carets(Out *o, const uint32_t *cps, int len, const TwLocation *loc)
{
    if (loc->col < 0 || loc->end_col < 0 || loc->col > len)
        return;
    int lead = 0;
    while (lead < len && is_ws(cps[lead]))
        lead++;
    int start = loc->col, end = loc->end_col;
    int left_end = -1, right_start = -1;
    if (loc->lineno == loc->end_lineno) {
        if (end > len)
            end = len;
        if (loc->anchor1 >= 0 && loc->anchor2 >= 0 && loc->anchor1 <= loc->anchor2 &&
            loc->anchor2 <= len) {
            if (loc->anchor2 > loc->anchor1 && loc->anchor1 >= start && loc->anchor2 <= end &&
                cps[loc->anchor2 - 1 < 0 ? 0 : loc->anchor2 - 1] != '[') {
                /* a binary operation: the first character that is not a space
                 * or a closing parenthesis between the operands */
                for (int i = loc->anchor1; i < loc->anchor2; i++) {
                    if (is_ws(cps[i]))
                        continue;
                    left_end = i;
                    right_start = i + 1;
                    if (i + 1 < loc->anchor2 && !is_ws(cps[i + 1]))
                        right_start++;
                    if (i + 1 < loc->anchor2 && cps[i] == ')')
                        continue;
                    break;
                }
            }
        }
    } else {
        /* spanning lines: to the last non-space character of this one */
        int i = len;
        while (--i >= 0 && (is_ws(cps[i]) || cps[i] == '\n'))
            ;
        end = i + 1;
    }
    int anchored = left_end >= 0;
    if (end - start == len - lead && !anchored)
        return; /* the whole line: nothing to point at */
    if (end <= start)
        return;
    out_str(o, "    ");
    for (int c = lead; c < start; c++)
        out_str(o, " ");
    for (int c = start; c < end; c++)
        out_str(o, !anchored ? "^" : (c >= left_end && c < right_start) ? "^" : "~");
    out_str(o, "\n");
}

/* The anchors of a subscript: ~ under the value, ^ from '[' to the end. */
static int subscript_anchors(const uint32_t *cps, int len, TwLocation *loc)
{
    int end = loc->end_col < len ? loc->end_col : len;
    int left = loc->anchor1, right = loc->anchor2 + 1;
    while (left < end && cps[left] != '[')
        left++;
    while (right < end && cps[right] != ']')
        right++;
    if (right < end)
        right++;
    loc->anchor1 = left;
    loc->anchor2 = right;
    return left < end;
}

/* ---- printing -----------------------------------------------------------------------------------
 */

static void print_tb_entry_source(Out *o, TwTracebackObject *tb, const char *file)
{
    char line[2048];
    uint32_t cps[2048];
    if (!source_line(file, tb->lineno, line, sizeof line))
        return;
    int len = decode_line(line, cps, 2048);
    int lead = 0;
    while (lead < len && is_ws(cps[lead]))
        lead++;
    /* the line without surrounding white space */
    const char *p = line;
    for (int k = 0; k < lead; k++)
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\f'))
        n--;
    if (n == 0)
        return;
    out_str(o, "    ");
    out_add(o, p, n);
    out_str(o, "\n");
    TwLocation loc;
    if (tb->lasti < 0 || tw_code_addr2location(tb->code, tb->lasti, &loc) < 0 ||
        loc.lineno != tb->lineno)
        return;
    int op = (int)TW_OP(tb->code->code[tb->lasti]);
    if (loc.anchor1 >= 0 && op == TW_OP_BINARY_SUBSCR) {
        TwLocation sub = loc;
        if (subscript_anchors(cps, len, &sub)) {
            /* print with the bracket range as the ^ part */
            int start = loc.col, end = loc.end_col < len ? loc.end_col : len;
            out_str(o, "    ");
            for (int c = lead; c < start; c++)
                out_str(o, " ");
            for (int c = start; c < end; c++)
                out_str(o, (c >= sub.anchor1 && c < sub.anchor2) ? "^" : "~");
            out_str(o, "\n");
            return;
        }
        loc.anchor1 = loc.anchor2 = -1;
    } else if (op != TW_OP_BINARY_OP) {
        loc.anchor1 = loc.anchor2 = -1;
    }
    print_carets(o, cps, len, &loc);
}

static void print_tb_entries(Out *o, TwTracebackObject *tb)
{
    const char *last_file = NULL, *last_name = NULL;
    int last_line = -1, repeats = 0;
    for (; tb != NULL; tb = tb->tb_next) {
        const char *file = tw_str_utf8(tb->code->filename);
        const char *name = tw_str_utf8(tb->code->name);
        if (last_file != NULL && strcmp(file, last_file) == 0 && strcmp(name, last_name) == 0 &&
            tb->lineno == last_line) {
            repeats++;
            if (repeats >= 3)
                continue;
        } else {
            if (repeats >= 3)
                out_fmt(o, "  [Previous line repeated %d more time%s]\n", repeats - 2,
                        repeats - 2 == 1 ? "" : "s");
            repeats = 0;
        }
        last_file = file;
        last_name = name;
        last_line = tb->lineno;
        out_fmt(o, "  File \"%s\", line %d, in %s\n", file, tb->lineno, name);
        print_tb_entry_source(o, tb, file);
    }
    if (repeats >= 3)
        out_fmt(o, "  [Previous line repeated %d more time%s]\n", repeats - 2,
                repeats - 2 == 1 ? "" : "s");
}

/* "Type: message" with the module prefix CPython shows for classes
 * outside builtins and __main__. */
static void print_exception_line(Out *o, TwObject *exc)
{
    TwType *t = TW_TYPE(exc);
    TwObject *qual = tw_type_get_qualname(t);
    TwObject *mod = tw_type_get_module(t);
    if (mod == NULL)
        tw_err_clear();
    if (qual == NULL) {
        tw_err_clear();
        out_str(o, t->tp_name);
    } else {
        if (mod != NULL && tw_str_check(mod) && !tw_str_equal_cstr(mod, "builtins") &&
            !tw_str_equal_cstr(mod, "__main__"))
            out_fmt(o, "%s.", tw_str_utf8(mod));
        out_str(o, tw_str_utf8(qual));
    }
    tw_xdecref(qual);
    tw_xdecref(mod);
    TwObject *msg = tw_object_str(exc);
    if (msg == NULL) {
        tw_err_clear();
        out_str(o, ": <exception str() failed>\n");
        return;
    }
    if (tw_str_byte_size(msg) > 0) {
        out_str(o, ": ");
        out_add(o, tw_str_utf8(msg), (size_t)tw_str_byte_size(msg));
    }
    out_str(o, "\n");
    tw_decref(msg);
}

static void print_one(Out *o, TwObject *exc)
{
    TwObject *tb = tw_exception_get_traceback(exc);
    if (tb != NULL && TW_TYPE(tb) == &tw_traceback_type) {
        out_str(o, "Traceback (most recent call last):\n");
        print_tb_entries(o, (TwTracebackObject *)tb);
    }
    tw_xdecref(tb);
    if (tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SyntaxError)) {
        out_flush(o);
        tw_sys_flush_stdio();
        tw_syntax_error_print(exc, stderr);
        fflush(stderr);
        return;
    }
    print_exception_line(o, exc);
}

/* Causes and contexts first (each at most once, however they link). */
static void print_chain(Out *o, TwObject *exc, TwObject *seen, int depth)
{
    if (depth > 100)
        return;
    TwObject *key = tw_int_from_i64((int64_t)(intptr_t)exc);
    if (key != NULL) {
        tw_set_add(seen, key);
        tw_decref(key);
    }
    TwObject *cause = tw_exception_get_cause(exc);
    TwObject *context = tw_exception_get_context(exc);
    TwObject *next = NULL;
    const char *sep = NULL;
    if (cause != NULL && tw_exception_check(cause)) {
        next = cause;
        sep = "\nThe above exception was the direct cause of the following exception:\n\n";
    } else if (context != NULL && tw_exception_check(context) &&
               !tw_exception_get_suppress_context(exc)) {
        next = context;
        sep = "\nDuring handling of the above exception, another exception occurred:\n\n";
    }
    if (next != NULL) {
        TwObject *nkey = tw_int_from_i64((int64_t)(intptr_t)next);
        int already = nkey ? tw_set_contains(seen, nkey) : 1;
        tw_xdecref(nkey);
        if (already == 0) {
            print_chain(o, next, seen, depth + 1);
            out_str(o, sep);
        }
    }
    tw_xdecref(cause);
    tw_xdecref(context);
    print_one(o, exc);
}

void tw_traceback_print_exception(TwObject *exc)
{
    Out o = {0};
    TwObject *saved = tw_err_fetch();
    TwObject *seen = tw_set_new();
    if (seen != NULL && tw_exception_check(exc)) {
        print_chain(&o, exc, seen, 0);
    } else {
        TwObject *r = tw_object_repr(exc);
        out_fmt(&o, "%s\n", r ? tw_str_utf8(r) : "<unprintable exception>");
        tw_xdecref(r);
    }
    tw_xdecref(seen);
    out_flush(&o);
    free(o.buf);
    tw_err_clear();
    tw_err_restore(saved);
}
