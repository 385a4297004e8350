/* str: immutable Unicode text stored as UTF-8, with a cached hash.
 *
 * ob_size is the length in bytes; `length` the number of code points.  The
 * bytes are NUL-terminated.  Interned strings are immortal and unique: equal
 * interned strings are the same object. */
#ifndef TWINPY_STR_H
#define TWINPY_STR_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/object.h>

typedef struct TwStrObject {
    TwVarObject ob_base;        /* ob_size: bytes, excluding the NUL */
    intptr_t length;            /* code points */
    _Atomic tw_hash_t hash;     /* -1 until computed; racing writers store the same value */
    uint8_t ascii;              /* 1 if every byte < 0x80 (then index == byte offset) */
    uint8_t interned;
    /* Non-ASCII text only: the byte offset of every TW_STR_STRIDE-th code
     * point, built on the first index into a long string (core/str.c) and
     * published once with a release CAS; immutable after, freed with the
     * string.  NULL until then (and always for ASCII text). */
    _Atomic(intptr_t *) cp_index;
    char data[];                /* ob_size bytes then NUL */
} TwStrObject;

#define TW_STR_STRIDE 32

extern TwType tw_str_type;
static inline int tw_str_check(TwObject *op) { return tw_type_is_subtype(TW_TYPE(op), &tw_str_type); }

/* From UTF-8 bytes; ValueError-like UnicodeError (UnicodeDecodeError in
 * CPython) on invalid UTF-8. */
TwObject *tw_str_from_utf8(const char *s, size_t n);
TwObject *tw_str_from_cstr(const char *s);
/* printf-style formatting into a new str. */
TwObject *tw_str_from_format(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* The NUL-terminated UTF-8 bytes (valid while op is alive). */
static inline const char *tw_str_utf8(TwObject *op) { return ((TwStrObject *)op)->data; }
static inline intptr_t tw_str_byte_size(TwObject *op) { return TW_SIZE(op); }
static inline intptr_t tw_str_length(TwObject *op) { return ((TwStrObject *)op)->length; }
/* Concatenation (new reference). */
TwObject *tw_str_concat(TwObject *a, TwObject *b);
/* a + b for exact strs, reusing a: the caller holds a's only reference
 * (tw_is_unique) and hands it over.  NULL with MemoryError leaves a alone. */
TwObject *tw_str_concat_unique(TwObject *a, TwObject *b);
/* The code point at index i (negative counts from the end), as a new
 * 1-character str; IndexError "string index out of range". */
TwObject *tw_str_getitem(TwObject *s, intptr_t i);
/* chr(cp): a 1-character str; ValueError "chr() arg not in range(0x110000)". */
TwObject *tw_str_from_codepoint(int64_t cp);
/* ord() of a 1-character str: the code point; -1 with TypeError "ord()
 * expected a character, but string of length N found" otherwise. */
int64_t tw_str_ord(TwObject *s);
/* The code point at index 0 <= i < length (no checks). */
uint32_t tw_str_char_at(TwObject *s, intptr_t i);
/* s.encode(encoding, errors) (NULL: "utf-8", "strict"); bytes or NULL. */
TwObject *tw_str_encode(TwObject *s, const char *encoding, const char *errors);
/* s[slice] for a slice object. */
TwObject *tw_str_get_slice(TwObject *s, TwObject *slice);
/* sep.join(iterable). */
TwObject *tw_str_join(TwObject *sep, TwObject *iterable);
/* Intern: returns a new reference to the unique immortal string equal to s
 * (consumes nothing). */
TwObject *tw_str_intern(TwObject *s);
TwObject *tw_str_intern_cstr(const char *s);
/* Compare: <0, 0, >0 by code point (UTF-8 byte order is code-point order). */
int tw_str_compare(TwObject *a, TwObject *b);
int tw_str_equal_cstr(TwObject *s, const char *c);

#endif
