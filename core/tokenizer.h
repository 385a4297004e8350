/* Internal: the tokenizer, which turns UTF-8 source into the tokens the
 * parser (core/parser.c) reads.
 *
 * It works in one of two modes:
 *   module  whole lines: INDENT/DEDENT from the indentation (CPython's rules,
 *           tabs to multiples of 8 checked against tabs as width 1), NEWLINE
 *           at the end of each logical line, none inside brackets or after a
 *           backslash continuation, comments and blank lines skipped;
 *   nested  the expression inside an f-string replacement field: newlines
 *           are plain whitespace and the tokenizer stops (an ENDMARKER) at
 *           the first '}', ':', '!' or '=' outside brackets, which belong to
 *           the f-string rather than the expression.
 *
 * Positions: lineno is 1-based; col and end_col are 0-based columns counted
 * in code points (what the AST records).  Tokens point into the source
 * buffer, which must outlive them.
 *
 * Errors are returned as a TW_TK_ERROR token with the details in
 * tz->err; the tokenizer sets no exception itself, so that the parser can
 * decide which of its own errors and the tokenizer's takes precedence, as
 * CPython does. */
#ifndef TWINPY_CORE_TOKENIZER_H
#define TWINPY_CORE_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TW_TK_ENDMARKER, TW_TK_NAME, TW_TK_NUMBER, TW_TK_STRING, TW_TK_NEWLINE, TW_TK_INDENT,
    TW_TK_DEDENT, TW_TK_ERROR,
    /* operators and delimiters */
    TW_TK_LPAR, TW_TK_RPAR, TW_TK_LSQB, TW_TK_RSQB, TW_TK_LBRACE, TW_TK_RBRACE, TW_TK_COLON,
    TW_TK_COMMA, TW_TK_SEMI, TW_TK_PLUS, TW_TK_MINUS, TW_TK_STAR, TW_TK_SLASH, TW_TK_VBAR,
    TW_TK_AMPER, TW_TK_LESS, TW_TK_GREATER, TW_TK_EQUAL, TW_TK_DOT, TW_TK_PERCENT,
    TW_TK_EQEQUAL, TW_TK_NOTEQUAL, TW_TK_LESSEQUAL, TW_TK_GREATEREQUAL, TW_TK_TILDE,
    TW_TK_CIRCUMFLEX, TW_TK_LEFTSHIFT, TW_TK_RIGHTSHIFT, TW_TK_DOUBLESTAR, TW_TK_PLUSEQUAL,
    TW_TK_MINEQUAL, TW_TK_STAREQUAL, TW_TK_SLASHEQUAL, TW_TK_PERCENTEQUAL, TW_TK_AMPEREQUAL,
    TW_TK_VBAREQUAL, TW_TK_CIRCUMFLEXEQUAL, TW_TK_LEFTSHIFTEQUAL, TW_TK_RIGHTSHIFTEQUAL,
    TW_TK_DOUBLESTAREQUAL, TW_TK_DOUBLESLASH, TW_TK_DOUBLESLASHEQUAL, TW_TK_AT, TW_TK_ATEQUAL,
    TW_TK_RARROW, TW_TK_ELLIPSIS, TW_TK_COLONEQUAL, TW_TK_EXCLAMATION,
    TW_TK_OTHER /* a character no token starts with ('$', '?'): never valid */
} TwTokKind;

/* Keywords: a NAME token carries one of these in `kw` (0 for other names). */
typedef enum {
    TW_KW_NONE_, TW_KW_FALSE, TW_KW_NONE, TW_KW_TRUE, TW_KW_AND, TW_KW_AS, TW_KW_ASSERT,
    TW_KW_ASYNC, TW_KW_AWAIT, TW_KW_BREAK, TW_KW_CLASS, TW_KW_CONTINUE, TW_KW_DEF, TW_KW_DEL,
    TW_KW_ELIF, TW_KW_ELSE, TW_KW_EXCEPT, TW_KW_FINALLY, TW_KW_FOR, TW_KW_FROM, TW_KW_GLOBAL,
    TW_KW_IF, TW_KW_IMPORT, TW_KW_IN, TW_KW_IS, TW_KW_LAMBDA, TW_KW_NONLOCAL, TW_KW_NOT,
    TW_KW_OR, TW_KW_PASS, TW_KW_RAISE, TW_KW_RETURN, TW_KW_TRY, TW_KW_WHILE, TW_KW_WITH,
    TW_KW_YIELD
} TwKeyword;

