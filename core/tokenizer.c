/* The tokenizer (see core/tokenizer.h for the modes and positions).
 *
 * The input is checked before it gets here (core/parser.c): valid UTF-8,
 * no NUL bytes, '\n' line ends.  String literals are only delimited here;
 * their escapes and the structure of f-strings are decoded by the parser.
 * The tokenizer still has to understand f-string replacement fields to find
 * where an f-string ends, because a field may hold strings in any quote
 * (f"{d["key"]}" is valid from Python 3.12 on). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/tokenizer.h"

/* Nested f-strings and format specs deeper than this are refused. */
#define MAX_FSTRING_DEPTH 100

int tw_utf8_count(const char *from, const char *to)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)from; p < (const unsigned char *)to; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

/* The code-point column of p on the line starting at line_start.  Tokens
 * come in order, so counting resumes from the previous answer on the same
 * line: long lines stay linear. */
static int colno(TwTokenizer *tz, const char *line_start, const char *p)
{
    if (tz->cc_line == line_start && tz->cc_ptr <= p) {
        tz->cc_col += tw_utf8_count(tz->cc_ptr, p);
    } else {
        tz->cc_col = tw_utf8_count(line_start, p);
        tz->cc_line = line_start;
    }
    tz->cc_ptr = p;
    return tz->cc_col;
}

/* Record an error; offsets are the 1-based values CPython reports. */
static int set_error(TwTokenizer *tz, TwTokErrKind kind, int lineno, int offset, int end_lineno,
                     int end_offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

static int set_error(TwTokenizer *tz, TwTokErrKind kind, int lineno, int offset, int end_lineno,
                     int end_offset, const char *fmt, ...)
{
    tz->err.kind = kind;
    tz->err.lineno = lineno;
    tz->err.offset = offset;
    tz->err.end_lineno = end_lineno;
    tz->err.end_offset = end_offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tz->err.msg, sizeof tz->err.msg, fmt, ap);
    va_end(ap);
    tz->done = 1;
    return TW_TK_ERROR;
}

/* A syntax error at p on the current line, reported at 1-based offset
 * `col0 + 1` where col0 is p's column: CPython's tokenizer errors point at
 * the character itself. */
static int error_at(TwTokenizer *tz, const char *p, const char *msg)
{
    int c = colno(tz, tz->line_start, p) + 1;
    return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, c, tz->lineno, c, "%s", msg);
}

/* Decode the (valid) UTF-8 sequence at p; *len receives its length. */
static uint32_t decode(const char *s, int *len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if (p[0] < 0xE0) {
        *len = 2;
        return ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (p[0] < 0xF0) {
        *len = 3;
        return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    *len = 4;
    return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
           ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Whether a non-ASCII code point may appear in an identifier.  Without a
 * Unicode database twinpy accepts every code point except the blocks of
 * punctuation, symbols and spaces, which CPython rejects as "invalid
 * character". */
static int nonascii_id_char(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xBF)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, currency, arrows, maths, boxes */
        return cp == 0x2071 || cp == 0x207F || (cp >= 0x2090 && cp <= 0x209C) ||
               cp == 0x2102 || cp == 0x2107 ||
               (cp >= 0x210A && cp <= 0x2113) || cp == 0x2115 || (cp >= 0x2119 && cp <= 0x211D) ||
               cp == 0x2124 || cp == 0x2126 || cp == 0x2128 || (cp >= 0x212A && cp <= 0x212D) ||
               (cp >= 0x212F && cp <= 0x2139) || (cp >= 0x2160 && cp <= 0x2188);
    if (cp >= 0x3000 && cp <= 0x3004)
        return 0;
    if (cp >= 0x3008 && cp <= 0x3020)
        return 0;
    if (cp >= 0xFE10 && cp <= 0xFE6F) /* vertical forms, small forms */
        return 0;
    if (cp >= 0xFF01 && cp <= 0xFF0F)
        return 0;
    if (cp >= 0xFFF0 && cp <= 0xFFFF)
        return 0;
    if (cp >= 0x1F000 && cp <= 0x1FBFF) /* emoji and pictographs */
        return 0;
    if (cp >= 0xE000 && cp <= 0xF8FF) /* private use */
        return 0;
    return 1;
}

static int ascii_id_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int ascii_id_char(int c) { return ascii_id_start(c) || (c >= '0' && c <= '9'); }

/* The length of the identifier character at p, or 0 if there is none.
 * The f-string field scanner steps over other characters byte by byte, so
 * p may be a continuation byte: not an identifier character, and never
 * decoded (its "sequence" could run past the end of the input). */
static int id_char_len(const char *p, const char *end, int start)
{
    if (p >= end)
        return 0;
    unsigned char c = (unsigned char)*p;
    if (c < 0x80)
        return (start ? ascii_id_start(c) : ascii_id_char(c)) ? 1 : 0;
    if (c < 0xC0 || end - p < (c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4))
        return 0;
    int len;
    uint32_t cp = decode(p, &len);
    return nonascii_id_char(cp) ? len : 0;
}

static const struct {
    const char *name;
    TwKeyword kw;
} keywords[] = {
    {"False", TW_KW_FALSE},   {"None", TW_KW_NONE},         {"True", TW_KW_TRUE},
    {"and", TW_KW_AND},       {"as", TW_KW_AS},             {"assert", TW_KW_ASSERT},
    {"async", TW_KW_ASYNC},   {"await", TW_KW_AWAIT},       {"break", TW_KW_BREAK},
    {"class", TW_KW_CLASS},   {"continue", TW_KW_CONTINUE}, {"def", TW_KW_DEF},
    {"del", TW_KW_DEL},       {"elif", TW_KW_ELIF},         {"else", TW_KW_ELSE},
    {"except", TW_KW_EXCEPT}, {"finally", TW_KW_FINALLY},   {"for", TW_KW_FOR},
    {"from", TW_KW_FROM},     {"global", TW_KW_GLOBAL},     {"if", TW_KW_IF},
    {"import", TW_KW_IMPORT}, {"in", TW_KW_IN},             {"is", TW_KW_IS},
    {"lambda", TW_KW_LAMBDA}, {"nonlocal", TW_KW_NONLOCAL}, {"not", TW_KW_NOT},
    {"or", TW_KW_OR},         {"pass", TW_KW_PASS},         {"raise", TW_KW_RAISE},
    {"return", TW_KW_RETURN}, {"try", TW_KW_TRY},           {"while", TW_KW_WHILE},
    {"with", TW_KW_WITH},     {"yield", TW_KW_YIELD},
};

static int keyword_of(const char *s, size_t n)
{
    if (n < 2 || n > 8)
        return 0;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].name) == n && memcmp(keywords[i].name, s, n) == 0)
            return keywords[i].kw;
    return 0;
}

