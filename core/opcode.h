/* Internal: twinpy's bytecode.
 *
 * An instruction is one 32-bit word: the opcode in the low 8 bits and the
 * argument in the high 24 bits (TW_OP / TW_ARG).  There is no extended-arg
 * prefix: the compiler rejects functions whose arguments would not fit
 * (16M constants, names, locals or instructions).  Jump arguments are
 * absolute instruction indexes; only JUMP_BACKWARD goes backwards, so the
 * eval loop's check point for loops lives in that one instruction.
 *
 * Instructions marked "cache" take the index of an entry in the code
 * object's inline-cache array (TwCodeObject.caches) as their argument; the
 * entry records the name index the instruction operates on.
 *
 * The value stack is described as [bottom ... top].  CALL-style
 * instructions expect [callable, self_or_NULL, args...]: when the second
 * slot is not NULL it is passed as the first argument, which is how
 * LOAD_METHOD calls a method without building a bound method.
 *
 * TW_OPCODES(X) lists every opcode once: X(name, stack-effect note).  The
 * list generates the enum, the name table and the computed-goto table, so
 * they cannot drift apart. */
#ifndef TWINPY_CORE_OPCODE_H
#define TWINPY_CORE_OPCODE_H

#include <stdint.h>

#define TW_OPCODES(X)                                                                              \
    X(NOP)                  /* */                                                                  \
    X(POP_TOP)              /* [x] -> [] */                                                        \
    X(PUSH_NULL)            /* [] -> [NULL] */                                                     \
    X(COPY)                 /* push a new reference to stack[-arg] */                              \
    X(SWAP)                 /* exchange TOS and stack[-arg] */                                     \
    X(LOAD_CONST)           /* [] -> [consts[arg]] */                                              \
    X(LOAD_FAST)            /* [] -> [local arg]; UnboundLocalError if unset */                    \
    X(LOAD_FAST_LOAD_FAST)  /* two LOAD_FASTs: locals arg & 0xfff then arg >> 12 */                \
    X(STORE_FAST)           /* [x] -> [] */                                                        \
    X(DELETE_FAST)          /* */                                                                  \
    X(LOAD_DEREF)           /* [] -> [contents of the cell in slot arg] */                         \
    X(STORE_DEREF)          /* [x] -> [] */                                                        \
    X(DELETE_DEREF)         /* */                                                                  \
    X(LOAD_CLOSURE)         /* [] -> [the cell in slot arg itself] */                              \
    X(LOAD_CLASSDEREF)      /* class body: the locals dict, then the cell in slot arg */           \
    X(LOAD_NAME)            /* locals, globals, builtins: names[arg] */                            \
    X(STORE_NAME)           /* [x] -> [] */                                                        \
    X(DELETE_NAME)          /* */                                                                  \
    X(LOAD_GLOBAL)          /* cache: [] -> [globals or builtins value] */                         \
    X(STORE_GLOBAL)         /* [x] -> [] names[arg] */                                             \
    X(DELETE_GLOBAL)        /* */                                                                  \
    X(LOAD_ATTR)            /* cache: [obj] -> [obj.name] */                                       \
    X(LOAD_METHOD)          /* cache: [obj] -> [meth, obj] or [attr, NULL] */                      \
    X(STORE_ATTR)           /* cache: [value, obj] -> [] */                                        \
    X(DELETE_ATTR)          /* [obj] -> [] names[arg] */                                           \
    X(BINARY_OP)            /* [a, b] -> [a op b]; arg: TwBinOp | TW_BINOP_INPLACE */              \
    X(UNARY_NEGATIVE)       /* [a] -> [-a] */                                                      \
    X(UNARY_POSITIVE)       /* [a] -> [+a] */                                                      \
    X(UNARY_INVERT)         /* [a] -> [~a] */                                                      \
    X(UNARY_NOT)            /* [a] -> [not a] */                                                   \
    X(COMPARE_OP)           /* [a, b] -> [a cmp b]; arg: TW_LT .. TW_GE */                         \
    X(IS_OP)                /* [a, b] -> [a is b], negated when arg is 1 */                        \
    X(CONTAINS_OP)          /* [a, b] -> [a in b], negated when arg is 1 */                        \
    X(BINARY_SUBSCR)        /* [o, k] -> [o[k]] */                                                 \
    X(STORE_SUBSCR)         /* [v, o, k] -> [] */                                                  \
    X(DELETE_SUBSCR)        /* [o, k] -> [] */                                                     \
    X(BUILD_SLICE)          /* [lo, hi] or [lo, hi, step] -> [slice] */                            \
    X(BUILD_TUPLE)          /* [x1 .. xn] -> [tuple] */                                            \
    X(BUILD_LIST)           /* [x1 .. xn] -> [list] */                                             \
    X(BUILD_SET)            /* [x1 .. xn] -> [set] */                                              \
    X(BUILD_MAP)            /* [k1, v1 .. kn, vn] -> [dict] */                                     \
    X(LIST_APPEND)          /* [list, (arg-1 items), x] -> [list, ...] */                          \
    X(SET_ADD)              /* [set, (arg-1 items), x] -> [set, ...] */                            \
    X(MAP_ADD)              /* [dict, (arg-1 items), k, v] -> [dict, ...] */                       \
    X(LIST_EXTEND)          /* [list, (arg-1 items), iterable] -> [list, ...] */                   \
    X(SET_UPDATE)           /* [set, (arg-1 items), iterable] -> [set, ...] */                     \
    X(DICT_UPDATE)          /* [dict, (arg-1 items), mapping] -> [dict, ...] */                    \
    X(DICT_MERGE)           /* as DICT_UPDATE for f(**m): duplicate keys are a TypeError */        \
    X(LIST_TO_TUPLE)        /* [list] -> [tuple] */                                                \
    X(BUILD_STRING)         /* [s1 .. sn] -> [s1 + .. + sn] */                                     \
    X(FORMAT_VALUE)         /* [x] or [x, spec] -> [str]; arg: conversion | TW_FMT_HAVE_SPEC */    \
    X(UNPACK_SEQUENCE)      /* [seq] -> [xn .. x1] (x1 on top) */                                  \
    X(UNPACK_EX)            /* [seq] -> [after.., list, before..]; arg: before | after << 8 */     \
    X(GET_ITER)             /* [x] -> [iter(x)] */                                                 \
    X(FOR_ITER)             /* [it] -> [it, next] or pops it and jumps to arg when exhausted */    \
    X(JUMP)                 /* forward jump to arg */                                              \
    X(JUMP_BACKWARD)        /* jump to arg (a check point) */                                      \
    X(POP_JUMP_IF_FALSE)    /* [x] -> [] */                                                        \
    X(POP_JUMP_IF_TRUE)     /* [x] -> [] */                                                        \
    X(POP_JUMP_IF_NONE)     /* [x] -> [] */                                                        \
    X(POP_JUMP_IF_NOT_NONE) /* [x] -> [] */                                                        \
    X(JUMP_IF_FALSE_OR_POP) /* [x] -> [x] and jump, or [] */                                       \
    X(JUMP_IF_TRUE_OR_POP)  /* [x] -> [x] and jump, or [] */                                       \
    X(RETURN_VALUE)         /* [x] -> returns x */                                                 \
    X(RETURN_CONST)         /* returns consts[arg] */                                              \
    X(CALL)                 /* [f, self|NULL, a1 .. an] -> [result] */                             \
    X(CALL_KW)             /* [f, self|NULL, a1 .. an, kwnames] -> [result]; n counts kw values */ \
    X(CALL_EX)             /* [f, NULL, args tuple, kwargs dict if arg & 1] -> [result] */         \
    X(MAKE_FUNCTION)       /* [defaults?, kwdefaults?, closure?, code] -> [function] */            \
    X(LOAD_BUILD_CLASS)    /* [] -> [builtins.__build_class__] */                                  \
    X(RAISE_VARARGS)       /* arg 0: re-raise; [exc] ; [exc, cause] */                             \
    X(RERAISE)             /* [exc] -> raise it again, adding no traceback entry */                \
    X(PUSH_EXC_INFO)       /* [exc] -> [previously handled exception, exc] */                      \
    X(POP_EXCEPT)          /* [prev] -> []: prev becomes the handled exception again */            \
    X(CHECK_EXC_MATCH)     /* [exc, type] -> [exc, isinstance(exc, type)] */                       \
    X(BEFORE_WITH)         /* [mgr] -> [mgr.__exit__, mgr.__enter__()] */                          \
    X(WITH_EXIT)           /* [exit] -> [exit(None, None, None)] */                                \
    X(WITH_EXCEPT_START)   /* [exit, prev, exc] -> [exit, prev, exc, exit(type, exc, tb)] */       \
    X(YIELD_VALUE)         /* [x] -> suspends yielding x; resumes with [sent] */                   \
    X(YIELD_FROM)          /* [iter, sent] -> [result] after delegating to iter */                 \
    X(GET_YIELD_FROM_ITER) /* [x] -> [iter(x)] (generators stay as they are) */                    \
    X(IMPORT_NAME)         /* [] -> [module names[arg]] */                                         \
    X(IMPORT_FROM)         /* [module] -> [module, module.names[arg]] */                           \
    X(IMPORT_STAR)         /* [module] -> [] */                                                    \
    X(LOAD_ASSERTION_ERROR) /* [] -> [AssertionError] */                                           \
    X(MAKE_CELL)            /* [] -> [a new empty cell] (a class's __class__ cell) */              \
    X(STORE_CLASSCELL)      /* [cell, cls] -> [cls], storing cls in the cell */                    \
    X(LOAD_SUPER_ATTR)      /* cache: [super, cls, self] -> [super(cls, self).name] */             \
    X(LOAD_SUPER_METHOD)    /* cache: [super, cls, self] -> [meth, self] or [attr, NULL] */

