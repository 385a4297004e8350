/* The generic object operations: allocation, deallocation, immortality,
 * hashing, comparison and repr, and the built-in `type` and `object` types. */
#include <stdio.h>
#include <string.h>
#include "core/tstate.h"

/* ---- allocation ----------------------------------------------------------- */

#if TW_DEBUG
/* The live-object counter: each thread counts in its own state (only it
 * writes there, so a relaxed load+store suffices); tw_debug_live_objects
 * sums the live threads and the totals that exited threads folded in. */
static inline void count_live(int64_t delta)
{
    TwThreadState *ts = tw_tstate_fast();
    if (ts == NULL) {
        tw_atomic_add_relaxed(&tw_runtime.dead_live_objects, delta);
        return;
    }
    tw_atomic_store_relaxed(&ts->live_objects, tw_atomic_load_relaxed(&ts->live_objects) + delta);
}
#else
#define count_live(delta) ((void)0)
#endif

TwObject *tw_object_new(TwType *tp, size_t nitems)
{
    size_t size = tp->tp_basicsize;
    if (nitems != 0) {
        if (tp->tp_itemsize != 0 && nitems > (SIZE_MAX - size) / tp->tp_itemsize)
            return tw_err_no_memory();
        size += nitems * tp->tp_itemsize;
    }
    TwObject *op = tw_obj_malloc(size);
    if (op == NULL)
        return tw_err_no_memory();
    memset(op, 0, tp->tp_basicsize);
#if TW_GIL_DISABLED
    tw_assert(tw_tls_thread_serial != TW_NO_THREAD_SERIAL);
    atomic_init(&op->ob_tid, tw_tls_thread_serial);
    atomic_init(&op->ob_ref_local, 1);
    atomic_init(&op->ob_ref_shared, 0);
#else
    op->ob_refcnt = 1;
#endif
    op->ob_type = tp;
    count_live(1);
    return op;
}

void tw_object_free(TwObject *op)
{
#if TW_GIL_DISABLED
    tw_assert(!(op->ob_flags & TW_OBJ_STATIC));
#endif
    count_live(-1);
    tw_obj_free(op);
}

/* Called when the count reaches zero.  The type's destructor releases the
 * object's references and calls tw_object_free. */
void tw_dealloc(TwObject *op)
{
    tw_assert(!tw_is_immortal(op));
    TW_TYPE(op)->tp_dealloc(op);
}

/* An immortal object is never freed, so it also leaves the live-object
 * accounting.  Only the owning thread (or a thread that has not shared the
 * object yet) may make an object immortal. */
void tw_set_immortal(TwObject *op)
{
    if (tw_is_immortal(op))
        return;
#if TW_GIL_DISABLED
    tw_atomic_store_relaxed(&op->ob_ref_local, TW_REF_LOCAL_IMMORTAL);
#else
    op->ob_refcnt = TW_IMMORTAL_REFCNT;
#endif
    count_live(-1);
}

int64_t tw_debug_live_objects(void)
{
#if TW_DEBUG
    /* Exiting threads fold their count into dead_live_objects and leave the
     * list in one step under threads_mutex, so read both under it too. */
    pthread_mutex_lock(&tw_runtime.threads_mutex);
    int64_t total = tw_atomic_load_relaxed(&tw_runtime.dead_live_objects);
    for (TwThreadState *ts = tw_runtime.threads; ts != NULL; ts = ts->next)
        total += tw_atomic_load_relaxed(&ts->live_objects);
    pthread_mutex_unlock(&tw_runtime.threads_mutex);
    return total;
#else
    return -1;
#endif
}

#if TW_GIL_DISABLED
intptr_t tw_refcount(TwObject *op)
{
    uint32_t local = tw_atomic_load_relaxed(&op->ob_ref_local);
    if (local == TW_REF_LOCAL_IMMORTAL)
        return (intptr_t)TW_REF_LOCAL_IMMORTAL;
    int32_t shared = tw_atomic_load_relaxed(&op->ob_ref_shared);
    intptr_t count = shared >> TW_REF_SHIFT;
    if ((shared & TW_REF_STATE_MASK) != TW_REF_MERGED)
        count += local;
    return count;
}
#endif