/* The TW_STR_* flags of a string prefix, or -1 if s[0..n) is not one. */
static int string_prefix_flags(const char *s, size_t n)
{
    int flags = 0, u = 0;
    if (n > 2)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int f;
        switch (s[i]) {
        case 'r': case 'R': f = TW_STR_RAW; break;
        case 'b': case 'B': f = TW_STR_BYTES; break;
        case 'f': case 'F': f = TW_STR_FORMAT; break;
        case 'u': case 'U': f = 0; u = 1; break;
        default: return -1;
        }
        if (flags & f)
            return -1;
        flags |= f;
    }
    if (u && n != 1)
        return -1;
    if ((flags & TW_STR_BYTES) && (flags & TW_STR_FORMAT))
        return -1;
    return flags;
}

void tw_tokenizer_init(TwTokenizer *tz, const char *buf, size_t n)
{
    memset(tz, 0, sizeof *tz);
    tz->buf = tz->cur = tz->line_start = buf;
    tz->end = buf + n;
    tz->lineno = 1;
    tz->atbol = 1;
    tz->last_kind = -1;
}

void tw_tokenizer_init_nested(TwTokenizer *tz, const char *start, const char *end, int lineno,
                              const char *line_start)
{
    memset(tz, 0, sizeof *tz);
    tz->buf = tz->cur = start;
    tz->end = end;
    tz->line_start = line_start;
    tz->lineno = lineno;
    tz->nested = 1;
    tz->last_kind = -1;
}

/* ---- strings ---------------------------------------------------------------- */

static const char *scan_string_body(TwTokenizer *tz, const char *p, char quote, int triple,
                                    int fstring, int depth, const char **fail);

/* Whether a closing quote (one or three `quote` characters) starts at p. */
static int closes(const TwTokenizer *tz, const char *p, char quote, int triple)
{
    if (*p != quote)
        return 0;
    return !triple || (tz->end - p >= 3 && p[1] == quote && p[2] == quote);
}

/* Scan a complete string literal (prefix included) that starts at p inside
 * an f-string field.  Returns the end, or NULL with *fail set. */
static const char *scan_nested_string(TwTokenizer *tz, const char *p, int depth, const char **fail)
{
    const char *q = p;
    while (*q != '\'' && *q != '"')
        q++;
    int flags = string_prefix_flags(p, (size_t)(q - p));
    char quote = *q;
    int triple = tz->end - q >= 3 && q[1] == quote && q[2] == quote;
    return scan_string_body(tz, q + (triple ? 3 : 1), quote, triple, flags > 0 && (flags & TW_STR_FORMAT),
                            depth + 1, fail);
}

/* Skip one replacement field of an f-string: p is just after its '{'.
 * Returns the position after its '}'; or, if the enclosing string's closing
 * quote comes first, that quote's position with *early set (the parser
 * reports the unclosed field); or NULL with *fail at the newline or end of
 * input where the literal turned out unterminated. */
