/* The object header and reference counting: the one place where the two
 * builds' object layouts differ.
 *
 * GIL build (16 bytes)
 *   ob_refcnt  intptr_t   plain count, touched only with the GIL held;
 *                         negative = immortal (TW_IMMORTAL_REFCNT)
 *   ob_type    TwType *
 *
 * Free-threaded build (24 bytes; CPython's is 32)
 *   offset 0  ob_tid        uint32  serial of the owning thread (never reused);
 *                                   0 = no owner (merged, or a static object)
 *   offset 4  ob_ref_local  uint32  the owner's count; only the owner writes it;
 *                                   UINT32_MAX = immortal
 *   offset 8  ob_ref_shared int32   other threads' count << 2 | state (below);
 *                                   atomic; may be negative while QUEUED
 *   offset 12 ob_mutex      1 byte  the object's lock (TwMutex)
 *   offset 13 ob_flags      uint8   TW_OBJ_* flags
 *   offset 14 ob_gc_bits    uint8   reserved for the cycle collector
 *   offset 15 ob_spare      uint8
 *   offset 16 ob_type       TwType *
 *
 * Biased reference counting (free-threaded build).  The owning thread
 * increments and decrements ob_ref_local with plain loads and stores; other
 * threads add and subtract (1 << 2) on ob_ref_shared atomically.  The true
 * count is
 *     local + (shared >> 2) - (1 if the object sits in its owner's merge queue)
 * until the counts are merged; after the merge (state MERGED) it is just
 * shared >> 2 and ob_tid is 0, so every thread takes the atomic path.
 *
 * The two low bits of ob_ref_shared only ever move upward:
 *   TW_REF_DEFAULT       nothing special;
 *   TW_REF_MAYBE_WEAKREF reserved for weak references (behaves as DEFAULT);
 *   TW_REF_QUEUED        a non-owner's decrement would have taken the shared
 *                        count below zero, so instead it queued the object to
 *                        its owner; the queue holds that reference and the
 *                        owner drops it at its next eval-breaker check point;
 *   TW_REF_MERGED        local was folded into shared; the object is unowned.
 * The owner merges when its local count would drop to zero.  If the owner has
 * exited, a thread that would queue the object merges it directly.  Whoever
 * takes the count to zero deallocates.  nogil/brc.c holds the slow paths.
 *
 * Immortal objects (None, True, False, small ints, interned strings, static
 * types) ignore increments and decrements in both builds. */
#ifndef TWINPY_OBJECT_H
#define TWINPY_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include <twinpy/config.h>
#include <twinpy/atomic.h>
#include <twinpy/mutex.h>

typedef struct TwObject TwObject;
typedef struct TwType TwType;
typedef int64_t tw_hash_t;

#if TW_GIL_DISABLED
struct TwObject {
    _Atomic uint32_t ob_tid;
    _Atomic uint32_t ob_ref_local;
    _Atomic int32_t ob_ref_shared;
    TwMutex ob_mutex;
    uint8_t ob_flags;
    uint8_t ob_gc_bits;
    uint8_t ob_spare;
    TwType *ob_type;
};
_Static_assert(sizeof(struct TwObject) == 24, "free-threaded object header must be 24 bytes");

#define TW_REF_DEFAULT       0
#define TW_REF_MAYBE_WEAKREF 1
#define TW_REF_QUEUED        2
#define TW_REF_MERGED        3
#define TW_REF_STATE_MASK    3
#define TW_REF_SHIFT         2
#define TW_REF_LOCAL_IMMORTAL UINT32_MAX
/* A shared count this high makes the object immortal rather than overflow. */
#define TW_REF_SHARED_LIMIT  (1 << 28)

#define TW_OBJECT_HEAD_INIT(type)                                                                  \
    {.ob_tid = 0, .ob_ref_local = TW_REF_LOCAL_IMMORTAL, .ob_ref_shared = 0,                       \
     .ob_mutex = {0}, .ob_flags = TW_OBJ_STATIC, .ob_gc_bits = 0, .ob_spare = 0,                   \
     .ob_type = (type)}
#else
struct TwObject {
    intptr_t ob_refcnt;
    TwType *ob_type;
};
_Static_assert(sizeof(struct TwObject) == 16, "GIL object header must be 16 bytes");

#define TW_IMMORTAL_REFCNT (INTPTR_MIN / 2)
#define TW_OBJECT_HEAD_INIT(type) {.ob_refcnt = TW_IMMORTAL_REFCNT, .ob_type = (type)}
#endif

