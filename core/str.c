/* str: immutable Unicode text stored as validated UTF-8.  The protocol
 * slots and methods live in core/strmethods.c, formatting in core/format.c.
 *
 * Every str holds well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF), checked once on creation, so later code may
 * decode without checks.  `length` counts code points; `ascii` says every
 * byte is below 0x80, in which case indexes are byte offsets.  Because
 * UTF-8 preserves code-point order under byte comparison, ordering is
 * memcmp.
 *
 * The hash is computed on first use and cached in the object.  Threads may
 * race to fill it: each computes the same value and stores it with a relaxed
 * atomic store, so any load sees -1 (not yet) or the final value.
 *
 * Interned strings are canonical copies kept in one process-wide table (see
 * "interning" below): immortal, flagged `interned`, and unique per value. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/scalar.h"
#include "core/tstate.h"

static TwObject *str_repr(TwObject *op);
static TwObject *str_str(TwObject *op);
static tw_hash_t str_hash(TwObject *op);
static TwObject *str_richcompare(TwObject *a, TwObject *b, int op);
static void str_dealloc(TwObject *op);

TwType tw_str_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "str",
    .tp_basicsize = offsetof(TwStrObject, data),
    .tp_itemsize = 1, /* one byte of UTF-8; the NUL is one more item */
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = str_dealloc,
    .tp_hash = str_hash,
    .tp_richcompare = str_richcompare,
    .tp_repr = str_repr,
    .tp_str = str_str,
    .tp_as_number = &tw_str_number_methods,
    .tp_len = tw_str_len_slot,
    .tp_getitem = tw_str_subscript,
    .tp_contains = tw_str_contains,
    .tp_iter = tw_str_iter_new,
    .tp_new = tw_str_new_slot,
    .tp_methods = tw_str_methods,
};

/* ---- creation -------------------------------------------------------------- */

/* A str of n bytes whose content the caller fills in (the NUL is set
 * here), with its code-point length and ascii flag already known. */
static TwStrObject *str_alloc(size_t n, intptr_t length, int ascii)
{
    if (n >= (size_t)INTPTR_MAX)
        return (TwStrObject *)tw_err_no_memory();
    TwStrObject *s = (TwStrObject *)tw_object_new(&tw_str_type, n + 1);
    if (s == NULL)
        return NULL;
    TW_SIZE(s) = (intptr_t)n;
    s->length = length;
    tw_atomic_store_relaxed(&s->hash, (tw_hash_t)-1);
    s->ascii = (uint8_t)ascii;
    s->interned = 0;
    s->data[n] = '\0';
    return s;
}

/* The number of bytes of the UTF-8 sequence that starts with lead byte c
 * (c must be a valid lead byte). */
static inline int seq_len(unsigned c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Decode the valid sequence of len bytes at p. */
static uint32_t decode_at(const unsigned char *p, int len)
{
    static const unsigned lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = p[0] & lead_mask[len];
    for (int k = 1; k < len; k++)
        cp = (cp << 6) | (p[k] & 0x3F);
    return cp;
}

/* UnicodeDecodeError for the invalid sequence at pos of s[0:n]: its lead
 * byte and `good` valid continuation bytes (the message names the range
 * when good > 0). */
static int decode_error(const char *s, size_t n, size_t pos, size_t good, const char *why)
{
    tw_err_unicode_decode("utf-8", s, n, pos, pos + good + 1, why);
    return -1;
}

/* Validate n bytes of UTF-8 and count their code points.  0 with *length and
 * *ascii set, or -1 with UnicodeError naming the first bad byte.  Each lead
 * byte fixes the sequence length and the allowed range of the byte after it;
 * those ranges exclude overlong forms (E0 80..9F, F0 80..8F), surrogates
 * (ED A0..BF) and code points above U+10FFFF (F4 90.., F5..FF). */
static int utf8_scan(const char *s, size_t n, intptr_t *length, int *ascii)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    intptr_t count = 0;
    int all_ascii = 1;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            count++;
            continue;
        }
        all_ascii = 0;
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return decode_error(s, n, i, 0, "invalid start byte");
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n)
                return decode_error(s, n, i, k - 1, "unexpected end of data");
            unsigned cc = p[i + k];
            if (cc < (k == 1 ? lo : 0x80) || cc > (k == 1 ? hi : 0xBF))
                return decode_error(s, n, i, k - 1, "invalid continuation byte");
        }
        i += need + 1;
        count++;
    }
    *length = count;
    *ascii = all_ascii;
    return 0;
}