static const char *skip_field(TwTokenizer *tz, const char *p, char quote, int triple, int depth,
                              int *early, const char **fail)
{
    enum { EXPR, CONV, SPEC } mode = EXPR;
    int lvl = 0;
    if (depth > MAX_FSTRING_DEPTH) {
        tz->fstring_too_deep = 1;
        *fail = p;
        return NULL;
    }
    for (;;) {
        if (--tz->fstring_budget < 0) {
            tz->fstring_too_deep = 1;
            *fail = p;
            return NULL;
        }
        if (p >= tz->end || (*p == '\n' && !triple)) {
            *fail = p;
            return NULL;
        }
        char c = *p;
        if (mode == EXPR) {
            if (c == '\'' || c == '"') {
                if (closes(tz, p, quote, triple)) {
                    /* A string in the outer quote (Python 3.12), or the end
                     * of the outer string if no such string closes. */
                    const char *nf = NULL;
                    const char *r = scan_nested_string(tz, p, depth, &nf);
                    if (tz->fstring_too_deep) {
                        *fail = p;
                        return NULL;
                    }
                    if (r == NULL || (!triple && memchr(p, '\n', (size_t)(r - p)) != NULL)) {
                        *early = 1;
                        return p;
                    }
                    p = r;
                    continue;
                }
                const char *r = scan_nested_string(tz, p, depth, fail);
                if (r == NULL)
                    return NULL;
                p = r;
                continue;
            }
            int n = id_char_len(p, tz->end, 1);
            if (n > 0) {
                const char *q = p + n;
                while ((n = id_char_len(q, tz->end, 0)) > 0)
                    q += n;
                if (q < tz->end && (*q == '\'' || *q == '"') && string_prefix_flags(p, (size_t)(q - p)) >= 0) {
                    if (closes(tz, q, quote, triple)) {
                        const char *nf = NULL;
                        const char *r = scan_nested_string(tz, p, depth, &nf);
                        if (tz->fstring_too_deep) {
                            *fail = p;
                            return NULL;
                        }
                        if (r == NULL) {
                            *early = 1;
                            return q;
                        }
                        p = r;
                        continue;
                    }
                    const char *r = scan_nested_string(tz, p, depth, fail);
                    if (r == NULL)
                        return NULL;
                    p = r;
                    continue;
                }
                p = q;
                continue;
            }
            switch (c) {
            case '(': case '[': case '{':
                lvl++;
                break;
            case ')': case ']':
                if (lvl > 0)
                    lvl--;
                break;
            case '}':
                if (lvl == 0)
                    return p + 1;
                lvl--;
                break;
            case '!':
                if (lvl == 0 && !(p + 1 < tz->end && p[1] == '='))
                    mode = CONV;
                break;
            case ':':
                if (lvl == 0)
                    mode = SPEC;
                break;
            case '\\':
                if (p + 1 < tz->end)
                    p++;
                break;
            default:
                break;
            }
            p++;
            continue;
        }
        /* CONV and SPEC: literal text up to the field's '}'. */
        if (closes(tz, p, quote, triple)) {
            *early = 1;
            return p;
        }
        if (c == '}')
            return p + 1;
        if (mode == CONV && c == ':') {
            mode = SPEC;
        } else if (mode == SPEC && c == '{') {
            const char *r = skip_field(tz, p + 1, quote, triple, depth + 1, early, fail);
            if (r == NULL || *early)
                return r;
            p = r;
            continue;
        } else if (c == '\\' && p + 1 < tz->end && p[1] != '\n') {
            p++;
        }
        p++;
    }
}

/* Scan the body of a string literal; p is just after the opening quote(s).
 * Returns the position after the closing quote(s), or NULL with *fail at
 * the newline (single-quoted) or end of input where it stopped. */
static const char *scan_string_body(TwTokenizer *tz, const char *p, char quote, int triple,
                                    int fstring, int depth, const char **fail)
{
    if (depth > MAX_FSTRING_DEPTH) {
        tz->fstring_too_deep = 1;
        *fail = p;
        return NULL;
    }
    for (;;) {
        if (fstring && --tz->fstring_budget < 0) {
            tz->fstring_too_deep = 1;
            *fail = p;
            return NULL;
        }
        if (p >= tz->end) {
            *fail = p;
            return NULL;
        }
        char c = *p;
        if (c == '\n' && !triple) {
            *fail = p;
            return NULL;
        }
        if (closes(tz, p, quote, triple))
            return p + (triple ? 3 : 1);
        if (c == '\\') {
            /* In an f-string "\{" is a backslash and then a field. */
            int brace = fstring && p + 1 < tz->end && (p[1] == '{' || p[1] == '}');
            p += (p + 1 < tz->end && !brace) ? 2 : 1;
            continue;
        }
        if (fstring && c == '{') {
            if (p + 1 < tz->end && p[1] == '{') {
                p += 2;
                continue;
            }
            int early = 0;
            const char *r = skip_field(tz, p + 1, quote, triple, depth, &early, fail);
            if (r == NULL)
                return NULL;
            p = r;
            continue;
        }
        p++;
    }
}