/* ob_flags (free-threaded build). */
#define TW_OBJ_STATIC 1 /* statically allocated: never freed */

/* Variable-size objects (str, bytes, tuple, int) add a length. */
typedef struct TwVarObject {
    TwObject ob_base;
    intptr_t ob_size;
} TwVarObject;

#define TW_VAR_HEAD_INIT(type, size) {TW_OBJECT_HEAD_INIT(type), (size)}

/* Rich comparison operators. */
enum { TW_LT = 0, TW_LE = 1, TW_EQ = 2, TW_NE = 3, TW_GT = 4, TW_GE = 5 };

/* Type flags. */
#define TW_TPFLAGS_IMMUTABLE_INSTANCES (1u << 0) /* instances never change after creation */
#define TW_TPFLAGS_EXCEPTION           (1u << 1) /* an exception class */
#define TW_TPFLAGS_BASETYPE            (1u << 2) /* may be subclassed */

typedef void (*tw_destructor)(TwObject *);
typedef tw_hash_t (*tw_hashfunc)(TwObject *);
typedef TwObject *(*tw_richcmpfunc)(TwObject *, TwObject *, int);
typedef TwObject *(*tw_reprfunc)(TwObject *);
typedef TwObject *(*tw_binaryfunc)(TwObject *, TwObject *);
typedef TwObject *(*tw_ternaryfunc)(TwObject *, TwObject *, TwObject *);
typedef TwObject *(*tw_getattrofunc)(TwObject *, TwObject *);
typedef int (*tw_setattrofunc)(TwObject *, TwObject *, TwObject *);
typedef intptr_t (*tw_lenfunc)(TwObject *);
typedef int (*tw_setitemfunc)(TwObject *, TwObject *, TwObject *);
typedef int (*tw_containsfunc)(TwObject *, TwObject *);
typedef int (*tw_inquiry)(TwObject *);
typedef TwObject *(*tw_descrgetfunc)(TwObject *, TwObject *, TwObject *);
typedef int (*tw_descrsetfunc)(TwObject *, TwObject *, TwObject *);
/* The call convention: positional arguments then keyword values in
 * args[0 .. nargs + len(kwnames)); kwnames is a tuple of interned str (the
 * keyword names) or NULL.  Returns a new reference, or NULL with an
 * exception set. */
typedef TwObject *(*tw_vectorcallfunc)(TwObject *callable, TwObject *const *args, size_t nargs,
                                       TwObject *kwnames);
typedef TwObject *(*tw_newfunc)(TwType *type, TwObject *const *args, size_t nargs,
                                TwObject *kwnames);
typedef int (*tw_initfunc)(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames);

/* A type.  Built-in types are static immortal objects.  The interpreter adds
 * further slots after these; the ones below are what the object model and
 * the containers need. */
struct TwType {
    TwObject ob_base;
    const char *tp_name;
    size_t tp_basicsize; /* size of an instance (variable part excluded) */
    size_t tp_itemsize;  /* size of one item of the variable part, or 0 */
    uint32_t tp_flags;
    TwType *tp_base;
    tw_destructor tp_dealloc;      /* releases references and frees the memory */
    tw_hashfunc tp_hash;           /* NULL: unhashable */
    tw_richcmpfunc tp_richcompare; /* NULL: identity comparison only */
    tw_reprfunc tp_repr;           /* NULL: "<name object at 0x...>" */
    tw_reprfunc tp_str;            /* NULL: tp_repr */