/* A str from bytes already known to be valid UTF-8 (built here from valid
 * pieces): counts code points without re-validating. */
TwObject *tw_str_from_valid(const char *s, size_t n)
{
    intptr_t length = 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        length += (c & 0xC0) != 0x80; /* count every byte but continuations */
        ascii &= c < 0x80;
    }
    TwStrObject *r = str_alloc(n, length, ascii);
    if (r == NULL)
        return NULL;
    if (n > 0)
        memcpy(r->data, s, n);
    return (TwObject *)r;
}

TwObject *tw_str_from_utf8(const char *s, size_t n)
{
    intptr_t length;
    int ascii;
    if (utf8_scan(s, n, &length, &ascii) < 0)
        return NULL;
    TwStrObject *r = str_alloc(n, length, ascii);
    if (r == NULL)
        return NULL;
    if (n > 0)
        memcpy(r->data, s, n);
    return (TwObject *)r;
}

TwObject *tw_str_from_cstr(const char *s)
{
    return tw_str_from_utf8(s, strlen(s));
}

/* Format into a stack buffer when the text is short, else into a heap
 * buffer of the exact size; the result is validated like any other text
 * (a %s argument may carry arbitrary bytes). */
TwObject *tw_str_from_format(const char *fmt, ...)
{
    char small[256];
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        tw_err_set_string(&tw_exc_ValueError, "invalid format string");
        return NULL;
    }
    TwObject *r;
    if ((size_t)n < sizeof small) {
        r = tw_str_from_utf8(small, (size_t)n);
    } else {
        char *big = tw_mem_malloc((size_t)n + 1);
        if (big == NULL) {
            va_end(ap2);
            return tw_err_no_memory();
        }
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        r = tw_str_from_utf8(big, (size_t)n);
        tw_mem_free(big);
    }
    va_end(ap2);
    return r;
}

/* Interned strings are immortal and never reach here. */
static void str_dealloc(TwObject *op)
{
    TwStrObject *s = (TwStrObject *)op;
    tw_assert(!s->interned);
    intptr_t *index = tw_atomic_load_relaxed(&s->cp_index);
    if (index != NULL)
        tw_mem_free(index);
    tw_object_free(op);
}

/* ---- operations ------------------------------------------------------------ */

TwObject *tw_str_concat(TwObject *a, TwObject *b)
{
    if (!tw_str_check(a) || !tw_str_check(b)) {
        TwObject *bad = tw_str_check(a) ? b : a;
        tw_err_format(&tw_exc_TypeError, "can only concatenate str (not \"%s\") to str",
                      TW_TYPE(bad)->tp_name);
        return NULL;
    }
    TwStrObject *x = (TwStrObject *)a, *y = (TwStrObject *)b;
    size_t nx = (size_t)TW_SIZE(x), ny = (size_t)TW_SIZE(y);
    if (nx > (size_t)INTPTR_MAX - ny)
        return tw_err_no_memory();
    TwStrObject *r = str_alloc(nx + ny, x->length + y->length, x->ascii && y->ascii);
    if (r == NULL)
        return NULL;
    memcpy(r->data, x->data, nx);
    memcpy(r->data + nx, y->data, ny);
    return (TwObject *)r;
}

/* a + b built in a's own block: a is an exact str (not interned) whose
 * only reference the caller holds (tw_is_unique), so nobody can see it
 * change.  Growing the block in place makes a loop of `s += t` linear
 * instead of quadratic.  Returns the result, which takes over the caller's
 * reference to a (a may have moved); NULL with MemoryError leaves a as it
 * was. */
