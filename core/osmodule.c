/* The posix module: the operating system's calls on paths, descriptors and
 * processes, with CPython's names, arguments and errors.  lib/os.py makes
 * `os` out of it (environ as a mapping, os.path, the helpers written in
 * Python), as CPython's os.py does with its own posix module.
 *
 * Every call that can block (open, read, write, waitpid, opening a
 * directory, system) runs detached, so other threads go on meanwhile.  An
 * OSError names the path argument(s) as CPython's do: "[Errno 2] No such
 * file or directory: 'x'", "... 'a' -> 'b'" for rename.  fork() runs the
 * runtime's after-fork reset in the child (through tw_runtime_fork).
 * The module has no mutable state of its own; posix.environ is a dict made
 * once when the module is created (lib/os.py keeps it in step with putenv
 * and unsetenv). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/tstate.h"
#include "core/builtins.h"
#include "core/scalar.h"
#include "core/fileio.h"

extern char **environ;

#define FN(f) ((void (*)(void))(f))

/* ---- paths ----------------------------------------------------------------------------- */

int tw_os_path_arg(const char *fname, const char *argname, TwObject *arg, int allow_fd,
                   TwPathArg *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (allow_fd && tw_int_check(arg)) {
        int64_t v = tw_int_as_i64(arg);
        if (v == -1 && tw_err_occurred())
            return -1;
        if (v < INT32_MIN || v > INT32_MAX) {
            tw_err_set_string(&tw_exc_OverflowError, "fd is greater than maximum");
            return -1;
        }
        out->fd = (int)v;
        return 0;
    }
    TwObject *p = NULL;
    if (tw_str_check(arg) || tw_bytes_check(arg)) {
        p = tw_newref(arg);
    } else {
        TwObject *meth = tw_type_lookup_ref(TW_TYPE(arg), tw_str_intern_cstr("__fspath__"));
        if (meth != NULL) {
            p = tw_object_call_one(meth, arg);
            tw_decref(meth);
            if (p == NULL)
                return -1;
            if (!tw_str_check(p) && !tw_bytes_check(p)) {
                tw_err_format(&tw_exc_TypeError,
                              "expected %s.__fspath__() to return str or bytes, not %s",
                              TW_TYPE(arg)->tp_name, TW_TYPE(p)->tp_name);
                tw_decref(p);
                return -1;
            }
        }
    }
    if (p == NULL) {
        if (fname == NULL)
            tw_err_format(&tw_exc_TypeError, "expected str, bytes or os.PathLike object, not %s",
                          TW_TYPE(arg)->tp_name);
        else
            tw_err_format(&tw_exc_TypeError, "%s: %s should be string, bytes%s os.PathLike%s, not %s",
                          fname, argname, allow_fd ? "," : " or", allow_fd ? " or integer" : "",
                          TW_TYPE(arg)->tp_name);
        return -1;
    }
    const char *s = tw_str_check(p) ? tw_str_utf8(p) : tw_bytes_data(p);
    size_t n = (size_t)(tw_str_check(p) ? tw_str_byte_size(p) : tw_bytes_size(p));
    if (strlen(s) != n) {
        tw_decref(p);
        tw_err_set_string(&tw_exc_ValueError, "embedded null byte");
        return -1;
    }
    out->object = p;
    out->bytes = tw_newref(p);
    out->path = s;
    return 0;
}

void tw_os_path_clear(TwPathArg *p)
{
    TW_CLEAR(p->object);
    TW_CLEAR(p->bytes);
    p->path = NULL;
}

TwObject *tw_os_error_path(const TwPathArg *a, const TwPathArg *b)
{
    return tw_err_set_from_errno_objects(NULL, a ? a->object : NULL, b ? b->object : NULL);
}

