/* The generic object operations: allocation, deallocation, immortality,
 * hashing, rich comparison (with NotImplemented and reflected operands),
 * repr and str.  The `type` and `object` types live in core/typeobject.c. */
#include <stdio.h>
#include <string.h>
#include "core/eval.h"
#include "core/tstate.h"
#include "core/typeobject.h"

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

void tw_debug_count_live(int64_t delta) { count_live(delta); }
#else
#define count_live(delta) ((void)0)
#endif

/* Instances of classes whose __dict__ pointer lives in a pre-header
 * (tp_dictoffset < 0, see core/typeobject.h) get TW_PREHEADER_SIZE zeroed
 * bytes before the object.  An instance of a heap type holds a reference
 * to its class, dropped by tw_object_free. */
TwObject *tw_object_new(TwType *tp, size_t nitems)
{
    size_t size = tp->tp_basicsize;
    if (nitems != 0) {
        if (tp->tp_itemsize != 0 && nitems > (SIZE_MAX - size - TW_PREHEADER_SIZE) / tp->tp_itemsize)
            return tw_err_no_memory();
        size += nitems * tp->tp_itemsize;
    }
    size_t pre = tp->tp_dictoffset < 0 ? TW_PREHEADER_SIZE : 0;
    char *mem = tw_obj_malloc(size + pre);
    if (mem == NULL)
        return tw_err_no_memory();
    memset(mem, 0, pre + tp->tp_basicsize);
    TwObject *op = (TwObject *)(mem + pre);
#if TW_GIL_DISABLED
    tw_assert(tw_tls_thread_serial != TW_NO_THREAD_SERIAL);
    atomic_init(&op->ob_tid, tw_tls_thread_serial);
    atomic_init(&op->ob_ref_local, 1);
    atomic_init(&op->ob_ref_shared, 0);
#else
    op->ob_refcnt = 1;
#endif
    op->ob_type = tp;
    if (tp->tp_flags & TW_TPFLAGS_HEAPTYPE)
        tw_incref((TwObject *)tp);
    count_live(1);
    return op;
}

void tw_object_free(TwObject *op)
{
#if TW_GIL_DISABLED
    tw_assert(!(op->ob_flags & TW_OBJ_STATIC));
#endif
    TwType *tp = TW_TYPE(op);
    count_live(-1);
    tw_obj_free(tp->tp_dictoffset < 0 ? (char *)op - TW_PREHEADER_SIZE : (char *)op);
    if (tp->tp_flags & TW_TPFLAGS_HEAPTYPE)
        tw_decref((TwObject *)tp); /* after the memory: the class may go now */
}

/* ---- deallocation ----------------------------------------------------------
 *
 * A destructor drops its object's references, and a reference that was the
 * last one runs the next destructor inside it: freeing a list nested 100000
 * deep would nest 100000 destructors on the C stack.  So a thread counts the
 * destructors it is running (dealloc_depth); at DEALLOC_MAX_DEPTH an object
 * whose count reaches zero is not destroyed there but pushed on the thread's
 * pending stack, and the outermost tw_dealloc destroys the pending objects
 * one at a time before it returns, each again with at most
 * DEALLOC_MAX_DEPTH destructors nested below it.  A dead object waits there
 * untouched (count zero, type intact; nothing refers to it any more).  If
 * the pending stack cannot grow, the object is destroyed at once: the
 * nesting is then deeper, never wrong.
 *
 * All of it is thread-local: a destructor runs on the thread that dropped
 * the last reference, and the stack is empty whenever no destructor runs. */
#define DEALLOC_MAX_DEPTH 100

static _Thread_local int dealloc_depth;          /* thread-local */
static _Thread_local TwObject **dealloc_pending; /* thread-local */
static _Thread_local intptr_t pending_len, pending_cap;

static int defer_dealloc(TwObject *op)
{
    if (pending_len == pending_cap) {
        intptr_t cap = pending_cap ? pending_cap * 2 : 256;
        TwObject **p = tw_mem_realloc(dealloc_pending, (size_t)cap * sizeof(TwObject *));
        if (p == NULL)
            return -1;
        dealloc_pending = p;
        pending_cap = cap;
    }
    dealloc_pending[pending_len++] = op;
    return 0;
}

/* Destroy the pending objects (and what they defer in turn), then give the
 * stack's memory back: deep structures are rare. */
static void drain_pending(void)
{
    dealloc_depth++;
    while (pending_len > 0) {
        TwObject *op = dealloc_pending[--pending_len];
        TW_TYPE(op)->tp_dealloc(op);
    }
    dealloc_depth--;
    tw_mem_free(dealloc_pending);
    dealloc_pending = NULL;
    pending_cap = 0;
}

/* Called when the count reaches zero.  The type's destructor releases the
 * object's references and calls tw_object_free. */