TwObject *tw_str_concat_unique(TwObject *a, TwObject *b)
{
    TwStrObject *x = (TwStrObject *)a, *y = (TwStrObject *)b;
    size_t nx = (size_t)TW_SIZE(x), ny = (size_t)TW_SIZE(y);
    if (nx >= (size_t)INTPTR_MAX - ny - sizeof(TwStrObject))
        return tw_err_no_memory();
    intptr_t *index = tw_atomic_load_relaxed(&x->cp_index);
    TwStrObject *r = tw_obj_realloc(x, sizeof(TwStrObject) + nx + ny + 1);
    if (r == NULL)
        return tw_err_no_memory();
    if (index != NULL) { /* the old text's stride index */
        tw_atomic_store_relaxed(&r->cp_index, (intptr_t *)NULL);
        tw_mem_free(index);
    }
    memcpy(r->data + nx, y->data, ny); /* b is another object: a's count was 1 */
    r->data[nx + ny] = '\0';
    TW_SIZE(r) = (intptr_t)(nx + ny);
    r->length += y->length;
    r->ascii = (uint8_t)(r->ascii && y->ascii);
    tw_atomic_store_relaxed(&r->hash, (tw_hash_t)-1);
    return (TwObject *)r;
}

/* ---- indexing by code point ------------------------------------------------
 *
 * ASCII text indexes bytes directly.  Other text walks UTF-8 sequences; a
 * long string gets a stride index on its first lookup (the byte offset of
 * every TW_STR_STRIDE-th code point), so a lookup walks at most
 * TW_STR_STRIDE - 1 sequences.  Threads may race to build the index: each
 * builds its own, one CAS (release) publishes it, the losers free theirs,
 * and readers load it with acquire, so they see its contents complete. */

static const intptr_t *stride_index(TwStrObject *s)
{
    intptr_t *index = tw_atomic_load_acquire(&s->cp_index);
    if (index != NULL)
        return index;
    intptr_t n = s->length / TW_STR_STRIDE + 1;
    index = tw_mem_malloc((size_t)n * sizeof(intptr_t));
    if (index == NULL)
        return NULL; /* callers fall back to walking from the start */
    const unsigned char *p = (const unsigned char *)s->data;
    intptr_t off = 0;
    for (intptr_t k = 0; k < s->length; k++) {
        if (k % TW_STR_STRIDE == 0)
            index[k / TW_STR_STRIDE] = off;
        off += seq_len(p[off]);
    }
    intptr_t *expected = NULL;
    if (!tw_atomic_cas_acqrel(&s->cp_index, &expected, index)) {
        tw_mem_free(index);
        return expected;
    }
    return index;
}

/* The byte offset of code point i (0 <= i <= length). */
intptr_t tw_str_offset(TwObject *op, intptr_t i)
{
    TwStrObject *s = (TwStrObject *)op;
    if (s->ascii)
        return i;
    if (i >= s->length)
        return TW_SIZE(s);
    const unsigned char *p = (const unsigned char *)s->data;
    intptr_t off = 0, k = 0;
    if (i >= TW_STR_STRIDE) {
        const intptr_t *index = stride_index(s);
        if (index != NULL) {
            off = index[i / TW_STR_STRIDE];
            k = i - i % TW_STR_STRIDE;
        }
    }
    for (; k < i; k++)
        off += seq_len(p[off]);
    return off;
}

uint32_t tw_str_char_at(TwObject *op, intptr_t i)
{
    TwStrObject *s = (TwStrObject *)op;
    if (s->ascii)
        return (unsigned char)s->data[i];
    const unsigned char *p = (const unsigned char *)s->data + tw_str_offset(op, i);
    return decode_at(p, seq_len(*p));
}

