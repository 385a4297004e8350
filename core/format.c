/* Text formatting: the format-spec mini-language, printf-style `%`
 * formatting and str.format (core/format.h).
 *
 * Everything is built as UTF-8 in a growable buffer and turned into a str
 * at the end.  Numbers are laid out in one place (emit_number): a sign, a
 * prefix ("0x"), the integer digits (grouped with ',' or '_'), the rest
 * (fraction, exponent, '%'), then padding by the fill character according
 * to the alignment.  Digits come from tw_int_digits for ints and from
 * glibc's printf for floats (correctly rounded, ties to even on the exact
 * binary value, which is what CPython's own conversion gives); the repr
 * form comes from float.c.  Widths count code points.
 *
 * Error messages are CPython 3.11's, checked by tests/unit/test_format.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/builtins.h"
#include "core/format.h"
#include "core/scalar.h"

/* ---- output buffer ----------------------------------------------------------- */

typedef struct {
    char *p;
    size_t n, cap;
    int failed; /* an allocation failed: MemoryError is set */
    char small[200];
} Buf;

static void buf_init(Buf *b)
{
    b->p = b->small;
    b->n = 0;
    b->cap = sizeof b->small;
    b->failed = 0;
}

static void buf_free(Buf *b)
{
    if (b->p != b->small)
        tw_mem_free(b->p);
}