/* Move the line bookkeeping over [from, to), which may span lines. */
static void advance_lines(TwTokenizer *tz, const char *from, const char *to)
{
    for (const char *p = from; p < to; p++)
        if (*p == '\n') {
            tz->lineno++;
            tz->line_start = p + 1;
        }
}

/* The line number of position p at or after the current line; a position
 * at the very end of input counts as the last line, as CPython reports. */
static int line_of(const TwTokenizer *tz, const char *p)
{
    if (p >= tz->end && p > tz->buf && p[-1] == '\n')
        p--;
    int n = tz->lineno;
    for (const char *q = tz->line_start; q < p; q++)
        if (*q == '\n')
            n++;
    return n;
}

/* A string token whose prefix starts at start and whose quote is at q. */
static int string_token(TwTokenizer *tz, TwToken *tok, const char *start, const char *q, int flags)
{
    char quote = *q;
    int triple = tz->end - q >= 3 && q[1] == quote && q[2] == quote;
    const char *fail = NULL;
    /* Linear work in the input for any f-string, however nested. */
    tz->fstring_budget = 64 * (long)(tz->end - q) + 100000;
    tz->fstring_too_deep = 0;
    const char *r = scan_string_body(tz, q + (triple ? 3 : 1), quote, triple,
                                     (flags & TW_STR_FORMAT) != 0, 0, &fail);
    int c = colno(tz, tz->line_start, start) + 1;
    if (r == NULL) {
        if (tz->fstring_too_deep)
            return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, c, tz->lineno, c,
                             "f-string: expressions nested too deeply");
        return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, c, tz->lineno, c,
                         "unterminated %sstring literal (detected at line %d)",
                         triple ? "triple-quoted " : "", line_of(tz, fail));
    }
    tok->kind = TW_TK_STRING;
    tok->str_flags = (uint8_t)(flags | (triple ? TW_STR_TRIPLE : 0));
    tok->prefix_len = (uint8_t)(q - start);
    advance_lines(tz, start, r);
    tz->cur = r;
    return TW_TK_STRING;
}

/* ---- numbers ---------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_xdigit(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* After a number: a letter right after it is an error ("1a"), except the
 * keywords that may follow a number without a space ("1if x else 2"). */
static int check_number_end(TwTokenizer *tz, const char *p, const char *kind)
{
    if (id_char_len(p, tz->end, 1) == 0)
        return 0;
    static const char *const allowed[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        size_t n = strlen(allowed[i]);
        if ((size_t)(tz->end - p) >= n && memcmp(p, allowed[i], n) == 0)
            return 0;
    }
    char msg[64];
    snprintf(msg, sizeof msg, "invalid %s literal", kind);
    int col = colno(tz, tz->line_start, p);
    set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col, "%s", msg);
    return -1;
}

/* Digits of `base` with single underscores between them, starting at p
 * (which must hold a digit).  Returns the end, or NULL with an error. */
static const char *digits(TwTokenizer *tz, const char *p, int (*ok)(int), const char *kind)
{
    for (;;) {
        while (p < tz->end && ok((unsigned char)*p))
            p++;
        if (p < tz->end && *p == '_') {
            p++;
            if (p >= tz->end || !ok((unsigned char)*p)) {
                int col = colno(tz, tz->line_start, p);
                char msg[64];
                snprintf(msg, sizeof msg, "invalid %s literal", kind);
                set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col, "%s", msg);
                return NULL;
            }
            continue;
        }
        return p;
    }
}

static int is_odigit(int c) { return c >= '0' && c <= '7'; }
static int is_bdigit(int c) { return c == '0' || c == '1'; }

/* Scan a non-decimal integer after its 0x/0o/0b prefix. */
static const char *radix_number(TwTokenizer *tz, const char *p, int (*ok)(int), const char *kind)
{
    if (p < tz->end && *p == '_')
        p++;
    if (p >= tz->end || !ok((unsigned char)*p)) {
        if (p < tz->end && is_digit((unsigned char)*p)) {
            int col = colno(tz, tz->line_start, p) + 1;
            set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                      "invalid digit '%c' in %s literal", *p, kind);
            return NULL;
        }
        int col = colno(tz, tz->line_start, p);
        set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col, "invalid %s literal", kind);
        return NULL;
    }
    p = digits(tz, p, ok, kind);
    if (p == NULL)
        return NULL;
    if (p < tz->end && is_digit((unsigned char)*p)) {
        int col = colno(tz, tz->line_start, p) + 1;
        set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                  "invalid digit '%c' in %s literal", *p, kind);
        return NULL;
    }
    if (check_number_end(tz, p, kind) < 0)
        return NULL;
    return p;
}

static int is_ddigit(int c) { return is_digit(c); }

/* The fraction, exponent and imaginary suffix of a decimal number from p
 * (after its integer part, which may be empty for ".5"). */