/* The code point at index i (negative counts from the end). */
TwObject *tw_str_getitem(TwObject *op, intptr_t i)
{
    TwStrObject *s = (TwStrObject *)op;
    if (i < 0)
        i += s->length;
    if (i < 0 || i >= s->length) {
        tw_err_set_string(&tw_exc_IndexError, "string index out of range");
        return NULL;
    }
    if (s->ascii)
        return tw_str_from_valid(s->data + i, 1);
    const unsigned char *p = (const unsigned char *)s->data + tw_str_offset(op, i);
    return tw_str_from_valid((const char *)p, (size_t)seq_len(*p));
}

int tw_str_compare(TwObject *a, TwObject *b)
{
    size_t na = (size_t)TW_SIZE(a), nb = (size_t)TW_SIZE(b);
    int c = memcmp(tw_str_utf8(a), tw_str_utf8(b), na < nb ? na : nb);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (na > nb) - (na < nb);
}

int tw_str_equal_cstr(TwObject *s, const char *c)
{
    size_t n = strlen(c);
    return (size_t)TW_SIZE(s) == n && memcmp(tw_str_utf8(s), c, n) == 0;
}

static TwObject *str_str(TwObject *op)
{
    return tw_newref(op);
}

static tw_hash_t str_hash(TwObject *op)
{
    TwStrObject *s = (TwStrObject *)op;
    tw_hash_t h = tw_atomic_load_relaxed(&s->hash);
    if (h == -1) {
        h = tw_scalar_hash_bytes(s->data, (size_t)TW_SIZE(s));
        tw_atomic_store_relaxed(&s->hash, h);
    }
    return h;
}

/* Equality first checks cheap differences (size, cached hashes); orderings
 * compare bytes, which is code-point order. */
static TwObject *str_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_str_check(b))
        return tw_scalar_compare_unsupported(a, b, op);
    if (op == TW_EQ || op == TW_NE) {
        int eq;
        if (a == b) {
            eq = 1;
        } else if (TW_SIZE(a) != TW_SIZE(b)) {
            eq = 0;
        } else {
            tw_hash_t ha = tw_atomic_load_relaxed(&((TwStrObject *)a)->hash);
            tw_hash_t hb = tw_atomic_load_relaxed(&((TwStrObject *)b)->hash);
            if (ha != -1 && hb != -1 && ha != hb)
                eq = 0;
            else
                eq = memcmp(tw_str_utf8(a), tw_str_utf8(b), (size_t)TW_SIZE(a)) == 0;
        }
        return tw_bool_from_long(op == TW_EQ ? eq : !eq);
    }
    return tw_scalar_cmp_result(tw_str_compare(a, b), op);
}

/* ---- repr ------------------------------------------------------------------
 *
 * Like Python's: quoted with ' (or " when the text holds ' and no "),
 * backslash escapes for \\, the quote, \t \n \r, \xNN for the other ASCII
 * controls and DEL, and printable non-ASCII characters kept as they are.
 * Non-printable non-ASCII characters become \xNN, \uNNNN or \UNNNNNNNN.
 *
 * "Non-printable" means the Unicode categories Cc, Cf, Co, Zl, Zp and Zs
 * (space excepted), listed below from Unicode 14.0, plus the noncharacters.
 * Python also escapes unassigned code points; twinpy has no Unicode database
 * yet and prints those as they are. */

static const struct {
    uint32_t lo, hi;
} nonprintable[] = {
    {0x0080, 0x00A0},   {0x00AD, 0x00AD},   {0x0600, 0x0605},     {0x061C, 0x061C},
    {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},     {0x08E2, 0x08E2},
    {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F},     {0x2028, 0x202F},
    {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},     {0xE000, 0xF8FF},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},   {0x110CD, 0x110CD},
    {0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},   {0xE0001, 0xE0001},
    {0xE0020, 0xE007F}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
};