/* A C int from an int argument (TypeError for others). */
static int int_arg(TwObject *arg, int *out)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    int64_t v = tw_int_as_i64(i);
    tw_decref(i);
    if (v == -1 && tw_err_occurred())
        return -1;
    if (v < INT32_MIN || v > INT32_MAX) {
        tw_err_set_string(&tw_exc_OverflowError, v < 0 ? "signed integer is less than minimum"
                                                       : "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int int64_arg(TwObject *arg, int64_t *out)
{
    TwObject *i = tw_number_index(arg);
    if (i == NULL)
        return -1;
    *out = tw_int_as_i64(i);
    tw_decref(i);
    return *out == -1 && tw_err_occurred() ? -1 : 0;
}

/* Exactly n positional arguments, no keywords. */
static int nargs_exact(const char *fname, size_t nargs, TwObject *kwnames, size_t lo, size_t hi)
{
    if (tw_arg_no_kwargs(fname, kwnames) < 0)
        return -1;
    if (nargs < lo || nargs > hi) {
        if (lo == hi)
            tw_err_format(&tw_exc_TypeError, "%s expected %zu argument%s, got %zu", fname, lo,
                          lo == 1 ? "" : "s", nargs);
        else if (nargs < lo)
            tw_err_format(&tw_exc_TypeError, "%s expected at least %zu argument%s, got %zu", fname,
                          lo, lo == 1 ? "" : "s", nargs);
        else
            tw_err_format(&tw_exc_TypeError, "%s expected at most %zu argument%s, got %zu", fname,
                          hi, hi == 1 ? "" : "s", nargs);
        return -1;
    }
    return 0;
}

static TwObject *none_or_path_error(int rc, TwPathArg *a, TwPathArg *b)
{
    TwObject *res = rc == 0 ? tw_newref(TW_NONE) : tw_os_error_path(a, b);
    tw_os_path_clear(a);
    if (b != NULL)
        tw_os_path_clear(b);
    return res;
}

/* ---- stat_result ------------------------------------------------------------------------ */

enum {
    ST_MODE, ST_INO, ST_DEV, ST_NLINK, ST_UID, ST_GID, ST_SIZE, ST_ATIME_I, ST_MTIME_I, ST_CTIME_I,
    ST_ATIME, ST_MTIME, ST_CTIME, ST_ATIME_NS, ST_MTIME_NS, ST_CTIME_NS, ST_BLKSIZE, ST_BLOCKS,
    ST_RDEV, N_STAT
};
#define N_STAT_SEQ 10 /* the fields a stat_result has as a sequence */

typedef struct {
    TwObject ob_base;
    TwObject *items[N_STAT]; /* immutable after creation */
} StatResult;

static const char *const stat_names[N_STAT] = {
    "st_mode",     "st_ino",      "st_dev",      "st_nlink",   "st_uid",     "st_gid",
    "st_size",     "st_atime",    "st_mtime",    "st_ctime",   "st_atime",   "st_mtime",
    "st_ctime",    "st_atime_ns", "st_mtime_ns", "st_ctime_ns", "st_blksize", "st_blocks",
    "st_rdev"};

static TwObject *stat_field(TwObject *self, void *closure)
{
    return tw_newref(((StatResult *)self)->items[(intptr_t)closure]);
}

static const TwGetSetDef stat_getset[] = {
    {"st_mode", stat_field, NULL, (void *)ST_MODE},
    {"st_ino", stat_field, NULL, (void *)ST_INO},
    {"st_dev", stat_field, NULL, (void *)ST_DEV},
    {"st_nlink", stat_field, NULL, (void *)ST_NLINK},
    {"st_uid", stat_field, NULL, (void *)ST_UID},
    {"st_gid", stat_field, NULL, (void *)ST_GID},
    {"st_size", stat_field, NULL, (void *)ST_SIZE},
    {"st_atime", stat_field, NULL, (void *)ST_ATIME},
    {"st_mtime", stat_field, NULL, (void *)ST_MTIME},
    {"st_ctime", stat_field, NULL, (void *)ST_CTIME},
    {"st_atime_ns", stat_field, NULL, (void *)ST_ATIME_NS},
    {"st_mtime_ns", stat_field, NULL, (void *)ST_MTIME_NS},
    {"st_ctime_ns", stat_field, NULL, (void *)ST_CTIME_NS},
    {"st_blksize", stat_field, NULL, (void *)ST_BLKSIZE},
    {"st_blocks", stat_field, NULL, (void *)ST_BLOCKS},
    {"st_rdev", stat_field, NULL, (void *)ST_RDEV},
    {NULL, NULL, NULL, NULL},
};

/* The sequence part as a tuple. */
static TwObject *stat_tuple(TwObject *self)
{
    StatResult *s = (StatResult *)self;
    TwObject *t = tw_tuple_new(N_STAT_SEQ);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < N_STAT_SEQ; i++)
        ((TwTupleObject *)t)->items[i] = tw_newref(s->items[i]);
    return t;
}

static intptr_t stat_len(TwObject *self)
{
    return N_STAT_SEQ;
}

static TwObject *stat_getitem(TwObject *self, TwObject *key)
{
    TwObject *t = stat_tuple(self);
    if (t == NULL)
        return NULL;
    TwObject *r = tw_object_getitem(t, key);
    tw_decref(t);
    return r;
}

static TwObject *stat_iter(TwObject *self)
{
    TwObject *t = stat_tuple(self);
    if (t == NULL)
        return NULL;
    TwObject *r = tw_object_iter(t);
    tw_decref(t);
    return r;
}

/* "os.stat_result(st_mode=33188, ..., st_ctime=1700000000)" */
static TwObject *stat_repr(TwObject *self)
{
    StatResult *s = (StatResult *)self;
    char buf[1024];
    size_t len = (size_t)snprintf(buf, sizeof buf, "os.stat_result(");
    for (int i = 0; i < N_STAT_SEQ; i++) {
        TwObject *r = tw_object_repr(s->items[i]);
        if (r == NULL)
            return NULL;
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s=%s", i ? ", " : "",
                                stat_names[i], tw_str_utf8(r));
        tw_decref(r);
        if (len >= sizeof buf - 2)
            len = sizeof buf - 2;
    }
    snprintf(buf + len, sizeof buf - len, ")");
    return tw_str_from_cstr(buf);
}

static void stat_dealloc(TwObject *op)
{
    StatResult *s = (StatResult *)op;
    for (int i = 0; i < N_STAT; i++)
        TW_CLEAR(s->items[i]);
    tw_object_free(op);
}

static TwType stat_result_type = {
    .ob_base = TW_OBJECT_HEAD_INIT(&tw_type_type),
    .tp_name = "os.stat_result",
    .tp_basicsize = sizeof(StatResult),
    .tp_flags = TW_TPFLAGS_IMMUTABLE_INSTANCES,
    .tp_base = &tw_object_type,
    .tp_dealloc = stat_dealloc,
    .tp_repr = stat_repr,
    .tp_len = stat_len,
    .tp_getitem = stat_getitem,
    .tp_iter = stat_iter,
    .tp_getset = stat_getset,
};

static TwObject *stat_result_new(const struct stat *st)
{
    StatResult *s = (StatResult *)tw_object_new(&stat_result_type, 0);
    if (s == NULL)
        return NULL;
    const struct timespec *ts[3] = {&st->st_atim, &st->st_mtim, &st->st_ctim};
    s->items[ST_MODE] = tw_int_from_i64(st->st_mode);
    s->items[ST_INO] = tw_int_from_i64((int64_t)st->st_ino);
    s->items[ST_DEV] = tw_int_from_i64((int64_t)st->st_dev);
    s->items[ST_NLINK] = tw_int_from_i64((int64_t)st->st_nlink);
    s->items[ST_UID] = tw_int_from_i64(st->st_uid);
    s->items[ST_GID] = tw_int_from_i64(st->st_gid);
    s->items[ST_SIZE] = tw_int_from_i64(st->st_size);
    for (int i = 0; i < 3; i++) {
        s->items[ST_ATIME_I + i] = tw_int_from_i64(ts[i]->tv_sec);
        s->items[ST_ATIME + i] = tw_float_from_double((double)ts[i]->tv_sec + ts[i]->tv_nsec * 1e-9);
        TwObject *sec = tw_int_from_i64(ts[i]->tv_sec), *giga = tw_int_from_i64(1000000000);
        TwObject *nsec = tw_int_from_i64(ts[i]->tv_nsec);
        TwObject *prod = sec && giga ? tw_number_multiply(sec, giga) : NULL;
        s->items[ST_ATIME_NS + i] = prod && nsec ? tw_number_add(prod, nsec) : NULL;
        tw_xdecref(sec);
        tw_xdecref(giga);
        tw_xdecref(nsec);
        tw_xdecref(prod);
    }
    s->items[ST_BLKSIZE] = tw_int_from_i64(st->st_blksize);
    s->items[ST_BLOCKS] = tw_int_from_i64(st->st_blocks);
    s->items[ST_RDEV] = tw_int_from_i64((int64_t)st->st_rdev);
    for (int i = 0; i < N_STAT; i++)
        if (s->items[i] == NULL) {
            tw_decref((TwObject *)s);
            return NULL;
        }
    return (TwObject *)s;
}