static const char *decimal_tail(TwTokenizer *tz, const char *p, int *is_float)
{
    if (p < tz->end && *p == '.') {
        *is_float = 1;
        p++;
        if (p < tz->end && is_digit((unsigned char)*p)) {
            p = digits(tz, p, is_ddigit, "decimal");
            if (p == NULL)
                return NULL;
        }
    }
    if (p < tz->end && (*p == 'e' || *p == 'E')) {
        const char *e = p++;
        if (p < tz->end && (*p == '+' || *p == '-'))
            p++;
        if (p < tz->end && is_digit((unsigned char)*p)) {
            *is_float = 1;
            p = digits(tz, p, is_ddigit, "decimal");
            if (p == NULL)
                return NULL;
        } else if (p > e + 1) {
            /* "1e+" */
            int col = colno(tz, tz->line_start, p);
            set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col, "invalid decimal literal");
            return NULL;
        } else {
            p = e; /* "1else": let the keyword check decide */
        }
    }
    if (p < tz->end && (*p == 'j' || *p == 'J'))
        p++; /* reported by the parser: no complex numbers */
    if (check_number_end(tz, p, "decimal") < 0)
        return NULL;
    return p;
}

/* Scan a number starting at p. */
static const char *number(TwTokenizer *tz, const char *p)
{
    int is_float = 0;
    if (*p == '0' && p + 1 < tz->end) {
        char x = p[1];
        if (x == 'x' || x == 'X')
            return radix_number(tz, p + 2, is_xdigit, "hexadecimal");
        if (x == 'o' || x == 'O')
            return radix_number(tz, p + 2, is_odigit, "octal");
        if (x == 'b' || x == 'B')
            return radix_number(tz, p + 2, is_bdigit, "binary");
    }
    if (*p == '0') {
        /* Zeros only, unless it becomes a float ("09.5", "00e1"). */
        const char *start = p;
        const char *q = digits(tz, p, is_ddigit, "decimal");
        if (q == NULL)
            return NULL;
        int nonzero = 0;
        for (const char *r = start; r < q; r++)
            if (*r != '0' && *r != '_')
                nonzero = 1;
        const char *t = decimal_tail(tz, q, &is_float);
        if (t == NULL)
            return NULL;
        if (nonzero && !is_float && !(t > q && (t[-1] == 'j' || t[-1] == 'J'))) {
            int c = colno(tz, tz->line_start, start) + 1;
            int e = colno(tz, tz->line_start, q);
            set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, c, tz->lineno, e,
                      "leading zeros in decimal integer literals are not permitted; "
                      "use an 0o prefix for octal integers");
            return NULL;
        }
        return t;
    }
    if (*p != '.') {
        p = digits(tz, p, is_ddigit, "decimal");
        if (p == NULL)
            return NULL;
    }
    return decimal_tail(tz, p, &is_float);
}

/* ---- operators ---------------------------------------------------------------- */

static const struct {
    const char *text;
    TwTokKind kind;
} operators[] = {
    /* longest first */
    {"**=", TW_TK_DOUBLESTAREQUAL}, {"//=", TW_TK_DOUBLESLASHEQUAL}, {">>=", TW_TK_RIGHTSHIFTEQUAL},
    {"<<=", TW_TK_LEFTSHIFTEQUAL}, {"...", TW_TK_ELLIPSIS}, {"!=", TW_TK_NOTEQUAL},
    {"%=", TW_TK_PERCENTEQUAL}, {"&=", TW_TK_AMPEREQUAL}, {"**", TW_TK_DOUBLESTAR},
    {"*=", TW_TK_STAREQUAL}, {"+=", TW_TK_PLUSEQUAL}, {"-=", TW_TK_MINEQUAL},
    {"->", TW_TK_RARROW}, {"//", TW_TK_DOUBLESLASH}, {"/=", TW_TK_SLASHEQUAL},
    {":=", TW_TK_COLONEQUAL}, {"<<", TW_TK_LEFTSHIFT}, {"<=", TW_TK_LESSEQUAL},
    {"==", TW_TK_EQEQUAL}, {">=", TW_TK_GREATEREQUAL}, {">>", TW_TK_RIGHTSHIFT},
    {"@=", TW_TK_ATEQUAL}, {"^=", TW_TK_CIRCUMFLEXEQUAL}, {"|=", TW_TK_VBAREQUAL},
    {"(", TW_TK_LPAR}, {")", TW_TK_RPAR}, {"[", TW_TK_LSQB}, {"]", TW_TK_RSQB},
    {"{", TW_TK_LBRACE}, {"}", TW_TK_RBRACE}, {":", TW_TK_COLON}, {",", TW_TK_COMMA},
    {";", TW_TK_SEMI}, {"+", TW_TK_PLUS}, {"-", TW_TK_MINUS}, {"*", TW_TK_STAR},
    {"/", TW_TK_SLASH}, {"|", TW_TK_VBAR}, {"&", TW_TK_AMPER}, {"<", TW_TK_LESS},
    {">", TW_TK_GREATER}, {"=", TW_TK_EQUAL}, {".", TW_TK_DOT}, {"%", TW_TK_PERCENT},
    {"~", TW_TK_TILDE}, {"^", TW_TK_CIRCUMFLEX}, {"@", TW_TK_AT}, {"!", TW_TK_EXCLAMATION},
};