enum {
#define TW_OPCODE_ENUM(name) TW_OP_##name,
    TW_OPCODES(TW_OPCODE_ENUM)
#undef TW_OPCODE_ENUM
        TW_OP_COUNT
};
_Static_assert(TW_OP_COUNT <= 256, "opcodes must fit in 8 bits");

/* Instruction words. */
#define TW_ARG_BITS       24
#define TW_ARG_MAX        ((1u << TW_ARG_BITS) - 1)
#define TW_INSTR(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define TW_OP(word)       ((word)&0xffu)
#define TW_ARG(word)      ((word) >> 8)

/* BINARY_OP: the low bits are a TwBinOp (core/ast.h); this bit selects the
 * in-place form (x += y). */
#define TW_BINOP_INPLACE 0x10

/* FORMAT_VALUE: conversion in the low two bits, a spec on the stack. */
#define TW_FMT_NONE      0
#define TW_FMT_STR       1
#define TW_FMT_REPR      2
#define TW_FMT_ASCII     3
#define TW_FMT_HAVE_SPEC 4

/* MAKE_FUNCTION flags: which optional items precede the code object. */
#define TW_MKFN_DEFAULTS   1
#define TW_MKFN_KWDEFAULTS 2
#define TW_MKFN_CLOSURE    8

/* The opcode's name, for disassembly and error messages. */
const char *tw_opcode_name(int op);

#endif