/* stat(path, *, dir_fd=None, follow_symlinks=True), lstat(path), fstat(fd). */
static TwObject *do_stat(const char *fname, TwObject *arg, int allow_fd, int follow)
{
    TwPathArg p;
    if (tw_os_path_arg(fname, "path", arg, allow_fd, &p) < 0)
        return NULL;
    struct stat st;
    int rc;
    const char *path = p.path;
    int fd = p.fd;
    TW_BEGIN_ALLOW_THREADS
    rc = path == NULL ? fstat(fd, &st) : follow ? stat(path, &st) : lstat(path, &st);
    TW_END_ALLOW_THREADS
    if (rc != 0) {
        tw_os_error_path(&p, NULL);
        tw_os_path_clear(&p);
        return NULL;
    }
    tw_os_path_clear(&p);
    return stat_result_new(&st);
}

static TwObject *os_stat(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "dir_fd", "follow_symlinks", NULL};
    static const TwArgSpec spec = {"stat", names, 0, 1, 1};
    TwObject *a[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int follow = a[2] == NULL ? 1 : tw_object_is_true(a[2]);
    if (follow < 0)
        return NULL;
    return do_stat("stat", a[0], 1, follow);
}

static TwObject *os_lstat(TwObject *m, TwObject *arg)
{
    return do_stat("lstat", arg, 0, 0);
}

static TwObject *os_fstat(TwObject *m, TwObject *arg)
{
    if (!tw_int_check(arg)) {
        tw_err_format(&tw_exc_TypeError, "'%s' object cannot be interpreted as an integer",
                      TW_TYPE(arg)->tp_name);
        return NULL;
    }
    return do_stat("fstat", arg, 1, 1);
}

/* ---- files and directories ----------------------------------------------------------- */

/* One path argument (keyword `path`, plus the keyword-only dir_fd=None
 * that is accepted and must be None). */
static int one_path(const char *fname, const char *argname, TwObject *const *args, size_t nargs,
                    TwObject *kwnames, TwPathArg *p)
{
    static const char *const names_path[] = {"path", "dir_fd", NULL};
    TwArgSpec spec = {fname, names_path, 0, 1, 1};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return -1;
    if (a[1] != NULL && a[1] != TW_NONE) {
        tw_err_format(&tw_exc_NotImplementedError, "%s: dir_fd unavailable on this platform",
                      fname);
        return -1;
    }
    return tw_os_path_arg(fname, argname, a[0], 0, p);
}

/* remove, unlink and rmdir: one path, one system call, detached. */
static TwObject *path_call(const char *fname, int (*op)(const char *), TwObject *const *args,
                           size_t nargs, TwObject *kwnames)
{
    TwPathArg p;
    if (one_path(fname, "path", args, nargs, kwnames, &p) < 0)
        return NULL;
    int rc;
    const char *path = p.path;
    TW_BEGIN_ALLOW_THREADS
    rc = op(path);
    TW_END_ALLOW_THREADS
    return none_or_path_error(rc, &p, NULL);
}

static TwObject *os_remove(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return path_call("remove", unlink, args, nargs, kwnames);
}

static TwObject *os_unlink(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return path_call("unlink", unlink, args, nargs, kwnames);
}

static TwObject *os_rmdir(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return path_call("rmdir", rmdir, args, nargs, kwnames);
}

static TwObject *os_chdir(TwObject *m, TwObject *arg)
{
    TwPathArg p;
    if (tw_os_path_arg("chdir", "path", arg, 0, &p) < 0)
        return NULL;
    return none_or_path_error(chdir(p.path), &p, NULL);
}

/* mkdir(path, mode=0o777, *, dir_fd=None) */
static TwObject *os_mkdir(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "mode", "dir_fd", NULL};
    static const TwArgSpec spec = {"mkdir", names, 0, 1, 2};
    TwObject *a[3];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int mode = 0777;
    if (a[1] != NULL && int_arg(a[1], &mode) < 0)
        return NULL;
    TwPathArg p;
    if (tw_os_path_arg("mkdir", "path", a[0], 0, &p) < 0)
        return NULL;
    int rc;
    const char *path = p.path;
    TW_BEGIN_ALLOW_THREADS
    rc = mkdir(path, (mode_t)mode);
    TW_END_ALLOW_THREADS
    return none_or_path_error(rc, &p, NULL);
}

