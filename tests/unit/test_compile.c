/* The compiler, seen from C where script tests cannot look: the shape of
 * the bytecode, the line table, the exception table, stack depths,
 * constants, the SyntaxErrors of the symbol table and compiler with their
 * positions, and a few properties of the eval loop (check points only on
 * backward jumps, the recursion limit, the data stack). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "core/builtins.h"
#include "core/code.h"
#include "core/compile.h"
#include "core/eval.h"
#include "core/function.h"
#include "core/import.h"
#include <twinpy/module.h>
#include "core/opcode.h"
#include "core/parser.h"
#include <twinpy/abstract.h>
#include <twinpy/module.h>

TestSuite(compile, .init = tw_test_setup, .fini = tw_test_teardown);

/* ---- helpers ------------------------------------------------------------------------ */

static TwObject *compile_ok(const char *src)
{
    TwObject *co = tw_compile_source(src, strlen(src), "<test>");
    if (co == NULL) {
        TwObject *exc = tw_err_fetch();
        TwObject *s = exc ? tw_object_str(exc) : NULL;
        cr_assert_fail("compile failed: %s: %s", exc ? TW_TYPE(exc)->tp_name : "?",
                       s ? tw_str_utf8(s) : "?");
    }
    cr_assert(tw_code_check(co));
    return co;
}

/* The listing of a module and its nested code (a malloc'd C string). */
static char *dis(const char *src)
{
    TwObject *co = compile_ok(src);
    TwObject *text = tw_compile_disassemble(co);
    cr_assert_not_null(text);
    char *r = strdup(tw_str_utf8(text));
    tw_decref(text);
    tw_decref(co);
    return r;
}

/* The code object of the first function constant named `name`. */
static TwCodeObject *find_code(TwCodeObject *co, const char *name)
{
    if (tw_str_equal_cstr(co->name, name))
        return co;
    for (intptr_t i = 0; i < tw_tuple_size(co->consts); i++) {
        TwObject *c = tw_tuple_get_item_borrowed(co->consts, i);
        if (tw_code_check(c)) {
            TwCodeObject *r = find_code((TwCodeObject *)c, name);
            if (r != NULL)
                return r;
        }
    }
    return NULL;
}

static int count_op(TwCodeObject *co, int op)
{
    int n = 0;
    for (int i = 0; i < co->ncode; i++)
        if ((int)TW_OP(co->code[i]) == op)
            n++;
    return n;
}

/* Compile src expecting a SyntaxError; check its message and position. */
static void expect_syntax_error(const char *src, const char *msg, int lineno, int offset)
{
    TwObject *co = tw_compile_source(src, strlen(src), "<test>");
    cr_assert_null(co, "expected a SyntaxError for: %s", src);
    TwObject *exc = tw_err_fetch();
    cr_assert_not_null(exc);
    cr_assert(tw_type_is_subtype(TW_TYPE(exc), &tw_exc_SyntaxError), "got %s for: %s",
              TW_TYPE(exc)->tp_name, src);
    TwSyntaxErrorObject *se = (TwSyntaxErrorObject *)exc;
    cr_assert_str_eq(tw_str_utf8(se->msg), msg, "for: %s", src);
    cr_assert_eq(se->lineno, lineno, "line %d, expected %d for: %s", se->lineno, lineno, src);
    if (offset > 0)
        cr_assert_eq(se->offset, offset, "offset %d, expected %d for: %s", se->offset, offset, src);
    tw_decref(exc);
}

/* Run src as a module; returns its globals (new reference) or NULL with
 * the exception set. */
static TwObject *run(const char *src)
{
    TwObject *co = compile_ok(src);
    TwObject *g = tw_dict_new();
    cr_assert_not_null(g);
    tw_dict_set_item_cstr(g, "__name__", tw_str_intern_cstr("__test__"));
    TwObject *r = tw_eval_code(co, g, g);
    tw_decref(co);
    if (r == NULL) {
        tw_decref(g);
        return NULL;
    }
    tw_decref(r);
    return g;
}

static int64_t global_int(TwObject *g, const char *name)
{
    TwObject *v = NULL;
    cr_assert_eq(tw_dict_get_item_cstr_ref(g, name, &v), 1, "no global %s", name);
    int64_t r = tw_int_as_i64(v);
    tw_decref(v);
    return r;
}

/* ---- bytecode shape ---------------------------------------------------------------- */

Test(compile, function_locals_use_fast_slots)
{
    char *d = dis("def f(a):\n    b = a + 1\n    return b\n");
    cr_assert(strstr(d, "STORE_FAST 1 (b)") != NULL, "%s", d);
    cr_assert(strstr(d, "LOAD_FAST 1 (b)") != NULL, "%s", d);
    cr_assert(strstr(d, "LOAD_NAME") == NULL, "%s", d);
    free(d);
}