/* Room for `extra` more bytes: 0, or -1 (MemoryError set, buffer marked failed). */
static int buf_reserve(Buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->n + extra <= b->cap)
        return 0;
    size_t cap = b->cap * 2;
    while (cap < b->n + extra)
        cap *= 2;
    char *p;
    if (b->p == b->small) {
        p = tw_mem_malloc(cap);
        if (p != NULL)
            memcpy(p, b->small, b->n);
    } else {
        p = tw_mem_realloc(b->p, cap);
    }
    if (p == NULL) {
        b->failed = 1;
        tw_err_no_memory();
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static void buf_put(Buf *b, const char *s, size_t n)
{
    if (n == 0 || buf_reserve(b, n) < 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void buf_putc(Buf *b, char c)
{
    buf_put(b, &c, 1);
}

/* The UTF-8 encoding of cp into out (4 bytes at most); returns its length. */
static int utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* `count` copies of the code point cp. */
static void buf_fill(Buf *b, uint32_t cp, int64_t count)
{
    char enc[4];
    int len = utf8_encode(cp, enc);
    if (count <= 0 || buf_reserve(b, (size_t)count * (size_t)len) < 0)
        return;
    for (int64_t i = 0; i < count; i++) {
        memcpy(b->p + b->n, enc, (size_t)len);
        b->n += (size_t)len;
    }
}

/* The buffer as a new str (the buffer is freed either way). */
static TwObject *buf_finish(Buf *b)
{
    TwObject *r = b->failed ? NULL : tw_str_from_utf8(b->p, b->n);
    buf_free(b);
    return r;
}

/* The number of code points in n bytes of valid UTF-8. */
static int64_t count_cp(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The byte length of the first `cps` code points of s (n bytes). */
static size_t cp_prefix_bytes(const char *s, size_t n, int64_t cps)
{
    size_t i = 0;
    while (i < n && cps > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps--;
    }
    return i;
}

/* Decode the code point at s (valid UTF-8); *len gets its byte length. */
static uint32_t utf8_decode(const char *s, int *len)
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

/* ---- the format spec ----------------------------------------------------------- */

static int is_align(char c)
{
    return c == '<' || c == '>' || c == '^' || c == '=';
}

/* A type code as CPython shows it in messages: the character itself when
 * printable ASCII, else \x followed by its hex value. */
static void type_text(char type, char out[8])
{
    unsigned c = (unsigned char)type;
    if (c > 32 && c < 128)
        snprintf(out, 8, "%c", c);
    else
        snprintf(out, 8, "\\x%x", c);
}

/* Read a run of decimal digits at *p: the value, or -1 when there is none;
 * -2 with ValueError when it is too large. */
static int64_t read_number(const char **p, const char *end)
{
    int64_t v = -1;
    while (*p < end && **p >= '0' && **p <= '9') {
        int d = **p - '0';
        if (v < 0)
            v = 0;
        if (v > (INT64_MAX - d) / 10) {
            tw_err_set_string(&tw_exc_ValueError, "Too many decimal digits in format string");
            return -2;
        }
        v = v * 10 + d;
        (*p)++;
    }
    return v;
}

/* Parse [[fill]align][sign][z][#][0][width][grouping][.precision][type].
 * default_type is the type used for grouping checks when none is given
 * ('d' for int, 's' for str, 0 for float); tname names the value's type
 * in messages.  0, or -1 with ValueError. */
static int parse_spec(const char *spec, size_t n, char default_type, const char *tname,
                      TwFormatSpec *f)
{
    const char *p = spec, *end = spec + n;
    f->fill = ' ';
    f->align = 0;
    f->sign = 0;
    f->alternate = 0;
    f->zero = 0;
    f->grouping = 0;
    f->type = default_type;
    f->width = -1;
    f->precision = -1;
    int fill_given = 0;
    int first_len = 0;
    if (p < end)
        utf8_decode(p, &first_len);
    if (p + first_len < end && is_align(p[first_len])) {
        f->fill = utf8_decode(p, &first_len);
        f->align = p[first_len];
        fill_given = 1;
        p += first_len + 1;
    } else if (p < end && is_align(*p)) {
        f->align = *p++;
    }
    if (p < end && (*p == '+' || *p == '-' || *p == ' '))
        f->sign = *p++;
    int z = 0;
    if (p < end && *p == 'z') {
        z = 1;
        p++;
    }
    if (p < end && *p == '#') {
        f->alternate = 1;
        p++;
    }
    if (!fill_given && p < end && *p == '0') {
        f->zero = 1;
        f->fill = '0';
        if (f->align == 0 && default_type != 's')
            f->align = '=';
        p++;
    }
    f->width = read_number(&p, end);
    if (f->width == -2)
        return -1;
    if (p < end && (*p == ',' || *p == '_')) {
        f->grouping = *p++;
        if (p < end && (*p == ',' || *p == '_')) {
            tw_err_set_string(&tw_exc_ValueError, "Cannot specify both ',' and '_'.");
            return -1;
        }
    }
    if (p < end && *p == '.') {
        p++;
        f->precision = read_number(&p, end);
        if (f->precision == -2)
            return -1;
        if (f->precision == -1) {
            tw_err_set_string(&tw_exc_ValueError, "Format specifier missing precision");
            return -1;
        }
    }
    if (end - p > 1) {
        tw_err_format(&tw_exc_ValueError, "Invalid format specifier '%.*s' for object of type '%s'",
                      (int)n, spec, tname);
        return -1;
    }
    if (p < end)
        f->type = *p;
    if (f->grouping) {
        char t = f->type;
        int ok = t == 'd' || t == 'e' || t == 'f' || t == 'g' || t == 'E' || t == 'G' ||
                 t == '%' || t == 'F' || t == 0;
        if (f->grouping == '_' && (t == 'b' || t == 'o' || t == 'x' || t == 'X'))
            ok = 1;
        if (!ok) {
            char tt[8];
            type_text(t, tt);
            tw_err_format(&tw_exc_ValueError, "Cannot specify '%c' with '%s'.", f->grouping, tt);
            return -1;
        }
    }
    f->zero |= (char)(z << 1); /* bit 1: the z flag */
    return 0;
}

int tw_format_parse_spec(const char *spec, size_t n, TwFormatSpec *out)
{
    return parse_spec(spec, n, 0, "object", out);
}

static int z_flag(const TwFormatSpec *f)
{
    return (f->zero & 2) != 0;
}

static TwObject *unknown_code(char type, const char *tname)
{
    char tt[8];
    type_text(type, tt);
    tw_err_format(&tw_exc_ValueError, "Unknown format code '%s' for object of type '%s'", tt,
                  tname);
    return NULL;
}

/* ---- laying out numbers ---------------------------------------------------------- */

/* Append `digits` (nd ASCII digits) grouped by `sep` every `group` digits,
 * after first extending them with leading zeros to `min_digits`. */
static void put_grouped(Buf *b, const char *digits, size_t nd, char sep, int group,
                        size_t min_digits)
{
    size_t total = nd > min_digits ? nd : min_digits;
    for (size_t i = 0; i < total; i++) {
        if (sep && i > 0 && (total - i) % (size_t)group == 0)
            buf_putc(b, sep);
        size_t lead = total - nd;
        buf_putc(b, i < lead ? '0' : digits[i - lead]);
    }
}

static size_t grouped_len(size_t nd, char sep, int group)
{
    return sep && nd > 0 ? nd + (nd - 1) / (size_t)group : nd;
}

/* Lay out sign, prefix, integer digits (grouped), rest, padded to the
 * width.  Numbers align right by default; '=' pads between the sign and
 * prefix and the digits, and with a '0' fill the padding itself becomes
 * grouped leading zeros ("00,001,234"). */
static void emit_number(Buf *b, const TwFormatSpec *f, char sign, const char *prefix,
                        const char *digits, size_t nd, const char *rest, size_t nrest, int group)
{
    size_t nsign = sign ? 1 : 0, nprefix = strlen(prefix);
    char sep = f->grouping;
    char align = f->align ? f->align : '>';
    size_t min_digits = nd;
    if (f->fill == '0' && align == '=' && f->width > 0) {
        int64_t need = f->width - (int64_t)(nsign + nprefix + nrest);
        while ((int64_t)grouped_len(min_digits, sep, group) < need)
            min_digits++;
    }
    int64_t body = (int64_t)(nsign + nprefix + grouped_len(min_digits, sep, group) + nrest);
    int64_t pad = f->width > body ? f->width - body : 0;
    int64_t left = 0, right = 0, middle = 0;
    if (align == '<')
        right = pad;
    else if (align == '^') {
        left = pad / 2;
        right = pad - left;
    } else if (align == '=')
        middle = pad;
    else
        left = pad;
    buf_fill(b, f->fill, left);
    if (sign)
        buf_putc(b, sign);
    buf_put(b, prefix, nprefix);
    buf_fill(b, f->fill, middle);
    put_grouped(b, digits, nd, sep, group, min_digits);
    buf_put(b, rest, nrest);
    buf_fill(b, f->fill, right);
}

/* Pad text (UTF-8) to the width; default alignment `dflt`. */
static void emit_text(Buf *b, const TwFormatSpec *f, const char *s, size_t n, char dflt)
{
    int64_t len = count_cp(s, n);
    int64_t pad = f->width > len ? f->width - len : 0;
    char align = f->align ? f->align : dflt;
    int64_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    buf_fill(b, f->fill, left);
    buf_put(b, s, n);
    buf_fill(b, f->fill, pad - left);
}

/* ---- floats ------------------------------------------------------------------------ */

/* printf into a fresh buffer from tw_mem_malloc (NULL: MemoryError set). */
static char *print_double(const char *fmt, int prec, double x)
{
    int len = snprintf(NULL, 0, fmt, prec, x);
    char *s = tw_mem_malloc((size_t)len + 1);
    if (s == NULL)
        return (char *)tw_err_no_memory();
    snprintf(s, (size_t)len + 1, fmt, prec, x);
    return s;
}

/* Remove trailing zeros of the fraction in s (and the point when nothing
 * follows it), keeping an exponent suffix. */
static void strip_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (dot == NULL)
        return;
    char *e = strpbrk(s, "eE");
    char *stop = e != NULL ? e : s + strlen(s);
    char *q = stop;
    while (q > dot + 1 && q[-1] == '0')
        q--;
    if (q == dot + 1)
        q = dot;
    memmove(q, stop, strlen(stop) + 1);
}

/* The text of |x| (finite) for the type and precision, without sign:
 * a buffer from tw_mem_malloc.  Types: e E f F g G % n, or 0 (repr when
 * prec < 0, else the 'g'-like form that keeps one fractional digit). */
static char *float_body(double ax, char type, int64_t prec, int alternate)
{
    char *s = NULL;
    int p = prec < 0 ? 6 : prec > 1000000 ? 1000000 : (int)prec;
    switch (type) {
    case 'e':
        return print_double(alternate ? "%#.*e" : "%.*e", p, ax);
    case 'E':
        return print_double(alternate ? "%#.*E" : "%.*E", p, ax);
    case 'f':
    case 'F':
        return print_double(alternate ? "%#.*f" : "%.*f", p, ax);
    case '%':
        s = print_double(alternate ? "%#.*f" : "%.*f", p, ax * 100.0);
        if (s != NULL) {
            size_t len = strlen(s);
            char *t = tw_mem_realloc(s, len + 2);
            if (t == NULL) {
                tw_mem_free(s);
                return (char *)tw_err_no_memory();
            }
            t[len] = '%';
            t[len + 1] = '\0';
            s = t;
        }
        return s;
    case 'g':
    case 'G':
    case 'n':
        if (p == 0)
            p = 1;
        return print_double(alternate ? (type == 'G' ? "%#.*G" : "%#.*g")
                                      : (type == 'G' ? "%.*G" : "%.*g"),
                            p, ax);
    default:
        break;
    }
    /* Type 0. */
    if (prec < 0) {
        char buf[40];
        tw_float_repr_buf(ax, buf);
        size_t len = strlen(buf);
        s = tw_mem_malloc(len + 3);
        if (s == NULL)
            return (char *)tw_err_no_memory();
        memcpy(s, buf, len + 1);
        if (alternate && strchr(s, '.') == NULL) {
            /* "1e+16" becomes "1.e+16" */
            char *e = strchr(s, 'e');
            if (e != NULL) {
                memmove(e + 1, e, strlen(e) + 1);
                *e = '.';
            }
        }
        return s;
    }
    if (p == 0)
        p = 1;
    /* The exponent of the value rounded to p digits picks the notation:
     * scientific when it is below -4 or at least p - 1. */
    char *e = print_double("%.*e", p - 1, ax);
    if (e == NULL)
        return NULL;
    int exp10 = atoi(strchr(e, 'e') + 1);
    if (exp10 < -4 || exp10 >= p - 1) {
        if (!alternate)
            strip_zeros(e);
        return e;
    }
    tw_mem_free(e);
    s = print_double(alternate ? "%#.*f" : "%.*f", p - 1 - exp10, ax);
    if (s == NULL)
        return NULL;
    if (!alternate)
        strip_zeros(s);
    if (strchr(s, '.') == NULL) {
        size_t len = strlen(s);
        char *t = tw_mem_realloc(s, len + 3);
        if (t == NULL) {
            tw_mem_free(s);
            return (char *)tw_err_no_memory();
        }
        memcpy(t + len, ".0", 3);
        s = t;
    }
    return s;
}

/* format(x, spec) for a double, with f already parsed. */
static int format_double(Buf *b, double x, const TwFormatSpec *f, const char *tname)
{
    char type = f->type;
    switch (type) {
    case 0:
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%':
    case 'n':
        break;
    default:
        unknown_code(type, tname);
        return -1;
    }
    int negative = signbit(x) && !isnan(x);
    double ax = fabs(x);
    char *body;
    if (!isfinite(x)) {
        int upper = type == 'E' || type == 'F' || type == 'G';
        const char *word = isnan(x) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        size_t len = strlen(word);
        body = tw_mem_malloc(len + 2);
        if (body == NULL) {
            tw_err_no_memory();
            return -1;
        }
        memcpy(body, word, len + 1);
        if (type == '%')
            memcpy(body + len, "%", 2);
    } else {
        body = float_body(ax, type, f->precision, f->alternate);
        if (body == NULL)
            return -1;
        if (negative && z_flag(f)) {
            /* 'z': a result that rounded to zero loses its minus sign. */
            int all_zero = 1;
            for (char *q = body; *q && *q != 'e' && *q != 'E'; q++)
                if (*q >= '1' && *q <= '9')
                    all_zero = 0;
            if (all_zero)
                negative = 0;
        }
    }
    char sign = negative ? '-' : f->sign == '+' ? '+' : f->sign == ' ' ? ' ' : 0;
    size_t nd = 0;
    if (isfinite(x))
        while (body[nd] >= '0' && body[nd] <= '9')
            nd++;
    else
        nd = 0;
    const char *rest = body + nd;
    TwFormatSpec g = *f;
    if (!isfinite(x))
        g.grouping = 0; /* "inf" has no digits to group, nor has its padding */
    emit_number(b, &g, sign, "", body, nd, rest, strlen(rest), 3);
    tw_mem_free(body);
    return b->failed ? -1 : 0;
}

/* ---- ints ----------------------------------------------------------------------------- */

static int format_int(Buf *b, TwObject *v, const TwFormatSpec *f, const char *tname)
{
    char type = f->type;
    int base = 10;
    switch (type) {
    case 'd':
    case 'n':
        break;
    case 'b':
        base = 2;
        break;
    case 'o':
        base = 8;
        break;
    case 'x':
    case 'X':
        base = 16;
        break;
    case 'c':
        break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%': {
        double d = tw_int_as_double(v);
        if (d == -1.0 && tw_err_occurred())
            return -1;
        return format_double(b, d, f, tname);
    }
    default:
        unknown_code(type, tname);
        return -1;
    }
    if (f->precision >= 0) {
        tw_err_set_string(&tw_exc_ValueError, "Precision not allowed in integer format specifier");
        return -1;
    }
    if (z_flag(f)) {
        tw_err_set_string(&tw_exc_ValueError,
                          "Negative zero coercion (z) not allowed in integer format specifier");
        return -1;
    }
    if (type == 'n' && f->grouping) {
        tw_err_format(&tw_exc_ValueError, "Cannot specify '%c' with 'n'.", f->grouping);
        return -1;
    }
    if (type == 'c') {
        if (f->sign) {
            tw_err_set_string(&tw_exc_ValueError,
                              "Sign not allowed with integer format specifier 'c'");
            return -1;
        }
        if (f->alternate) {
            tw_err_set_string(&tw_exc_ValueError,
                              "Alternate form (#) not allowed with integer format specifier 'c'");
            return -1;
        }
        int overflow;
        int64_t cp = tw_int_as_i64_overflow(v, &overflow);
        if (overflow) {
            tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C long");
            return -1;
        }
        if (cp < 0 || cp > 0x10FFFF) {
            tw_err_set_string(&tw_exc_OverflowError, "%c arg not in range(0x110000)");
            return -1;
        }
        char enc[4];
        int len = utf8_encode((uint32_t)cp, enc);
        TwFormatSpec g = *f;
        g.grouping = 0;
        emit_number(b, &g, 0, "", "", 0, enc, (size_t)len, 3);
        return b->failed ? -1 : 0;
    }
    int negative;
    size_t nd;
    char *digits = tw_int_digits(v, base, &negative, &nd);
    if (digits == NULL)
        return -1;
    if (type == 'X')
        for (size_t i = 0; i < nd; i++)
            if (digits[i] >= 'a' && digits[i] <= 'f')
                digits[i] = (char)(digits[i] - 'a' + 'A');
    const char *prefix = "";
    if (f->alternate)
        prefix = base == 2 ? "0b" : base == 8 ? "0o" : base == 16 ? (type == 'X' ? "0X" : "0x") : "";
    char sign = negative ? '-' : f->sign == '+' ? '+' : f->sign == ' ' ? ' ' : 0;
    emit_number(b, f, sign, prefix, digits, nd, "", 0, base == 10 ? 3 : 4);
    tw_mem_free(digits);
    return b->failed ? -1 : 0;
}

/* ---- str ------------------------------------------------------------------------------ */

static int format_str(Buf *b, TwObject *s, const TwFormatSpec *f)
{
    if (f->type != 's') {
        unknown_code(f->type, "str");
        return -1;
    }
    if (f->sign) {
        tw_err_set_string(&tw_exc_ValueError, "Sign not allowed in string format specifier");
        return -1;
    }
    if (f->alternate) {
        tw_err_set_string(&tw_exc_ValueError,
                          "Alternate form (#) not allowed in string format specifier");
        return -1;
    }
    if (z_flag(f)) {
        tw_err_set_string(&tw_exc_ValueError,
                          "Negative zero coercion (z) not allowed in string format specifier");
        return -1;
    }
    if (f->align == '=') {
        tw_err_set_string(&tw_exc_ValueError,
                          "'=' alignment not allowed in string format specifier");
        return -1;
    }
    const char *text = tw_str_utf8(s);
    size_t n = (size_t)tw_str_byte_size(s);
    if (f->precision >= 0)
        n = cp_prefix_bytes(text, n, f->precision);
    emit_text(b, f, text, n, '<');
    return b->failed ? -1 : 0;
}

/* ---- format() ---------------------------------------------------------------------------- */

/* format(value, spec) for ints (bools), floats and strs, subclasses
 * included: the body of their __format__ methods. */
static TwObject *format_builtin(TwObject *value, const char *spec, size_t n)
{
    const char *tname = TW_TYPE(value)->tp_name;
    if (n == 0)
        return tw_object_str(value);
    TwFormatSpec f;
    Buf b;
    int rc;
    buf_init(&b);
    if (tw_float_check(value)) {
        if (parse_spec(spec, n, 0, tname, &f) < 0)
            return NULL;
        rc = format_double(&b, ((TwFloatObject *)value)->value, &f, tname);
    } else if (tw_int_check(value)) {
        if (parse_spec(spec, n, 'd', tname, &f) < 0)
            return NULL;
        rc = format_int(&b, value, &f, tname);
    } else {
        if (parse_spec(spec, n, 's', tname, &f) < 0)
            return NULL;
        rc = format_str(&b, value, &f);
    }
    if (rc < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_finish(&b);
}

TwObject *tw_format_builtin(TwObject *value, TwObject *spec)
{
    return format_builtin(value, tw_str_utf8(spec), (size_t)tw_str_byte_size(spec));
}

TwObject *tw_format_value(TwObject *value, TwObject *spec)
{
    TwType *t = TW_TYPE(value);
    const char *s = spec == NULL ? "" : tw_str_utf8(spec);
    size_t n = spec == NULL ? 0 : (size_t)tw_str_byte_size(spec);
    if (t == &tw_str_type && n == 0)
        return tw_newref(value);
    if (t == &tw_int_type || t == &tw_bool_type || t == &tw_float_type || t == &tw_str_type)
        return format_builtin(value, s, n);
    if (spec == NULL) {
        TwObject *empty = tw_str_from_utf8("", 0);
        if (empty == NULL)
            return NULL;
        TwObject *r = tw_object_format(value, empty);
        tw_decref(empty);
        return r;
    }
    return tw_object_format(value, spec);
}

/* ascii(obj): repr(obj) with every non-ASCII character escaped as \xNN,
 * \uNNNN or \UNNNNNNNN. */
TwObject *tw_format_ascii(TwObject *obj)
{
    TwObject *r = tw_object_repr(obj);
    if (r == NULL)
        return NULL;
    TwStrObject *s = (TwStrObject *)r;
    if (s->ascii)
        return r;
    Buf b;
    buf_init(&b);
    const char *p = s->data, *end = p + TW_SIZE(s);
    while (p < end) {
        int len;
        uint32_t cp = utf8_decode(p, &len);
        if (cp < 0x80) {
            buf_putc(&b, (char)cp);
        } else {
            char esc[12];
            if (cp < 0x100)
                snprintf(esc, sizeof esc, "\\x%02x", cp);
            else if (cp < 0x10000)
                snprintf(esc, sizeof esc, "\\u%04x", cp);
            else
                snprintf(esc, sizeof esc, "\\U%08x", cp);
            buf_put(&b, esc, strlen(esc));
        }
        p += len;
    }
    tw_decref(r);
    return buf_finish(&b);
}

/* ---- printf-style formatting (str % args) -------------------------------------------------- */

/* The next positional argument for %-formatting, borrowed; NULL with
 * TypeError when they have run out. */
static TwObject *next_arg(TwObject *args, int is_tuple, intptr_t *idx)
{
    intptr_t n = is_tuple ? tw_tuple_size(args) : 1;
    if (*idx >= n) {
        tw_err_set_string(&tw_exc_TypeError, "not enough arguments for format string");
        return NULL;
    }
    TwObject *a = is_tuple ? tw_tuple_get_item_borrowed(args, *idx) : args;
    (*idx)++;
    return a;
}

/* An int for %d/%x/%c from v: ints as they are; for %d also floats and
 * objects with __int__; for the others only __index__.  New reference or
 * NULL with CPython's TypeError. */
static TwObject *percent_int(TwObject *v, char conv)
{
    if (tw_int_check(v))
        return tw_newref(v);
    const TwNumberMethods *nb = TW_TYPE(v)->tp_as_number;
    if (conv == 'd' || conv == 'i' || conv == 'u') {
        if (tw_float_check(v))
            return tw_int_from_double(((TwFloatObject *)v)->value);
        if (nb != NULL && nb->nb_int != NULL)
            return nb->nb_int(v);
        tw_err_format(&tw_exc_TypeError, "%%%c format: a real number is required, not %s", conv,
                      TW_TYPE(v)->tp_name);
        return NULL;
    }
    if (nb != NULL && nb->nb_index != NULL)
        return nb->nb_index(v);
    tw_err_format(&tw_exc_TypeError, "%%%c format: an integer is required, not %s", conv,
                  TW_TYPE(v)->tp_name);
    return NULL;
}

/* The bytes of v for %s / %b in bytes formatting: bytes, bytearray, or
 * the result of v.__bytes__().  New reference, or NULL with CPython's
 * TypeError. */
static TwObject *percent_bytes_of(TwObject *v)
{
    if (tw_bytes_check(v))
        return tw_newref(v);
    if (tw_bytearray_check(v))
        return tw_bytearray_to_bytes(v);
    if (!tw_str_check(v)) {
        TwObject *name = tw_str_intern_cstr("__bytes__");
        TwObject *meth = name != NULL ? tw_type_lookup_ref(TW_TYPE(v), name) : NULL;
        if (meth != NULL) {
            TwObject *r = tw_object_call_one(meth, v);
            tw_decref(meth);
            if (r != NULL && !tw_bytes_check(r)) {
                tw_err_format(&tw_exc_TypeError, "__bytes__ returned non-bytes (type %s)",
                              TW_TYPE(r)->tp_name);
                TW_CLEAR(r);
            }
            return r;
        }
    }
    tw_err_format(&tw_exc_TypeError,
                  "%%b requires a bytes-like object, or an object that implements __bytes__, "
                  "not '%s'",
                  TW_TYPE(v)->tp_name);
    return NULL;
}

/* %s %b %r %a %c in bytes formatting: widths and precisions count bytes;
 * %r and %a both give ascii(v). */
static int percent_bytes_text(Buf *b, TwObject *v, char conv, int left, int64_t width,
                              int64_t prec)
{
    TwObject *owned;
    char one;
    const char *p;
    size_t n;
    if (conv == 'c') {
        owned = NULL;
        if (tw_int_check(v)) {
            int overflow;
            int64_t c = tw_int_as_i64_overflow(v, &overflow);
            if (overflow || c < 0 || c > 255) {
                tw_err_set_string(&tw_exc_OverflowError, "%c arg not in range(256)");
                return -1;
            }
            one = (char)c;
        } else if ((owned = percent_bytes_of(v)) != NULL && tw_bytes_size(owned) == 1) {
            one = tw_bytes_data(owned)[0];
            tw_decref(owned);
        } else {
            tw_xdecref(owned);
            tw_err_clear();
            tw_err_set_string(&tw_exc_TypeError,
                              "%c requires an integer in range(256) or a single byte");
            return -1;
        }
        p = &one;
        n = 1;
        owned = NULL;
    } else if (conv == 's' || conv == 'b') {
        owned = percent_bytes_of(v);
        if (owned == NULL)
            return -1;
        p = tw_bytes_data(owned);
        n = (size_t)tw_bytes_size(owned);
    } else {
        owned = tw_format_ascii(v);
        if (owned == NULL)
            return -1;
        p = tw_str_utf8(owned); /* ASCII, so one byte per character */
        n = (size_t)tw_str_byte_size(owned);
    }
    if (prec >= 0 && (size_t)prec < n)
        n = (size_t)prec;
    int64_t pad = width > (int64_t)n ? width - (int64_t)n : 0;
    if (!left)
        buf_fill(b, ' ', pad);
    buf_put(b, p, n);
    if (left)
        buf_fill(b, ' ', pad);
    tw_xdecref(owned);
    return b->failed ? -1 : 0;
}

/* One %-conversion of v into b.  flags: '-', '+', ' ', '#', '0' as chars
 * present in the string `flags`. */
static int percent_one(Buf *b, TwObject *v, char conv, const char *flags, int64_t width,
                       int64_t prec, int as_bytes)
{
    if (as_bytes && strchr("sbrac", conv) != NULL)
        return percent_bytes_text(b, v, conv, strchr(flags, '-') != NULL, width, prec);
    int left = strchr(flags, '-') != NULL;
    int zero = strchr(flags, '0') != NULL && !left;
    TwFormatSpec f = {.fill = ' ', .align = left ? '<' : '>', .sign = 0, .alternate = 0,
                      .zero = 0, .grouping = 0, .type = 0, .width = width, .precision = -1};
    if (strchr(flags, '+'))
        f.sign = '+';
    else if (strchr(flags, ' '))
        f.sign = ' ';
    f.alternate = strchr(flags, '#') != NULL;
    switch (conv) {
    case 's':
    case 'r':
    case 'a': {
        TwObject *s = conv == 's' ? tw_object_str(v) : conv == 'r' ? tw_object_repr(v)
                                                                    : tw_format_ascii(v);
        if (s == NULL)
            return -1;
        size_t n = (size_t)tw_str_byte_size(s);
        if (prec >= 0)
            n = cp_prefix_bytes(tw_str_utf8(s), n, prec);
        emit_text(b, &f, tw_str_utf8(s), n, '>');
        tw_decref(s);
        return b->failed ? -1 : 0;
    }
    case 'c': {
        char enc[4];
        int len;
        if (tw_str_check(v)) {
            if (tw_str_length(v) != 1) {
                tw_err_set_string(&tw_exc_TypeError, "%c requires int or char");
                return -1;
            }
            len = (int)tw_str_byte_size(v);
            memcpy(enc, tw_str_utf8(v), (size_t)len);
        } else if (tw_int_check(v)) {
            int overflow;
            int64_t cp = tw_int_as_i64_overflow(v, &overflow);
            if (overflow || cp < 0 || cp > 0x10FFFF) {
                tw_err_set_string(&tw_exc_OverflowError, "%c arg not in range(0x110000)");
                return -1;
            }
            len = utf8_encode((uint32_t)cp, enc);
        } else {
            tw_err_set_string(&tw_exc_TypeError, "%c requires int or char");
            return -1;
        }
        emit_text(b, &f, enc, (size_t)len, '>');
        return b->failed ? -1 : 0;
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
        TwObject *iv = percent_int(v, conv);
        if (iv == NULL)
            return -1;
        int base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X') ? 16 : 10;
        int negative;
        size_t nd;
        char *digits = tw_int_digits(iv, base, &negative, &nd);
        tw_decref(iv);
        if (digits == NULL)
            return -1;
        if (conv == 'X')
            for (size_t i = 0; i < nd; i++)
                if (digits[i] >= 'a' && digits[i] <= 'f')
                    digits[i] = (char)(digits[i] - 'a' + 'A');
        const char *prefix = "";
        if (f.alternate && base != 10)
            prefix = conv == 'o' ? "0o" : conv == 'x' ? "0x" : "0X";
        char sign = negative ? '-' : f.sign;
        /* Precision is a minimum digit count ("%.3d" % 5 is "005"). */
        size_t want = prec > (int64_t)nd ? (size_t)prec : nd;
        if (zero) {
            f.fill = '0';
            f.align = '=';
        }
        TwFormatSpec g = f;
        Buf digits_buf;
        buf_init(&digits_buf);
        put_grouped(&digits_buf, digits, nd, 0, 3, want);
        tw_mem_free(digits);
        emit_number(b, &g, sign, prefix, digits_buf.p, digits_buf.n, "", 0, 3);
        buf_free(&digits_buf);
        return b->failed ? -1 : 0;
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
        double d;
        if (tw_float_check(v)) {
            d = ((TwFloatObject *)v)->value;
        } else if (tw_int_check(v)) {
            d = tw_int_as_double(v);
            if (d == -1.0 && tw_err_occurred())
                return -1;
        } else {
            const TwNumberMethods *nb = TW_TYPE(v)->tp_as_number;
            TwObject *fv = nb != NULL && nb->nb_float != NULL ? nb->nb_float(v) : NULL;
            if (fv == NULL) {
                if (!tw_err_occurred())
                    tw_err_format(&tw_exc_TypeError,
                                  as_bytes ? "float argument required, not %s"
                                           : "must be real number, not %s",
                                  TW_TYPE(v)->tp_name);
                return -1;
            }
            d = tw_float_as_double(fv);
            tw_decref(fv);
        }
        f.type = conv;
        f.precision = prec < 0 ? 6 : prec;
        if (zero && isfinite(d)) {
            f.fill = '0';
            f.align = '=';
        }
        return format_double(b, d, &f, "float");
    }
    default:
        return -1;
    }
}

/* A mapping for %(name)s: anything with __getitem__ except tuples and
 * strs (and bytes, when formatting bytes). */
static int is_mapping(TwObject *args, int as_bytes)
{
    if (tw_dict_check(args))
        return 1;
    return TW_TYPE(args)->tp_getitem != NULL && !tw_tuple_check(args) && !tw_str_check(args) &&
           !(as_bytes && tw_bytes_check(args));
}

/* How far the message index advances over s[0:n]: code points in a str,
 * bytes in a bytes format. */
static int64_t span(const char *s, size_t n, int as_bytes)
{
    return as_bytes ? (int64_t)n : count_cp(s, n);
}

/* Read a '*' width or precision from the arguments. */
static int64_t star_arg(TwObject *args, int is_tuple, intptr_t *idx)
{
    TwObject *a = next_arg(args, is_tuple, idx);
    if (a == NULL)
        return INT64_MIN;
    if (!tw_int_check(a)) {
        tw_err_set_string(&tw_exc_TypeError, "* wants int");
        return INT64_MIN;
    }
    int overflow;
    int64_t v = tw_int_as_i64_overflow(a, &overflow);
    if (overflow) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C ssize_t");
        return INT64_MIN;
    }
    return v;
}

/* fmt % args over the n bytes at s: a str from UTF-8 text, or with
 * as_bytes a bytes object (PEP 461: %s and %b take bytes-like objects or
 * __bytes__, %r and %a give ascii(), %c a byte, widths count bytes). */
static TwObject *percent_format(const char *s, size_t n, TwObject *args, int as_bytes)
{
    int is_tuple = tw_tuple_check(args);
    TwObject *dict = is_mapping(args, as_bytes) ? args : NULL;
    intptr_t idx = 0;
    Buf b;
    buf_init(&b);
    size_t i = 0;
    int64_t cp_index = 0; /* code-point index of the current character, for messages */
    while (i < n) {
        const char *pct = memchr(s + i, '%', n - i);
        size_t stop = pct == NULL ? n : (size_t)(pct - s);
        buf_put(&b, s + i, stop - i);
        cp_index += span(s + i, stop - i, as_bytes);
        if (pct == NULL)
            break;
        i = stop + 1;
        int64_t start_index = cp_index;
        cp_index++;
        TwObject *v = NULL;
        TwObject *owned = NULL;
        if (i < n && s[i] == '(') {
            if (dict == NULL) {
                tw_err_set_string(&tw_exc_TypeError, "format requires a mapping");
                goto fail;
            }
            size_t depth = 1, k = i + 1;
            while (k < n && depth > 0) {
                if (s[k] == '(')
                    depth++;
                else if (s[k] == ')')
                    depth--;
                k++;
            }
            if (depth > 0) {
                tw_err_set_string(&tw_exc_ValueError, "incomplete format key");
                goto fail;
            }
            TwObject *key = as_bytes ? tw_bytes_from_data(s + i + 1, k - i - 2)
                                    : tw_str_from_utf8(s + i + 1, k - i - 2);
            if (key == NULL)
                goto fail;
            owned = tw_object_getitem(dict, key);
            tw_decref(key);
            if (owned == NULL)
                goto fail;
            v = owned;
            cp_index += span(s + i, k - i, as_bytes);
            i = k;
        }
        char flags[8];
        int nf = 0;
        while (i < n && strchr("-+ #0", s[i]) != NULL) {
            if (nf < 7 && memchr(flags, s[i], (size_t)nf) == NULL)
                flags[nf++] = s[i];
            i++;
            cp_index++;
        }
        flags[nf] = '\0';
        int64_t width = -1, prec = -1;
        if (i < n && s[i] == '*') {
            width = star_arg(args, is_tuple, &idx);
            if (width == INT64_MIN)
                goto fail_owned;
            if (width < 0) {
                flags[nf++] = '-';
                flags[nf] = '\0';
                width = -width;
            }
            i++;
            cp_index++;
        } else {
            const char *p = s + i;
            width = read_number(&p, s + n);
            if (width == -2)
                goto fail_owned;
            cp_index += p - (s + i);
            i = (size_t)(p - s);
        }
        if (i < n && s[i] == '.') {
            i++;
            cp_index++;
            if (i < n && s[i] == '*') {
                prec = star_arg(args, is_tuple, &idx);
                if (prec == INT64_MIN)
                    goto fail_owned;
                if (prec < 0)
                    prec = 0;
                i++;
                cp_index++;
            } else {
                const char *p = s + i;
                prec = read_number(&p, s + n);
                if (prec == -2)
                    goto fail_owned;
                if (prec < 0)
                    prec = 0;
                cp_index += p - (s + i);
                i = (size_t)(p - s);
            }
        }
        while (i < n && (s[i] == 'h' || s[i] == 'l' || s[i] == 'L')) {
            i++;
            cp_index++;
        }
        if (i >= n) {
            tw_err_set_string(&tw_exc_ValueError, "incomplete format");
            goto fail_owned;
        }
        char conv = s[i];
        if (conv == '%') {
            buf_putc(&b, '%');
            i++;
            cp_index++;
            tw_xdecref(owned);
            continue;
        }
        if (strchr(as_bytes ? "sbradiuoxXeEfFgGc" : "sradiuoxXeEfFgGc", conv) == NULL ||
            conv == 0) {
            if (as_bytes && (unsigned char)conv >= 0x80) {
                /* CPython reads the byte as a negative character code */
                tw_err_set_string(&tw_exc_OverflowError,
                                  "character argument not in range(0x110000)");
                goto fail_owned;
            }
            int len;
            uint32_t cp = utf8_decode(s + i, &len);
            if (cp >= 32 && cp < 127)
                tw_err_format(&tw_exc_ValueError,
                              "unsupported format character '%c' (0x%x) at index %lld", (int)cp,
                              cp, (long long)cp_index);
            else
                tw_err_format(&tw_exc_ValueError,
                              "unsupported format character '%.*s' (0x%x) at index %lld", len,
                              s + i, cp, (long long)cp_index);
            goto fail_owned;
        }
        (void)start_index;
        i++;
        cp_index++;
        if (v == NULL) {
            v = next_arg(args, is_tuple, &idx);
            if (v == NULL)
                goto fail;
        }
        if (percent_one(&b, v, conv, flags, width, prec, as_bytes) < 0)
            goto fail_owned;
        tw_xdecref(owned);
        continue;
    fail_owned:
        tw_xdecref(owned);
        goto fail;
    }
    if (dict == NULL && idx < (is_tuple ? tw_tuple_size(args) : 1)) {
        tw_err_set_string(&tw_exc_TypeError, as_bytes
                                                  ? "not all arguments converted during bytes formatting"
                                                  : "not all arguments converted during string formatting");
        goto fail;
    }
    if (as_bytes) {
        TwObject *r = b.failed ? NULL : tw_bytes_from_data(b.p, b.n);
        buf_free(&b);
        return r;
    }
    return buf_finish(&b);
fail:
    buf_free(&b);
    return NULL;
}

TwObject *tw_str_percent_format(TwObject *fmt, TwObject *args)
{
    return percent_format(tw_str_utf8(fmt), (size_t)tw_str_byte_size(fmt), args, 0);
}

TwObject *tw_bytes_percent_format(const char *fmt, size_t n, TwObject *args)
{
    return percent_format(fmt, n, args, 1);
}

/* ---- str.format ------------------------------------------------------------------------------ */

/* Where the replacement fields find their values: positional args and
 * keyword (kwnames/values) or a mapping (format_map).  `numbering` tracks
 * automatic ({}) against manual ({0}) numbering, which may not be mixed. */
typedef struct {
    TwObject *const *args;
    size_t nargs;
    TwObject *kwnames;     /* tuple or NULL */
    TwObject *const *kwvalues;
    TwObject *mapping;     /* format_map, or NULL */
    int numbering;         /* 0 not yet, 1 automatic, 2 manual */
    intptr_t next_auto;
} FormatArgs;

static int is_digits(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The object named by the first part of a field name (new reference). */
static TwObject *field_base(FormatArgs *fa, const char *name, size_t n)
{
    if (n == 0 || is_digits(name, n)) {
        intptr_t index;
        if (n == 0) {
            if (fa->numbering == 2) {
                tw_err_set_string(&tw_exc_ValueError,
                                  "cannot switch from manual field specification to automatic "
                                  "field numbering");
                return NULL;
            }
            fa->numbering = 1;
            index = fa->next_auto++;
        } else {
            if (fa->numbering == 1) {
                tw_err_set_string(&tw_exc_ValueError,
                                  "cannot switch from automatic field numbering to manual field "
                                  "specification");
                return NULL;
            }
            fa->numbering = 2;
            if (n > 18) {
                tw_err_set_string(&tw_exc_ValueError, "Too many decimal digits in format string");
                return NULL;
            }
            index = (intptr_t)strtoll(name, NULL, 10);
        }
        if (fa->mapping != NULL) {
            tw_err_set_string(&tw_exc_ValueError, "Format string contains positional fields");
            return NULL;
        }
        if ((size_t)index >= fa->nargs) {
            tw_err_format(&tw_exc_IndexError,
                          "Replacement index %lld out of range for positional args tuple",
                          (long long)index);
            return NULL;
        }
        return tw_newref(fa->args[index]);
    }
    TwObject *key = tw_str_from_utf8(name, n);
    if (key == NULL)
        return NULL;
    if (fa->mapping != NULL) {
        TwObject *v = tw_object_getitem(fa->mapping, key);
        tw_decref(key);
        return v;
    }
    size_t nkw = fa->kwnames == NULL ? 0 : (size_t)tw_tuple_size(fa->kwnames);
    for (size_t k = 0; k < nkw; k++) {
        TwObject *kn = tw_tuple_get_item_borrowed(fa->kwnames, (intptr_t)k);
        if ((size_t)tw_str_byte_size(kn) == n && memcmp(tw_str_utf8(kn), name, n) == 0) {
            tw_decref(key);
            return tw_newref(fa->kwvalues[k]);
        }
    }
    tw_err_set_object(&tw_exc_KeyError, key);
    tw_decref(key);
    return NULL;
}

/* The value of a field name: the base, then .attr and [key] accessors. */
static TwObject *field_value(FormatArgs *fa, const char *name, size_t n)
{
    size_t i = 0;
    while (i < n && name[i] != '.' && name[i] != '[')
        i++;
    TwObject *v = field_base(fa, name, i);
    while (v != NULL && i < n) {
        TwObject *next;
        if (name[i] == '.') {
            size_t j = ++i;
            while (i < n && name[i] != '.' && name[i] != '[')
                i++;
            if (i == j) {
                tw_err_set_string(&tw_exc_ValueError, "Empty attribute in format string");
                tw_decref(v);
                return NULL;
            }
            TwObject *attr = tw_str_from_utf8(name + j, i - j);
            next = attr == NULL ? NULL : tw_object_getattr(v, attr);
            tw_xdecref(attr);
        } else if (name[i] == '[') {
            size_t j = ++i;
            while (i < n && name[i] != ']')
                i++;
            if (i >= n) {
                tw_err_set_string(&tw_exc_ValueError, "Missing ']' in format string");
                tw_decref(v);
                return NULL;
            }
            if (i == j) {
                tw_err_set_string(&tw_exc_ValueError, "Empty attribute in format string");
                tw_decref(v);
                return NULL;
            }
            TwObject *key = is_digits(name + j, i - j)
                                ? tw_int_from_string(name + j, i - j, 10)
                                : tw_str_from_utf8(name + j, i - j);
            next = key == NULL ? NULL : tw_object_getitem(v, key);
            tw_xdecref(key);
            i++;
            if (i < n && name[i] != '.' && name[i] != '[') {
                tw_err_set_string(&tw_exc_ValueError,
                                  "Only '.' or '[' may follow ']' in format field specifier");
                tw_xdecref(next);
                tw_decref(v);
                return NULL;
            }
        } else {
            tw_err_set_string(&tw_exc_ValueError,
                              "Only '.' or '[' may follow ']' in format field specifier");
            tw_decref(v);
            return NULL;
        }
        tw_decref(v);
        v = next;
    }
    return v;
}

static int render(Buf *b, const char *s, size_t n, FormatArgs *fa, int depth);

/* One replacement field (the text between the braces). */
static int render_field(Buf *b, const char *field, size_t n, FormatArgs *fa, int depth)
{
    size_t i = 0;
    /* The field name ends at '!' or ':' outside brackets. */
    while (i < n && field[i] != '!' && field[i] != ':') {
        if (field[i] == '[') {
            while (i < n && field[i] != ']')
                i++;
            if (i < n)
                i++;
            continue;
        }
        i++;
    }
    size_t name_len = i;
    char conv = 0;
    if (i < n && field[i] == '!') {
        if (i + 1 >= n) {
            tw_err_set_string(&tw_exc_ValueError,
                              "end of string while looking for conversion specifier");
            return -1;
        }
        conv = field[i + 1];
        i += 2;
        if (i < n && field[i] != ':') {
            tw_err_set_string(&tw_exc_ValueError, "expected ':' after conversion specifier");
            return -1;
        }
    }
    const char *spec = i < n ? field + i + 1 : field + n;
    size_t spec_len = i < n ? n - i - 1 : 0;
    TwObject *v = field_value(fa, field, name_len);
    if (v == NULL)
        return -1;
    if (conv != 0) {
        TwObject *c;
        if (conv == 'r')
            c = tw_object_repr(v);
        else if (conv == 's')
            c = tw_object_str(v);
        else if (conv == 'a')
            c = tw_format_ascii(v);
        else {
            char tt[8];
            type_text(conv, tt);
            tw_err_format(&tw_exc_ValueError, "Unknown conversion specifier %s", tt);
            c = NULL;
        }
        tw_decref(v);
        if (c == NULL)
            return -1;
        v = c;
    }
    /* The spec may itself hold replacement fields: render it first. */
    TwObject *spec_str;
    if (memchr(spec, '{', spec_len) != NULL) {
        if (depth <= 0) {
            tw_err_set_string(&tw_exc_ValueError, "Max string recursion exceeded");
            tw_decref(v);
            return -1;
        }
        Buf sb;
        buf_init(&sb);
        if (render(&sb, spec, spec_len, fa, depth - 1) < 0) {
            buf_free(&sb);
            tw_decref(v);
            return -1;
        }
        spec_str = buf_finish(&sb);
    } else {
        spec_str = tw_str_from_utf8(spec, spec_len);
    }
    if (spec_str == NULL) {
        tw_decref(v);
        return -1;
    }
    TwObject *out = tw_format_value(v, spec_str);
    tw_decref(spec_str);
    tw_decref(v);
    if (out == NULL)
        return -1;
    if (!tw_str_check(out)) {
        tw_err_format(&tw_exc_TypeError, "__format__ must return a str, not %s",
                      TW_TYPE(out)->tp_name);
        tw_decref(out);
        return -1;
    }
    buf_put(b, tw_str_utf8(out), (size_t)tw_str_byte_size(out));
    tw_decref(out);
    return b->failed ? -1 : 0;
}

/* Render the format string s into b: literal text with {{ and }} escapes,
 * and replacement fields.  A field ends at the brace that balances its
 * opening one, so specs may nest fields ("{0:{1}}"). */
static int render(Buf *b, const char *s, size_t n, FormatArgs *fa, int depth)
{
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '}') {
            if (i + 1 < n && s[i + 1] == '}') {
                buf_putc(b, '}');
                i += 2;
                continue;
            }
            tw_err_set_string(&tw_exc_ValueError, "Single '}' encountered in format string");
            return -1;
        }
        if (c != '{') {
            size_t j = i;
            while (j < n && s[j] != '{' && s[j] != '}')
                j++;
            buf_put(b, s + i, j - i);
            i = j;
            continue;
        }
        if (i + 1 < n && s[i + 1] == '{') {
            buf_putc(b, '{');
            i += 2;
            continue;
        }
        if (i + 1 >= n) {
            tw_err_set_string(&tw_exc_ValueError, "Single '{' encountered in format string");
            return -1;
        }
        size_t j = i + 1;
        int level = 1;
        while (j < n) {
            if (s[j] == '[') {
                /* Brackets in the field name may hold braces. */
                while (j < n && s[j] != ']' && s[j] != '}')
                    j++;
                if (j < n && s[j] == '}')
                    continue;
            } else if (s[j] == '{') {
                level++;
            } else if (s[j] == '}') {
                if (--level == 0)
                    break;
            }
            j++;
        }
        if (j >= n) {
            /* Unclosed: the message depends on how far the field got. */
            const char *field = s + i + 1;
            size_t k = 0, len = n - i - 1;
            while (k < len && field[k] != '!' && field[k] != ':' && field[k] != '[')
                k++;
            if (k < len && field[k] == '!' && k + 1 == len)
                tw_err_set_string(&tw_exc_ValueError,
                                  "end of string while looking for conversion specifier");
            else if (k < len && field[k] != '[')
                tw_err_set_string(&tw_exc_ValueError, "unmatched '{' in format spec");
            else
                tw_err_set_string(&tw_exc_ValueError, "expected '}' before end of string");
            return -1;
        }
        if (render_field(b, s + i + 1, j - i - 1, fa, depth) < 0)
            return -1;
        i = j + 1;
    }
    return b->failed ? -1 : 0;
}

TwObject *tw_str_format_call(TwObject *fmt, TwObject *const *args, size_t nargs,
                             TwObject *kwnames)
{
    FormatArgs fa = {.args = args, .nargs = nargs, .kwnames = kwnames, .kwvalues = args + nargs,
                     .mapping = NULL, .numbering = 0, .next_auto = 0};
    Buf b;
    buf_init(&b);
    if (render(&b, tw_str_utf8(fmt), (size_t)tw_str_byte_size(fmt), &fa, 2) < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_finish(&b);
}

TwObject *tw_str_format_map(TwObject *fmt, TwObject *mapping)
{
    FormatArgs fa = {.args = NULL, .nargs = 0, .kwnames = NULL, .kwvalues = NULL,
                     .mapping = mapping, .numbering = 0, .next_auto = 0};
    Buf b;
    buf_init(&b);
    if (render(&b, tw_str_utf8(fmt), (size_t)tw_str_byte_size(fmt), &fa, 2) < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_finish(&b);
}
