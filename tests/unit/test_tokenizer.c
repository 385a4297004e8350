/* Tokenizer: token kinds and positions, indentation (INDENT/DEDENT, tab
 * consistency), continuation lines, literals, f-string extents, and the
 * errors CPython's tokenizer reports (message, line, 1-based offsets as
 * python3 shows them for the same input). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "core/tokenizer.h"

TestSuite(tokenizer, .init = tw_test_setup, .fini = tw_test_teardown);

#define MAX_TOKENS 1024

typedef struct {
    TwTokenizer tz;
    TwToken toks[MAX_TOKENS];
    int n;
} Tokens;

/* Tokenize src as a module up to ENDMARKER or ERROR. */
static Tokens *tokenize(const char *src)
{
    static Tokens t;
    tw_tokenizer_init(&t.tz, src, strlen(src));
    t.n = 0;
    for (;;) {
        cr_assert_lt(t.n, MAX_TOKENS, "too many tokens for %s", src);
        int kind = tw_tokenizer_next(&t.tz, &t.toks[t.n]);
        t.n++;
        if (kind == TW_TK_ENDMARKER || kind == TW_TK_ERROR)
            break;
    }
    return &t;
}

/* The kinds of all tokens, as a string of one letter each:
 * N name, 1 number, S string, L newline, > indent, < dedent, E end,
 * ! error, o any operator. */
static const char *shape(const Tokens *t)
{
    static char buf[MAX_TOKENS + 1];
    for (int i = 0; i < t->n; i++) {
        switch (t->toks[i].kind) {
        case TW_TK_NAME: buf[i] = 'N'; break;
        case TW_TK_NUMBER: buf[i] = '1'; break;
        case TW_TK_STRING: buf[i] = 'S'; break;
        case TW_TK_NEWLINE: buf[i] = 'L'; break;
        case TW_TK_INDENT: buf[i] = '>'; break;
        case TW_TK_DEDENT: buf[i] = '<'; break;
        case TW_TK_ENDMARKER: buf[i] = 'E'; break;
        case TW_TK_ERROR: buf[i] = '!'; break;
        default: buf[i] = 'o'; break;
        }
    }
    buf[t->n] = '\0';
    return buf;
}

static void assert_shape(const char *src, const char *expected)
{
    Tokens *t = tokenize(src);
    cr_assert_str_eq(shape(t), expected, "tokens of \"%s\"", src);
}

static void assert_pos(const TwToken *tok, int lineno, int col, int end_lineno, int end_col)
{
    cr_assert(tok->lineno == lineno && tok->col == col && tok->end_lineno == end_lineno &&
                  tok->end_col == end_col,
              "token at %d:%d-%d:%d, expected %d:%d-%d:%d", tok->lineno, tok->col, tok->end_lineno,
              tok->end_col, lineno, col, end_lineno, end_col);
}

static int text_is(const TwToken *tok, const char *text)
{
    return (size_t)(tok->end - tok->start) == strlen(text) && memcmp(tok->start, text, strlen(text)) == 0;
}

/* src must fail with `msg` at (lineno, offset) .. (end_lineno, end_offset). */
static void assert_error(const char *src, TwTokErrKind kind, const char *msg, int lineno, int offset,
                         int end_lineno, int end_offset)
{
    Tokens *t = tokenize(src);
    cr_assert_eq(t->toks[t->n - 1].kind, TW_TK_ERROR, "no error for \"%s\"", src);
    const TwTokError *e = &t->tz.err;
    cr_assert_eq(e->kind, kind, "error kind for \"%s\"", src);
    cr_assert_str_eq(e->msg, msg, "message for \"%s\"", src);
    cr_assert(e->lineno == lineno && e->offset == offset && e->end_lineno == end_lineno &&
                  e->end_offset == end_offset,
              "\"%s\": error at %d:%d-%d:%d, expected %d:%d-%d:%d", src, e->lineno, e->offset,
              e->end_lineno, e->end_offset, lineno, offset, end_lineno, end_offset);
}

