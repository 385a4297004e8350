/* Internal: the compiler, from the AST (core/ast.h) to code objects
 * (core/code.h).
 *
 * One pass over the AST per scope emits instructions into a growable list,
 * tracking the value-stack depth as it goes (the compiled code is
 * structured, so the depth at every label is known when the label is
 * bound).  Exception handlers are not instructions: each emitted
 * instruction is tagged with the handler that covers it, and the assembler
 * turns runs of equal tags into the exception table.  Code that cannot be
 * reached (after return, raise, break, continue) is not emitted. */
#ifndef TWINPY_CORE_COMPILE_H
#define TWINPY_CORE_COMPILE_H

#include <stddef.h>
#include "core/ast.h"

/* Compile a parsed module into the code object of its top level.  NULL
 * with SyntaxError (or MemoryError) set on failure.  source (may be NULL)
 * is the text the module was parsed from, quoted in SyntaxErrors. */
TwObject *tw_compile_module(TwAstModule *mod, const char *filename, const char *source,
                            size_t source_len);

/* Parse and compile source text (UTF-8, n bytes). */
TwObject *tw_compile_source(const char *source, size_t n, const char *filename);

/* A listing of a code object and of the code objects among its
 * constants, one instruction per line ("  12 LOAD_CONST 0 (1)"), for
 * tests and debugging.  A new str. */
TwObject *tw_compile_disassemble(TwObject *code);

#endif