void tw_dealloc(TwObject *op)
{
    tw_assert(!tw_is_immortal(op));
    if (dealloc_depth >= DEALLOC_MAX_DEPTH && defer_dealloc(op) == 0)
        return;
    dealloc_depth++;
    TW_TYPE(op)->tp_dealloc(op);
    if (--dealloc_depth == 0 && pending_len > 0)
        drain_pending();
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

/* The owner may make its object immortal while other threads hold
 * references: they only ever add to and subtract from the shared count,
 * which an immortal object ignores, and the owner's merge skips it.  For
 * an object it does not own, a thread cannot know that nobody writes the
 * local count or frees the object at the same moment, so it leaves it. */
int tw_try_set_immortal(TwObject *op)
{
    if (tw_is_immortal(op))
        return 1;
#if TW_GIL_DISABLED
    if (tw_atomic_load_relaxed(&op->ob_tid) != tw_tls_thread_serial)
        return 0;
#endif
    tw_set_immortal(op);
    return 1;
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
/* Acquire loads: a caller that holds a reference and reads 1 may reuse the
 * object in place (core/traceback.c does), so it must see everything other
 * threads did with the object before their last reference went (shared
 * decrements and merges release). */
intptr_t tw_refcount(TwObject *op)
{
    uint32_t local = tw_atomic_load_acquire(&op->ob_ref_local);
    if (local == TW_REF_LOCAL_IMMORTAL)
        return (intptr_t)TW_REF_LOCAL_IMMORTAL;
    int32_t shared = tw_atomic_load_acquire(&op->ob_ref_shared);
    intptr_t count = shared >> TW_REF_SHIFT;
    if ((shared & TW_REF_STATE_MASK) != TW_REF_MERGED)
        count += local;
    return count;
}
#endif

/* ---- generic operations ----------------------------------------------------- */

/* By the MRO once the type is ready (multiple inheritance), else by the
 * tp_base chain. */
int tw_type_is_subtype(TwType *a, TwType *b)
{
    if (a == b)
        return 1;
    TwObject *mro = a->tp_mro;
    if (mro != NULL) {
        intptr_t n = TW_SIZE(mro);
        for (intptr_t i = 1; i < n; i++)
            if (tw_tuple_get_item_borrowed(mro, i) == (TwObject *)b)
                return 1;
        return 0;
    }
    for (a = a->tp_base; a != NULL; a = a->tp_base)
        if (a == b)
            return 1;
    return 0;
}

int tw_recursion_enter(const char *where)
{
    TwThreadState *ts = tw_tstate_fast();
    char probe;
    if (tw_unlikely(ts->c_stack_limit == 0))
        tw_eval_init_c_stack_limit(ts);
    if (tw_unlikely(++ts->py_depth > tw_eval_get_recursion_limit() ||
                    (uintptr_t)&probe < ts->c_stack_limit)) {
        ts->py_depth--;
        tw_err_format(&tw_exc_RecursionError, "maximum recursion depth exceeded%s", where);
        return -1;
    }
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
static const int swapped_op[] = {TW_GT, TW_GE, TW_EQ, TW_NE, TW_LT, TW_LE};

/* a <op> b: a's slot, then b's reflected slot (b's first when b's class
 * is a proper subclass of a's); a slot that does not handle the pair
 * answers NotImplemented.  When both decline, == and != fall back to
 * identity and the orderings raise TypeError. */
static TwObject *do_richcompare(TwObject *a, TwObject *b, int op)
{
    TwType *ta = TW_TYPE(a), *tb = TW_TYPE(b);
    int checked_reverse = 0;
    TwObject *r;
    if (ta != tb && tb->tp_richcompare != NULL && tw_type_is_subtype(tb, ta)) {
        checked_reverse = 1;
        r = tb->tp_richcompare(b, a, swapped_op[op]);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (ta->tp_richcompare != NULL) {
        r = ta->tp_richcompare(a, b, op);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (!checked_reverse && tb->tp_richcompare != NULL) {
        r = tb->tp_richcompare(b, a, swapped_op[op]);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (op == TW_EQ)
        return tw_newref(tw_bool_from_long(a == b));
    if (op == TW_NE)
        return tw_newref(tw_bool_from_long(a != b));
    tw_err_format(&tw_exc_TypeError, "'%s' not supported between instances of '%s' and '%s'",
                  op_symbols[op], ta->tp_name, tb->tp_name);
    return NULL;
}

/* Comparing containers recurses into their items: guarded.  Two ints,
 * floats or strs (what sorting mostly compares) cannot recurse and skip
 * the guard. */
TwObject *tw_object_richcompare(TwObject *a, TwObject *b, int op)
{
    TwType *t = TW_TYPE(a);
    if (t == TW_TYPE(b) && (t == &tw_int_type || t == &tw_str_type || t == &tw_float_type)) {
        TwObject *r = t->tp_richcompare(a, b, op);
        if (r != TW_NOTIMPLEMENTED)
            return r;
        tw_decref(r);
    }
    if (tw_recursion_enter(" in comparison") < 0)
        return NULL;
    TwObject *r = do_richcompare(a, b, op);
    tw_recursion_leave();
    return r;
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

/* repr and str of containers recurse into their items: guarded. */
TwObject *tw_object_repr(TwObject *op)
{
    TwType *tp = TW_TYPE(op);
    if (tw_recursion_enter(" while getting the repr of an object") < 0)
        return NULL;
    TwObject *r = tp->tp_repr != NULL ? tp->tp_repr(op) : tw_object_default_repr(op);
    tw_recursion_leave();
    return r;
}

TwObject *tw_object_str(TwObject *op)
{
    TwType *tp = TW_TYPE(op);
    if (tp->tp_str == NULL)
        return tw_object_repr(op);
    if (tw_recursion_enter(" while getting the str of an object") < 0)
        return NULL;
    TwObject *r = tp->tp_str(op);
    tw_recursion_leave();
    return r;
}
