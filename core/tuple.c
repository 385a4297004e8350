/* tuple: an immutable array of references.
 *
 * A tuple is filled once, by its creator, before any other code sees it
 * (tw_tuple_init_item); after that its items never change, so any thread
 * may read them without a lock and a borrowed item stays valid as long as
 * the tuple lives.  The empty tuple is one static immortal object. */
#include <stdarg.h>
#include <string.h>

#include "core/scalar.h"
#include "core/tstate.h"

static TwObject *tuple_repr(TwObject *op);
static tw_hash_t tuple_hash(TwObject *op);
static TwObject *tuple_richcompare(TwObject *a, TwObject *b, int op);
static void tuple_dealloc(TwObject *op);

TwType tw_tuple_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "tuple",
    .tp_basicsize = offsetof(TwTupleObject, items),
    .tp_itemsize = sizeof(TwObject *),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES | TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = tuple_dealloc,
    .tp_hash = tuple_hash,
    .tp_richcompare = tuple_richcompare,
    .tp_repr = tuple_repr,
    .tp_str = NULL,
};

/* Immutable and immortal. */
static TwTupleObject empty_tuple = {.ob_base = TW_VAR_HEAD_INIT(&tw_tuple_type, 0)};

#define ITEMS(op) (((TwTupleObject *)(op))->items)

TwObject *tw_tuple_new(intptr_t n)
{
    if (n == 0)
        return (TwObject *)&empty_tuple;
    if (n < 0) {
        tw_err_set_string(&tw_exc_SystemError, "tw_tuple_new: negative size");
        return NULL;
    }
    if ((size_t)n > (SIZE_MAX - sizeof(TwTupleObject)) / sizeof(TwObject *))
        return tw_err_no_memory();
    TwObject *t = tw_object_new(&tw_tuple_type, (size_t)n);
    if (t == NULL)
        return NULL;
    TW_SIZE(t) = n;
    memset(ITEMS(t), 0, (size_t)n * sizeof(TwObject *));
    return t;
}

void tw_tuple_init_item(TwObject *t, intptr_t i, TwObject *item)
{
    tw_assert(t != (TwObject *)&empty_tuple && i >= 0 && i < TW_SIZE(t));
    tw_assert(ITEMS(t)[i] == NULL);
    ITEMS(t)[i] = item;
}

TwObject *tw_tuple_pack(intptr_t n, ...)
{
    TwObject *t = tw_tuple_new(n);
    if (t == NULL)
        return NULL;
    va_list ap;
    va_start(ap, n);
    for (intptr_t i = 0; i < n; i++)
        ITEMS(t)[i] = tw_newref(va_arg(ap, TwObject *));
    va_end(ap);
    return t;
}

TwObject *tw_tuple_get_item(TwObject *t, intptr_t i)
{
    intptr_t n = TW_SIZE(t);
    if (i < 0)
        i += n;
    if (i < 0 || i >= n) {
        tw_err_set_string(&tw_exc_IndexError, "tuple index out of range");
        return NULL;
    }
    return tw_newref(ITEMS(t)[i]);
}

/* Release the items (a tuple whose filling failed half-way may still hold
 * NULL slots), then the memory. */
static void tuple_dealloc(TwObject *op)
{
    tw_assert(op != (TwObject *)&empty_tuple);
    for (intptr_t i = TW_SIZE(op) - 1; i >= 0; i--)
        tw_xdecref(ITEMS(op)[i]);
    tw_object_free(op);
}

/* ---- hash ------------------------------------------------------------------
 *
 * The same value as CPython's tuple hash (3.8 and later), so sets and dicts
 * keyed by tuples iterate in CPython's order.  It mixes the item hashes in
 * the manner of one xxHash64 lane: each item hash is multiplied by a large
 * prime, added to the accumulator, which is rotated and multiplied by a
 * second prime; the length is folded in at the end. */
#define XXPRIME_1 UINT64_C(11400714785074694791)
#define XXPRIME_2 UINT64_C(14029467366897019727)
#define XXPRIME_5 UINT64_C(2870177450012600261)

