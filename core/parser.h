/* Internal: the parser (tw_parse_module in core/ast.h) and SyntaxError.
 *
 * SyntaxError carries what CPython shows for it: the message, the file
 * name, the line, the 1-based column where the error starts (offset) and
 * ends (end_offset, exclusive), and the text of the source line.  Some
 * errors have no extent: end_offset is then 0 or -1 as in CPython, and
 * offset 0 means "no column".  IndentationError and TabError are
 * subclasses with the same layout.  Python code sees the fields as the
 * attributes msg, filename, lineno, offset, text, end_lineno, end_offset
 * (core/exceptions.c holds the other exception classes). */
#ifndef TWINPY_CORE_PARSER_H
#define TWINPY_CORE_PARSER_H

#include <stddef.h>
#include <stdio.h>
#include <twinpy/error.h>

#include "core/ast.h"

typedef struct TwSyntaxErrorObject {
    TwBaseException base;  /* args: (msg, (filename, lineno, offset, text, end_lineno, end_offset)) */
    TwObject *msg;         /* str */
    TwObject *filename;    /* str, or NULL */
    int lineno, offset;    /* 0 when unknown */
    int end_lineno, end_offset;
    TwObject *text;        /* str: the source line (with its '\n' if it had one), or NULL */
    char has_location;     /* 0: lineno and the offsets read as None (SyntaxError("m")) */
} TwSyntaxErrorObject;

extern TwType tw_exc_SyntaxError;
extern TwType tw_exc_IndentationError; /* subclass of SyntaxError */
extern TwType tw_exc_TabError;         /* subclass of IndentationError */

/* Parse one expression (as eval() does: surrounding whitespace and
 * newlines allowed).  On success *out holds the arena (body NULL) and
 * *expr the expression in it; on failure -1 with SyntaxError set. */
int tw_parse_expression(const char *source, size_t n, const char *filename, TwAstModule *out,
                        TwAstExpr **expr);

/* Set the current exception to a SyntaxError (or subclass `type`) at the
 * given place.  offset/end_offset are 1-based columns in code points as
 * CPython shows them; text is the source line (may be NULL). */
void tw_syntax_error_set(TwType *type, const char *msg, const char *filename, int lineno,
                         int offset, int end_lineno, int end_offset, const char *text);

/* The same for an error that the compiler finds in an AST node: the
 * position is the node's (1-based line, 0-based columns in code points)
 * and the text is taken from `source`. */
void tw_syntax_error_at_node(TwType *type, const char *msg, const char *filename,
                             const char *source, size_t n, int lineno, int col, int end_lineno,
                             int end_col);

/* Print a SyntaxError as CPython 3.11 does at the end of a traceback:
 *     File "x.py", line 3
 *       x = (1 +
 *           ^
 *   SyntaxError: '(' was never closed
 * Without a line number only the last line is printed. */
void tw_syntax_error_print(TwObject *exc, FILE *out);

#endif
