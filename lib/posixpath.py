"""os.path on POSIX: path names as strings (str or bytes) joined by '/'.

The functions that ask the file system use the posix module directly
(importing os here would be circular: os imports this module)."""
import posix as _posix
import stat as _stat

sep = "/"
altsep = None
extsep = "."
pathsep = ":"
curdir = "."
pardir = ".."
defpath = "/bin:/usr/bin"
devnull = "/dev/null"
supports_unicode_filenames = False


def _fspath(p):
    if isinstance(p, (str, bytes)):
        return p
    f = getattr(type(p), "__fspath__", None)
    if f is None:
        raise TypeError("expected str, bytes or os.PathLike object, not " + type(p).__name__)
    r = f(p)
    if not isinstance(r, (str, bytes)):
        raise TypeError("expected %s.__fspath__() to return str or bytes, not %s"
                        % (type(p).__name__, type(r).__name__))
    return r


def _sep(p):
    return b"/" if isinstance(p, bytes) else "/"


def isabs(s):
    """Whether a path is absolute (starts with '/')."""
    s = _fspath(s)
    return s.startswith(_sep(s))


def join(a, *p):
    """Join path parts with '/'; an absolute part discards what came before."""
    a = _fspath(a)
    s = _sep(a)
    path = a
    for b in p:
        b = _fspath(b)
        if type(b) is not type(a):
            raise TypeError("Can't mix strings and bytes in path components")
        if b.startswith(s):
            path = b
        elif not path or path.endswith(s):
            path = path + b
        else:
            path = path + s + b
    return path


def split(p):
    """(head, tail): tail is what follows the last '/'."""
    p = _fspath(p)
    s = _sep(p)
    i = p.rfind(s) + 1
    head, tail = p[:i], p[i:]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head, tail


def splitext(p):
    """(root, ext): ext starts at the last dot of the last part, unless that
    part only starts with dots."""
    p = _fspath(p)
    if isinstance(p, bytes):
        s, dot = b"/", b"."
    else:
        s, dot = "/", "."
    sep_i = p.rfind(s)
    dot_i = p.rfind(dot)
    if dot_i > sep_i:
        first = sep_i + 1
        while first < dot_i:
            if p[first:first + 1] != dot:
                return p[:dot_i], p[dot_i:]
            first += 1
    return p, p[:0]


def basename(p):
    """What follows the last '/'."""
    p = _fspath(p)
    return p[p.rfind(_sep(p)) + 1:]


def dirname(p):
    """What precedes the last '/' (trailing slashes removed)."""
    p = _fspath(p)
    s = _sep(p)
    head = p[:p.rfind(s) + 1]
    if head and head != s * len(head):
        head = head.rstrip(s)
    return head


def normpath(path):
    """Collapse redundant separators and '.' and resolve '..' textually."""
    path = _fspath(path)
    if isinstance(path, bytes):
        s, dot, dotdot, empty = b"/", b".", b"..", b""
    else:
        s, dot, dotdot, empty = "/", ".", "..", ""
    if path == empty:
        return dot
    initial = 0
    if path.startswith(s):
        initial = 1
        # POSIX keeps exactly two leading slashes, and folds three or more.
        if path.startswith(s * 2) and not path.startswith(s * 3):
            initial = 2
    comps = []
    for comp in path.split(s):
        if comp == empty or comp == dot:
            continue
        if comp != dotdot or (not initial and not comps) or (comps and comps[-1] == dotdot):
            comps.append(comp)
        elif comps:
            comps.pop()
    result = s * initial + s.join(comps)
    return result or dot


def abspath(path):
    """An absolute, normalised version of path."""
    path = _fspath(path)
    if not isabs(path):
        cwd = _posix.getcwdb() if isinstance(path, bytes) else _posix.getcwd()
        path = join(cwd, path)
    return normpath(path)


def realpath(filename, *, strict=False):
    """The canonical path: symbolic links resolved as far as they exist."""
    filename = _fspath(filename)
    if isinstance(filename, bytes):
        s, dot, dotdot = b"/", b".", b".."
    else:
        s, dot, dotdot = "/", ".", ".."
    if not isabs(filename):
        cwd = _posix.getcwdb() if isinstance(filename, bytes) else _posix.getcwd()
        filename = join(cwd, filename)
    pending = [c for c in filename.split(s) if c]
    done = s
    links = 0
    while pending:
        comp = pending.pop(0)
        if comp == dot:
            continue
        if comp == dotdot:
            done = dirname(done)
            continue
        candidate = join(done, comp)
        try:
            st = _posix.lstat(candidate)
        except OSError:
            if strict:
                raise
            return normpath(join(candidate, *pending))
        if not _stat.S_ISLNK(st.st_mode):
            done = candidate
            continue
        links += 1
        if links > 40:
            if strict:
                raise OSError(40, "Too many levels of symbolic links", candidate)
            return normpath(join(candidate, *pending))
        target = _posix.readlink(candidate)
        if isabs(target):
            done = s
        pending = [c for c in target.split(s) if c] + pending
    return done