/* rename(src, dst) and replace(src, dst): rename(2) replaces on POSIX. */
static TwObject *do_rename(const char *fname, TwObject *const *args, size_t nargs,
                           TwObject *kwnames)
{
    static const char *const names[] = {"src", "dst", "src_dir_fd", "dst_dir_fd", NULL};
    TwArgSpec spec = {fname, names, 0, 2, 2};
    TwObject *a[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwPathArg src, dst;
    if (tw_os_path_arg(fname, "src", a[0], 0, &src) < 0)
        return NULL;
    if (tw_os_path_arg(fname, "dst", a[1], 0, &dst) < 0) {
        tw_os_path_clear(&src);
        return NULL;
    }
    int rc;
    const char *s = src.path, *d = dst.path;
    TW_BEGIN_ALLOW_THREADS
    rc = rename(s, d);
    TW_END_ALLOW_THREADS
    return none_or_path_error(rc, &src, &dst);
}

static TwObject *os_rename(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return do_rename("rename", args, nargs, kwnames);
}

static TwObject *os_replace(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    return do_rename("replace", args, nargs, kwnames);
}

/* listdir(path='.'): the names in a directory (str, or bytes for a bytes
 * path), without '.' and '..', in the order the system gives them. */
static TwObject *os_listdir(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", NULL};
    static const TwArgSpec spec = {"listdir", names, 0, 0, 1};
    TwObject *a[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwPathArg p;
    int want_bytes = 0;
    if (a[0] == NULL || a[0] == TW_NONE) {
        TwObject *dot = tw_str_from_cstr(".");
        if (dot == NULL)
            return NULL;
        int r = tw_os_path_arg("listdir", "path", dot, 0, &p);
        tw_decref(dot);
        if (r < 0)
            return NULL;
    } else {
        if (tw_os_path_arg("listdir", "path", a[0], 1, &p) < 0)
            return NULL;
        want_bytes = p.object != NULL && tw_bytes_check(p.object);
    }
    DIR *dir;
    const char *path = p.path;
    int fd = p.fd;
    int err;
    TW_BEGIN_ALLOW_THREADS
    if (path != NULL) {
        dir = opendir(path);
    } else {
        int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        dir = dupfd < 0 ? NULL : fdopendir(dupfd);
        if (dir == NULL && dupfd >= 0) {
            int e = errno;
            close(dupfd);
            errno = e;
        }
        if (dir != NULL)
            rewinddir(dir);
    }
    err = errno;
    TW_END_ALLOW_THREADS
    if (dir == NULL) {
        errno = err;
        tw_os_error_path(&p, NULL);
        tw_os_path_clear(&p);
        return NULL;
    }
    tw_os_path_clear(&p);
    TwObject *list = tw_list_new(0);
    while (list != NULL) {
        errno = 0;
        struct dirent *ent = readdir(dir);
        if (ent == NULL) {
            if (errno != 0) {
                tw_err_set_from_errno(NULL);
                TW_CLEAR(list);
            }
            break;
        }
        const char *n = ent->d_name;
        if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
            continue;
        size_t len = strlen(n);
        TwObject *item = want_bytes ? tw_bytes_from_data(n, len)
                                    : tw_bytes_decode_data(n, len, "utf-8", "replace");
        if (item == NULL || tw_list_append(list, item) < 0)
            TW_CLEAR(list);
        tw_xdecref(item);
    }
    closedir(dir);
    return list;
}

static TwObject *os_getcwd(TwObject *m, TwObject *unused)
{
    char buf[4096];
    if (getcwd(buf, sizeof buf) == NULL)
        return tw_err_set_from_errno(NULL);
    return tw_bytes_decode_data(buf, strlen(buf), "utf-8", "replace");
}

static TwObject *os_getcwdb(TwObject *m, TwObject *unused)
{
    char buf[4096];
    if (getcwd(buf, sizeof buf) == NULL)
        return tw_err_set_from_errno(NULL);
    return tw_bytes_from_data(buf, strlen(buf));
}

/* access(path, mode): True if the calling user may. */
static TwObject *os_access(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "mode", "dir_fd", "effective_ids",
                                        "follow_symlinks", NULL};
    static const TwArgSpec spec = {"access", names, 0, 2, 2};
    TwObject *a[5];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int mode;
    if (int_arg(a[1], &mode) < 0)
        return NULL;
    TwPathArg p;
    if (tw_os_path_arg("access", "path", a[0], 0, &p) < 0)
        return NULL;
    int rc = access(p.path, mode);
    tw_os_path_clear(&p);
    return tw_newref(tw_bool_from_long(rc == 0));
}

static TwObject *os_chmod(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "mode", "dir_fd", "follow_symlinks", NULL};
    static const TwArgSpec spec = {"chmod", names, 0, 2, 2};
    TwObject *a[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int mode;
    if (int_arg(a[1], &mode) < 0)
        return NULL;
    TwPathArg p;
    if (tw_os_path_arg("chmod", "path", a[0], 1, &p) < 0)
        return NULL;
    int rc = p.path ? chmod(p.path, (mode_t)mode) : fchmod(p.fd, (mode_t)mode);
    return none_or_path_error(rc, &p, NULL);
}

static TwObject *os_readlink(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    TwPathArg p;
    if (one_path("readlink", "path", args, nargs, kwnames, &p) < 0)
        return NULL;
    char buf[4096];
    ssize_t n = readlink(p.path, buf, sizeof buf);
    if (n < 0)
        return none_or_path_error(-1, &p, NULL);
    int as_bytes = tw_bytes_check(p.object);
    tw_os_path_clear(&p);
    return as_bytes ? tw_bytes_from_data(buf, (size_t)n)
                    : tw_bytes_decode_data(buf, (size_t)n, "utf-8", "replace");
}

static TwObject *os_symlink(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"src", "dst", "target_is_directory", "dir_fd", NULL};
    static const TwArgSpec spec = {"symlink", names, 0, 2, 3};
    TwObject *a[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwPathArg src, dst;
    if (tw_os_path_arg("symlink", "src", a[0], 0, &src) < 0)
        return NULL;
    if (tw_os_path_arg("symlink", "dst", a[1], 0, &dst) < 0) {
        tw_os_path_clear(&src);
        return NULL;
    }
    return none_or_path_error(symlink(src.path, dst.path), &src, &dst);
}

static TwObject *os_truncate(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "length", NULL};
    static const TwArgSpec spec = {"truncate", names, 0, 2, 2};
    TwObject *a[2];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int64_t len;
    if (int64_arg(a[1], &len) < 0)
        return NULL;
    TwPathArg p;
    if (tw_os_path_arg("truncate", "path", a[0], 1, &p) < 0)
        return NULL;
    int rc = p.path ? truncate(p.path, (off_t)len) : ftruncate(p.fd, (off_t)len);
    return none_or_path_error(rc, &p, NULL);
}

/* ---- descriptors ---------------------------------------------------------------------- */

/* open(path, flags, mode=0o777, *, dir_fd=None): a new descriptor,
 * non-inheritable as in CPython (O_CLOEXEC). */
static TwObject *os_open(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"path", "flags", "mode", "dir_fd", NULL};
    static const TwArgSpec spec = {"open", names, 0, 2, 3};
    TwObject *a[4];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    int flags, mode = 0777;
    if (int_arg(a[1], &flags) < 0 || (a[2] != NULL && int_arg(a[2], &mode) < 0))
        return NULL;
    TwPathArg p;
    if (tw_os_path_arg("open", "path", a[0], 0, &p) < 0)
        return NULL;
    for (;;) {
        int fd, err;
        const char *path = p.path;
        TW_BEGIN_ALLOW_THREADS
        fd = open(path, flags | O_CLOEXEC, mode);
        err = errno;
        TW_END_ALLOW_THREADS
        if (fd >= 0) {
            tw_os_path_clear(&p);
            return tw_int_from_i64(fd);
        }
        errno = err;
        if (err != EINTR || tw_eval_breaker_check() < 0) {
            if (err != EINTR)
                tw_os_error_path(&p, NULL);
            tw_os_path_clear(&p);
            return NULL;
        }
    }
}