/* ---- the main loop ---------------------------------------------------------- */

/* Fill in tok's position from [start, tz->cur) and return kind. */
static int finish(TwTokenizer *tz, TwToken *tok, int kind, const char *start, int lineno,
                  const char *line_start)
{
    tok->kind = (uint8_t)kind;
    tok->start = start;
    tok->end = tz->cur;
    tok->lineno = lineno;
    tok->col = colno(tz, line_start, start);
    tok->end_lineno = tz->lineno;
    tok->end_col = colno(tz, tz->line_start, tz->cur);
    tz->last_kind = kind;
    return kind;
}

/* A zero-width token at p on the current line (NEWLINE, DEDENT, ENDMARKER). */
static int marker(TwTokenizer *tz, TwToken *tok, int kind, const char *p)
{
    const char *save = tz->cur;
    tz->cur = p;
    finish(tz, tok, kind, p, tz->lineno, tz->line_start);
    tz->cur = save;
    return kind;
}

/* The position of end of input as CPython reports it: the end of the last
 * line that holds any character (its '\n' excluded). */
static void eof_position(TwTokenizer *tz, int *lineno, const char **ls, const char **p)
{
    const char *e = tz->end;
    if (e > tz->buf && e[-1] == '\n' && tz->line_start == e) {
        const char *s = e - 1;
        while (s > tz->buf && s[-1] != '\n')
            s--;
        *lineno = tz->lineno - 1;
        *ls = s;
        *p = e - 1;
    } else {
        *lineno = tz->lineno;
        *ls = tz->line_start;
        *p = e;
    }
}

/* Emit the tokens due at end of input: NEWLINE, DEDENTs, ENDMARKER. */
static int at_eof(TwTokenizer *tz, TwToken *tok)
{
    if (tz->nested) {
        tz->done = 1;
        return marker(tz, tok, TW_TK_ENDMARKER, tz->end);
    }
    int lineno;
    const char *ls, *p;
    eof_position(tz, &lineno, &ls, &p);
    int kind;
    if (!tz->nested && tz->last_kind != -1 && tz->last_kind != TW_TK_NEWLINE &&
        tz->last_kind != TW_TK_DEDENT && tz->last_kind != TW_TK_INDENT) {
        kind = TW_TK_NEWLINE;
    } else if (!tz->nested && tz->indent > 0) {
        tz->indent--;
        kind = TW_TK_DEDENT;
    } else {
        kind = TW_TK_ENDMARKER;
        tz->done = 1;
    }
    const char *save_ls = tz->line_start;
    int save_lineno = tz->lineno;
    tz->line_start = ls;
    tz->lineno = lineno;
    marker(tz, tok, kind, p);
    tz->line_start = save_ls;
    tz->lineno = save_lineno;
    return kind;
}

/* Measure the indentation at the start of a line and queue INDENT/DEDENT
 * tokens, checking tabs against spaces as CPython does: the indentation
 * must compare the same way whether a tab advances to the next multiple of
 * 8 or counts as one column.  Blank and comment-only lines are skipped by
 * the caller. */
static int indentation(TwTokenizer *tz)
{
    int col = 0, altcol = 0;
    const char *p = tz->cur;
    for (; p < tz->end; p++) {
        if (*p == ' ') {
            col++;
            altcol++;
        } else if (*p == '\t') {
            col = (col / 8 + 1) * 8;
            altcol++;
        } else if (*p == '\f') {
            col = altcol = 0;
        } else {
            break;
        }
    }
    if (p >= tz->end || *p == '#' || *p == '\n')
        return 0; /* blank line: no indentation change */
    if (*p == '\\' && p + 1 < tz->end && p[1] == '\n')
        return 0;
    int lineno = tz->lineno;
    if (col == tz->indstack[tz->indent]) {
        if (altcol != tz->altindstack[tz->indent])
            goto tab_error;
    } else if (col > tz->indstack[tz->indent]) {
        if (tz->indent + 1 >= TW_TOK_MAXINDENT)
            return set_error(tz, TW_TOKERR_INDENT, lineno, 1, lineno, 0, "too many levels of indentation");
        if (altcol <= tz->altindstack[tz->indent])
            goto tab_error;
        tz->pendin++;
        tz->indent++;
        tz->indstack[tz->indent] = col;
        tz->altindstack[tz->indent] = altcol;
    } else {
        while (tz->indent > 0 && col < tz->indstack[tz->indent]) {
            tz->pendin--;
            tz->indent--;
        }
        if (col != tz->indstack[tz->indent]) {
            const char *e = p;
            while (e < tz->end && *e != '\n')
                e++;
            int end = colno(tz, tz->line_start, e) + 1;
            return set_error(tz, TW_TOKERR_INDENT, lineno, end, lineno, -1,
                             "unindent does not match any outer indentation level");
        }
        if (altcol != tz->altindstack[tz->indent])
            goto tab_error;
    }
    return 0;
tab_error:
    return set_error(tz, TW_TOKERR_TAB, lineno, 1, lineno, 0,
                     "inconsistent use of tabs and spaces in indentation");
}