Test(compile, module_names_use_the_namespace)
{
    char *d = dis("x = 1\nprint(x)\n");
    cr_assert(strstr(d, "STORE_NAME 0 (x)") != NULL, "%s", d);
    cr_assert(strstr(d, "LOAD_NAME 1 (print)") != NULL, "%s", d);
    free(d);
}

Test(compile, globals_in_functions_go_through_the_cache)
{
    char *d = dis("def f():\n    global g\n    g = len\n    return g\n");
    cr_assert(strstr(d, "STORE_GLOBAL 1 (g)") != NULL, "%s", d);
    cr_assert(strstr(d, "LOAD_GLOBAL 0 (len)") != NULL, "%s", d); /* cache entry 0 */
    free(d);
}

Test(compile, captured_variables_live_in_cells)
{
    TwObject *co =
        compile_ok("def f(a):\n    b = 1\n    def g():\n        return a + b\n    return g\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f"), *g = find_code((TwCodeObject *)co, "g");
    cr_assert(f && g);
    cr_assert_eq(f->ncells, 1);                  /* b; a stays in its argument slot */
    cr_assert(f->localkinds[0] & TW_LOCAL_CELL); /* a */
    cr_assert(f->flags & TW_CO_HAS_CELL_ARGS);
    cr_assert_eq(g->nfrees, 2);
    cr_assert_eq(count_op(g, TW_OP_LOAD_DEREF), 2);
    cr_assert_eq(count_op(f, TW_OP_LOAD_CLOSURE), 2);
    tw_decref(co);
}

Test(compile, nonlocal_stores_to_the_cell)
{
    char *d = dis(
        "def f():\n    n = 0\n    def g():\n        nonlocal n\n        n += 1\n    return g\n");
    cr_assert(strstr(d, "STORE_DEREF") != NULL, "%s", d);
    free(d);
}

Test(compile, method_calls_use_load_method)
{
    char *d = dis("def f(o):\n    return o.m(1, 2)\n");
    cr_assert(strstr(d, "LOAD_METHOD 0 (m)") != NULL, "%s", d);
    cr_assert(strstr(d, "CALL 2") != NULL, "%s", d);
    free(d);
}

Test(compile, keyword_calls_pass_a_names_tuple)
{
    char *d = dis("f(1, a=2, b=3)\n");
    cr_assert(strstr(d, "LOAD_CONST 3 (('a', 'b'))") != NULL, "%s", d);
    cr_assert(strstr(d, "CALL_KW 3") != NULL, "%s", d);
    free(d);
}

Test(compile, star_calls_build_a_tuple_and_dict)
{
    char *d = dis("f(*a, **k)\n");
    cr_assert(strstr(d, "LIST_EXTEND") != NULL && strstr(d, "DICT_MERGE") != NULL, "%s", d);
    cr_assert(strstr(d, "CALL_EX 1") != NULL, "%s", d);
    free(d);
}

Test(compile, class_with_super_makes_the_class_cell)
{
    TwObject *co = compile_ok("class A(B):\n    def f(self):\n        return super().f()\n");
    TwCodeObject *m = (TwCodeObject *)co, *body = find_code(m, "A"), *f = find_code(m, "f");
    cr_assert(body && f);
    cr_assert_eq(count_op(m, TW_OP_MAKE_CELL), 1);
    cr_assert_eq(count_op(m, TW_OP_STORE_CLASSCELL), 1);
    cr_assert_eq(body->nfrees, 1); /* __class__ passed in */
    cr_assert(
        tw_str_equal_cstr(tw_tuple_get_item_borrowed(f->localnames, f->nlocals), "__class__"));
    /* super() became super(__class__, self) */
    cr_assert_eq(count_op(f, TW_OP_LOAD_DEREF), 1);
    tw_decref(co);
}

Test(compile, plain_class_has_no_cell)
{
    TwObject *co = compile_ok("class A:\n    def f(self):\n        return 1\n");
    cr_assert_eq(count_op((TwCodeObject *)co, TW_OP_MAKE_CELL), 0);
    tw_decref(co);
}

Test(compile, comprehensions_are_functions_of_one_iterator)
{
    TwObject *co = compile_ok("r = [x * 2 for x in y if x]\n");
    TwCodeObject *c = find_code((TwCodeObject *)co, "<listcomp>");
    cr_assert_not_null(c);
    cr_assert_eq(c->argcount, 1);
    cr_assert(tw_str_equal_cstr(tw_tuple_get_item_borrowed(c->localnames, 0), ".0"));
    cr_assert_eq(count_op(c, TW_OP_LIST_APPEND), 1);
    tw_decref(co);
}