/* ---- generic operations ----------------------------------------------------- */

int tw_type_is_subtype(TwType *a, TwType *b)
{
    for (; a != NULL; a = a->tp_base)
        if (a == b)
            return 1;
    return 0;
}

tw_hash_t tw_object_hash(TwObject *op)
{
    TwType *tp = TW_TYPE(op);
    if (tp->tp_hash == NULL) {
        tw_err_format(&tw_exc_TypeError, "unhashable type: '%s'", tp->tp_name);
        return -1;
    }
    return tp->tp_hash(op);
}

static const char *const op_symbols[] = {"<", "<=", "==", "!=", ">", ">="};

TwObject *tw_object_richcompare(TwObject *a, TwObject *b, int op)
{
    TwType *ta = TW_TYPE(a);
    if (ta->tp_richcompare != NULL)
        return ta->tp_richcompare(a, b, op);
    TwType *tb = TW_TYPE(b);
    if (tb->tp_richcompare != NULL) {
        /* Reflected: a < b is b > a. */
        static const int swapped[] = {TW_GT, TW_GE, TW_EQ, TW_NE, TW_LT, TW_LE};
        return tb->tp_richcompare(b, a, swapped[op]);
    }
    if (op == TW_EQ)
        return tw_newref(tw_bool_from_long(a == b));
    if (op == TW_NE)
        return tw_newref(tw_bool_from_long(a != b));
    tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                  op_symbols[op], ta->tp_name, tb->tp_name);
    return NULL;
}

int tw_object_eq(TwObject *a, TwObject *b)
{
    if (a == b)
        return 1;
    TwObject *r = tw_object_richcompare(a, b, TW_EQ);
    if (r == NULL)
        return -1;
    int truth = tw_object_is_true(r);
    tw_decref(r);
    return truth;
}

TwObject *tw_object_repr(TwObject *op)
{
    TwType *tp = TW_TYPE(op);
    if (tp->tp_repr != NULL)
        return tp->tp_repr(op);
    return tw_str_from_format("<%s object at %p>", tp->tp_name, (void *)op);
}

TwObject *tw_object_str(TwObject *op)
{
    TwType *tp = TW_TYPE(op);
    if (tp->tp_str != NULL)
        return tp->tp_str(op);
    return tw_object_repr(op);
}

/* ---- type and object ------------------------------------------------------------ */

static TwObject *type_repr(TwObject *op)
{
    return tw_str_from_format("<class '%s'>", ((TwType *)op)->tp_name);
}

/* Identity hash: the address, rotated so the alignment zeros do not waste
 * the low bits that hash tables index by. */
static tw_hash_t object_hash(TwObject *op)
{
    uintptr_t p = (uintptr_t)op;
    tw_hash_t h = (tw_hash_t)((p >> 4) | (p << (8 * sizeof(p) - 4)));
    return h == -1 ? -2 : h;
}

static void object_dealloc(TwObject *op) { tw_object_free(op); }

static void type_dealloc(TwObject *op)
{
    /* Built-in types are static and immortal: reaching here is a bug. */
    tw_fatal("deallocating the static type '%s'", ((TwType *)op)->tp_name);
}

TwType tw_type_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "type",
    .tp_basicsize = sizeof(TwType),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_base = &tw_object_type,
    .tp_dealloc = type_dealloc,
    .tp_hash = object_hash,
    .tp_repr = type_repr,
};

TwType tw_object_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "object",
    .tp_basicsize = sizeof(TwObject),
    .tp_flags = TW_TPFLAGS_BASETYPE,
    .tp_dealloc = object_dealloc,
    .tp_hash = object_hash,
};