Test(tokenizer, simple_statement_has_positions_in_code_points)
{
    Tokens *t = tokenize("x = f(1)\n");
    cr_assert_str_eq(shape(t), "NoNo1oLE");
    assert_pos(&t->toks[0], 1, 0, 1, 1);
    assert_pos(&t->toks[1], 1, 2, 1, 3);
    assert_pos(&t->toks[4], 1, 6, 1, 7);
    cr_assert_eq(t->toks[1].kind, TW_TK_EQUAL);
    cr_assert_eq(t->toks[3].kind, TW_TK_LPAR);
    /* NEWLINE is zero-width at the end of the line */
    assert_pos(&t->toks[6], 1, 8, 1, 8);
}

Test(tokenizer, columns_count_code_points_not_bytes)
{
    Tokens *t = tokenize("é = 'ü€' + x\n");
    assert_pos(&t->toks[0], 1, 0, 1, 1);
    assert_pos(&t->toks[2], 1, 4, 1, 8);
    assert_pos(&t->toks[4], 1, 11, 1, 12);
}

Test(tokenizer, keywords_are_names_with_a_keyword_id)
{
    Tokens *t = tokenize("if not x is None: pass\n");
    cr_assert_eq(t->toks[0].kw, TW_KW_IF);
    cr_assert_eq(t->toks[1].kw, TW_KW_NOT);
    cr_assert_eq(t->toks[2].kw, 0);
    cr_assert_eq(t->toks[3].kw, TW_KW_IS);
    cr_assert_eq(t->toks[4].kw, TW_KW_NONE);
    cr_assert_eq(t->toks[6].kw, TW_KW_PASS);
    /* soft keywords are plain names */
    t = tokenize("match case type\n");
    cr_assert(t->toks[0].kw == 0 && t->toks[1].kw == 0 && t->toks[2].kw == 0);
}

Test(tokenizer, operators_take_the_longest_match)
{
    Tokens *t = tokenize("a **= b // c >>= d -> ... := !=\n");
    cr_assert_eq(t->toks[1].kind, TW_TK_DOUBLESTAREQUAL);
    cr_assert_eq(t->toks[3].kind, TW_TK_DOUBLESLASH);
    cr_assert_eq(t->toks[5].kind, TW_TK_RIGHTSHIFTEQUAL);
    cr_assert_eq(t->toks[7].kind, TW_TK_RARROW);
    cr_assert_eq(t->toks[8].kind, TW_TK_ELLIPSIS);
    cr_assert_eq(t->toks[9].kind, TW_TK_COLONEQUAL);
    cr_assert_eq(t->toks[10].kind, TW_TK_NOTEQUAL);
}

Test(tokenizer, indentation_produces_indent_and_dedent)
{
    assert_shape("if x:\n    y\n    z\nw\n", "NNoL>NLNL<NLE");
    assert_shape("if x:\n  if y:\n    z\nw\n", "NNoL>NNoL>NL<<NLE");
    /* dedents at the end of input */
    assert_shape("if x:\n  if y:\n    z\n", "NNoL>NNoL>NL<<E");
}

Test(tokenizer, blank_and_comment_lines_are_skipped)
{
    assert_shape("\n\n# c\nx = 1  # trailing\n\n   \n  # indented comment\ny\n", "No1LNLE");
    assert_shape("if x:\n    a\n\n# c\n    b\n", "NNoL>NLNL<E");
}

Test(tokenizer, no_newline_inside_brackets_or_after_backslash)
{
    assert_shape("x = (1,\n  2,\n\n 3)\n", "Noo1o1o1oLE");
    assert_shape("x = 1 + \\\n    2\n", "No1o1LE");
    Tokens *t = tokenize("x = [\n  1]\n");
    assert_pos(&t->toks[3], 2, 2, 2, 3);
}

Test(tokenizer, input_without_final_newline_still_ends_the_line)
{
    Tokens *t = tokenize("x = 1");
    cr_assert_str_eq(shape(t), "No1LE");
    assert_pos(&t->toks[3], 1, 5, 1, 5);
    assert_shape("", "E");
    assert_shape("\n\n", "E");
    assert_shape("if x:\n  y", "NNoL>NL<E");
}

Test(tokenizer, tabs_and_spaces_must_agree)
{
    /* a tab is eight columns: consistent when both readings agree */
    assert_shape("if x:\n\ty\n\tz\n", "NNoL>NLNL<E");
    assert_error("if 1:\n\tif 2:\n        pass\n", TW_TOKERR_TAB,
                 "inconsistent use of tabs and spaces in indentation", 3, 1, 3, 0);
    assert_error("def f():\n  x\n\ty\n", TW_TOKERR_TAB,
                 "inconsistent use of tabs and spaces in indentation", 3, 1, 3, 0);
}