Test(compile, generator_flag_and_yield)
{
    TwObject *co =
        compile_ok("def g():\n    yield 1\n    yield from h()\ndef f():\n    return 1\n");
    TwCodeObject *g = find_code((TwCodeObject *)co, "g"), *f = find_code((TwCodeObject *)co, "f");
    cr_assert(g->flags & TW_CO_GENERATOR);
    cr_assert(!(f->flags & TW_CO_GENERATOR));
    cr_assert_eq(count_op(g, TW_OP_YIELD_VALUE), 1);
    cr_assert_eq(count_op(g, TW_OP_YIELD_FROM), 1);
    tw_decref(co);
}

Test(compile, simple_functions_are_marked_for_the_fast_call)
{
    TwObject *co =
        compile_ok("def a(x, y): return x\ndef b(x, *r): return x\ndef c(*, k): return k\n"
                   "def d(x):\n    return lambda: x\n");
    cr_assert(find_code((TwCodeObject *)co, "a")->flags & TW_CO_SIMPLE_ARGS);
    cr_assert(!(find_code((TwCodeObject *)co, "b")->flags & TW_CO_SIMPLE_ARGS));
    cr_assert(!(find_code((TwCodeObject *)co, "c")->flags & TW_CO_SIMPLE_ARGS));
    cr_assert(!(find_code((TwCodeObject *)co, "d")->flags & TW_CO_SIMPLE_ARGS));
    tw_decref(co);
}

Test(compile, implicit_return_is_return_const)
{
    TwObject *co = compile_ok("def f():\n    x = 1\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f");
    cr_assert_eq(TW_OP(f->code[f->ncode - 1]), TW_OP_RETURN_CONST);
    tw_decref(co);
}

Test(compile, unreachable_code_is_not_emitted)
{
    TwObject *co = compile_ok("def f():\n    return 1\n    print('never')\n    x = 2\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f");
    cr_assert_eq(f->ncode, 1);
    cr_assert_eq(TW_OP(f->code[0]), TW_OP_RETURN_CONST);
    tw_decref(co);
}

Test(compile, loads_of_two_locals_are_fused)
{
    TwObject *co = compile_ok("def f(a, b):\n    return a + b\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f");
    cr_assert_eq(count_op(f, TW_OP_LOAD_FAST_LOAD_FAST), 1);
    cr_assert_eq(count_op(f, TW_OP_LOAD_FAST), 0);
    tw_decref(co);
}

Test(compile, negative_literals_are_folded)
{
    char *d = dis("x = -5\ny = -2.5\n");
    cr_assert(strstr(d, "(-5)") != NULL && strstr(d, "(-2.5)") != NULL, "%s", d);
    cr_assert(strstr(d, "UNARY_NEGATIVE") == NULL, "%s", d);
    free(d);
}

Test(compile, constant_tuples_are_one_constant)
{
    char *d = dis("t = (1, 'a', None)\n");
    cr_assert(strstr(d, "(1, 'a', None)") != NULL, "%s", d);
    cr_assert(strstr(d, "BUILD_TUPLE") == NULL, "%s", d);
    free(d);
}

Test(compile, equal_constants_of_different_types_stay_apart)
{
    TwObject *co = compile_ok("a = 1\nb = 1.0\nc = True\nd = 1\ne = 0.0\nf = -0.0\n");
    TwCodeObject *c = (TwCodeObject *)co;
    /* 1, 1.0, True, 0.0, -0.0, None */
    cr_assert_eq(tw_tuple_size(c->consts), 6);
    tw_decref(co);
}

Test(compile, swap_assignment_builds_no_tuple)
{
    char *d = dis("a, b = b, a\n");
    cr_assert(strstr(d, "SWAP 2") != NULL, "%s", d);
    cr_assert(strstr(d, "BUILD_TUPLE") == NULL && strstr(d, "UNPACK") == NULL, "%s", d);
    free(d);
}

/* Every backward jump is a JUMP_BACKWARD: the only loop check point. */
Test(compile, backward_jumps_are_only_jump_backward)
{
    TwObject *co = compile_ok("def f(n):\n    t = 0\n    while n:\n        for i in range(n):\n"
                              "            if i % 2: continue\n            t += i\n        n -= 1\n"
                              "    return [x for x in range(t) if x]\n");
    TwCodeObject *cs[2] = {find_code((TwCodeObject *)co, "f"),
                           find_code((TwCodeObject *)co, "<listcomp>")};
    for (int k = 0; k < 2; k++) {
        TwCodeObject *c = cs[k];
        int backward = 0;
        for (int i = 0; i < c->ncode; i++) {
            int op = (int)TW_OP(c->code[i]);
            uint32_t arg = TW_ARG(c->code[i]);
            int jump = op == TW_OP_JUMP || op == TW_OP_JUMP_BACKWARD || op == TW_OP_FOR_ITER ||
                       op == TW_OP_POP_JUMP_IF_FALSE || op == TW_OP_POP_JUMP_IF_TRUE ||
                       op == TW_OP_POP_JUMP_IF_NONE || op == TW_OP_POP_JUMP_IF_NOT_NONE ||
                       op == TW_OP_JUMP_IF_FALSE_OR_POP || op == TW_OP_JUMP_IF_TRUE_OR_POP;
            if (jump && (int)arg <= i) {
                cr_assert_eq(op, TW_OP_JUMP_BACKWARD, "%s at %d jumps back", tw_opcode_name(op), i);
                backward++;
            }
        }
        cr_assert(backward > 0);
    }
    tw_decref(co);
}