static TwObject *os_close(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"fd", NULL};
    static const TwArgSpec spec = {"close", names, 0, 1, 1};
    TwObject *a[1];
    int fd;
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0 || int_arg(a[0], &fd) < 0)
        return NULL;
    if (close(fd) != 0 && errno != EINTR)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

/* read(fd, n): at most n bytes, detached while it blocks. */
static TwObject *os_read(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int fd;
    int64_t n;
    if (nargs_exact("read", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &fd) < 0 ||
        int64_arg(args[1], &n) < 0)
        return NULL;
    if (n < 0) {
        errno = EINVAL;
        return tw_err_set_from_errno(NULL);
    }
    char *buf = tw_mem_malloc((size_t)n + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    for (;;) {
        ssize_t r;
        int err;
        TW_BEGIN_ALLOW_THREADS
        r = read(fd, buf, (size_t)n);
        err = errno;
        TW_END_ALLOW_THREADS
        if (r >= 0) {
            TwObject *res = tw_bytes_from_data(buf, (size_t)r);
            tw_mem_free(buf);
            return res;
        }
        if (err != EINTR || tw_eval_breaker_check() < 0) {
            tw_mem_free(buf);
            if (err != EINTR) {
                errno = err;
                tw_err_set_from_errno(NULL);
            }
            return NULL;
        }
    }
}

/* write(fd, data): bytes written (one system call, maybe partial). */
static TwObject *os_write(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int fd;
    if (nargs_exact("write", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &fd) < 0)
        return NULL;
    TwObject *data;
    if (tw_bytes_check(args[1]))
        data = tw_newref(args[1]);
    else if (tw_type_is_subtype(TW_TYPE(args[1]), &tw_bytearray_type))
        data = tw_object_call_one((TwObject *)&tw_bytes_type, args[1]);
    else {
        tw_err_format(&tw_exc_TypeError, "a bytes-like object is required, not '%s'",
                      TW_TYPE(args[1])->tp_name);
        return NULL;
    }
    if (data == NULL)
        return NULL;
    const char *p = tw_bytes_data(data);
    size_t n = (size_t)tw_bytes_size(data);
    for (;;) {
        ssize_t w;
        int err;
        TW_BEGIN_ALLOW_THREADS
        w = write(fd, p, n);
        err = errno;
        TW_END_ALLOW_THREADS
        if (w >= 0) {
            tw_decref(data);
            return tw_int_from_i64(w);
        }
        if (err != EINTR || tw_eval_breaker_check() < 0) {
            tw_decref(data);
            if (err != EINTR) {
                errno = err;
                tw_err_set_from_errno(NULL);
            }
            return NULL;
        }
    }
}

/* pipe(): (read end, write end), both non-inheritable. */
static TwObject *os_pipe(TwObject *m, TwObject *unused)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return tw_err_set_from_errno(NULL);
    TwObject *r = tw_int_from_i64(fds[0]), *w = tw_int_from_i64(fds[1]);
    TwObject *t = r && w ? tw_tuple_pack(2, r, w) : NULL;
    tw_xdecref(r);
    tw_xdecref(w);
    return t;
}

static TwObject *os_dup(TwObject *m, TwObject *arg)
{
    int fd;
    if (int_arg(arg, &fd) < 0)
        return NULL;
    int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return nfd < 0 ? tw_err_set_from_errno(NULL) : tw_int_from_i64(nfd);
}

/* dup2(fd, fd2, inheritable=True): fd2. */
static TwObject *os_dup2(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"fd", "fd2", "inheritable", NULL};
    static const TwArgSpec spec = {"dup2", names, 0, 2, 3};
    TwObject *a[3];
    int fd, fd2, inheritable = 1;
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0 || int_arg(a[0], &fd) < 0 ||
        int_arg(a[1], &fd2) < 0)
        return NULL;
    if (a[2] != NULL && (inheritable = tw_object_is_true(a[2])) < 0)
        return NULL;
    int r = fd == fd2 ? (fcntl(fd, F_GETFD) < 0 ? -1 : fd)
                      : dup3(fd, fd2, inheritable ? 0 : O_CLOEXEC);
    return r < 0 ? tw_err_set_from_errno(NULL) : tw_int_from_i64(r);
}

static TwObject *os_lseek(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int fd, how;
    int64_t pos;
    if (nargs_exact("lseek", nargs, kwnames, 3, 3) < 0 || int_arg(args[0], &fd) < 0 ||
        int64_arg(args[1], &pos) < 0 || int_arg(args[2], &how) < 0)
        return NULL;
    off_t r = lseek(fd, (off_t)pos, how);
    return r < 0 ? tw_err_set_from_errno(NULL) : tw_int_from_i64(r);
}