static int is_printable(uint32_t cp)
{
    if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF))
        return 0; /* noncharacters */
    size_t lo = 0, hi = sizeof nonprintable / sizeof nonprintable[0];
    while (lo < hi) { /* binary search over the sorted ranges */
        size_t mid = (lo + hi) / 2;
        if (cp < nonprintable[mid].lo)
            hi = mid;
        else if (cp > nonprintable[mid].hi)
            lo = mid + 1;
        else
            return 0;
    }
    return 1;
}

/* Write "\" tag then `digits` lowercase hex digits of v; returns the end. */
static char *put_escape(char *o, char tag, uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '\\';
    *o++ = tag;
    for (int k = digits - 1; k >= 0; k--)
        *o++ = hex[(v >> (4 * k)) & 0xF];
    return o;
}

static TwObject *str_repr(TwObject *op)
{
    TwStrObject *s = (TwStrObject *)op;
    size_t n = (size_t)TW_SIZE(s);
    const unsigned char *p = (const unsigned char *)s->data;
    char quote = tw_scalar_repr_quote(s->data, n);
    /* At most 4 output bytes per input byte (\xNN for one byte; \uNNNN for
     * two or three; \UNNNNNNNN for four), plus the quotes. */
    if (n > (SIZE_MAX - 2) / 4)
        return tw_err_no_memory();
    char *buf = tw_mem_malloc(4 * n + 2);
    if (buf == NULL)
        return tw_err_no_memory();
    char *o = buf;
    *o++ = quote;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            if (c == (unsigned char)quote || c == '\\') {
                *o++ = '\\';
                *o++ = (char)c;
            } else if (c == '\t' || c == '\n' || c == '\r') {
                *o++ = '\\';
                *o++ = c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
            } else if (c < 0x20 || c == 0x7F) {
                o = put_escape(o, 'x', c, 2);
            } else {
                *o++ = (char)c;
            }
            continue;
        }
        int len = seq_len(c);
        uint32_t cp = decode_at(p + i, len);
        if (is_printable(cp)) {
            memcpy(o, p + i, (size_t)len);
            o += len;
        } else if (cp < 0x100) {
            o = put_escape(o, 'x', cp, 2);
        } else if (cp < 0x10000) {
            o = put_escape(o, 'u', cp, 4);
        } else {
            o = put_escape(o, 'U', cp, 8);
        }
        i += (size_t)len;
    }
    *o++ = quote;
    TwObject *r = tw_str_from_valid(buf, (size_t)(o - buf));
    tw_mem_free(buf);
    return r;
}

/* ---- interning -------------------------------------------------------------
 *
 * The intern table is an open-addressing hash set (linear probing, at most
 * 2/3 full, capacity a power of two) of the canonical strings.  Entries are
 * never removed: interned strings are immortal.  A canonical string is
 * always a fresh copy made here, never the caller's object, so no thread can
 * hold an ordinary reference to it while it turns immortal.
 *
 * Protected by intern_table.mutex: every lookup, insert and resize holds it
 * (a resize replaces `slots`).  Nothing that can raise an exception or
 * allocate an object runs while it is held, so the lock can never be
 * re-entered through error handling; the copy is allocated outside it and
 * the lookup repeated once it is re-taken. */

#define INTERN_INITIAL_CAPACITY 256

static struct {
    TwMutex mutex;
    TwStrObject **slots; /* NULL until the first use */
    size_t mask;         /* capacity - 1 */
    size_t used;
} intern_table;

/* Double the table (or create it).  Mutex held.  -1 if out of memory (no
 * exception set: the caller sets it after unlocking). */
static int intern_grow(void)
{
    size_t cap = intern_table.slots ? 2 * (intern_table.mask + 1) : INTERN_INITIAL_CAPACITY;
    TwStrObject **slots = tw_mem_calloc(cap, sizeof(*slots));
    if (slots == NULL)
        return -1;
    if (intern_table.slots != NULL) {
        for (size_t i = 0; i <= intern_table.mask; i++) {
            TwStrObject *s = intern_table.slots[i];
            if (s == NULL)
                continue;
            size_t j = (size_t)tw_atomic_load_relaxed(&s->hash) & (cap - 1);
            while (slots[j] != NULL)
                j = (j + 1) & (cap - 1);
            slots[j] = s;
        }
        tw_mem_free(intern_table.slots);
    }
    intern_table.slots = slots;
    intern_table.mask = cap - 1;
    return 0;
}