/* ---- line table -------------------------------------------------------------------- */

Test(compile, line_table_maps_instructions_to_lines)
{
    TwObject *co = compile_ok("a = 1\n\nb = (2 +\n     a)\n\n\nc = 3\n");
    TwCodeObject *c = (TwCodeObject *)co;
    int seen[8] = {0};
    for (int i = 0; i < c->ncode; i++) {
        int line = tw_code_addr2line(c, i);
        cr_assert(line >= 1 && line <= 7, "line %d", line);
        seen[line] = 1;
    }
    cr_assert(seen[1] && seen[3] && seen[7]);
    cr_assert(!seen[2] && !seen[5] && !seen[6]);
    cr_assert_eq(tw_code_addr2line(c, c->ncode), -1);
    cr_assert_eq(tw_code_addr2line(c, -1), -1);
    tw_decref(co);
}

Test(compile, line_table_handles_large_line_jumps)
{
    char *src = malloc(20000);
    strcpy(src, "x = 1\n");
    for (int i = 0; i < 5000; i++)
        strcat(src, "\n");
    strcat(src, "y = 2\n");
    TwObject *co = compile_ok(src);
    TwCodeObject *c = (TwCodeObject *)co;
    cr_assert_eq(tw_code_addr2line(c, 0), 1);
    cr_assert_eq(tw_code_addr2line(c, 2), 5002);
    tw_decref(co);
    free(src);
}

/* ---- exception table ---------------------------------------------------------------- */

Test(compile, try_except_has_a_handler_at_the_try_depth)
{
    TwObject *co = compile_ok("def f(xs):\n    for x in xs:\n        try:\n            g(x)\n"
                              "        except ValueError:\n            pass\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f");
    cr_assert(f->nexctable >= 2); /* the body, and the cleanup of the except block */
    /* The body's handler keeps the loop's iterator. */
    cr_assert_eq(f->exctable[0].depth, 1);
    for (int i = 0; i < f->nexctable; i++) {
        cr_assert(f->exctable[i].start < f->exctable[i].end);
        cr_assert(f->exctable[i].handler < (uint32_t)f->ncode);
        if (i > 0)
            cr_assert(f->exctable[i - 1].end <= f->exctable[i].start, "ranges overlap");
    }
    tw_decref(co);
}

Test(compile, code_outside_try_has_no_handler)
{
    TwObject *co = compile_ok("def f():\n    a = 1\n    return a\n");
    cr_assert_eq(find_code((TwCodeObject *)co, "f")->nexctable, 0);
    tw_decref(co);
}

Test(compile, stack_depth_covers_nested_expressions)
{
    TwObject *co = compile_ok("def f(a, b, c):\n    return [a, [b, [c, (a, b, c)]]]\n");
    TwCodeObject *f = find_code((TwCodeObject *)co, "f");
    cr_assert(f->stacksize >= 6 && f->stacksize <= 8, "stacksize %d", f->stacksize);
    tw_decref(co);
}

/* ---- SyntaxErrors ----------------------------------------------------------------- */

Test(compile, return_outside_function)
{
    expect_syntax_error("x = 1\nreturn x\n", "'return' outside function", 2, 1);
    expect_syntax_error("class A:\n    return 1\n", "'return' outside function", 2, 5);
}

Test(compile, break_and_continue_outside_loops)
{
    expect_syntax_error("break\n", "'break' outside loop", 1, 1);
    expect_syntax_error("def f():\n    if x:\n        continue\n",
                        "'continue' not properly in loop", 3, 9);
    expect_syntax_error("for x in y:\n    def f():\n        break\n", "'break' outside loop", 3, 9);
}

Test(compile, nonlocal_errors)
{
    expect_syntax_error("nonlocal x\n", "nonlocal declaration not allowed at module level", 1, 1);
    expect_syntax_error("def f():\n    nonlocal x\n", "no binding for nonlocal 'x' found", 2, 5);
    expect_syntax_error("x = 1\ndef f():\n    nonlocal x\n", "no binding for nonlocal 'x' found", 3,
                        5);
}