static TwObject *os_ftruncate(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int fd;
    int64_t len;
    if (nargs_exact("ftruncate", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &fd) < 0 ||
        int64_arg(args[1], &len) < 0)
        return NULL;
    if (ftruncate(fd, (off_t)len) != 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *os_fsync(TwObject *m, TwObject *arg)
{
    int fd;
    if (tw_int_check(arg)) {
        if (int_arg(arg, &fd) < 0)
            return NULL;
    } else {
        TwObject *r = tw_object_call_method(arg, "fileno", NULL, 0);
        if (r == NULL)
            return NULL;
        int rc = int_arg(r, &fd);
        tw_decref(r);
        if (rc < 0)
            return NULL;
    }
    int rc;
    TW_BEGIN_ALLOW_THREADS
    rc = fsync(fd);
    TW_END_ALLOW_THREADS
    if (rc != 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *os_isatty(TwObject *m, TwObject *arg)
{
    int fd;
    if (int_arg(arg, &fd) < 0)
        return NULL;
    return tw_newref(tw_bool_from_long(isatty(fd)));
}

/* The descriptor flags behind get_blocking/get_inheritable: a flag bit
 * (O_NONBLOCK of F_GETFL, FD_CLOEXEC of F_GETFD) whose absence the Python
 * call reports as True. */
static TwObject *fd_flag_clear(TwObject *arg, int getcmd, int bit)
{
    int fd;
    if (int_arg(arg, &fd) < 0)
        return NULL;
    int fl = fcntl(fd, getcmd);
    if (fl < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(tw_bool_from_long(!(fl & bit)));
}

/* set_blocking/set_inheritable(fd, on): clear the bit for a true `on`. */
static TwObject *fd_flag_set_clear(const char *name, TwObject *const *args, size_t nargs,
                                   TwObject *kwnames, int getcmd, int setcmd, int bit)
{
    int fd;
    if (nargs_exact(name, nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &fd) < 0)
        return NULL;
    int on = tw_object_is_true(args[1]);
    if (on < 0)
        return NULL;
    int fl = fcntl(fd, getcmd);
    if (fl < 0 || fcntl(fd, setcmd, on ? fl & ~bit : fl | bit) < 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *os_get_blocking(TwObject *m, TwObject *arg)
{
    return fd_flag_clear(arg, F_GETFL, O_NONBLOCK);
}

static TwObject *os_set_blocking(TwObject *m, TwObject *const *args, size_t nargs,
                                 TwObject *kwnames)
{
    return fd_flag_set_clear("set_blocking", args, nargs, kwnames, F_GETFL, F_SETFL, O_NONBLOCK);
}

static TwObject *os_get_inheritable(TwObject *m, TwObject *arg)
{
    return fd_flag_clear(arg, F_GETFD, FD_CLOEXEC);
}

static TwObject *os_set_inheritable(TwObject *m, TwObject *const *args, size_t nargs,
                                    TwObject *kwnames)
{
    return fd_flag_set_clear("set_inheritable", args, nargs, kwnames, F_GETFD, F_SETFD,
                             FD_CLOEXEC);
}

/* ---- processes ------------------------------------------------------------------------ */

static TwObject *os_getpid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(getpid());
}
static TwObject *os_getppid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(getppid());
}
static TwObject *os_getuid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(getuid());
}
static TwObject *os_geteuid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(geteuid());
}
static TwObject *os_getgid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(getgid());
}
static TwObject *os_getegid(TwObject *m, TwObject *unused)
{
    return tw_int_from_i64(getegid());
}

/* The number of processors online, or None. */
static TwObject *os_cpu_count(TwObject *m, TwObject *unused)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? tw_newref(TW_NONE) : tw_int_from_i64(n);
}

/* fork(): 0 in the child, the child's pid in the parent.  The standard
 * streams are flushed first so that nothing buffered is written twice, and
 * the child resets what the threads that did not survive held. */
static TwObject *os_fork(TwObject *m, TwObject *unused)
{
    pid_t pid = tw_runtime_fork();
    if (pid < 0)
        return tw_err_set_from_errno(NULL);
    return tw_int_from_i64(pid);
}

/* _exit(n): end the process at once, without flushing or cleanup. */
static TwObject *os__exit(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"status", NULL};
    static const TwArgSpec spec = {"_exit", names, 0, 1, 1};
    TwObject *a[1];
    int status;
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0 || int_arg(a[0], &status) < 0)
        return NULL;
    _exit(status);
}

static TwObject *os_kill(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int pid, sig;
    if (nargs_exact("kill", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &pid) < 0 ||
        int_arg(args[1], &sig) < 0)
        return NULL;
    if (kill(pid, sig) != 0)
        return tw_err_set_from_errno(NULL);
    if (tw_eval_breaker_check() < 0) /* a signal sent to ourselves */
        return NULL;
    return tw_newref(TW_NONE);
}

/* waitpid(pid, options): (pid, status), detached while it waits. */
static TwObject *os_waitpid(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    int pid, options;
    if (nargs_exact("waitpid", nargs, kwnames, 2, 2) < 0 || int_arg(args[0], &pid) < 0 ||
        int_arg(args[1], &options) < 0)
        return NULL;
    for (;;) {
        pid_t r;
        int status = 0, err;
        TW_BEGIN_ALLOW_THREADS
        r = waitpid(pid, &status, options);
        err = errno;
        TW_END_ALLOW_THREADS
        if (r >= 0) {
            TwObject *p = tw_int_from_i64(r), *s = tw_int_from_i64(status);
            TwObject *t = p && s ? tw_tuple_pack(2, p, s) : NULL;
            tw_xdecref(p);
            tw_xdecref(s);
            return t;
        }
        errno = err;
        if (err != EINTR)
            return tw_err_set_from_errno(NULL);
        if (tw_eval_breaker_check() < 0)
            return NULL;
    }
}

/* The W* macros of <sys/wait.h> on a status from waitpid. */
#define STATUS_FN(pyname, expr, as_bool)                                                           \
    static TwObject *os_##pyname(TwObject *m, TwObject *arg)                                       \
    {                                                                                              \
        int status;                                                                                \
        if (int_arg(arg, &status) < 0)                                                             \
            return NULL;                                                                           \
        return as_bool ? tw_newref(tw_bool_from_long(expr)) : tw_int_from_i64(expr);               \
    }
STATUS_FN(WEXITSTATUS, WEXITSTATUS(status), 0)
STATUS_FN(WTERMSIG, WTERMSIG(status), 0)
STATUS_FN(WSTOPSIG, WSTOPSIG(status), 0)
STATUS_FN(WIFEXITED, WIFEXITED(status), 1)
STATUS_FN(WIFSIGNALED, WIFSIGNALED(status), 1)
STATUS_FN(WIFSTOPPED, WIFSTOPPED(status), 1)