def relpath(path, start=None):
    """path relative to start (default: the current directory)."""
    path = _fspath(path)
    if not path:
        raise ValueError("no path specified")
    if isinstance(path, bytes):
        s, dot, dotdot = b"/", b".", b".."
    else:
        s, dot, dotdot = "/", ".", ".."
    if start is None:
        start = dot
    start = _fspath(start)
    start_list = [x for x in abspath(start).split(s) if x]
    path_list = [x for x in abspath(path).split(s) if x]
    i = len(commonprefix([start_list, path_list]))
    rel = [dotdot] * (len(start_list) - i) + path_list[i:]
    if not rel:
        return dot
    return join(*rel)


def commonprefix(m):
    """The longest common leading part of a list of strings (or lists)."""
    if not m:
        return ""
    lo = min(m)
    hi = max(m)
    for i in range(len(lo)):
        if lo[i] != hi[i]:
            return lo[:i]
    return lo


def commonpath(paths):
    """The longest common sub-path of a sequence of paths."""
    paths = [_fspath(p) for p in paths]
    if not paths:
        raise ValueError("commonpath() arg is an empty sequence")
    s = _sep(paths[0])
    absolute = [p.startswith(s) for p in paths]
    if min(absolute) != max(absolute):
        raise ValueError("Can't mix absolute and relative paths")
    split_paths = [[c for c in p.split(s) if c and c != s[:0] + (b"." if s == b"/" else ".")]
                   for p in paths]
    common = commonprefix(split_paths)
    prefix = s if absolute[0] else s[:0]
    return prefix + s.join(common)


def expanduser(path):
    """Replace a leading '~' with the home directory ($HOME)."""
    path = _fspath(path)
    tilde = b"~" if isinstance(path, bytes) else "~"
    if not path.startswith(tilde):
        return path
    s = _sep(path)
    i = path.find(s, 1)
    if i < 0:
        i = len(path)
    if i != 1:
        return path  # ~user is not supported: no password database
    home = _posix.environ.get("HOME")
    if home is None:
        return path
    if isinstance(path, bytes):
        home = home.encode()
    home = home.rstrip(s) or s
    return home + path[i:]


def expandvars(path):
    """Replace $name and ${name} with environment variables that exist."""
    path = _fspath(path)
    if isinstance(path, bytes):
        return path
    if "$" not in path:
        return path
    out = []
    i = 0
    n = len(path)
    while i < n:
        c = path[i]
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        if path[i + 1] == "{":
            j = path.find("}", i + 2)
            if j < 0:
                out.append(path[i:])
                break
            name = path[i + 2:j]
            end = j + 1
        else:
            j = i + 1
            while j < n and (path[j].isalnum() or path[j] == "_"):
                j += 1
            name = path[i + 1:j]
            end = j
        if name and name in _posix.environ:
            out.append(_posix.environ[name])
        else:
            out.append(path[i:end])
        i = end
    return "".join(out)


def _mode(path, follow=True):
    try:
        st = _posix.stat(path) if follow else _posix.lstat(path)
    except (OSError, ValueError):
        return None
    return st.st_mode


def exists(path):
    """Whether path names an existing file (broken symbolic links: False)."""
    return _mode(path) is not None


def lexists(path):
    """Whether path exists, counting broken symbolic links."""
    return _mode(path, False) is not None


def isfile(path):
    m = _mode(path)
    return m is not None and _stat.S_ISREG(m)


def isdir(s):
    m = _mode(s)
    return m is not None and _stat.S_ISDIR(m)


def islink(path):
    m = _mode(path, False)
    return m is not None and _stat.S_ISLNK(m)


def ismount(path):
    """Whether path is a mount point (its parent is on another device)."""
    try:
        st = _posix.lstat(path)
    except (OSError, ValueError):
        return False
    if _stat.S_ISLNK(st.st_mode):
        return False
    path = _fspath(path)
    parent = join(path, b".." if isinstance(path, bytes) else "..")
    try:
        pst = _posix.lstat(parent)
    except (OSError, ValueError):
        return False
    return st.st_dev != pst.st_dev or st.st_ino == pst.st_ino


def getsize(filename):
    return _posix.stat(filename).st_size


def getmtime(filename):
    return _posix.stat(filename).st_mtime


def getatime(filename):
    return _posix.stat(filename).st_atime


def getctime(filename):
    return _posix.stat(filename).st_ctime


def samefile(f1, f2):
    s1 = _posix.stat(f1)
    s2 = _posix.stat(f2)
    return s1.st_ino == s2.st_ino and s1.st_dev == s2.st_dev