Test(compile, global_after_use_or_assignment)
{
    expect_syntax_error("def f():\n    print(x)\n    global x\n",
                        "name 'x' is used prior to global declaration", 3, 5);
    expect_syntax_error("def f():\n    x = 1\n    global x\n",
                        "name 'x' is assigned to before global declaration", 3, 5);
    expect_syntax_error("def f(x):\n    global x\n", "name 'x' is parameter and global", 2, 5);
}

Test(compile, yield_outside_function)
{
    expect_syntax_error("yield 1\n", "'yield' outside function", 1, 1);
    expect_syntax_error("class A:\n    x = yield\n", "'yield' outside function", 2, 9);
    expect_syntax_error("def f():\n    return [(yield x) for x in y]\n",
                        "'yield' inside list comprehension", 2, 14);
}

Test(compile, other_compile_errors)
{
    expect_syntax_error("def f(a, a):\n    pass\n", "duplicate argument 'a' in function definition",
                        1, 0);
    expect_syntax_error("try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
                        "default 'except:' must be last", 3, 1);
    expect_syntax_error("a, *b, *c = d\n", "multiple starred expressions in assignment", 1, 0);
    expect_syntax_error("f(a=1, a=2)\n", "keyword argument repeated: a", 1, 0);
}

Test(compile, deeply_nested_code_is_an_error_not_a_crash)
{
    /* 3000 nested unary minus signs: deeper than the compiler accepts. */
    size_t n = 3000;
    char *src = malloc(n + 16);
    memset(src, '-', n);
    strcpy(src + n, "x\n");
    TwObject *co = tw_compile_source(src, strlen(src), "<deep>");
    free(src);
    if (co == NULL) {
        cr_assert(tw_err_occurred() != NULL);
        tw_err_clear();
    } else {
        tw_decref(co);
    }
}

/* ---- running ------------------------------------------------------------------------ */