Test(tokenizer, unindent_must_match_an_outer_level)
{
    assert_error("if x:\n    a\n  b\n", TW_TOKERR_INDENT,
                 "unindent does not match any outer indentation level", 3, 4, 3, -1);
}

Test(tokenizer, at_most_100_indentation_levels)
{
    char src[20000] = "";
    for (int i = 0; i < 101; i++) {
        for (int k = 0; k < i; k++)
            strcat(src, " ");
        strcat(src, "if x:\n");
    }
    assert_error(src, TW_TOKERR_INDENT, "too many levels of indentation", 101, 1, 101, 0);
}

Test(tokenizer, numbers_in_every_form)
{
    const char *good[] = {"0", "00", "0_0", "7", "1_000", "0x1F", "0XdeadBEEF", "0x_1", "0o17", "0b1010",
                          "1.5", "1.", ".5", "1e10", "1E+5", "1.5e-3", "1_0.0_1", "09.5", "0e0", "1j"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char src[64];
        snprintf(src, sizeof src, "%s\n", good[i]);
        Tokens *t = tokenize(src);
        cr_assert_str_eq(shape(t), "1LE", "tokens of %s", good[i]);
        cr_assert(text_is(&t->toks[0], good[i]), "the number %s is one token", good[i]);
    }
    /* a keyword may follow a number directly */
    assert_shape("1if x else 2\n", "1NNN1LE");
}

Test(tokenizer, invalid_numbers_are_reported_where_cpython_reports_them)
{
    assert_error("x = 1a\n", TW_TOKERR_SYNTAX, "invalid decimal literal", 1, 5, 1, 5);
    assert_error("x = 1_\n", TW_TOKERR_SYNTAX, "invalid decimal literal", 1, 6, 1, 6);
    assert_error("x = 1__0\n", TW_TOKERR_SYNTAX, "invalid decimal literal", 1, 6, 1, 6);
    assert_error("x = 1e\n", TW_TOKERR_SYNTAX, "invalid decimal literal", 1, 5, 1, 5);
    assert_error("1e+\n", TW_TOKERR_SYNTAX, "invalid decimal literal", 1, 3, 1, 3);
    assert_error("x = 0x\n", TW_TOKERR_SYNTAX, "invalid hexadecimal literal", 1, 6, 1, 6);
    assert_error("x = 0b2\n", TW_TOKERR_SYNTAX, "invalid digit '2' in binary literal", 1, 7, 1, 7);
    assert_error("x = 0o8\n", TW_TOKERR_SYNTAX, "invalid digit '8' in octal literal", 1, 7, 1, 7);
    assert_error("x = 09\n", TW_TOKERR_SYNTAX,
                 "leading zeros in decimal integer literals are not permitted; use an 0o prefix for "
                 "octal integers",
                 1, 5, 1, 6);
}

Test(tokenizer, string_prefixes_and_quotes)
{
    Tokens *t = tokenize("'a' \"b\" r'\\n' b'x' Rb'y' f'{z}' rf'w' u'v'\n");
    cr_assert_str_eq(shape(t), "SSSSSSSSLE");
    cr_assert_eq(t->toks[0].str_flags, 0);
    cr_assert_eq(t->toks[2].str_flags, TW_STR_RAW);
    cr_assert_eq(t->toks[3].str_flags, TW_STR_BYTES);
    cr_assert_eq(t->toks[4].str_flags, TW_STR_BYTES | TW_STR_RAW);
    cr_assert_eq(t->toks[4].prefix_len, 2);
    cr_assert_eq(t->toks[5].str_flags, TW_STR_FORMAT);
    cr_assert_eq(t->toks[6].str_flags, TW_STR_FORMAT | TW_STR_RAW);
    cr_assert_eq(t->toks[7].str_flags, 0);
    /* not prefixes: a name then a string */
    assert_shape("bu'x'\n", "NSLE");
}

Test(tokenizer, triple_quoted_strings_span_lines)
{
    Tokens *t = tokenize("x = '''a\nb'c\n''' + 1\n");
    cr_assert_str_eq(shape(t), "NoSo1LE");
    cr_assert(t->toks[2].str_flags & TW_STR_TRIPLE);
    assert_pos(&t->toks[2], 1, 4, 3, 3);
    assert_pos(&t->toks[4], 3, 6, 3, 7);
}