/* waitstatus_to_exitcode(status): the exit code, or -signal. */
static TwObject *os_waitstatus_to_exitcode(TwObject *m, TwObject *arg)
{
    int status;
    if (int_arg(arg, &status) < 0)
        return NULL;
    if (WIFEXITED(status))
        return tw_int_from_i64(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return tw_int_from_i64(-WTERMSIG(status));
    tw_err_format(&tw_exc_ValueError, "invalid wait status: %d", status);
    return NULL;
}

/* system(command): the wait status of `sh -c command`, detached. */
static TwObject *os_system(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    static const char *const names[] = {"command", NULL};
    static const TwArgSpec spec = {"system", names, 0, 1, 1};
    TwObject *a[1];
    if (tw_arg_parse(&spec, args, nargs, kwnames, a) < 0)
        return NULL;
    TwPathArg cmd;
    if (tw_os_path_arg("system", "command", a[0], 0, &cmd) < 0)
        return NULL;
    tw_sys_flush_stdio();
    int rc;
    const char *c = cmd.path;
    TW_BEGIN_ALLOW_THREADS
    rc = system(c);
    TW_END_ALLOW_THREADS
    tw_os_path_clear(&cmd);
    return tw_int_from_i64(rc);
}

static TwObject *os_umask(TwObject *m, TwObject *arg)
{
    int mask;
    if (int_arg(arg, &mask) < 0)
        return NULL;
    return tw_int_from_i64(umask((mode_t)mask));
}

/* ---- environment, errors, randomness ------------------------------------------------------ */

static int str_or_bytes_cstr(const char *fname, TwObject *arg, const char **out)
{
    if (tw_str_check(arg))
        *out = tw_str_utf8(arg);
    else if (tw_bytes_check(arg))
        *out = tw_bytes_data(arg);
    else {
        tw_err_format(&tw_exc_TypeError, "%s: expected str, bytes or os.PathLike object, not %s",
                      fname, TW_TYPE(arg)->tp_name);
        return -1;
    }
    size_t n = (size_t)(tw_str_check(arg) ? tw_str_byte_size(arg) : tw_bytes_size(arg));
    if (strlen(*out) != n) {
        tw_err_set_string(&tw_exc_ValueError, "embedded null byte");
        return -1;
    }
    return 0;
}

/* putenv(name, value) / unsetenv(name): the process environment (what
 * child processes inherit); os.environ updates its own dict too. */
static TwObject *os_putenv(TwObject *m, TwObject *const *args, size_t nargs, TwObject *kwnames)
{
    const char *name, *value;
    if (nargs_exact("putenv", nargs, kwnames, 2, 2) < 0 ||
        str_or_bytes_cstr("putenv", args[0], &name) < 0 ||
        str_or_bytes_cstr("putenv", args[1], &value) < 0)
        return NULL;
    if (name[0] == '\0' || strchr(name, '=') != NULL) {
        tw_err_set_string(&tw_exc_ValueError, "illegal environment variable name");
        return NULL;
    }
    if (setenv(name, value, 1) != 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

static TwObject *os_unsetenv(TwObject *m, TwObject *arg)
{
    const char *name;
    if (str_or_bytes_cstr("unsetenv", arg, &name) < 0)
        return NULL;
    if (name[0] == '\0' || strchr(name, '=') != NULL) {
        tw_err_set_string(&tw_exc_ValueError, "illegal environment variable name");
        return NULL;
    }
    if (unsetenv(name) != 0)
        return tw_err_set_from_errno(NULL);
    return tw_newref(TW_NONE);
}

/* The environment when the module is made: a dict of str to str. */
static TwObject *environ_dict(void)
{
    TwObject *d = tw_dict_new();
    for (char **e = environ; d != NULL && e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL || eq == *e)
            continue;
        TwObject *k = tw_bytes_decode_data(*e, (size_t)(eq - *e), "utf-8", "replace");
        TwObject *v = tw_bytes_decode_data(eq + 1, strlen(eq + 1), "utf-8", "replace");
        if (k == NULL || v == NULL || tw_dict_set_item(d, k, v) < 0)
            TW_CLEAR(d);
        tw_xdecref(k);
        tw_xdecref(v);
    }
    return d;
}

static TwObject *os_strerror(TwObject *m, TwObject *arg)
{
    int code;
    if (int_arg(arg, &code) < 0)
        return NULL;
    char buf[256];
    return tw_str_from_cstr(strerror_r(code, buf, sizeof buf));
}

/* urandom(n): n bytes from the kernel's generator. */
static TwObject *os_urandom(TwObject *m, TwObject *arg)
{
    int64_t n;
    if (int64_arg(arg, &n) < 0)
        return NULL;
    if (n < 0) {
        tw_err_set_string(&tw_exc_ValueError, "negative argument not allowed");
        return NULL;
    }
    char *buf = tw_mem_malloc((size_t)n + 1);
    if (buf == NULL)
        return tw_err_no_memory();
    size_t got = 0;
    while (got < (size_t)n) {
        ssize_t r = getrandom(buf + got, (size_t)n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            tw_mem_free(buf);
            return tw_err_set_from_errno(NULL);
        }
        got += (size_t)r;
    }
    TwObject *res = tw_bytes_from_data(buf, (size_t)n);
    tw_mem_free(buf);
    return res;
}

/* ---- the module ------------------------------------------------------------------------- */

static const TwMethodDef posix_functions[] = {
    {"stat", FN(os_stat), TW_METH_FASTCALL, "Status of a path or descriptor."},
    {"lstat", FN(os_lstat), TW_METH_O, "Status of a path, not following symbolic links."},
    {"fstat", FN(os_fstat), TW_METH_O, "Status of a descriptor."},
    {"remove", FN(os_remove), TW_METH_FASTCALL, "Remove a file."},
    {"unlink", FN(os_unlink), TW_METH_FASTCALL, "Remove a file."},
    {"rmdir", FN(os_rmdir), TW_METH_FASTCALL, "Remove an empty directory."},
    {"mkdir", FN(os_mkdir), TW_METH_FASTCALL, "Create a directory."},
    {"rename", FN(os_rename), TW_METH_FASTCALL, "Rename a file or directory."},
    {"replace", FN(os_replace), TW_METH_FASTCALL, "Rename, replacing the destination."},
    {"listdir", FN(os_listdir), TW_METH_FASTCALL, "The names in a directory."},
    {"getcwd", FN(os_getcwd), TW_METH_NOARGS, "The current directory."},
    {"getcwdb", FN(os_getcwdb), TW_METH_NOARGS, "The current directory as bytes."},
    {"chdir", FN(os_chdir), TW_METH_O, "Change the current directory."},
    {"access", FN(os_access), TW_METH_FASTCALL, "Whether the user may access a path."},
    {"chmod", FN(os_chmod), TW_METH_FASTCALL, "Change a file's mode."},
    {"readlink", FN(os_readlink), TW_METH_FASTCALL, "The target of a symbolic link."},
    {"symlink", FN(os_symlink), TW_METH_FASTCALL, "Create a symbolic link."},
    {"truncate", FN(os_truncate), TW_METH_FASTCALL, "Cut a file to a length."},
    {"open", FN(os_open), TW_METH_FASTCALL, "Open a file descriptor."},
    {"close", FN(os_close), TW_METH_FASTCALL, "Close a file descriptor."},
    {"read", FN(os_read), TW_METH_FASTCALL, "Read at most n bytes from a descriptor."},
    {"write", FN(os_write), TW_METH_FASTCALL, "Write bytes to a descriptor."},
    {"pipe", FN(os_pipe), TW_METH_NOARGS, "A pipe: (read end, write end)."},
    {"dup", FN(os_dup), TW_METH_O, "Duplicate a descriptor."},
    {"dup2", FN(os_dup2), TW_METH_FASTCALL, "Duplicate fd onto fd2."},
    {"lseek", FN(os_lseek), TW_METH_FASTCALL, "Move a descriptor's position."},
    {"ftruncate", FN(os_ftruncate), TW_METH_FASTCALL, "Cut a descriptor's file to a length."},
    {"fsync", FN(os_fsync), TW_METH_O, "Force a file's data to disk."},
    {"isatty", FN(os_isatty), TW_METH_O, "Whether a descriptor is a terminal."},
    {"get_blocking", FN(os_get_blocking), TW_METH_O, "Whether a descriptor blocks."},
    {"set_blocking", FN(os_set_blocking), TW_METH_FASTCALL, "Make a descriptor (non)blocking."},
    {"get_inheritable", FN(os_get_inheritable), TW_METH_O, "Whether children inherit it."},
    {"set_inheritable", FN(os_set_inheritable), TW_METH_FASTCALL, "Let children inherit it."},
    {"getpid", FN(os_getpid), TW_METH_NOARGS, "The process id."},
    {"getppid", FN(os_getppid), TW_METH_NOARGS, "The parent's process id."},
    {"getuid", FN(os_getuid), TW_METH_NOARGS, "The real user id."},
    {"geteuid", FN(os_geteuid), TW_METH_NOARGS, "The effective user id."},
    {"getgid", FN(os_getgid), TW_METH_NOARGS, "The real group id."},
    {"getegid", FN(os_getegid), TW_METH_NOARGS, "The effective group id."},
    {"cpu_count", FN(os_cpu_count), TW_METH_NOARGS, "The number of processors online."},
    {"fork", FN(os_fork), TW_METH_NOARGS, "Fork a child process."},
    {"_exit", FN(os__exit), TW_METH_FASTCALL, "Exit at once, without cleanup."},
    {"kill", FN(os_kill), TW_METH_FASTCALL, "Send a signal to a process."},
    {"waitpid", FN(os_waitpid), TW_METH_FASTCALL, "Wait for a child: (pid, status)."},
    {"WEXITSTATUS", FN(os_WEXITSTATUS), TW_METH_O, "The exit code of a wait status."},
    {"WTERMSIG", FN(os_WTERMSIG), TW_METH_O, "The signal that ended the process."},
    {"WSTOPSIG", FN(os_WSTOPSIG), TW_METH_O, "The signal that stopped the process."},
    {"WIFEXITED", FN(os_WIFEXITED), TW_METH_O, "Whether the process exited."},
    {"WIFSIGNALED", FN(os_WIFSIGNALED), TW_METH_O, "Whether a signal ended the process."},
    {"WIFSTOPPED", FN(os_WIFSTOPPED), TW_METH_O, "Whether the process is stopped."},
    {"waitstatus_to_exitcode", FN(os_waitstatus_to_exitcode), TW_METH_O,
     "The exit code, or -signal."},
    {"system", FN(os_system), TW_METH_FASTCALL, "Run a shell command."},
    {"umask", FN(os_umask), TW_METH_O, "Set the file mode creation mask."},
    {"putenv", FN(os_putenv), TW_METH_FASTCALL, "Set an environment variable."},
    {"unsetenv", FN(os_unsetenv), TW_METH_O, "Remove an environment variable."},
    {"strerror", FN(os_strerror), TW_METH_O, "The message of an error number."},
    {"urandom", FN(os_urandom), TW_METH_O, "Random bytes for cryptographic use."},
    {NULL, NULL, 0, NULL},
};

static const struct {
    const char *name;
    int64_t value;
} posix_ints[] = {
    {"O_RDONLY", O_RDONLY},   {"O_WRONLY", O_WRONLY},     {"O_RDWR", O_RDWR},
    {"O_APPEND", O_APPEND},   {"O_CREAT", O_CREAT},       {"O_EXCL", O_EXCL},
    {"O_TRUNC", O_TRUNC},     {"O_NONBLOCK", O_NONBLOCK}, {"O_CLOEXEC", O_CLOEXEC},
    {"O_NOCTTY", O_NOCTTY},   {"O_SYNC", O_SYNC},         {"O_DIRECTORY", O_DIRECTORY},
    {"O_NOFOLLOW", O_NOFOLLOW}, {"F_OK", F_OK},           {"R_OK", R_OK},
    {"W_OK", W_OK},           {"X_OK", X_OK},             {"WNOHANG", WNOHANG},
    {"WUNTRACED", WUNTRACED}, {"SEEK_SET", SEEK_SET},     {"SEEK_CUR", SEEK_CUR},
    {"SEEK_END", SEEK_END},   {"EX_OK", 0},
};

static TwObject *posix_module_create(void)
{
    TwObject *m = tw_module_new_cstr("posix");
    if (m == NULL)
        return NULL;
    TwObject *env = environ_dict();
    int bad = env == NULL || tw_module_add_functions(m, posix_functions) < 0 ||
              tw_module_add_object(m, "environ", env) < 0 ||
              tw_module_add_object(m, "stat_result", (TwObject *)&stat_result_type) < 0;
    tw_xdecref(env);
    for (size_t i = 0; !bad && i < sizeof posix_ints / sizeof posix_ints[0]; i++)
        bad = tw_module_add_int(m, posix_ints[i].name, posix_ints[i].value) < 0;
    if (bad) {
        tw_decref(m);
        return NULL;
    }
    return m;
}

int tw_os_init(void)
{
    if (tw_type_ready(&stat_result_type) < 0)
        return -1;
    if (tw_module_register_builtin("posix", posix_module_create) < 0) {
        tw_err_set_string(&tw_exc_RuntimeError, "too many built-in modules");
        return -1;
    }
    return 0;
}