Test(compile, eval_runs_module_code)
{
    TwObject *g = run("def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n"
                      "r = f(100)\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "r"), 4950);
    tw_decref(g);
}

Test(compile, recursion_limit_raises_recursion_error)
{
    tw_eval_set_recursion_limit(200);
    TwObject *g = run("def f(n):\n    return f(n + 1)\nf(0)\n");
    cr_assert_null(g);
    cr_assert(tw_err_matches(&tw_exc_RecursionError));
    tw_err_clear();
    /* Below the limit, recursion works, and the thread is usable again. */
    g = run("def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nr = f(150)\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "r"), 150);
    tw_decref(g);
    tw_eval_set_recursion_limit(1000);
}

Test(compile, deep_recursion_crosses_data_stack_chunks)
{
    tw_eval_set_recursion_limit(20000);
    TwObject *g =
        run("def f(n, a, b, c, d):\n    return 0 if n == 0 else 1 + f(n - 1, a, b, c, d)\n"
            "r = f(15000, 1, 2, 3, 4)\nr2 = f(100, 1, 2, 3, 4)\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "r"), 15000);
    cr_assert_eq(global_int(g, "r2"), 100);
    tw_decref(g);
    tw_eval_set_recursion_limit(1000);
}

Test(compile, class_cell_is_filled_for_super)
{
    TwObject *g = run("class A:\n    def f(self):\n        return 1\n"
                      "class B(A):\n    def f(self):\n        return super().f() + 10\n"
                      "r = B().f()\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "r"), 11);
    tw_decref(g);
}

Test(compile, exceptions_unwind_through_frames_and_handlers)
{
    TwObject *g =
        run("def f():\n    try:\n        1 / 0\n    finally:\n        global fin\n        fin = 1\n"
            "r = 0\ntry:\n    f()\nexcept ZeroDivisionError:\n    r = 2\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "r"), 2);
    cr_assert_eq(global_int(g, "fin"), 1);
    tw_decref(g);
}

Test(compile, generators_suspend_and_resume)
{
    TwObject *g = run("def gen(n):\n    for i in range(n):\n        x = yield i\n"
                      "t = 0\nfor v in gen(10):\n    t += v\n");
    cr_assert_not_null(g);
    cr_assert_eq(global_int(g, "t"), 45);
    tw_decref(g);
}

/* ---- reference counting --------------------------------------------------------------
 * Each snippet runs three times in one namespace: after the first run (which
 * creates what it keeps), later runs must leave the number of live objects
 * unchanged, or some instruction leaks (or over-frees) references. */

static const char *const leak_snippets[] = {
    "x = [i * 2 for i in range(50)]\ny = {k: str(k) for k in x}\nz = {a for a in x}\n",
    "def f(a, b=2, *c, d=4, **e):\n    return (a, b, c, d, e)\nr = f(1, 2, 3, d=5, q=6)\n",
    "def g():\n    n = 0\n    def h():\n        nonlocal n\n        n += 1\n        return n\n"
    "    return h\nk = g()\nk(); k()\n",
    /* (A class using super() is a reference cycle, through its __class__
     * cell: without a cycle collector it is never freed, so not here.) */
    "class A:\n    def __init__(self):\n        self.v = 1\n    def m(self):\n        return "
    "self.v\n"
    "class B(A):\n    def m(self):\n        return A.m(self) + 1\nr = B().m()\nq = B().v\n",
    "def gen(n):\n    for i in range(n):\n        yield i\n    return 'done'\n"
    "def outer():\n    r = yield from gen(5)\n    yield r\nt = list(outer())\n",
    "try:\n    try:\n        1 / 0\n    except ZeroDivisionError as e:\n        raise "
    "ValueError('v') from e\n"
    "except ValueError as e2:\n    msg = str(e2)\nfinally:\n    done = 1\n",
    "def f():\n    for i in range(5):\n        try:\n            if i == 2:\n                "
    "continue\n"
    "            if i == 4:\n                return i\n        finally:\n            pass\nr = "
    "f()\n",
    "class CM:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n"
    "        return True\nwith CM() as c:\n    raise KeyError('k')\n",
    "a, *b, c = range(10)\n(d, e), f = (1, 2), 3\ns = f'{a:>4} {b!r} {c:.2f}'\n",
    "g = (x * x for x in range(10))\nnext(g)\ng.close()\ndef w():\n    try:\n        yield 1\n"
    "    finally:\n        pass\nw2 = w()\nnext(w2)\ndel w2\n",
    "x = 1.5\nfor i in range(100):\n    x = x * 1.01 + 0.5\ny = 1000\nfor i in range(100):\n"
    "    y = y * 3 % 1000003 + i\n",
    "def rec(n):\n    return 0 if n == 0 else 1 + rec(n - 1)\nr = rec(300)\n",
};

Test(compile, instructions_do_not_leak_references)
{
    if (tw_test_live() < 0)
        cr_skip_test("live-object counting needs a debug build");
    for (size_t k = 0; k < sizeof leak_snippets / sizeof leak_snippets[0]; k++) {
        TwObject *co = compile_ok(leak_snippets[k]);
        TwObject *g = tw_dict_new();
        tw_dict_set_item_cstr(g, "__name__", tw_str_intern_cstr("__test__"));
        int64_t live[3];
        for (int run = 0; run < 3; run++) {
            TwObject *r = tw_eval_code(co, g, g);
            if (r == NULL) {
                TwObject *exc = tw_err_fetch();
                TwObject *s = exc ? tw_object_str(exc) : NULL;
                cr_assert_fail("snippet %zu raised %s: %s", k, exc ? TW_TYPE(exc)->tp_name : "?",
                               s ? tw_str_utf8(s) : "");
            }
            tw_decref(r);
            live[run] = tw_test_live();
        }
        cr_assert_eq(live[1], live[2],
                     "snippet %zu: %lld live objects after run 2, %lld after run 3", k,
                     (long long)live[1], (long long)live[2]);
        tw_decref(g);
        tw_decref(co);
    }
}

/* ---- threads ----------------------------------------------------------------------------
 * One module's functions called from several threads at once: shared code
 * objects (and their inline caches), shared classes and globals, a
 * thread-local data stack and exception state each. */

static const char threaded_module[] =
    "class P:\n"
    "    def __init__(self, v):\n        self.v = v\n"
    "    def get(self):\n        return self.v\n"
    "    def bump(self):\n        self.v += 1\n"
    "G = 10\n"
    "def make(k):\n    def f(x):\n        return x + k\n    return f\n"
    "def gen(n):\n    for i in range(n):\n        yield i\n"
    "shared_add = make(5)\n"
    "def worker(seed):\n"
    "    t = 0\n    p = P(seed)\n    add = make(seed)\n"
    "    for i in range(20000):\n"
    "        p.bump()\n"
    "        t += p.get() + G + add(i) + len('abc') + shared_add(1)\n"
    "        if i % 1000 == 0:\n"
    "            t += sum(gen(10))\n"
    "            try:\n                raise ValueError(i)\n"
    "            except ValueError as e:\n                t += e.args[0] % 7\n"
    "    return t\n";

#define NTHREADS 4
static TwObject *thread_worker;
static int64_t thread_results[NTHREADS];

static void call_worker(int index, void *arg)
{
    TwObject *seed = tw_int_from_i64(index);
    TwObject *r = tw_object_call_one(thread_worker, seed);
    tw_decref(seed);
    if (r == NULL) {
        tw_err_clear();
        thread_results[index] = -1;
        return;
    }
    thread_results[index] = tw_int_as_i64(r);
    tw_decref(r);
}

Test(compile, functions_run_in_many_threads_at_once)
{
    TwObject *g = run(threaded_module);
    cr_assert_not_null(g);
    cr_assert_eq(tw_dict_get_item_cstr_ref(g, "worker", &thread_worker), 1);
    int64_t expected[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        TwObject *seed = tw_int_from_i64(i);
        TwObject *r = tw_object_call_one(thread_worker, seed);
        cr_assert_not_null(r);
        expected[i] = tw_int_as_i64(r);
        tw_decref(r);
    }
    tw_eval_threads_starting();
    tw_test_run_threads(NTHREADS, call_worker, NULL);
    for (int i = 0; i < NTHREADS; i++)
        cr_assert_eq(thread_results[i], expected[i], "thread %d: %lld, expected %lld", i,
                     (long long)thread_results[i], (long long)expected[i]);
    tw_decref(thread_worker);
    tw_decref(g);
}

/* What threads read in common must not have its count bounced between
 * them: in the free-threaded build, the thread about to start the first
 * other thread makes the definitions of loaded modules immortal (functions
 * with their code and constants, classes with their namespaces) and the
 * plain data they bind (lists, tuples, dicts, strs, numbers, C functions);
 * other objects keep ordinary counts.  The GIL build changes nothing. */
Test(compile, starting_threads_makes_shared_definitions_and_plain_globals_immortal)
{
    static const char src[] = "TABLE = [1, 2]\n"
                              "NAME = 'ab' * 3\n"
                              "class K:\n"
                              "    LIMITS = [3]\n"
                              "    def m(self):\n"
                              "        return 123456789\n"
                              "def f():\n"
                              "    return 987654321\n"
                              "OBJ = K()\n";
    cr_assert_eq(tw_run_main_source(src, strlen(src), "<immortal>"), 0);
    TwObject *m = tw_import_module_cstr("__main__");
    cr_assert_not_null(m);
    TwObject *d = tw_module_dict_borrowed(m);
    TwObject *table, *name, *k, *f, *obj, *limits;
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "TABLE", &table), 1);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "NAME", &name), 1);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "K", &k), 1);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "f", &f), 1);
    cr_assert_eq(tw_dict_get_item_cstr_ref(d, "OBJ", &obj), 1);
    cr_assert_eq(tw_dict_get_item_cstr_ref(((TwType *)k)->tp_dict, "LIMITS", &limits), 1);
    TwObject *consts = ((TwCodeObject *)((TwFunctionObject *)f)->code)->consts;
    TwObject *big = NULL;
    for (intptr_t i = 0; i < tw_tuple_size(consts); i++)
        if (tw_int_check(tw_tuple_get_item_borrowed(consts, i)))
            big = tw_tuple_get_item_borrowed(consts, i);
    cr_assert(big != NULL && tw_int_as_i64(big) == 987654321);
    cr_assert(!tw_is_immortal(table) && !tw_is_immortal(big) && !tw_is_immortal(obj));

    tw_eval_threads_starting();
    int ft = tw_build_is_free_threaded() && !tw_gil_is_enabled();
    cr_assert_eq(tw_is_immortal(table), ft);
    cr_assert_eq(tw_is_immortal(name), ft);
    cr_assert_eq(tw_is_immortal(limits), ft);
    cr_assert_eq(tw_is_immortal(f), ft);
    cr_assert_eq(tw_is_immortal(big), ft);
    cr_assert(!tw_is_immortal(obj), "an instance keeps its ordinary count");
    tw_decref(table);
    tw_decref(name);
    tw_decref(k);
    tw_decref(f);
    tw_decref(obj);
    tw_decref(limits);
    tw_decref(m);
}