/* The column CPython reports for a backslash at the end of the file: none
 * when it starts the line, else just after it. */
static int eof_col(TwTokenizer *tz, const char *backslash)
{
    return backslash == tz->line_start ? 0 : colno(tz, tz->line_start, backslash) + 2;
}

/* The error for an unexpected closing bracket. */
static int bracket_error(TwTokenizer *tz, const char *p, char close)
{
    int col = colno(tz, tz->line_start, p) + 1;
    if (tz->level == 0)
        return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                         tz->nested ? "f-string: unmatched '%c'" : "unmatched '%c'", close);
    char open = tz->parenstack[tz->level - 1];
    int oline = tz->parenlineno[tz->level - 1];
    if (oline != tz->lineno && !tz->nested)
        return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                         "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                         close, open, oline);
    return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                     "%sclosing parenthesis '%c' does not match opening parenthesis '%c'",
                     tz->nested ? "f-string: " : "", close, open);
}

static int next_token(TwTokenizer *tz, TwToken *tok);

int tw_tokenizer_next(TwTokenizer *tz, TwToken *tok)
{
    int kind = next_token(tz, tok);
    if (kind == TW_TK_ERROR) {
        /* An ERROR token sits where the error is, with nothing in it. */
        memset(tok, 0, sizeof *tok);
        tok->kind = TW_TK_ERROR;
        tok->lineno = tok->end_lineno = tz->err.lineno;
        tok->start = tok->end = tz->cur;
        tz->last_kind = TW_TK_ERROR;
    }
    return kind;
}

