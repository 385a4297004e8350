/* Internal: interpreter frames and the per-thread data stack.
 *
 * A frame is the activation record of one code object: its header, then
 * its local slots (core/code.h, "localsplus"), then its value stack.
 * Ordinary frames are pushed on the thread's data stack: a chain of large
 * chunks (TwDataChunk) from which a call takes nlocalsplus + stacksize
 * words by bumping a pointer, so calls do not allocate.  A generator's
 * frame lives inside the generator object instead, since it outlives the
 * call that made it.
 *
 * Frames are thread-local: only the thread running a frame touches it
 * (a generator may move between threads, but only one runs it at a time:
 * gen_send refuses a generator that is already running).
 *
 * References: a frame owns its slots and stack entries and one reference
 * to its function.  code, globals and builtins are borrowed from the
 * function (or, for module code, from the caller of tw_eval_code, which
 * keeps them alive until the frame is done). */
#ifndef TWINPY_CORE_FRAME_H
#define TWINPY_CORE_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "core/code.h"
#include "core/tstate.h"

/* Where a frame's memory comes from. */
#define TW_FRAME_ON_DATASTACK 0
#define TW_FRAME_IN_GENERATOR 1

/* Generator frame states. */
#define TW_FRAME_CREATED   0 /* not started yet */
#define TW_FRAME_SUSPENDED 1 /* stopped at a yield */
#define TW_FRAME_RUNNING   2
#define TW_FRAME_COMPLETED 3 /* returned or raised */

typedef struct TwFrame {
    struct TwFrame *previous; /* the caller (while running) */
    TwCodeObject *code;       /* borrowed (see above) */
    TwObject *func;           /* owned; NULL for module code */
    TwObject *globals;        /* borrowed */
    TwObject *builtins;       /* borrowed */
    TwObject *locals;         /* owned: the namespace of module and class bodies, else NULL */
    const uint32_t *ip;       /* next instruction; saved while the frame calls out */
    TwObject **sp;            /* top of the value stack; saved likewise */
    uint8_t owner;            /* TW_FRAME_ON_DATASTACK / TW_FRAME_IN_GENERATOR */
    uint8_t is_entry;         /* returning from it leaves tw_eval_frame */
    uint8_t state;            /* TW_FRAME_* (generators) */
    uint8_t spare[5];
    TwObject *localsplus[]; /* slots, then the value stack */
} TwFrame;

_Static_assert(sizeof(TwFrame) % sizeof(TwObject *) == 0, "frames are made of words");
#define TW_FRAME_HEADER_WORDS (sizeof(TwFrame) / sizeof(TwObject *))

/* A chunk of a thread's data stack. */
typedef struct TwDataChunk {
    struct TwDataChunk *previous; /* the chunk below */
    TwObject **saved_top;         /* the previous chunk's top when this one was pushed */
    size_t nwords;                /* size of data */
    TwObject *data[];
} TwDataChunk;

static inline TwObject **tw_frame_stack_base(TwFrame *f)
{
    return f->localsplus + f->code->nlocalsplus;
}

/* A generator: its frame lives inline, after the header (core/genobject.c).
 * `running` says a thread is executing the frame; the thread that sets it
 * is the only one to touch the frame until it clears it.  With a GIL the
 * check-and-set needs no atomic read-modify-write (nothing runs between
 * the two), without one it is an exchange. */
typedef struct TwGenObject {
    TwObject ob_base;
    TwObject *name, *qualname; /* str; owned */
    TwExcInfo exc_state;       /* the exception handled inside; owner: the running thread */
    _Atomic int running;       /* 1 while a thread executes the frame */
    int pad;
    TwObject *frame_data[]; /* the TwFrame */
} TwGenObject;

static inline TwFrame *tw_gen_frame(TwGenObject *g)
{
    return (TwFrame *)g->frame_data;
}
static inline TwGenObject *tw_gen_of_frame(TwFrame *f)
{
    return (TwGenObject *)((char *)f - offsetof(TwGenObject, frame_data));
}

/* Claim the generator for the calling thread: 0 if it is running already. */
static inline int tw_gen_try_start(TwGenObject *g)
{
    if (tw_runtime.gil_enabled) { /* immutable after start-up */
        if (tw_atomic_load_relaxed(&g->running))
            return 0;
        tw_atomic_store_relaxed(&g->running, 1);
        return 1;
    }
    return !tw_atomic_exchange_acqrel(&g->running, 1);
}

static inline void tw_gen_stop(TwGenObject *g)
{
    tw_atomic_store_release(&g->running, 0);
}

/* Words a frame of code co needs. */
static inline size_t tw_frame_words(TwCodeObject *co)
{
    return TW_FRAME_HEADER_WORDS + (size_t)co->nlocalsplus + (size_t)co->stacksize;
}

/* Push an uninitialised frame for co on ts's data stack; NULL with
 * MemoryError.  The slow path adds a chunk. */
TwFrame *tw_frame_push_slow(TwThreadState *ts, size_t words);
static inline TwFrame *tw_frame_push(TwThreadState *ts, TwCodeObject *co)
{
    size_t words = tw_frame_words(co);
    TwObject **top = ts->datastack_top;
    if (tw_likely(top != NULL && (size_t)(ts->datastack_limit - top) >= words)) {
        ts->datastack_top = top + words;
        return (TwFrame *)top;
    }
    return tw_frame_push_slow(ts, words);
}

/* Release the data-stack memory of f, the topmost frame. */
void tw_frame_pop_slow(TwThreadState *ts, TwFrame *f);
static inline void tw_frame_pop(TwThreadState *ts, TwFrame *f)
{
    if (tw_likely((TwObject **)f != ts->datastack_chunk->data))
        ts->datastack_top = (TwObject **)f;
    else
        tw_frame_pop_slow(ts, f);
}

/* Drop every reference the frame owns (slots, stack, locals, function). */
void tw_frame_clear(TwFrame *f);

/* The line the frame is executing (for tracebacks and warnings). */
int tw_frame_lineno(TwFrame *f);

/* Fill in the header of a frame for calling func (taking a reference to
 * it) and empty its slots; owner is TW_FRAME_ON_DATASTACK or
 * TW_FRAME_IN_GENERATOR. */
void tw_frame_init_for_call(TwFrame *f, TwObject *func, uint8_t owner);
/* Bind a call's arguments into f's slots (new references), raising
 * CPython's TypeErrors; then make its cells and copy the closure.  0 or
 * -1; on failure the caller clears the frame. */
int tw_frame_bind_args(TwFrame *f, TwObject *func, TwObject *const *args, size_t nargs,
                       TwObject *kwnames);
/* Run f until it returns, yields or raises (core/eval.c).  A data-stack
 * frame is cleared and popped when it is done; a generator's frame is
 * cleared when it completes and kept when it yields. */
TwObject *tw_eval_frame(TwThreadState *ts, TwFrame *f, int throwflag);

#endif