/* What threads running the same code share becomes immortal when the
 * first other thread starts (free-threaded build only): the definitions
 * and the module-level data of loaded modules, code constants and the
 * builtins; the contents of a module-level list stay counted.  A module
 * run afterwards has its definitions made immortal when its body ends. */
static TwObject *module_global(TwObject *g, const char *name)
{
    TwObject *v = NULL;
    cr_assert_eq(tw_dict_get_item_cstr_ref(g, name, &v), 1, "no global %s", name);
    tw_decref(v); /* the module keeps it */
    return v;
}

static TwObject *run_as_module(const char *name, const char *src)
{
    TwObject *m = tw_module_new_cstr(name);
    cr_assert_not_null(m);
    TwObject *modules = tw_sys_get_modules();
    cr_assert_eq(tw_dict_set_item_cstr(modules, name, m), 0);
    tw_decref(modules);
    TwObject *co = compile_ok(src);
    TwObject *g = tw_module_dict_borrowed(m);
    TwObject *r = tw_eval_code(co, g, g);
    cr_assert_not_null(r);
    tw_decref(r);
    tw_decref(co);
    tw_decref(m); /* sys.modules keeps it */
    return g;
}

Test(compile, shared_definitions_become_immortal_when_threads_start)
{
    TwObject *g = run_as_module("shared_defs",
                                "class K:\n    def m(self):\n        return 70000\n"
                                "def f(x, d=(1000, 'a')):\n    return x * 65535\n"
                                "TABLE = [1000, 2000]\nPAIR = (3000, 4000)\nBIG = 5000\n"
                                "import builtins\nLEN = builtins.len\n");
    TwObject *f = module_global(g, "f"), *k = module_global(g, "K");
    TwObject *table = module_global(g, "TABLE"), *pair = module_global(g, "PAIR");
    TwObject *code = ((TwFunctionObject *)f)->code;
    TwObject *c65535 = NULL;
    TwObject *consts = ((TwCodeObject *)code)->consts;
    for (intptr_t i = 0; i < TW_SIZE(consts); i++) {
        TwObject *c = tw_tuple_get_item_borrowed(consts, i);
        if (TW_TYPE(c) == &tw_int_type && tw_int_as_i64(c) == 65535)
            c65535 = c;
    }
    cr_assert_not_null(c65535);
    TwObject *item = tw_list_get_item(table, 0);
    tw_decref(item);
    cr_assert(!tw_is_immortal(f) && !tw_is_immortal(k) && !tw_is_immortal(table));

    tw_eval_threads_starting();
    int expect = !tw_gil_is_enabled();
    cr_assert_eq(tw_is_immortal(f), expect);
    cr_assert_eq(tw_is_immortal(code), expect);
    cr_assert_eq(tw_is_immortal(c65535), expect);
    cr_assert_eq(tw_is_immortal(((TwFunctionObject *)f)->defaults), expect);
    cr_assert_eq(tw_is_immortal(k), expect);
    cr_assert_eq(tw_is_immortal(table), expect);
    cr_assert_eq(tw_is_immortal(pair), expect);
    cr_assert_eq(tw_is_immortal(tw_tuple_get_item_borrowed(pair, 1)), expect);
    cr_assert_eq(tw_is_immortal(module_global(g, "BIG")), expect);
    cr_assert_eq(tw_is_immortal(module_global(g, "LEN")), expect);
    cr_assert(!tw_is_immortal(item), "the items of a list stay counted");

    /* A module loaded once threads run: its definitions, not its data. */
    TwObject *g2 = run_as_module("late_defs", "def late():\n    return 80000\nDATA = [1]\n");
    cr_assert_eq(tw_is_immortal(module_global(g2, "late")), expect);
    cr_assert(!tw_is_immortal(module_global(g2, "DATA")));
    /* exec() of a string in a plain dict may repeat without end: left alone. */
    TwObject *g3 = run("def once():\n    return 90000\n");
    cr_assert_not_null(g3);
    cr_assert(!tw_is_immortal(module_global(g3, "once")));
    tw_decref(g3);
}