Test(tokenizer, escaped_quotes_and_line_continuations_stay_inside_strings)
{
    Tokens *t = tokenize("s = 'a\\'b' 'c\\\nd'\n");
    cr_assert_str_eq(shape(t), "NoSSLE");
    assert_pos(&t->toks[3], 1, 11, 2, 2);
}

Test(tokenizer, fstring_fields_may_hold_strings_in_any_quote)
{
    Tokens *t = tokenize("f\"{d[\"k\"]!r:>{w}} {'}'}\" + x\n");
    cr_assert_str_eq(shape(t), "SoNLE");
    t = tokenize("f'''{\n x\n}''' + 1\n");
    cr_assert_str_eq(shape(t), "So1LE");
}

Test(tokenizer, unterminated_strings)
{
    assert_error("s = 'abc\n", TW_TOKERR_SYNTAX, "unterminated string literal (detected at line 1)", 1, 5,
                 1, 5);
    assert_error("s = \"\"\"abc\n\n", TW_TOKERR_SYNTAX,
                 "unterminated triple-quoted string literal (detected at line 2)", 1, 5, 1, 5);
    assert_error("'''a\nb\nc", TW_TOKERR_SYNTAX,
                 "unterminated triple-quoted string literal (detected at line 3)", 1, 1, 1, 1);
    assert_error("x = 1\n'''\n", TW_TOKERR_SYNTAX,
                 "unterminated triple-quoted string literal (detected at line 2)", 2, 1, 2, 1);
}

Test(tokenizer, brackets_must_match)
{
    assert_error("x = )\n", TW_TOKERR_SYNTAX, "unmatched ')'", 1, 5, 1, 5);
    assert_error("x = (]\n", TW_TOKERR_SYNTAX,
                 "closing parenthesis ']' does not match opening parenthesis '('", 1, 6, 1, 6);
    assert_error("x = (\n]\n", TW_TOKERR_SYNTAX,
                 "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 1, 2, 1);
    assert_error("x = [1,\n2,\n", TW_TOKERR_EOF_IN_PAREN, "'[' was never closed", 1, 5, 1, 0);
}

Test(tokenizer, at_most_200_nested_brackets)
{
    char src[512];
    memset(src, '(', 201);
    src[201] = '\0';
    assert_error(src, TW_TOKERR_SYNTAX, "too many nested parentheses", 1, 201, 1, 201);
    memset(src, '[', 200);
    memset(src + 200, ']', 200);
    src[400] = '\0';
    Tokens *t = tokenize(src);
    cr_assert_neq(t->toks[t->n - 1].kind, TW_TK_ERROR);
}

Test(tokenizer, stray_characters)
{
    assert_error("x = \xe2\x82\xac\n", TW_TOKERR_SYNTAX, "invalid character '\xe2\x82\xac' (U+20AC)", 1, 5,
                 1, 5);
    assert_error("x = 1 \\ 2\n", TW_TOKERR_SYNTAX,
                 "unexpected character after line continuation character", 1, 8, 1, 0);
    assert_error("x = \\", TW_TOKERR_SYNTAX, "unexpected EOF while parsing", 1, 6, 1, -1);
    /* '$' is a token no rule accepts: the parser says "invalid syntax" there */
    Tokens *t = tokenize("x = $\n");
    cr_assert_eq(t->toks[2].kind, TW_TK_OTHER);
}

Test(tokenizer, nested_mode_stops_where_a_field_expression_ends)
{
    const char *cases[][2] = {
        {"a + b}", "}"}, {"x!r}", "!"}, {"x:>10}", ":"}, {"x=}", "="},
        {"d[1:2]}", "}"}, {"(a, b)!s}", "!"}, {"a != b}", "}"}, {"a == b}", "}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i][0];
        TwTokenizer tz;
        TwToken tok;
        tw_tokenizer_init_nested(&tz, s, s + strlen(s), 1, s);
        while (tw_tokenizer_next(&tz, &tok) != TW_TK_ENDMARKER)
            cr_assert_neq(tok.kind, TW_TK_ERROR, "error in %s", s);
        cr_assert_eq(*tok.start, cases[i][1][0], "%s stops at '%c'", s, *tok.start);
    }
}