    /* ---- the interpreter's protocol (see include/twinpy/abstract.h) ----
     * A NULL slot means "not supported" unless noted.  Python classes get
     * every slot filled with a function that looks the special method up
     * through the MRO (core/typeobject.c). */
    tw_getattrofunc tp_getattro;   /* NULL: tw_object_generic_getattr */
    tw_setattrofunc tp_setattro;   /* value NULL deletes; NULL: tw_object_generic_setattr */
    tw_vectorcallfunc tp_call;     /* calling an instance */
    tw_reprfunc tp_iter;           /* iter(x): a new iterator */
    tw_reprfunc tp_iternext;       /* next(it): NULL and no exception when exhausted */
    const struct TwNumberMethods *tp_as_number;
    tw_lenfunc tp_len;
    tw_binaryfunc tp_getitem;      /* x[key] */
    tw_setitemfunc tp_setitem;     /* x[key] = value; value NULL deletes */
    tw_containsfunc tp_contains;   /* NULL: iterate and compare */
    tw_descrgetfunc tp_descr_get;  /* descriptor __get__(obj, type); obj NULL for class access */
    tw_descrsetfunc tp_descr_set;  /* descriptor __set__ / __delete__ (value NULL) */
    tw_newfunc tp_new;             /* type(...) creates an instance; NULL: not instantiable */
    tw_initfunc tp_init;           /* then initialises it (may be NULL) */
    const struct TwMethodDef *tp_methods; /* C methods, installed in tp_dict by tw_type_ready */
    const struct TwGetSetDef *tp_getset;  /* C attributes, installed likewise */
    TwObject *tp_dict;             /* the class namespace (dict); immutable for static types after ready */
    TwObject *tp_bases;            /* tuple of base classes */
    TwObject *tp_mro;              /* tuple: the C3 linearisation, starting with the type */
    intptr_t tp_dictoffset;        /* offset of the instance __dict__ pointer, or 0 */
    _Atomic int tp_ready;          /* set once by tw_type_ready */
    uint64_t tp_version;           /* bumped when the class namespace changes (attribute caches) */
};

extern TwType tw_type_type;
extern TwType tw_object_type;

/* ---- build identity ---------------------------------------------------- */

/* "free-threading build" or "GIL build". */
#if TW_GIL_DISABLED
#define TW_BUILD_NAME "free-threading build"
#else
#define TW_BUILD_NAME "GIL build"
#endif

/* ---- reference counting --------------------------------------------------
 *
 * tw_incref / tw_decref take a non-NULL object; the _x forms accept NULL.
 * tw_newref returns its argument with a new reference. */

void tw_dealloc(TwObject *op);

#if TW_GIL_DISABLED
/* The serial of the calling thread: TW_NO_THREAD_SERIAL until the thread
 * binds a thread state.  No object has that owner, so a thread without a
 * thread state can never take the owner's non-atomic path. */
#define TW_NO_THREAD_SERIAL UINT32_MAX
extern _Thread_local uint32_t tw_tls_thread_serial;

void tw_brc_decref_shared(TwObject *op);
void tw_brc_merge_zero_local(TwObject *op);
void tw_brc_shared_overflow(TwObject *op);

static TW_ALWAYS_INLINE int tw_is_immortal(TwObject *op)
{
    return tw_atomic_load_relaxed(&op->ob_ref_local) == TW_REF_LOCAL_IMMORTAL;
}

static TW_ALWAYS_INLINE void tw_incref(TwObject *op)
{
    uint32_t local = tw_atomic_load_relaxed(&op->ob_ref_local);
    uint32_t new_local = local + 1;
    if (new_local == 0)
        return; /* immortal */
    if (tw_likely(tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial))
        tw_atomic_store_relaxed(&op->ob_ref_local, new_local);
    else if (tw_unlikely(tw_atomic_add_relaxed(&op->ob_ref_shared, 1 << TW_REF_SHIFT) >=
                         (TW_REF_SHARED_LIMIT << TW_REF_SHIFT)))
        tw_brc_shared_overflow(op);
}

static TW_ALWAYS_INLINE void tw_decref(TwObject *op)
{
    uint32_t local = tw_atomic_load_relaxed(&op->ob_ref_local);
    if (local == TW_REF_LOCAL_IMMORTAL)
        return;
    if (tw_likely(tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial)) {
        if (tw_likely(local > 1))
            tw_atomic_store_relaxed(&op->ob_ref_local, local - 1);
        else
            tw_brc_merge_zero_local(op);
    } else {
        tw_brc_decref_shared(op);
    }
}

/* The current count: exact when no other thread is changing it. */
intptr_t tw_refcount(TwObject *op);

/* The header of a new object of static type tp: one reference, owned by
 * the calling thread (which must have a thread state). */
static TW_ALWAYS_INLINE void tw_object_init_head(TwObject *op, TwType *tp)
{
    atomic_init(&op->ob_tid, tw_tls_thread_serial);
    atomic_init(&op->ob_ref_local, 1);
    atomic_init(&op->ob_ref_shared, 0);
    atomic_init(&op->ob_mutex.v, 0);
    op->ob_flags = 0;
    op->ob_gc_bits = 0;
    op->ob_spare = 0;
    op->ob_type = tp;
}

/* 1 if op is mortal and the caller holds its only reference, so that
 * nobody can see op change (it may be reused in place).  Here: the caller
 * owns op, its local count is 1 and no other thread ever kept or queued a
 * reference (a thread that held one and dropped it leaves the shared count
 * at 0 too, which is still exact). */