/* ---- positions ------------------------------------------------------------------------ */

Test(compile, instructions_know_their_columns)
{
    TwObject *co = compile_ok("x = 1\ny = f(x) + x[2]\n");
    TwCodeObject *c = (TwCodeObject *)co;
    int seen_binop = 0, seen_subscr = 0, seen_call = 0;
    for (int i = 0; i < c->ncode; i++) {
        TwLocation loc;
        cr_assert_eq(tw_code_addr2location(c, i, &loc), 0);
        int op = (int)TW_OP(c->code[i]);
        if (op == TW_OP_BINARY_OP) {
            /* f(x) + x[2]: columns 4..15, the operator between 8 and 11 */
            cr_assert(loc.lineno == 2 && loc.col == 4 && loc.end_col == 15);
            cr_assert(loc.anchor1 == 8 && loc.anchor2 == 11);
            seen_binop = 1;
        } else if (op == TW_OP_BINARY_SUBSCR) {
            cr_assert(loc.col == 11 && loc.end_col == 15 && loc.anchor1 == 12 && loc.anchor2 == 14);
            seen_subscr = 1;
        } else if (op == TW_OP_CALL) {
            cr_assert(loc.col == 4 && loc.end_col == 8 && loc.anchor1 == -1);
            seen_call = 1;
        }
    }
    cr_assert(seen_binop && seen_subscr && seen_call);
    cr_assert_eq(tw_code_addr2location(c, c->ncode, &(TwLocation){0}), -1);
    tw_decref(co);
}