static tw_hash_t tuple_hash(TwObject *op)
{
    intptr_t n = TW_SIZE(op);
    uint64_t acc = XXPRIME_5;
    /* Nested tuples recurse: guarded (CPython's tuple hash is not). */
    if (tw_recursion_enter("") < 0)
        return -1;
    for (intptr_t i = 0; i < n; i++) {
        tw_hash_t lane = tw_object_hash(ITEMS(op)[i]);
        if (lane == -1) {
            tw_recursion_leave();
            return -1;
        }
        acc += (uint64_t)lane * XXPRIME_2;
        acc = (acc << 31) | (acc >> 33);
        acc *= XXPRIME_1;
    }
    tw_recursion_leave();
    acc += (uint64_t)n ^ (XXPRIME_5 ^ UINT64_C(3527539));
    if (acc == UINT64_MAX)
        return 1546275796; /* the value CPython substitutes for -1 */
    return (tw_hash_t)acc;
}

/* ---- comparison ------------------------------------------------------------ */

/* Lexicographic: skip the equal prefix; if one tuple runs out, the lengths
 * decide; otherwise the first differing pair decides (== and != are known
 * by then without comparing the pair again). */
static TwObject *tuple_richcompare(TwObject *a, TwObject *b, int op)
{
    if (!tw_tuple_check(b))
        return tw_scalar_compare_unsupported(a, b, op);
    intptr_t na = TW_SIZE(a), nb = TW_SIZE(b);
    if ((op == TW_EQ || op == TW_NE) && na != nb)
        return tw_bool_from_long(op == TW_NE);
    intptr_t i;
    for (i = 0; i < na && i < nb; i++) {
        int eq = tw_object_eq(ITEMS(a)[i], ITEMS(b)[i]);
        if (eq < 0)
            return NULL;
        if (!eq)
            break;
    }
    if (i >= na || i >= nb)
        return tw_scalar_cmp_result((na > nb) - (na < nb), op);
    if (op == TW_EQ)
        return TW_FALSE;
    if (op == TW_NE)
        return TW_TRUE;
    return tw_object_richcompare(ITEMS(a)[i], ITEMS(b)[i], op);
}

/* ---- repr ------------------------------------------------------------------ */

/* "()", "(x,)" or "(x, y, ...)" from the items' reprs, which are gathered
 * first so the result is allocated once. */
static TwObject *tuple_repr(TwObject *op)
{
    intptr_t n = TW_SIZE(op);
    if (n == 0)
        return tw_str_from_cstr("()");
    TwObject **reprs = tw_mem_malloc((size_t)n * sizeof(TwObject *));
    if (reprs == NULL)
        return tw_err_no_memory();
    TwObject *result = NULL;
    size_t total = 2 + (n == 1 ? 1 : 2 * (size_t)(n - 1)); /* parens, commas, spaces */
    intptr_t done;
    for (done = 0; done < n; done++) {
        reprs[done] = tw_object_repr(ITEMS(op)[done]);
        if (reprs[done] == NULL)
            goto out;
        total += (size_t)tw_str_byte_size(reprs[done]);
    }
    char *buf = tw_mem_malloc(total);
    if (buf == NULL) {
        tw_err_no_memory();
        goto out;
    }
    char *o = buf;
    *o++ = '(';
    for (intptr_t i = 0; i < n; i++) {
        if (i > 0) {
            *o++ = ',';
            *o++ = ' ';
        }
        size_t len = (size_t)tw_str_byte_size(reprs[i]);
        memcpy(o, tw_str_utf8(reprs[i]), len);
        o += len;
    }
    if (n == 1)
        *o++ = ',';
    *o++ = ')';
    result = tw_str_from_utf8(buf, (size_t)(o - buf));
    tw_mem_free(buf);
out:
    for (intptr_t i = 0; i < done; i++)
        tw_decref(reprs[i]);
    tw_mem_free(reprs);
    return result;
}
