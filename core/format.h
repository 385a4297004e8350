/* Internal: text formatting for the interpreter (core/format.c).
 *
 * The format-spec mini-language of format(value, spec) and f-strings for
 * int, bool, float and str; printf-style `str % args`; and str.format.
 * Output matches CPython's character for character. */
#ifndef TWINPY_CORE_FORMAT_H
#define TWINPY_CORE_FORMAT_H

#include <twinpy/twinpy.h>

/* format(value, spec): int, bool, float and str directly; other objects
 * through their __format__ (tw_object_format), or str(value) when spec is
 * empty.  spec is a str (NULL means "").  New reference or NULL. */
TwObject *tw_format_value(TwObject *value, TwObject *spec);
/* The __format__ of int, bool, float and str (and their subclasses):
 * format by the built-in base type, never calling a __format__ method. */
TwObject *tw_format_builtin(TwObject *value, TwObject *spec);
/* ascii(obj): repr(obj) with non-ASCII characters escaped. */
TwObject *tw_format_ascii(TwObject *obj);
/* fmt % args for a str fmt: args is a tuple, a mapping (for %(name)s) or a
 * single value. */
TwObject *tw_str_percent_format(TwObject *fmt, TwObject *args);
/* bytes % args over the n bytes of a bytes format (PEP 461): a new bytes. */
TwObject *tw_bytes_percent_format(const char *fmt, size_t n, TwObject *args);
/* fmt.format(*args, **kwargs): args[0..nargs) positional, then the keyword
 * values named by kwnames (the call convention). */
TwObject *tw_str_format_call(TwObject *fmt, TwObject *const *args, size_t nargs,
                             TwObject *kwnames);
/* fmt.format_map(mapping). */
TwObject *tw_str_format_map(TwObject *fmt, TwObject *mapping);

/* The pieces of a parsed format spec (exposed for the tests). */
typedef struct TwFormatSpec {
    uint32_t fill;  /* code point; ' ' by default */
    char align;     /* '<', '>', '^', '=' or 0 for the type's default */
    char sign;      /* '+', '-', ' ' or 0 */
    char alternate; /* '#' given */
    char zero;      /* '0' given before the width */
    char grouping;  /* ',', '_' or 0 */
    char type;      /* presentation type or 0 */
    int64_t width;  /* -1: none */
    int64_t precision; /* -1: none */
} TwFormatSpec;

/* Parse spec (UTF-8, n bytes) into *out: 0, or -1 with ValueError. */
int tw_format_parse_spec(const char *spec, size_t n, TwFormatSpec *out);

#endif