/* The canonical string equal to the n bytes at data, or NULL; *slot gets
 * the index where it is or would go.  Mutex held; the table exists. */
static TwStrObject *intern_find(const char *data, size_t n, tw_hash_t h, size_t *slot)
{
    size_t i = (size_t)h & intern_table.mask;
    for (;;) {
        TwStrObject *s = intern_table.slots[i];
        if (s == NULL)
            break;
        if (tw_atomic_load_relaxed(&s->hash) == h && (size_t)TW_SIZE(s) == n &&
            memcmp(s->data, data, n) == 0) {
            *slot = i;
            return s;
        }
        i = (i + 1) & intern_table.mask;
    }
    *slot = i;
    return NULL;
}

/* The canonical string for valid UTF-8 text (length and ascii describe it;
 * h is its hash), creating it if needed.  New reference, or NULL.  The first
 * pass looks it up; if absent, the copy is made unlocked and a second pass
 * inserts it unless another thread inserted an equal string meanwhile (then
 * the copy is dropped). */
static TwObject *intern_text(const char *data, size_t n, tw_hash_t h, intptr_t length, int ascii)
{
    TwStrObject *copy = NULL; /* the would-be canonical string */
    TwStrObject *result = NULL;
    int no_memory = 0;
    for (;;) {
        size_t slot;
        tw_mutex_lock(&intern_table.mutex);
        if (intern_table.slots == NULL && intern_grow() < 0) {
            no_memory = 1;
            break;
        }
        result = intern_find(data, n, h, &slot);
        if (result != NULL)
            break;
        if (copy != NULL) {
            if ((intern_table.used + 1) * 3 > (intern_table.mask + 1) * 2) {
                if (intern_grow() < 0) {
                    no_memory = 1;
                    break;
                }
                intern_find(data, n, h, &slot);
            }
            copy->interned = 1;
            tw_set_immortal((TwObject *)copy);
            intern_table.slots[slot] = copy;
            intern_table.used++;
            result = copy;
            copy = NULL;
            break;
        }
        tw_mutex_unlock(&intern_table.mutex);
        copy = str_alloc(n, length, ascii);
        if (copy == NULL)
            return NULL;
        if (n > 0)
            memcpy(copy->data, data, n);
        tw_atomic_store_relaxed(&copy->hash, h);
    }
    tw_mutex_unlock(&intern_table.mutex);
    if (copy != NULL)
        tw_decref((TwObject *)copy); /* another thread interned it first */
    if (no_memory)
        return tw_err_no_memory();
    return tw_newref((TwObject *)result);
}

TwObject *tw_str_intern(TwObject *s)
{
    if (!tw_str_check(s)) {
        tw_err_format(&tw_exc_TypeError, "can't intern %s", TW_TYPE(s)->tp_name);
        return NULL;
    }
    TwStrObject *str = (TwStrObject *)s;
    if (str->interned)
        return tw_newref(s);
    return intern_text(str->data, (size_t)TW_SIZE(str), str_hash(s), str->length, str->ascii);
}

TwObject *tw_str_intern_cstr(const char *c)
{
    size_t n = strlen(c);
    intptr_t length;
    int ascii;
    if (utf8_scan(c, n, &length, &ascii) < 0)
        return NULL;
    return intern_text(c, n, tw_scalar_hash_bytes(c, n), length, ascii);
}

/* Called once by the runtime at start: create the table so the first
 * interns need not.  Harmless if the table already exists. */
void tw_str_intern_init(void)
{
    tw_mutex_lock(&intern_table.mutex);
    int failed = intern_table.slots == NULL && intern_grow() < 0;
    tw_mutex_unlock(&intern_table.mutex);
    if (failed)
        tw_fatal("cannot allocate the string intern table");
}
