/* The builtins namespace: the built-in functions, and the dict that binds
 * them with the built-in types, constants and exception classes.
 *
 * The dict is built once, by tw_builtins_init at runtime start, and is
 * immortal and shared by every thread; the builtins module ("import
 * builtins") uses it as its namespace.  Scripts may rebind names in it; the
 * dict's own lock keeps that safe.
 *
 * Every function follows the TwMethodDef conventions of
 * include/twinpy/abstract.h and reproduces CPython 3.12's results and error
 * messages. */
#include <math.h>
#include <string.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/eval.h"
#include "core/fileio.h"
#include "core/format.h"
#include "core/function.h"
#include "core/import.h"
#include "core/parser.h"

#define FN(f) ((void (*)(void))(f))

/* Immortal once built; read without a reference. */
static TwObject *builtins_dict;
static TwObject *builtins_module;

TwObject *tw_builtins_dict(void)
{
    return tw_newref(builtins_dict);
}

/* ---- helpers ---------------------------------------------------------------------- */

/* CPython's argument-count messages for functions that parse by hand:
 * "divmod expected 2 arguments, got 1", "iter expected at least 1
 * argument, got 0", "next expected at most 2 arguments, got 3". */
static int check_nargs(const char *name, size_t nargs, size_t min, size_t max)
{
    if (nargs >= min && nargs <= max)
        return 0;
    if (min == max)
        tw_err_format(&tw_exc_TypeError, "%s expected %zu argument%s, got %zu", name, min,
                      min == 1 ? "" : "s", nargs);
    else if (nargs < min)
        tw_err_format(&tw_exc_TypeError, "%s expected at least %zu argument%s, got %zu", name, min,
                      min == 1 ? "" : "s", nargs);
    else
        tw_err_format(&tw_exc_TypeError, "%s expected at most %zu argument%s, got %zu", name, max,
                      max == 1 ? "" : "s", nargs);
    return -1;
}

static size_t nkw(TwObject *kwnames)
{
    return kwnames ? (size_t)tw_tuple_size(kwnames) : 0;
}

static int invalid_keyword(TwObject *key, const char *fname)
{
    tw_err_format(&tw_exc_TypeError, "'%s' is an invalid keyword argument for %s()",
                  tw_str_utf8(key), fname);
    return -1;
}

/* Whether tp defines the special method `name` (whose C slot is set when
 * slot_set): built-in types answer by their slot; classes fill every slot
 * with a forwarder, so they answer by what their MRO holds. */
static int type_defines(TwType *tp, int slot_set, const char *name)
{
    if (!slot_set)
        return 0;
    if (!(tp->tp_flags & TW_TPFLAGS_HEAPTYPE))
        return 1;
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL) {
        tw_err_clear();
        return 0;
    }
    TwObject *attr = tw_type_lookup_ref(tp, key);
    tw_decref(key);
    int found = attr != NULL && attr != TW_NONE;
    tw_xdecref(attr);
    return found;
}

/* Look `name` up on obj's type (not the instance) and call it bound to
 * obj.  *found is 0 when the type has no such attribute (NULL returned,
 * no exception). */
static TwObject *call_special(TwObject *obj, const char *name, TwObject *const *args, size_t nargs,
                              int *found)
{
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL)
        return NULL;
    TwType *tp = TW_TYPE(obj);
    TwObject *attr = tw_type_lookup_ref(tp, key);
    tw_decref(key);
    *found = attr != NULL;
    if (attr == NULL)
        return NULL;
    TwObject *bound;
    if (TW_TYPE(attr)->tp_descr_get != NULL) {
        bound = TW_TYPE(attr)->tp_descr_get(attr, obj, (TwObject *)tp);
        tw_decref(attr);
        if (bound == NULL)
            return NULL;
    } else {
        bound = attr;
    }
    TwObject *res = tw_object_vectorcall(bound, args, nargs, NULL);
    tw_decref(bound);
    return res;
}

static TwObject *raise_stop_iteration(void)
{
    TwObject *exc = tw_exception_new(&tw_exc_StopIteration, NULL);
    if (exc != NULL)
        tw_err_restore(exc);
    return NULL;
}

/* A growable byte buffer for assembling output; starts on the caller's
 * stack. */
typedef struct {
    char *data;
    size_t len, cap;
    char *stack;
} OutBuf;