/* Flags of a STRING token. */
#define TW_STR_RAW    1
#define TW_STR_BYTES  2
#define TW_STR_FORMAT 4 /* an f-string */
#define TW_STR_TRIPLE 8

typedef struct {
    uint8_t kind;       /* TwTokKind */
    uint8_t kw;         /* TwKeyword for NAME */
    uint8_t str_flags;  /* TW_STR_* for STRING */
    uint8_t prefix_len; /* STRING: bytes of prefix before the opening quote */
    int level;          /* bracket depth before the token */
    const char *start, *end;
    int lineno, col, end_lineno, end_col;
} TwToken;

/* What went wrong, when tw_tokenizer_next returns TW_TK_ERROR. */
typedef enum {
    TW_TOKERR_SYNTAX,      /* SyntaxError with msg */
    TW_TOKERR_INDENT,      /* IndentationError with msg */
    TW_TOKERR_TAB,         /* TabError with msg */
    TW_TOKERR_EOF_IN_PAREN /* end of input inside brackets: "'(' was never closed" */
} TwTokErrKind;

typedef struct {
    TwTokErrKind kind;
    char msg[160];
    int lineno, offset, end_lineno, end_offset; /* 1-based offsets, as CPython reports them */
} TwTokError;

#define TW_TOK_MAXINDENT 100 /* nested blocks */
#define TW_TOK_MAXLEVEL  200 /* nested brackets */

typedef struct TwTokenizer {
    const char *buf, *end; /* the whole input */
    const char *cur;
    const char *line_start; /* first byte of the current line */
    int lineno;
    int nested;             /* nested (f-string expression) mode */
    int atbol;              /* at the beginning of a line (module mode) */
    int pendin;             /* INDENTs (>0) or DEDENTs (<0) still to emit */
    int indent;             /* top of indstack */
    int indstack[TW_TOK_MAXINDENT + 1];    /* columns with tabs to multiples of 8 */
    int altindstack[TW_TOK_MAXINDENT + 1]; /* columns with tabs counted as 1 */
    int level;              /* bracket depth */
    char parenstack[TW_TOK_MAXLEVEL];
    int parenlineno[TW_TOK_MAXLEVEL], parencol[TW_TOK_MAXLEVEL];
    int last_kind;          /* the kind of the previous token (-1 at the start) */
    int done;               /* ENDMARKER or an error was returned */
    /* Work left for scanning one f-string: a field that reuses the outer
     * quote is tried both as a nested string and as the end of the outer
     * one, which could take exponential time on hostile input. */
    long fstring_budget;
    int fstring_too_deep;   /* nesting or the budget was exceeded */
    /* code-point column cache: column cc_col at byte cc_ptr of line cc_line */
    const char *cc_line, *cc_ptr;
    int cc_col;
    TwTokError err;
} TwTokenizer;

/* Tokenize the n bytes at buf (already valid UTF-8 without NUL bytes and
 * with '\n' line ends) as a module. */
void tw_tokenizer_init(TwTokenizer *tz, const char *buf, size_t n);
/* Tokenize [start, end) as an f-string replacement field expression that
 * starts at line `lineno`, whose line begins at `line_start` (so that
 * columns are those of the enclosing source). */
void tw_tokenizer_init_nested(TwTokenizer *tz, const char *start, const char *end, int lineno,
                              const char *line_start);
/* The next token; TW_TK_ERROR with tz->err filled in on an error.  After
 * ENDMARKER or ERROR it keeps returning the same kind. */
int tw_tokenizer_next(TwTokenizer *tz, TwToken *tok);

/* The number of code points in [from, to) (valid UTF-8). */
int tw_utf8_count(const char *from, const char *to);

#endif
