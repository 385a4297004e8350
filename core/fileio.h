/* Internal: files and the operating-system interface.  Not part of the
 * public API.
 *
 *   core/fileio.c    the file objects open() returns (_io.FileIO,
 *                    _io.BufferedReader/Writer/Random, _io.TextIOWrapper)
 *                    and the io module;
 *   core/osmodule.c  the posix module: system calls on paths, descriptors
 *                    and processes.  lib/os.py builds os on it, and
 *                    lib/posixpath.py is os.path.
 *
 * tw_builtins_init registers both modules. */
#ifndef TWINPY_CORE_FILEIO_H
#define TWINPY_CORE_FILEIO_H

#include <stddef.h>
#include <twinpy/twinpy.h>

/* ---- files (core/fileio.c) ------------------------------------------------ */

/* Ready the file types, create io.UnsupportedOperation and register the io
 * module.  0, or -1 with an exception. */
int tw_io_init(void);
/* open(file, mode='r', buffering=-1, encoding=None, errors=None,
 * newline=None, closefd=True, opener=None): the builtin. */
TwObject *tw_io_open(TwObject *const *args, size_t nargs, TwObject *kwnames);
/* io.UnsupportedOperation (a subclass of OSError and ValueError); NULL
 * before tw_io_init. */
TwType *tw_io_unsupported_operation(void);

/* ---- paths (core/osmodule.c) ---------------------------------------------- */

/* A path argument ready for a system call: `path` is the NUL-terminated
 * name (owned by `bytes`), or NULL when the argument was a descriptor
 * (then `fd` holds it).  `object` is the argument as given (a str or bytes
 * path, or the result of __fspath__): errors name it as their filename. */
typedef struct {
    const char *path;
    int fd;
    TwObject *object; /* new reference, or NULL for a descriptor */
    TwObject *bytes;  /* new reference, or NULL */
} TwPathArg;

/* Convert a str, bytes or os.PathLike argument (and an int when allow_fd)
 * for fname(); TypeError "fname: path should be string, bytes or
 * os.PathLike, not float" (fname NULL: "expected str, bytes or
 * os.PathLike object, not float"), ValueError "embedded null byte".  0 or
 * -1; tw_os_path_clear releases what a successful call took. */
int tw_os_path_arg(const char *fname, const char *argname, TwObject *arg, int allow_fd,
                   TwPathArg *out);
void tw_os_path_clear(TwPathArg *p);
/* OSError for errno with the path argument(s) as filename(s): "[Errno 2]
 * No such file or directory: 'x'"; b may be NULL.  Returns NULL. */
TwObject *tw_os_error_path(const TwPathArg *a, const TwPathArg *b);

/* Register the posix module.  0 or -1. */
int tw_os_init(void);

#endif