static TW_ALWAYS_INLINE int tw_is_unique(TwObject *op)
{
    return tw_atomic_load_relaxed(&op->ob_ref_local) == 1 &&
           tw_atomic_load_relaxed(&op->ob_tid) == tw_tls_thread_serial &&
           tw_atomic_load_relaxed(&op->ob_ref_shared) == 0;
}
#else
static TW_ALWAYS_INLINE int tw_is_immortal(TwObject *op) { return op->ob_refcnt < 0; }

static TW_ALWAYS_INLINE void tw_incref(TwObject *op)
{
    if (op->ob_refcnt < 0)
        return; /* immortal */
    op->ob_refcnt++;
}

static TW_ALWAYS_INLINE void tw_decref(TwObject *op)
{
    if (op->ob_refcnt < 0)
        return;
    if (--op->ob_refcnt == 0)
        tw_dealloc(op);
}

static inline intptr_t tw_refcount(TwObject *op) { return op->ob_refcnt; }

static TW_ALWAYS_INLINE void tw_object_init_head(TwObject *op, TwType *tp)
{
    op->ob_refcnt = 1;
    op->ob_type = tp;
}

static TW_ALWAYS_INLINE int tw_is_unique(TwObject *op) { return op->ob_refcnt == 1; }
#endif

static TW_ALWAYS_INLINE void tw_xincref(TwObject *op)
{
    if (op != NULL)
        tw_incref(op);
}

static TW_ALWAYS_INLINE void tw_xdecref(TwObject *op)
{
    if (op != NULL)
        tw_decref(op);
}

static TW_ALWAYS_INLINE TwObject *tw_newref(TwObject *op)
{
    tw_incref(op);
    return op;
}

/* Replace *slot with NULL and drop the old reference (safe if the
 * destructor re-enters and reads *slot). */
#define TW_CLEAR(slot)                                                                             \
    do {                                                                                           \
        TwObject *tw_clear_tmp_ = (TwObject *)(slot);                                              \
        if (tw_clear_tmp_ != NULL) {                                                               \
            (slot) = NULL;                                                                         \
            tw_decref(tw_clear_tmp_);                                                              \
        }                                                                                          \
    } while (0)

#define TW_TYPE(op) (((TwObject *)(op))->ob_type)
#define TW_SIZE(op) (((TwVarObject *)(op))->ob_size)

/* Make op immortal (a no-op if it already is).  The object is never freed.
 * Only the thread that owns op, or the only thread running, may call it. */
void tw_set_immortal(TwObject *op);
/* Make op immortal if the calling thread may (it owns op, or op already
 * is); 1 if op is immortal now, 0 if it was left alone.  Safe while other
 * threads hold references to op. */
int tw_try_set_immortal(TwObject *op);

/* ---- generic object operations (core/object.c) -------------------------- */

/* Allocate an instance of tp with `nitems` items in its variable part and
 * initialise its header (count 1, owned by the calling thread).  NULL with
 * MemoryError set on failure. */
TwObject *tw_object_new(TwType *tp, size_t nitems);
/* Free the memory of an object whose references are already released: the
 * last step of every tp_dealloc. */
void tw_object_free(TwObject *op);

/* Hash: -1 with an exception set on error (TypeError for unhashable). */
tw_hash_t tw_object_hash(TwObject *op);
/* Rich comparison returning a new reference (True/False or another object);
 * NULL on error. */
TwObject *tw_object_richcompare(TwObject *a, TwObject *b, int op);
/* a == b as a C int: 1 true, 0 false, -1 error.  Identity implies equality. */
int tw_object_eq(TwObject *a, TwObject *b);
/* repr() and str() as new str references; NULL on error. */
TwObject *tw_object_repr(TwObject *op);
TwObject *tw_object_str(TwObject *op);
/* isinstance by exact type or base chain. */
int tw_type_is_subtype(TwType *a, TwType *b);

/* Live objects allocated through tw_object_new and not yet freed, summed
 * over all threads.  Kept in debug builds; -1 in release builds. */
int64_t tw_debug_live_objects(void);
/* Debug builds: add delta to the calling thread's live-object count (for
 * a free list: a parked object is not live). */
#if TW_DEBUG
void tw_debug_count_live(int64_t delta);
#else
#define tw_debug_count_live(delta) ((void)0)
#endif

#endif