static int outbuf_put(OutBuf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        size_t ncap = b->cap * 2;
        while (ncap - b->len < n)
            ncap *= 2;
        char *nd = b->data == b->stack ? tw_mem_malloc(ncap) : tw_mem_realloc(b->data, ncap);
        if (nd == NULL) {
            tw_err_no_memory();
            return -1;
        }
        if (b->data == b->stack)
            memcpy(nd, b->data, b->len);
        b->data = nd;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

static void outbuf_free(OutBuf *b)
{
    if (b->data != b->stack)
        tw_mem_free(b->data);
}

/* ---- print and input ------------------------------------------------------------------ */

/* The sep/end argument: NULL (default) for None or absent, else a str. */
static int text_option(TwObject *v, const char *what, TwObject **out)
{
    *out = NULL;
    if (v == NULL || v == TW_NONE)
        return 0;
    if (!tw_str_check(v)) {
        tw_err_format(&tw_exc_TypeError, "%s must be None or a string, not %s", what,
                      TW_TYPE(v)->tp_name);
        return -1;
    }
    *out = v;
    return 0;
}

/* print to one of the process's own streams: the whole call becomes one
 * write, so concurrent prints never interleave inside a line. */
static TwObject *print_fast(TwObject *const *args, size_t nargs, TwObject *sep, TwObject *end,
                            int to_stderr, int flush)
{
    char stack[512];
    OutBuf b = {stack, 0, sizeof(stack), stack};
    for (size_t i = 0; i < nargs; i++) {
        if (i > 0) {
            int r = sep ? outbuf_put(&b, tw_str_utf8(sep), (size_t)tw_str_byte_size(sep))
                        : outbuf_put(&b, " ", 1);
            if (r < 0)
                goto fail;
        }
        TwObject *s =
            TW_TYPE(args[i]) == &tw_str_type ? tw_newref(args[i]) : tw_object_str(args[i]);
        if (s == NULL)
            goto fail;
        int r = outbuf_put(&b, tw_str_utf8(s), (size_t)tw_str_byte_size(s));
        tw_decref(s);
        if (r < 0)
            goto fail;
    }
    if ((end ? outbuf_put(&b, tw_str_utf8(end), (size_t)tw_str_byte_size(end))
             : outbuf_put(&b, "\n", 1)) < 0)
        goto fail;
    int rc =
        to_stderr ? tw_sys_write_stderr(b.data, b.len) : tw_sys_write_stdout(b.data, b.len, flush);
    outbuf_free(&b);
    return rc < 0 ? NULL : tw_newref(TW_NONE);
fail:
    outbuf_free(&b);
    return NULL;
}

static int write_to(TwObject *file, TwObject *text)
{
    TwObject *args[1] = {text};
    TwObject *r = tw_object_call_method(file, "write", args, 1);
    tw_xdecref(r);
    return r == NULL ? -1 : 0;
}

/* print to any object with write(): one write per piece, as CPython. */
static TwObject *print_to_file(TwObject *file, TwObject *const *args, size_t nargs, TwObject *sep,
                               TwObject *end, int flush)
{
    TwObject *space = NULL, *newline = NULL;
    for (size_t i = 0; i < nargs; i++) {
        if (i > 0) {
            if (sep == NULL && space == NULL && (space = tw_str_from_cstr(" ")) == NULL)
                goto fail;
            if (write_to(file, sep ? sep : space) < 0)
                goto fail;
        }
        TwObject *s = tw_object_str(args[i]);
        if (s == NULL)
            goto fail;
        int r = write_to(file, s);
        tw_decref(s);
        if (r < 0)
            goto fail;
    }
    if (end == NULL && (newline = tw_str_from_cstr("\n")) == NULL)
        goto fail;
    if (write_to(file, end ? end : newline) < 0)
        goto fail;
    if (flush) {
        TwObject *r = tw_object_call_method(file, "flush", NULL, 0);
        if (r == NULL)
            goto fail;
        tw_decref(r);
    }
    tw_xdecref(space);
    tw_xdecref(newline);
    return tw_newref(TW_NONE);
fail:
    tw_xdecref(space);
    tw_xdecref(newline);
    return NULL;
}

/* print(*objects, sep=' ', end='\n', file=None, flush=False) */
static TwObject *builtin_print(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    TwObject *sep_arg = NULL, *end_arg = NULL, *file = NULL, *flush_arg = NULL;
    for (size_t k = 0; k < nkw(kwnames); k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        TwObject *v = args[nargs + k];
        if (tw_str_equal_cstr(key, "sep"))
            sep_arg = v;
        else if (tw_str_equal_cstr(key, "end"))
            end_arg = v;
        else if (tw_str_equal_cstr(key, "file"))
            file = v;
        else if (tw_str_equal_cstr(key, "flush"))
            flush_arg = v;
        else {
            invalid_keyword(key, "print");
            return NULL;
        }
    }
    TwObject *sep, *end;
    if (text_option(sep_arg, "sep", &sep) < 0 || text_option(end_arg, "end", &end) < 0)
        return NULL;
    int flush = 0;
    if (flush_arg != NULL && (flush = tw_object_is_true(flush_arg)) < 0)
        return NULL;

    TwObject *target;
    if (file == NULL || file == TW_NONE) {
        target = tw_sys_get_object("stdout");
        if (target == NULL) {
            tw_err_set_string(&tw_exc_RuntimeError, "lost sys.stdout");
            return NULL;
        }
    } else {
        target = tw_newref(file);
    }
    TwObject *res;
    if (target == TW_NONE)
        res = tw_newref(TW_NONE); /* sys.stdout = None silences print */
    else if (target == tw_sys_stdout_object())
        res = print_fast(args, nargs, sep, end, 0, flush);
    else if (target == tw_sys_stderr_object())
        res = print_fast(args, nargs, sep, end, 1, flush);
    else
        res = print_to_file(target, args, nargs, sep, end, flush);
    tw_decref(target);
    return res;
}

/* input([prompt]): write the prompt (flushed), read one line without its
 * newline; EOFError at end of file. */
static TwObject *builtin_input(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    if (tw_arg_no_kwargs("input", kwnames) < 0 || check_nargs("input", nargs, 0, 1) < 0)
        return NULL;
    TwObject *out = tw_sys_get_object("stdout");
    TwObject *in = tw_sys_get_object("stdin");
    TwObject *line = NULL;
    if (out == NULL || in == NULL) {
        tw_err_format(&tw_exc_RuntimeError, "input(): lost sys.%s", out ? "stdin" : "stdout");
        goto done;
    }
    tw_sys_flush_stdio();
    if (nargs == 1) {
        TwObject *prompt = tw_object_str(args[0]);
        if (prompt == NULL)
            goto done;
        int r;
        if (out == tw_sys_stdout_object()) {
            r = tw_sys_write_stdout(tw_str_utf8(prompt), (size_t)tw_str_byte_size(prompt), 1);
        } else if ((r = write_to(out, prompt)) == 0) {
            TwObject *f = tw_object_call_method(out, "flush", NULL, 0);
            r = f ? 0 : -1;
            tw_xdecref(f);
        }
        tw_decref(prompt);
        if (r < 0)
            goto done;
    }
    if (in == tw_sys_stdin_object())
        line = tw_sys_readline_stdin();
    else
        line = tw_object_call_method(in, "readline", NULL, 0);
    if (line == NULL)
        goto done;
    if (!tw_str_check(line)) {
        tw_err_set_string(&tw_exc_TypeError, "object.readline() returned non-string");
        TW_CLEAR(line);
        goto done;
    }
    intptr_t n = tw_str_byte_size(line);
    if (n == 0) {
        tw_err_set_string(&tw_exc_EOFError, "EOF when reading a line");
        TW_CLEAR(line);
        goto done;
    }
    if (tw_str_utf8(line)[n - 1] == '\n') {
        TwObject *stripped = tw_str_from_utf8(tw_str_utf8(line), (size_t)(n - 1));
        tw_decref(line);
        line = stripped;
    }
done:
    tw_xdecref(out);
    tw_xdecref(in);
    return line;
}

/* ---- simple functions of one object -------------------------------------------------- */

static TwObject *builtin_len(TwObject *self, TwObject *arg)
{
    intptr_t n = tw_object_len(arg);
    return n < 0 ? NULL : tw_int_from_i64(n);
}

static TwObject *builtin_repr(TwObject *self, TwObject *arg)
{
    return tw_object_repr(arg);
}

/* ascii(x): repr(x) with non-ASCII characters escaped (core/format.c). */
static TwObject *builtin_ascii(TwObject *self, TwObject *arg)
{
    return tw_format_ascii(arg);
}

static TwObject *builtin_abs(TwObject *self, TwObject *arg)
{
    return tw_number_absolute(arg);
}

static TwObject *builtin_id(TwObject *self, TwObject *arg)
{
    return tw_int_from_u64((uint64_t)(uintptr_t)arg);
}

static TwObject *builtin_hash(TwObject *self, TwObject *arg)
{
    tw_hash_t h = tw_object_hash(arg);
    return h == -1 ? NULL : tw_int_from_i64(h);
}

static TwObject *builtin_callable(TwObject *self, TwObject *arg)
{
    return tw_newref(tw_bool_from_long(tw_callable_check(arg)));
}

/* ord(c): the code point of a one-character str, or the value of a
 * one-byte bytes. */
static TwObject *builtin_ord(TwObject *self, TwObject *arg)
{
    if (tw_str_check(arg)) {
        int64_t cp = tw_str_ord(arg);
        return cp < 0 ? NULL : tw_int_from_i64(cp);
    }
    if (tw_bytes_check(arg)) {
        if (tw_bytes_size(arg) != 1) {
            tw_err_format(&tw_exc_TypeError,
                          "ord() expected a character, but string of length %lld found",
                          (long long)tw_bytes_size(arg));
            return NULL;
        }
        return tw_int_from_i64((unsigned char)tw_bytes_data(arg)[0]);
    }
    tw_err_format(&tw_exc_TypeError, "ord() expected string of length 1, but %s found",
                  TW_TYPE(arg)->tp_name);
    return NULL;
}

/* chr(i): the one-character str for code point i. */
static TwObject *builtin_chr(TwObject *self, TwObject *arg)
{
    TwObject *n = tw_number_index(arg);
    if (n == NULL)
        return NULL;
    int overflow = 0;
    int64_t v = tw_int_as_i64_overflow(n, &overflow);
    tw_decref(n);
    if (overflow != 0 || v > INT32_MAX || v < INT32_MIN) {
        tw_err_set_string(&tw_exc_OverflowError, "Python int too large to convert to C int");
        return NULL;
    }
    return tw_str_from_codepoint(v);
}

static TwObject *int_text(TwObject *arg, TwObject *(*conv)(TwObject *))
{
    TwObject *n = tw_number_index(arg);
    if (n == NULL)
        return NULL;
    TwObject *s = conv(n);
    tw_decref(n);
    return s;
}

static TwObject *builtin_hex(TwObject *self, TwObject *arg)
{
    return int_text(arg, tw_int_to_hex);
}
static TwObject *builtin_oct(TwObject *self, TwObject *arg)
{
    return int_text(arg, tw_int_to_oct);
}
static TwObject *builtin_bin(TwObject *self, TwObject *arg)
{
    return int_text(arg, tw_int_to_bin);
}

/* format(value, format_spec='') */
static TwObject *builtin_format(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    if (tw_arg_no_kwargs("format", kwnames) < 0 || check_nargs("format", nargs, 1, 2) < 0)
        return NULL;
    TwObject *spec = nargs == 2 ? args[1] : NULL;
    if (spec != NULL && !tw_str_check(spec)) {
        tw_err_format(&tw_exc_TypeError, "format() argument 2 must be str, not %s",
                      TW_TYPE(spec)->tp_name);
        return NULL;
    }
    if (spec != NULL)
        return tw_object_format(args[0], spec);
    TwObject *empty = tw_str_from_cstr("");
    if (empty == NULL)
        return NULL;
    TwObject *res = tw_object_format(args[0], empty);
    tw_decref(empty);
    return res;
}

/* ---- arithmetic ------------------------------------------------------------------------ */

static TwObject *builtin_divmod(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    if (tw_arg_no_kwargs("divmod", kwnames) < 0 || check_nargs("divmod", nargs, 2, 2) < 0)
        return NULL;
    return tw_number_divmod(args[0], args[1]);
}

/* pow(base, exp, mod=None) */
static TwObject *builtin_pow(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"base", "exp", "mod", NULL};
    static const TwArgSpec spec = {"pow", names, 0, 2, 3};
    TwObject *argv[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    return tw_number_power(argv[0], argv[1], argv[2] ? argv[2] : TW_NONE);
}

/* round(number, ndigits=None): number.__round__() or __round__(ndigits). */
static TwObject *builtin_round(TwObject *self, TwObject *const *args, size_t nargs,
                               TwObject *kwnames)
{
    static const char *const names[] = {"number", "ndigits", NULL};
    static const TwArgSpec spec = {"round", names, 0, 1, 2};
    TwObject *argv[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    int found;
    int with_digits = argv[1] != NULL && argv[1] != TW_NONE;
    TwObject *res = call_special(argv[0], "__round__", &argv[1], with_digits ? 1 : 0, &found);
    if (!found && !tw_err_occurred())
        tw_err_format(&tw_exc_TypeError, "type %s doesn't define __round__ method",
                      TW_TYPE(argv[0])->tp_name);
    return res;
}

/* sum(iterable, /, start=0).  Exact ints are added in a machine word until
 * it would overflow; floats use Neumaier's compensated summation with the
 * correction applied once at the end (CPython 3.12), so sum([0.1] * 10)
 * is 1.0.  Anything else goes through +. */
static TwObject *builtin_sum(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (nargs == 0) {
        tw_err_set_string(&tw_exc_TypeError,
                          "sum() takes at least 1 positional argument (0 given)");
        return NULL;
    }
    if (nargs > 2) {
        tw_err_format(&tw_exc_TypeError, "sum() takes at most 2 arguments (%zu given)", nargs);
        return NULL;
    }
    TwObject *start = nargs == 2 ? args[1] : NULL;
    for (size_t k = 0; k < nkw(kwnames); k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        if (!tw_str_equal_cstr(key, "start")) {
            invalid_keyword(key, "sum");
            return NULL;
        }
        if (start != NULL) {
            tw_err_set_string(&tw_exc_TypeError,
                              "argument for sum() given by name ('start') and position (2)");
            return NULL;
        }
        start = args[nargs + k];
    }
    if (start != NULL && tw_str_check(start)) {
        tw_err_set_string(&tw_exc_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
        return NULL;
    }
    if (start != NULL && tw_bytes_check(start)) {
        tw_err_set_string(&tw_exc_TypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
        return NULL;
    }
    TwObject *it = tw_object_iter(args[0]);
    if (it == NULL)
        return NULL;
    TwObject *result = start ? tw_newref(start) : tw_int_from_i64(0);
    TwObject *item = NULL;
    if (result == NULL)
        goto fail;

    /* Phase 1: a machine-word int. */
    if (TW_TYPE(result) == &tw_int_type && tw_int_is_small(result)) {
        int64_t acc = ((TwIntObject *)result)->value;
        for (;;) {
            item = tw_iter_next(it);
            if (item == NULL) {
                if (tw_err_occurred())
                    goto fail;
                tw_decref(result);
                tw_decref(it);
                return tw_int_from_i64(acc);
            }
            int64_t v;
            if ((TW_TYPE(item) == &tw_int_type || TW_TYPE(item) == &tw_bool_type) &&
                tw_int_is_small(item) &&
                !__builtin_add_overflow(acc, ((TwIntObject *)item)->value, &v) && v != TW_INT_BIG) {
                acc = v;
                TW_CLEAR(item);
                continue;
            }
            /* Leave the fast path: fold this item in with +. */
            tw_decref(result);
            TwObject *acc_obj = tw_int_from_i64(acc);
            result = acc_obj ? tw_number_add(acc_obj, item) : NULL;
            tw_xdecref(acc_obj);
            TW_CLEAR(item);
            if (result == NULL)
                goto fail;
            break;
        }
    }

    /* Phase 2: a float with a running compensation. */
    if (TW_TYPE(result) == &tw_float_type) {
        double sum = ((TwFloatObject *)result)->value, comp = 0.0;
        for (;;) {
            item = tw_iter_next(it);
            if (item == NULL) {
                if (tw_err_occurred())
                    goto fail;
                if (comp != 0.0 && isfinite(comp))
                    sum += comp;
                tw_decref(result);
                tw_decref(it);
                return tw_float_from_double(sum);
            }
            if (TW_TYPE(item) == &tw_float_type) {
                double x = ((TwFloatObject *)item)->value;
                double t = sum + x;
                if (fabs(sum) >= fabs(x))
                    comp += (sum - t) + x;
                else
                    comp += (x - t) + sum;
                sum = t;
                TW_CLEAR(item);
                continue;
            }
            if ((TW_TYPE(item) == &tw_int_type || TW_TYPE(item) == &tw_bool_type) &&
                tw_int_is_small(item)) {
                sum += (double)((TwIntObject *)item)->value;
                TW_CLEAR(item);
                continue;
            }
            if (comp != 0.0 && isfinite(comp))
                sum += comp;
            tw_decref(result);
            TwObject *acc_obj = tw_float_from_double(sum);
            result = acc_obj ? tw_number_add(acc_obj, item) : NULL;
            tw_xdecref(acc_obj);
            TW_CLEAR(item);
            if (result == NULL)
                goto fail;
            break;
        }
    }

    /* Phase 3: anything, through +. */
    for (;;) {
        item = tw_iter_next(it);
        if (item == NULL) {
            if (tw_err_occurred())
                goto fail;
            tw_decref(it);
            return result;
        }
        TwObject *next = tw_number_add(result, item);
        TW_CLEAR(item);
        tw_decref(result);
        result = next;
        if (result == NULL)
            goto fail;
    }
fail:
    tw_xdecref(item);
    tw_xdecref(result);
    tw_decref(it);
    return NULL;
}

/* min() and max(): one iterable or several arguments; key= and (with an
 * iterable) default=.  op is TW_LT for min, TW_GT for max: an item replaces
 * the best so far only when strictly better, so the first of equal items
 * wins. */
static TwObject *min_max(TwObject *const *args, size_t nargs, TwObject *kwnames, int op,
                         const char *name)
{
    TwObject *key = NULL, *deflt = NULL;
    for (size_t k = 0; k < nkw(kwnames); k++) {
        TwObject *kw = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        if (tw_str_equal_cstr(kw, "key"))
            key = args[nargs + k];
        else if (tw_str_equal_cstr(kw, "default"))
            deflt = args[nargs + k];
        else {
            invalid_keyword(kw, name);
            return NULL;
        }
    }
    if (nargs == 0) {
        tw_err_format(&tw_exc_TypeError, "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    if (nargs > 1 && deflt != NULL) {
        tw_err_format(&tw_exc_TypeError,
                      "Cannot specify a default for %s() with multiple positional arguments", name);
        return NULL;
    }
    if (key == TW_NONE)
        key = NULL;
    TwObject *it = NULL;
    if (nargs == 1 && (it = tw_object_iter(args[0])) == NULL)
        return NULL;
    TwObject *best = NULL, *best_key = NULL;
    for (size_t i = 0;; i++) {
        TwObject *item;
        if (it != NULL) {
            item = tw_iter_next(it);
            if (item == NULL) {
                if (tw_err_occurred())
                    goto fail;
                break;
            }
        } else {
            if (i == nargs)
                break;
            item = tw_newref(args[i]);
        }
        TwObject *item_key = key ? tw_object_call_one(key, item) : tw_newref(item);
        if (item_key == NULL) {
            tw_decref(item);
            goto fail;
        }
        if (best == NULL) {
            best = item;
            best_key = item_key;
            continue;
        }
        int better = tw_object_richcompare_bool(item_key, best_key, op);
        if (better < 0) {
            tw_decref(item);
            tw_decref(item_key);
            goto fail;
        }
        if (better) {
            tw_decref(best);
            tw_decref(best_key);
            best = item;
            best_key = item_key;
        } else {
            tw_decref(item);
            tw_decref(item_key);
        }
    }
    tw_xdecref(it);
    tw_xdecref(best_key);
    if (best != NULL)
        return best;
    if (deflt != NULL)
        return tw_newref(deflt);
    tw_err_format(&tw_exc_ValueError, "%s() arg is an empty sequence", name);
    return NULL;
fail:
    tw_xdecref(it);
    tw_xdecref(best);
    tw_xdecref(best_key);
    return NULL;
}

static TwObject *builtin_min(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return min_max(args, nargs, kwnames, TW_LT, "min");
}

static TwObject *builtin_max(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return min_max(args, nargs, kwnames, TW_GT, "max");
}

/* ---- iteration ------------------------------------------------------------------------- */

/* any(iterable) / all(iterable): stop at the first item that decides. */
static TwObject *any_all(TwObject *iterable, int want)
{
    TwObject *it = tw_object_iter(iterable);
    if (it == NULL)
        return NULL;
    for (;;) {
        TwObject *item = tw_iter_next(it);
        if (item == NULL) {
            tw_decref(it);
            return tw_err_occurred() ? NULL : tw_newref(tw_bool_from_long(!want));
        }
        int truth = tw_object_is_true(item);
        tw_decref(item);
        if (truth < 0) {
            tw_decref(it);
            return NULL;
        }
        if (truth == want) {
            tw_decref(it);
            return tw_newref(tw_bool_from_long(want));
        }
    }
}

static TwObject *builtin_any(TwObject *self, TwObject *arg)
{
    return any_all(arg, 1);
}
static TwObject *builtin_all(TwObject *self, TwObject *arg)
{
    return any_all(arg, 0);
}

/* sorted(iterable, /, *, key=None, reverse=False) */
static TwObject *builtin_sorted(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    if (check_nargs("sorted", nargs, 1, 1) < 0)
        return NULL;
    TwObject *key = NULL, *reverse = NULL;
    for (size_t k = 0; k < nkw(kwnames); k++) {
        TwObject *kw = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        if (tw_str_equal_cstr(kw, "key"))
            key = args[nargs + k];
        else if (tw_str_equal_cstr(kw, "reverse"))
            reverse = args[nargs + k];
        else {
            invalid_keyword(kw, "sort");
            return NULL;
        }
    }
    int rev = 0;
    if (reverse != NULL && (rev = tw_object_is_true(reverse)) < 0)
        return NULL;
    TwObject *list = tw_sequence_list(args[0]);
    if (list == NULL)
        return NULL;
    if (tw_list_sort_key(list, key, rev) < 0) {
        tw_decref(list);
        return NULL;
    }
    return list;
}

/* iter(object) / iter(callable, sentinel) */
static TwObject *builtin_iter(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    if (tw_arg_no_kwargs("iter", kwnames) < 0 || check_nargs("iter", nargs, 1, 2) < 0)
        return NULL;
    if (nargs == 1)
        return tw_object_iter(args[0]);
    if (!tw_callable_check(args[0])) {
        tw_err_set_string(&tw_exc_TypeError, "iter(object, sentinel): object must be callable");
        return NULL;
    }
    return tw_calliter_new(args[0], args[1]);
}

/* next(iterator[, default]) */
static TwObject *builtin_next(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    if (tw_arg_no_kwargs("next", kwnames) < 0 || check_nargs("next", nargs, 1, 2) < 0)
        return NULL;
    TwObject *it = args[0];
    TwType *tp = TW_TYPE(it);
    if (!type_defines(tp, tp->tp_iternext != NULL, "__next__")) {
        tw_err_format(&tw_exc_TypeError, "'%s' object is not an iterator", tp->tp_name);
        return NULL;
    }
    TwObject *item = tw_iter_next(it);
    if (item != NULL)
        return item;
    if (nargs == 2) {
        if (tw_err_occurred()) {
            if (!tw_err_matches(&tw_exc_StopIteration))
                return NULL;
            tw_err_clear();
        }
        return tw_newref(args[1]);
    }
    return tw_err_occurred() ? NULL : raise_stop_iteration();
}

/* ---- attributes ------------------------------------------------------------------------ */

static int check_attr_name(TwObject *name)
{
    if (tw_str_check(name))
        return 0;
    tw_err_format(&tw_exc_TypeError, "attribute name must be string, not '%s'",
                  TW_TYPE(name)->tp_name);
    return -1;
}

/* getattr(object, name[, default]) */
static TwObject *builtin_getattr(TwObject *self, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    if (tw_arg_no_kwargs("getattr", kwnames) < 0 || check_nargs("getattr", nargs, 2, 3) < 0 ||
        check_attr_name(args[1]) < 0)
        return NULL;
    TwObject *v = tw_object_getattr(args[0], args[1]);
    if (v == NULL && nargs == 3 && tw_err_matches(&tw_exc_AttributeError)) {
        tw_err_clear();
        return tw_newref(args[2]);
    }
    return v;
}

static TwObject *builtin_setattr(TwObject *self, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    if (tw_arg_no_kwargs("setattr", kwnames) < 0 || check_nargs("setattr", nargs, 3, 3) < 0 ||
        check_attr_name(args[1]) < 0)
        return NULL;
    if (tw_object_setattr(args[0], args[1], args[2]) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

static TwObject *builtin_delattr(TwObject *self, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    if (tw_arg_no_kwargs("delattr", kwnames) < 0 || check_nargs("delattr", nargs, 2, 2) < 0 ||
        check_attr_name(args[1]) < 0)
        return NULL;
    if (tw_object_setattr(args[0], args[1], NULL) < 0)
        return NULL;
    return tw_newref(TW_NONE);
}

/* hasattr: getattr succeeds; only AttributeError means "no". */
static TwObject *builtin_hasattr(TwObject *self, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    if (tw_arg_no_kwargs("hasattr", kwnames) < 0 || check_nargs("hasattr", nargs, 2, 2) < 0 ||
        check_attr_name(args[1]) < 0)
        return NULL;
    TwObject *v = tw_object_getattr(args[0], args[1]);
    if (v != NULL) {
        tw_decref(v);
        return tw_newref(TW_TRUE);
    }
    if (!tw_err_matches(&tw_exc_AttributeError))
        return NULL;
    tw_err_clear();
    return tw_newref(TW_FALSE);
}

/* The caller's namespace, from the VM: a module's or class body's dict,
 * or a snapshot dict of a function's variables (new reference).  With no
 * Python code running, an empty dict. */
static TwObject *current_locals(void)
{
    TwObject *d = tw_eval_get_locals();
    if (d == NULL && !tw_err_occurred())
        d = tw_dict_new();
    return d;
}

static TwObject *builtin_locals(TwObject *self, TwObject *unused)
{
    return current_locals();
}

static TwObject *builtin_globals(TwObject *self, TwObject *unused)
{
    TwObject *d = tw_eval_get_globals();
    if (d == NULL && !tw_err_occurred())
        d = tw_dict_new();
    return d;
}

/* vars(object): its __dict__; vars(): locals(). */
static TwObject *builtin_vars(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    if (tw_arg_no_kwargs("vars", kwnames) < 0 || check_nargs("vars", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 0)
        return current_locals();
    TwObject *d = tw_object_get_dict(args[0]);
    if (d == NULL && tw_err_matches(&tw_exc_AttributeError)) {
        tw_err_clear();
        tw_err_set_string(&tw_exc_TypeError, "vars() argument must have __dict__ attribute");
    }
    return d;
}

/* dir(object): __dir__ when the type defines one, else the names of the
 * instance and its classes; dir(): the names of the caller's namespace.
 * Sorted either way. */
static TwObject *builtin_dir(TwObject *self, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    if (tw_arg_no_kwargs("dir", kwnames) < 0 || check_nargs("dir", nargs, 0, 1) < 0)
        return NULL;
    TwObject *names = NULL;
    int found = 0;
    if (nargs == 0) {
        TwObject *ns = current_locals();
        if (ns == NULL)
            return NULL;
        names = tw_dict_check(ns) ? tw_dict_keys(ns) : tw_sequence_list(ns);
        tw_decref(ns);
        found = 1;
    } else if (TW_TYPE(args[0])->tp_flags & TW_TPFLAGS_HEAPTYPE)
        names = call_special(args[0], "__dir__", NULL, 0, &found);
    if (!found) {
        if (tw_err_occurred())
            return NULL;
        names = tw_object_dir(args[0]);
    }
    if (names == NULL)
        return NULL;
    TwObject *list = tw_sequence_list(names);
    tw_decref(names);
    if (list != NULL && tw_list_sort(list, 0) < 0)
        TW_CLEAR(list);
    return list;
}

static TwObject *builtin_isinstance(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    if (tw_arg_no_kwargs("isinstance", kwnames) < 0 || check_nargs("isinstance", nargs, 2, 2) < 0)
        return NULL;
    int r = tw_object_isinstance(args[0], args[1]);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *builtin_issubclass(TwObject *self, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    if (tw_arg_no_kwargs("issubclass", kwnames) < 0 || check_nargs("issubclass", nargs, 2, 2) < 0)
        return NULL;
    int r = tw_object_issubclass(args[0], args[1]);
    return r < 0 ? NULL : tw_newref(tw_bool_from_long(r));
}

static TwObject *builtin_open(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    return tw_io_open(args, nargs, kwnames);
}

/* exit([code]) / quit([code]): as sys.exit (CPython's site adds them). */
static TwObject *builtin_exit(TwObject *self, TwObject *const *args, size_t nargs,
                              TwObject *kwnames)
{
    if (tw_arg_no_kwargs("exit", kwnames) < 0 || check_nargs("exit", nargs, 0, 1) < 0)
        return NULL;
    if (nargs == 1) {
        tw_err_set_object(&tw_exc_SystemExit, args[0]);
    } else {
        TwObject *exc = tw_exception_new(&tw_exc_SystemExit, NULL);
        if (exc != NULL)
            tw_err_restore(exc);
    }
    return NULL;
}

/* __import__(name, globals=None, locals=None, fromlist=(), level=0): only
 * absolute imports of top-level modules. */
static TwObject *builtin_import(TwObject *self, TwObject *const *args, size_t nargs,
                                TwObject *kwnames)
{
    static const char *const names[] = {"name", "globals", "locals", "fromlist", "level", NULL};
    static const TwArgSpec spec = {"__import__", names, 0, 1, 5};
    TwObject *argv[5];
    if (tw_arg_parse(&spec, args, nargs, kwnames, argv) < 0)
        return NULL;
    if (!tw_str_check(argv[0])) {
        tw_err_format(&tw_exc_TypeError, "module name must be str, not %s",
                      TW_TYPE(argv[0])->tp_name);
        return NULL;
    }
    return tw_import_module(argv[0]);
}

/* ---- __build_class__ ---------------------------------------------------------------------- */

/* The most derived of `meta` and the metaclasses of the bases; TypeError
 * when they are unrelated. */
static TwType *winning_metaclass(TwType *meta, TwObject *bases)
{
    TwType *winner = meta;
    for (intptr_t i = 0; i < tw_tuple_size(bases); i++) {
        TwType *t = TW_TYPE(tw_tuple_get_item_borrowed(bases, i));
        if (tw_type_is_subtype(winner, t))
            continue;
        if (tw_type_is_subtype(t, winner)) {
            winner = t;
            continue;
        }
        tw_err_set_string(&tw_exc_TypeError,
                          "metaclass conflict: the metaclass of a derived class must be a "
                          "(non-strict) subclass of the metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

/* ns[key] = obj.<attr> when obj has the attribute. */
static int copy_attr(TwObject *ns, const char *key, TwObject *obj, const char *attr)
{
    TwObject *v = tw_object_getattr_cstr(obj, attr);
    if (v == NULL) {
        if (!tw_err_matches(&tw_exc_AttributeError))
            return -1;
        tw_err_clear();
        return 0;
    }
    int r = tw_dict_set_item_cstr(ns, key, v);
    tw_decref(v);
    return r;
}

/* __build_class__(func, name, *bases, metaclass=None, **kwds): what a class
 * statement runs.  Chooses the metaclass, prepares the namespace
 * (__prepare__ or a dict) with __module__ and __qualname__, runs the body
 * in it, then calls metaclass(name, bases, ns, **kwds). */
static TwObject *builtin_build_class(TwObject *self, TwObject *const *args, size_t nargs,
                                     TwObject *kwnames)
{
    if (nargs < 2) {
        tw_err_set_string(&tw_exc_TypeError, "__build_class__: not enough arguments");
        return NULL;
    }
    TwObject *func = args[0], *name = args[1];
    if (!tw_callable_check(func) || tw_type_is_subtype(TW_TYPE(func), &tw_type_type)) {
        tw_err_set_string(&tw_exc_TypeError, "__build_class__: func must be a function");
        return NULL;
    }
    if (!tw_str_check(name)) {
        tw_err_set_string(&tw_exc_TypeError, "__build_class__: name is not a string");
        return NULL;
    }
    TwObject *bases = tw_tuple_new((intptr_t)nargs - 2);
    if (bases == NULL)
        return NULL;
    for (size_t i = 2; i < nargs; i++)
        tw_tuple_init_item(bases, (intptr_t)i - 2, tw_newref(args[i]));

    /* Split metaclass= from the keywords passed on to the metaclass. */
    size_t n_kw = nkw(kwnames), n_rest = 0;
    TwObject *meta = NULL, *rest_names = NULL, *ns = NULL, *cell = NULL, *cls = NULL;
    TwObject **call_args = tw_mem_malloc(sizeof(TwObject *) * (3 + n_kw));
    if (call_args == NULL) {
        tw_decref(bases);
        return tw_err_no_memory();
    }
    for (size_t k = 0; k < n_kw; k++) {
        TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
        if (tw_str_equal_cstr(key, "metaclass"))
            meta = args[nargs + k];
        else
            call_args[3 + n_rest++] = args[nargs + k];
    }
    if (n_rest > 0) {
        rest_names = tw_tuple_new((intptr_t)n_rest);
        if (rest_names == NULL)
            goto done;
        size_t j = 0;
        for (size_t k = 0; k < n_kw; k++) {
            TwObject *key = tw_tuple_get_item_borrowed(kwnames, (intptr_t)k);
            if (!tw_str_equal_cstr(key, "metaclass"))
                tw_tuple_init_item(rest_names, (intptr_t)j++, tw_newref(key));
        }
    }
    if (meta == NULL)
        meta = tw_tuple_size(bases) > 0 ? (TwObject *)TW_TYPE(tw_tuple_get_item_borrowed(bases, 0))
                                        : (TwObject *)&tw_type_type;
    if (tw_type_is_subtype(TW_TYPE(meta), &tw_type_type)) {
        TwType *winner = winning_metaclass((TwType *)meta, bases);
        if (winner == NULL)
            goto done;
        meta = (TwObject *)winner;
    }

    /* The namespace: meta.__prepare__(name, bases, **kwds), or a dict. */
    TwObject *prepare = tw_object_getattr_cstr(meta, "__prepare__");
    if (prepare == NULL) {
        if (!tw_err_matches(&tw_exc_AttributeError))
            goto done;
        tw_err_clear();
        ns = tw_dict_new();
    } else {
        call_args[1] = name;
        call_args[2] = bases;
        ns = tw_object_vectorcall(prepare, call_args + 1, 2, rest_names);
        tw_decref(prepare);
    }
    if (ns == NULL)
        goto done;
    if (!tw_dict_check(ns)) {
        tw_err_format(&tw_exc_TypeError, "%s.__prepare__() must return a mapping, not %s",
                      tw_type_is_subtype(TW_TYPE(meta), &tw_type_type) ? ((TwType *)meta)->tp_name
                                                                       : "<metaclass>",
                      TW_TYPE(ns)->tp_name);
        goto done;
    }
    if (copy_attr(ns, "__module__", func, "__module__") < 0 ||
        copy_attr(ns, "__qualname__", func, "__qualname__") < 0)
        goto done;

    cell = tw_eval_class_body(func, ns);
    if (cell == NULL)
        goto done;
    call_args[0] = name;
    call_args[1] = bases;
    call_args[2] = ns;
    cls = tw_object_vectorcall(meta, call_args, 3, rest_names);
done:
    tw_mem_free(call_args);
    tw_xdecref(cell);
    tw_xdecref(ns);
    tw_xdecref(rest_names);
    tw_decref(bases);
    return cls;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const TwMethodDef builtin_functions[] = {
    {"__build_class__", FN(builtin_build_class), TW_METH_FASTCALL,
     "__build_class__(func, name, /, *bases, [metaclass], **kwds) -> class"},
    {"__import__", FN(builtin_import), TW_METH_FASTCALL, "Import a module."},
    {"abs", FN(builtin_abs), TW_METH_O, "Return the absolute value of the argument."},
    {"all", FN(builtin_all), TW_METH_O, "Return True if bool(x) is True for all values x."},
    {"any", FN(builtin_any), TW_METH_O, "Return True if bool(x) is True for any x."},
    {"ascii", FN(builtin_ascii), TW_METH_O, "repr() with non-ASCII characters escaped."},
    {"bin", FN(builtin_bin), TW_METH_O, "Return the binary representation of an integer."},
    {"callable", FN(builtin_callable), TW_METH_O, "Return whether the object is callable."},
    {"chr", FN(builtin_chr), TW_METH_O, "Return a one-character string for a code point."},
    {"delattr", FN(builtin_delattr), TW_METH_FASTCALL, "Delete a named attribute."},
    {"dir", FN(builtin_dir), TW_METH_FASTCALL, "The sorted attribute names of an object."},
    {"divmod", FN(builtin_divmod), TW_METH_FASTCALL, "Return the tuple (x//y, x%y)."},
    {"exit", FN(builtin_exit), TW_METH_FASTCALL, "Exit by raising SystemExit."},
    {"format", FN(builtin_format), TW_METH_FASTCALL, "Return type(value).__format__(value, spec)."},
    {"globals", FN(builtin_globals), TW_METH_NOARGS, "The current module's namespace dict."},
    {"getattr", FN(builtin_getattr), TW_METH_FASTCALL, "Get a named attribute."},
    {"hasattr", FN(builtin_hasattr), TW_METH_FASTCALL, "Whether the object has the attribute."},
    {"hash", FN(builtin_hash), TW_METH_O, "Return the hash value of the object."},
    {"hex", FN(builtin_hex), TW_METH_O, "Return the hexadecimal representation of an integer."},
    {"id", FN(builtin_id), TW_METH_O, "Return the identity of an object."},
    {"input", FN(builtin_input), TW_METH_FASTCALL, "Read a line from standard input."},
    {"isinstance", FN(builtin_isinstance), TW_METH_FASTCALL, "Whether obj is an instance of cls."},
    {"issubclass", FN(builtin_issubclass), TW_METH_FASTCALL, "Whether cls derives from base."},
    {"iter", FN(builtin_iter), TW_METH_FASTCALL, "Get an iterator from an object."},
    {"len", FN(builtin_len), TW_METH_O, "Return the number of items in a container."},
    {"locals", FN(builtin_locals), TW_METH_NOARGS, "The current local namespace."},
    {"max", FN(builtin_max), TW_METH_FASTCALL, "Return the largest item."},
    {"min", FN(builtin_min), TW_METH_FASTCALL, "Return the smallest item."},
    {"next", FN(builtin_next), TW_METH_FASTCALL, "Return the next item from the iterator."},
    {"oct", FN(builtin_oct), TW_METH_O, "Return the octal representation of an integer."},
    {"open", FN(builtin_open), TW_METH_FASTCALL, "Open a file and return a file object."},
    {"ord", FN(builtin_ord), TW_METH_O, "Return the Unicode code point of a character."},
    {"pow", FN(builtin_pow), TW_METH_FASTCALL, "Equivalent to base**exp with 2 arguments."},
    {"print", FN(builtin_print), TW_METH_FASTCALL, "Print values to a stream."},
    {"quit", FN(builtin_exit), TW_METH_FASTCALL, "Exit by raising SystemExit."},
    {"repr", FN(builtin_repr), TW_METH_O, "Return the canonical string representation."},
    {"round", FN(builtin_round), TW_METH_FASTCALL, "Round a number to a given precision."},
    {"setattr", FN(builtin_setattr), TW_METH_FASTCALL, "Set a named attribute."},
    {"sorted", FN(builtin_sorted), TW_METH_FASTCALL, "Return a new sorted list."},
    {"sum", FN(builtin_sum), TW_METH_FASTCALL, "Return the sum of a start value and the items."},
    {"vars", FN(builtin_vars), TW_METH_FASTCALL, "Return the __dict__ of an object."},
    {NULL, NULL, 0, NULL},
};

/* ---- initialisation ------------------------------------------------------------------------ */

static int add(TwObject *dict, const char *name, TwObject *value)
{
    TwObject *key = tw_str_intern_cstr(name);
    if (key == NULL)
        return -1;
    int r = tw_dict_set_item(dict, key, value);
    tw_decref(key);
    return r;
}

static TwType *const own_types[] = {
    &tw_module_type,    &tw_cfunction_type,  &tw_slice_type,
    &tw_range_type,     &tw_range_iter_type, &tw_longrange_iter_type,
    &tw_bytearray_type, &tw_enumerate_type,  &tw_zip_type,
    &tw_map_type,       &tw_filter_type,     &tw_reversed_type,
    &tw_seqiter_type,   &tw_calliter_type,
};

static const struct {
    const char *name;
    TwObject *object;
} builtin_objects[] = {
    {"None", TW_NONE},
    {"True", TW_TRUE},
    {"False", TW_FALSE},
    {"__debug__", TW_TRUE},
    {"NotImplemented", TW_NOTIMPLEMENTED},
    {"Ellipsis", TW_ELLIPSIS},
    {"object", (TwObject *)&tw_object_type},
    {"type", (TwObject *)&tw_type_type},
    {"bool", (TwObject *)&tw_bool_type},
    {"int", (TwObject *)&tw_int_type},
    {"float", (TwObject *)&tw_float_type},
    {"str", (TwObject *)&tw_str_type},
    {"bytes", (TwObject *)&tw_bytes_type},
    {"bytearray", (TwObject *)&tw_bytearray_type},
    {"tuple", (TwObject *)&tw_tuple_type},
    {"list", (TwObject *)&tw_list_type},
    {"dict", (TwObject *)&tw_dict_type},
    {"set", (TwObject *)&tw_set_type},
    {"frozenset", (TwObject *)&tw_frozenset_type},
    {"range", (TwObject *)&tw_range_type},
    {"slice", (TwObject *)&tw_slice_type},
    {"enumerate", (TwObject *)&tw_enumerate_type},
    {"zip", (TwObject *)&tw_zip_type},
    {"map", (TwObject *)&tw_map_type},
    {"filter", (TwObject *)&tw_filter_type},
    {"reversed", (TwObject *)&tw_reversed_type},
    {"super", (TwObject *)&tw_super_type},
    {"property", (TwObject *)&tw_property_type},
    {"staticmethod", (TwObject *)&tw_staticmethod_type},
    {"classmethod", (TwObject *)&tw_classmethod_type},
    /* The parser's exception classes (the rest come from
     * tw_exceptions_add_to_dict). */
    {"SyntaxError", (TwObject *)&tw_exc_SyntaxError},
    {"IndentationError", (TwObject *)&tw_exc_IndentationError},
    {"TabError", (TwObject *)&tw_exc_TabError},
};

/* The exception classes, under interned names (the exceptions file
 * fills a scratch dict with plain keys). */
static int add_exceptions(TwObject *d)
{
    TwObject *tmp = tw_dict_new();
    if (tmp == NULL || tw_exceptions_add_to_dict(tmp) < 0) {
        tw_xdecref(tmp);
        return -1;
    }
    intptr_t pos = 0;
    TwObject *k, *v;
    int r, rc = 0;
    while (rc == 0 && (r = tw_dict_next_ref(tmp, &pos, &k, &v)) > 0) {
        TwObject *key = tw_str_intern(k);
        rc = key ? tw_dict_set_item(d, key, v) : -1;
        tw_xdecref(key);
        tw_decref(k);
        tw_decref(v);
    }
    tw_decref(tmp);
    return rc < 0 || r < 0 ? -1 : 0;
}

static TwObject *builtins_module_create(void)
{
    return tw_newref(builtins_module);
}

/* The builtins module uses the builtins dict as its namespace, so
 * `import builtins; builtins.x = 1` is seen by every name lookup. */
static int make_builtins_module(void)
{
    TwObject *m = tw_module_new_cstr("builtins");
    if (m == NULL)
        return -1;
    TwModuleObject *mod = (TwModuleObject *)m;
    static const char *const fields[] = {"__name__", "__doc__", "__package__", "__loader__",
                                         "__spec__"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        TwObject *v;
        if (tw_dict_get_item_cstr_ref(mod->dict, fields[i], &v) <= 0 ||
            add(builtins_dict, fields[i], v) < 0) {
            tw_xdecref(v);
            tw_decref(m);
            return -1;
        }
        tw_decref(v);
    }
    TwObject *own = mod->dict;
    mod->dict = tw_newref(builtins_dict);
    tw_decref(own);
    tw_set_immortal(m);
    builtins_module = m;
    return 0;
}

int tw_builtins_init(void)
{
    if (builtins_dict != NULL)
        return 0;
    for (size_t i = 0; i < sizeof(own_types) / sizeof(own_types[0]); i++)
        if (tw_type_ready(own_types[i]) < 0)
            return -1;
    TwObject *d = tw_dict_new();
    if (d == NULL)
        return -1;
    TwObject *modname = tw_str_intern_cstr("builtins");
    for (const TwMethodDef *def = builtin_functions; def->name != NULL; def++) {
        TwObject *f = tw_cfunction_new(def, NULL, modname);
        if (f == NULL || add(d, def->name, f) < 0) {
            tw_xdecref(f);
            goto fail;
        }
        tw_decref(f);
    }
    for (size_t i = 0; i < sizeof(builtin_objects) / sizeof(builtin_objects[0]); i++)
        if (add(d, builtin_objects[i].name, builtin_objects[i].object) < 0)
            goto fail;
    if (add_exceptions(d) < 0)
        goto fail;
    tw_set_immortal(d);
    builtins_dict = d;
    d = NULL;

    if (tw_sys_init() < 0 || make_builtins_module() < 0 || tw_time_init() < 0 ||
        tw_io_init() < 0 || tw_os_init() < 0)
        return -1;
    if (tw_math_init() < 0 || tw_random_init() < 0 || tw_zlib_init() < 0 ||
        tw_socket_init() < 0)
        return -1;
    if (tw_mp_init() < 0 || tw_thread_module_init() < 0)
        return -1;
    TwObject *modules = tw_sys_get_modules();
    if (modules == NULL)
        return -1;
    int r = tw_dict_set_item_cstr(modules, "builtins", builtins_module);
    tw_decref(modules);
    if (r < 0)
        return -1;
    if (tw_module_register_builtin("builtins", builtins_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    tw_xdecref(modname);
    return 0;
fail:
    tw_xdecref(modname);
    tw_xdecref(d);
    return -1;
}