/* The next token (see tw_tokenizer_next). */
static int next_token(TwTokenizer *tz, TwToken *tok)
{
    memset(tok, 0, sizeof *tok);
    if (tz->done) {
        if (tz->last_kind == TW_TK_ERROR)
            return TW_TK_ERROR;
        return marker(tz, tok, TW_TK_ENDMARKER, tz->cur);
    }
    for (;;) {
        if (tz->atbol && !tz->nested) {
            tz->atbol = 0;
            if (tz->level == 0 && indentation(tz) == TW_TK_ERROR) {
                tz->last_kind = TW_TK_ERROR;
                return TW_TK_ERROR;
            }
        }
        if (tz->pendin != 0) {
            const char *p = tz->cur;
            while (p < tz->end && (*p == ' ' || *p == '\t' || *p == '\f'))
                p++;
            if (tz->pendin > 0) {
                tz->pendin--;
                /* An INDENT spans the indentation, so that "unexpected
                 * indent" can name its width. */
                tz->cur = p;
                return finish(tz, tok, TW_TK_INDENT, tz->line_start, tz->lineno, tz->line_start);
            }
            tz->pendin++;
            return marker(tz, tok, TW_TK_DEDENT, p);
        }
        /* Whitespace and comments. */
        const char *p = tz->cur;
        while (p < tz->end && (*p == ' ' || *p == '\t' || *p == '\f' || (tz->nested && *p == '\n'))) {
            if (*p == '\n') {
                tz->lineno++;
                tz->line_start = p + 1;
            }
            p++;
        }
        tz->cur = p;
        if (p < tz->end && *p == '#') {
            if (tz->nested) {
                tz->last_kind = TW_TK_ERROR;
                return error_at(tz, p, "f-string expression part cannot include '#'");
            }
            while (p < tz->end && *p != '\n')
                p++;
            tz->cur = p;
        }
        if (p >= tz->end) {
            if (tz->level > 0 && !tz->nested) {
                int l = tz->level - 1;
                tz->last_kind = TW_TK_ERROR;
                return set_error(tz, TW_TOKERR_EOF_IN_PAREN, tz->parenlineno[l], tz->parencol[l] + 1,
                                 tz->parenlineno[l], 0, "'%c' was never closed", tz->parenstack[l]);
            }
            return at_eof(tz, tok);
        }
        const char *start = p;
        unsigned char c = (unsigned char)*p;

        if (c == '\n') {
            int blank = tz->last_kind == -1 || tz->last_kind == TW_TK_NEWLINE ||
                        tz->last_kind == TW_TK_INDENT || tz->last_kind == TW_TK_DEDENT;
            if (tz->level > 0 || blank) {
                tz->lineno++;
                tz->line_start = tz->cur = p + 1;
                if (tz->level == 0)
                    tz->atbol = 1;
                continue;
            }
            marker(tz, tok, TW_TK_NEWLINE, p);
            tz->lineno++;
            tz->line_start = tz->cur = p + 1;
            tz->atbol = 1;
            return TW_TK_NEWLINE;
        }

        if (c == '\\') {
            if (tz->nested) {
                tz->last_kind = TW_TK_ERROR;
                return error_at(tz, p, "f-string expression part cannot include a backslash");
            }
            if (p + 1 < tz->end && p[1] == '\n') {
                if (p + 2 >= tz->end) {
                    /* At the end of the file: no column, as CPython. */
                    tz->last_kind = TW_TK_ERROR;
                    return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, eof_col(tz, p), tz->lineno, -1,
                                     "unexpected EOF while parsing");
                }
                tz->lineno++;
                tz->line_start = tz->cur = p + 2;
                continue;
            }
            if (p + 1 >= tz->end) {
                tz->last_kind = TW_TK_ERROR;
                return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, eof_col(tz, p), tz->lineno, -1,
                                 "unexpected EOF while parsing");
            }
            int col = colno(tz, tz->line_start, p) + 2;
            tz->last_kind = TW_TK_ERROR;
            return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, 0,
                             "unexpected character after line continuation character");
        }

        /* A field of an f-string counts as bracketed, as in CPython. */
        tok->level = tz->level + tz->nested;
        int lineno = tz->lineno;
        const char *line_start = tz->line_start;

        /* Names, keywords and string prefixes. */
        int n = id_char_len(p, tz->end, 1);
        if (n > 0) {
            const char *q = p + n;
            while ((n = id_char_len(q, tz->end, 0)) > 0)
                q += n;
            if (q < tz->end && (*q == '\'' || *q == '"')) {
                int flags = string_prefix_flags(p, (size_t)(q - p));
                if (flags >= 0) {
                    if (string_token(tz, tok, p, q, flags) == TW_TK_ERROR) {
                        tz->last_kind = TW_TK_ERROR;
                        return TW_TK_ERROR;
                    }
                    return finish(tz, tok, TW_TK_STRING, start, lineno, line_start);
                }
            }
            tz->cur = q;
            tok->kw = (uint8_t)keyword_of(p, (size_t)(q - p));
            return finish(tz, tok, TW_TK_NAME, start, lineno, line_start);
        }

        if (is_digit(c) || (c == '.' && p + 1 < tz->end && is_digit((unsigned char)p[1]))) {
            const char *q = number(tz, p);
            if (q == NULL) {
                tz->last_kind = TW_TK_ERROR;
                return TW_TK_ERROR;
            }
            tz->cur = q;
            return finish(tz, tok, TW_TK_NUMBER, start, lineno, line_start);
        }

        if (c == '\'' || c == '"') {
            if (string_token(tz, tok, p, p, 0) == TW_TK_ERROR) {
                tz->last_kind = TW_TK_ERROR;
                return TW_TK_ERROR;
            }
            return finish(tz, tok, TW_TK_STRING, start, lineno, line_start);
        }

        if (c >= 0x80) {
            int len;
            uint32_t cp = decode(p, &len);
            char ch[8] = {0};
            memcpy(ch, p, (size_t)len);
            int col = colno(tz, tz->line_start, p) + 1;
            tz->last_kind = TW_TK_ERROR;
            return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                             "invalid character '%s' (U+%04X)", ch, (unsigned)cp);
        }

        /* In an f-string field, these end the expression. */
        if (tz->nested && tz->level == 0 &&
            (c == '}' || c == ':' || (c == '!' && !(p + 1 < tz->end && p[1] == '=')) ||
             (c == '=' && !(p + 1 < tz->end && p[1] == '=')))) {
            tz->done = 1;
            return marker(tz, tok, TW_TK_ENDMARKER, p);
        }

        for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
            size_t len = strlen(operators[i].text);
            if ((size_t)(tz->end - p) < len || memcmp(p, operators[i].text, len) != 0)
                continue;
            int kind = operators[i].kind;
            if (kind == TW_TK_EXCLAMATION)
                break; /* a lone '!' is not a token outside f-strings */
            if (kind == TW_TK_LPAR || kind == TW_TK_LSQB || kind == TW_TK_LBRACE) {
                if (tz->level >= TW_TOK_MAXLEVEL) {
                    int col = colno(tz, tz->line_start, p) + 1;
                    tz->last_kind = TW_TK_ERROR;
                    return set_error(tz, TW_TOKERR_SYNTAX, tz->lineno, col, tz->lineno, col,
                                     "too many nested parentheses");
                }
                tz->parenstack[tz->level] = (char)c;
                tz->parenlineno[tz->level] = tz->lineno;
                tz->parencol[tz->level] = colno(tz, tz->line_start, p);
                tz->level++;
            } else if (kind == TW_TK_RPAR || kind == TW_TK_RSQB || kind == TW_TK_RBRACE) {
                char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                if (tz->level == 0 || tz->parenstack[tz->level - 1] != open) {
                    tz->last_kind = TW_TK_ERROR;
                    return bracket_error(tz, p, (char)c);
                }
                tz->level--;
            }
            tz->cur = p + len;
            return finish(tz, tok, kind, start, lineno, line_start);
        }

        /* '$', '?', '`', a lone '!': no token starts with these; the
         * parser reports "invalid syntax" there. */
        tz->cur = p + 1;
        return finish(tz, tok, TW_TK_OTHER, start, lineno, line_start);
    }
}
