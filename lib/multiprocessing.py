"""Processes with the API of CPython's multiprocessing, started with fork.

Built on the _multiprocessing C module (core/mpmodule.c).  What differs
from CPython, and why:

- Only the fork start method exists.  A child is a copy of the parent, so
  a Process target and its arguments never need to be serialized.
- Values that cross between processes (Connection.send, Queue.put, Pool
  arguments and results) go through _multiprocessing.dumps: None, bool,
  int, float, str, bytes, tuple, list, dict, set and frozenset.  Anything
  else raises TypeError "cannot pickle 'T' object" where it is sent.
- Pool sends a function by reference (its module and qualified name) and
  each worker looks it up in its own copy of that module, as pickle does.
  Lambdas and nested functions cannot be sent (TypeError); a function
  defined after the Pool was created is unknown to its workers, and the
  task fails with AttributeError.  An exception raised by a task comes back
  as the same class (found by module and name) with the same args.
- Queue is a pipe shared by every process that inherits it.  Processes take
  a semaphore in shared memory (_multiprocessing.SemLock) around each
  message they write and each they read, so that messages from several
  writers never interleave and two readers never split one.  A second
  semaphore counts the free places (maxsize).  put() writes into the pipe
  itself, with no feeder thread: it blocks while the pipe is full (64 KiB
  unread).  A process killed while it holds a semaphore leaves it taken.
- The Pool has no background threads: tasks are handed to idle workers, and
  results collected, whenever the parent calls into the pool (map, get,
  wait, join and the submitting calls themselves).  Each worker has its own
  pair of pipes and at most one task at a time.
- Non-daemonic children are not joined automatically when the parent
  exits, and daemonic ones are not terminated.
"""

import os
import sys
import time
import _multiprocessing as _mp

__all__ = [
    'Process', 'current_process', 'parent_process', 'active_children', 'cpu_count',
    'Pipe', 'Queue', 'SimpleQueue', 'Lock', 'Semaphore', 'BoundedSemaphore', 'Pool',
    'ProcessError', 'BufferTooShort', 'TimeoutError', 'AuthenticationError',
    'get_start_method', 'set_start_method', 'get_context', 'get_all_start_methods',
    'freeze_support',
]


class ProcessError(Exception):
    pass


class BufferTooShort(ProcessError):
    pass


class TimeoutError(ProcessError):
    pass


class AuthenticationError(ProcessError):
    pass


try:
    import queue as _queue
    Empty = _queue.Empty
    Full = _queue.Full
except ImportError:
    class Empty(Exception):
        pass

    class Full(Exception):
        pass


_SIGNAL_NAMES = {1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV',
                 13: 'SIGPIPE', 15: 'SIGTERM'}


def _shutdown_threads():
    # A child ends as a program does: it waits for the non-daemon threads it
    # started (threading was imported if it started any).  Nothing may
    # escape: the caller must reach _exit, or the child would run on in its
    # parent's code.
    threading = sys.modules.get('threading')
    if threading is not None:
        try:
            threading._shutdown()
        except BaseException as e:
            try:
                sys.stderr.write('Exception ignored on threading shutdown:\n')
                _mp.print_exception(e)
            except BaseException:
                pass


def _flush_std_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


# ---- processes -------------------------------------------------------------------

class Process:
    """A child process that runs target(*args, **kwargs), or run()."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs={}, *, daemon=None):
        assert group is None, 'group argument must be None for now'
        parent = _current_process
        parent._counter += 1
        self._identity = parent._identity + (parent._counter,)
        self._counter = 0
        self._parent_pid = os.getpid()
        self._parent_name = parent._name
        self._pid = None
        self._returncode = None
        self._closed = False
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        if name is None:
            name = type(self).__name__ + '-' + ':'.join([str(i) for i in self._identity])
        self._name = name
        self._daemonic = parent._daemonic if daemon is None else bool(daemon)

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        self._check_closed()
        assert self._pid is None, 'cannot start a process twice'
        assert self._parent_pid == os.getpid(), \
            'can only start a process object created by current process'
        assert not _current_process._daemonic, \
            'daemonic processes are not allowed to have children'
        _cleanup()
        _flush_std_streams()
        pid = os.fork()
        if pid == 0:
            code = self._bootstrap()
            os._exit(code)
        self._pid = pid
        _children.append(self)

    def _bootstrap(self):
        global _current_process, _parent_process, _children
        try:
            _children = []
            _parent_process = _ParentProcess(self._parent_name, self._parent_pid)
            _current_process = self
            self._counter = 0
            self.run()
            exitcode = 0
        except SystemExit as e:
            if e.code is None:
                exitcode = 0
            elif isinstance(e.code, int):
                exitcode = e.code
            else:
                sys.stderr.write(str(e.code) + '\n')
                exitcode = 1
        except BaseException as e:
            exitcode = 1
            try:
                sys.stderr.write('Process %s:\n' % self._name)
                _mp.print_exception(e)
            except BaseException:
                pass
        _shutdown_threads()
        _flush_std_streams()
        return exitcode

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    def _poll(self, block):
        if self._returncode is None and self._pid is not None:
            try:
                pid, status = os.waitpid(self._pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                return None
            if pid == self._pid:
                self._returncode = os.waitstatus_to_exitcode(status)
        return self._returncode

    def join(self, timeout=None):
        self._check_closed()
        assert self._parent_pid == os.getpid(), 'can only join a child process'
        assert self._pid is not None, 'can only join a started process'
        if timeout is None:
            res = self._poll(True)
        else:
            deadline = time.monotonic() + timeout
            delay = 0.0005
            while True:
                res = self._poll(False)
                if res is not None:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                delay = min(delay * 2, remaining, 0.05)
                time.sleep(delay)
        if res is not None and self in _children:
            _children.remove(self)

    def is_alive(self):
        self._check_closed()
        if self is _current_process:
            return True
        assert self._parent_pid == os.getpid(), 'can only test a child process'
        if self._pid is None:
            return False
        return self._poll(False) is None

    def terminate(self):
        self._signal(_mp.SIGTERM)

    def kill(self):
        self._signal(_mp.SIGKILL)

    def _signal(self, sig):
        self._check_closed()
        if self._pid is not None and self._poll(False) is None:
            try:
                os.kill(self._pid, sig)
            except ProcessLookupError:
                pass

    def close(self):
        if self._pid is not None and self._returncode is None and self._poll(False) is None:
            raise ValueError("Cannot close a process while it is still running. "
                             "You should first call join() or terminate().")
        if self in _children:
            _children.remove(self)
        self._closed = True

    @property
    def exitcode(self):
        self._check_closed()
        if self._pid is None:
            return self._pid
        return self._poll(False)

    @property
    def pid(self):
        self._check_closed()
        if self is _current_process:
            return os.getpid()
        return self._pid

    ident = pid

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), 'name must be a string'
        self._name = name

    @property
    def daemon(self):
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        assert self._pid is None, 'process has already started'
        self._daemonic = bool(daemonic)

    def __repr__(self):
        exitcode = None
        if self is _current_process:
            status = 'started'
        elif self._closed:
            status = 'closed'
        elif self._parent_pid != os.getpid():
            status = 'unknown'
        elif self._pid is None:
            status = 'initial'
        else:
            exitcode = self._poll(False)
            status = 'started' if exitcode is None else 'stopped'
        info = [type(self).__name__, 'name=%r' % self._name]
        if self._pid is not None:
            info.append('pid=%s' % self._pid)
        info.append('parent=%s' % self._parent_pid)
        info.append(status)
        if exitcode is not None:
            if exitcode < 0 and -exitcode in _SIGNAL_NAMES:
                exitcode = _SIGNAL_NAMES[-exitcode]
            info.append('exitcode=%s' % exitcode)
        if self._daemonic:
            info.append('daemon')
        return '<%s>' % ' '.join(info)


class _MainProcess(Process):
    def __init__(self):
        self._identity = ()
        self._counter = 0
        self._name = 'MainProcess'
        self._parent_pid = None
        self._pid = None
        self._returncode = None
        self._closed = False
        self._daemonic = False
        self._target = None
        self._args = ()
        self._kwargs = {}

    def close(self):
        pass


class _ParentProcess(Process):
    def __init__(self, name, pid):
        self._identity = ()
        self._counter = 0
        self._name = name
        self._parent_pid = None
        self._pid = pid
        self._returncode = None
        self._closed = False
        self._daemonic = False
        self._target = None
        self._args = ()
        self._kwargs = {}

    def is_alive(self):
        return os.getppid() == self._pid

    @property
    def exitcode(self):
        return None

    def join(self, timeout=None):
        raise AssertionError('can only join a child process')


_current_process = _MainProcess()
_parent_process = None
_children = []


def _cleanup():
    for p in list(_children):
        if p._poll(False) is not None:
            _children.remove(p)


def current_process():
    return _current_process


def parent_process():
    return _parent_process


def active_children():
    _cleanup()
    return list(_children)


def cpu_count():
    n = os.cpu_count()
    if n is None:
        raise NotImplementedError('cannot determine number of cpus')
    return n


def freeze_support():
    pass


def get_start_method(allow_none=False):
    return 'fork'


def get_all_start_methods():
    return ['fork']


def set_start_method(method, force=False):
    if method != 'fork':
        raise ValueError('cannot find context for %r' % (method,))


def get_context(method=None):
    if method is not None and method != 'fork':
        raise ValueError('cannot find context for %r' % (method,))
    return sys.modules[__name__]


# ---- connections -----------------------------------------------------------------

class Connection:
    """One end of a Pipe: messages over a descriptor."""

    def __init__(self, fd, readable=True, writable=True):
        if not readable and not writable:
            raise ValueError("at least one of `readable` and `writable` must be True")
        self._fd = fd
        self._readable = readable
        self._writable = writable

    def _check_closed(self):
        if self._fd is None:
            raise OSError("handle is closed")

    def _check_readable(self):
        if not self._readable:
            raise OSError("connection is write-only")

    def _check_writable(self):
        if not self._writable:
            raise OSError("connection is read-only")

    @property
    def closed(self):
        return self._fd is None

    @property
    def readable(self):
        return self._readable

    @property
    def writable(self):
        return self._writable

    def fileno(self):
        self._check_closed()
        return self._fd

    def close(self):
        if self._fd is not None:
            fd = self._fd
            self._fd = None
            os.close(fd)

    def send_bytes(self, buf, offset=0, size=None):
        self._check_closed()
        self._check_writable()
        buf = bytes(buf)
        n = len(buf)
        if offset < 0:
            raise ValueError("offset is negative")
        if n < offset:
            raise ValueError("buffer length < offset")
        if size is None:
            size = n - offset
        elif size < 0:
            raise ValueError("size is negative")
        elif offset + size > n:
            raise ValueError("buffer length < offset + size")
        _mp.send_bytes(self._fd, buf[offset:offset + size])

    def send(self, obj):
        self._check_closed()
        self._check_writable()
        _mp.send_bytes(self._fd, _mp.dumps(obj))

    def recv_bytes(self, maxlength=None):
        self._check_closed()
        self._check_readable()
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        data = _mp.recv_bytes(self._fd)
        if maxlength is not None and len(data) > maxlength:
            self.close()
            raise OSError("bad message length")
        return data

    def recv(self):
        self._check_closed()
        self._check_readable()
        return _mp.loads(_mp.recv_bytes(self._fd))

    def poll(self, timeout=0.0):
        self._check_closed()
        self._check_readable()
        return _mp.poll(self._fd, timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def Pipe(duplex=True):
    """(conn1, conn2): duplex over a socket pair, else conn1 reads and conn2 writes."""
    if duplex:
        a, b = _mp.socketpair()
        return Connection(a), Connection(b)
    r, w = os.pipe()
    return Connection(r, writable=False), Connection(w, readable=False)


# ---- locks -----------------------------------------------------------------------

class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._semlock = _mp.SemLock(value)

    def acquire(self, block=True, timeout=None):
        return self._semlock.acquire(block, timeout)

    def release(self):
        self._semlock.release()

    def get_value(self):
        return self._semlock._get_value()

    def __enter__(self):
        return self._semlock.acquire()

    def __exit__(self, *exc):
        self._semlock.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._maxvalue = value

    def release(self):
        if self._semlock._get_value() >= self._maxvalue:
            raise ValueError('semaphore or lock released too many times')
        self._semlock.release()


class Lock(BoundedSemaphore):
    def __init__(self):
        BoundedSemaphore.__init__(self, 1)


# ---- queues ----------------------------------------------------------------------

class Queue:
    """A FIFO shared by the processes that inherit it (see the module notes)."""

    def __init__(self, maxsize=0):
        if maxsize <= 0:
            maxsize = _mp.SEM_VALUE_MAX
        self._maxsize = maxsize
        self._reader, self._writer = os.pipe()
        self._rlock = _mp.SemLock(1)
        self._wlock = _mp.SemLock(1)
        self._slots = _mp.SemLock(maxsize)
        self._closed = False

    def _check_closed(self):
        if self._closed:
            raise ValueError("Queue %r is closed" % (self,))

    def put(self, obj, block=True, timeout=None):
        self._check_closed()
        data = _mp.dumps(obj)
        if not self._slots.acquire(block, timeout):
            raise Full
        with self._wlock:
            _mp.send_bytes(self._writer, data)

    def get(self, block=True, timeout=None):
        self._check_closed()
        if block and timeout is None:
            with self._rlock:
                data = _mp.recv_bytes(self._reader)
        else:
            deadline = time.monotonic() + timeout if block else 0.0
            if not self._rlock.acquire(block, timeout):
                raise Empty
            try:
                wait = max(deadline - time.monotonic(), 0.0) if block else 0.0
                if not _mp.poll(self._reader, wait):
                    raise Empty
                data = _mp.recv_bytes(self._reader)
            finally:
                self._rlock.release()
        self._slots.release()
        return _mp.loads(data)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return self._maxsize - self._slots._get_value()

    def empty(self):
        self._check_closed()
        return not _mp.poll(self._reader, 0)

    def full(self):
        return self._slots._get_value() == 0

    def close(self):
        if not self._closed:
            self._closed = True
            os.close(self._reader)
            os.close(self._writer)

    def join_thread(self):
        pass

    def cancel_join_thread(self):
        pass


class SimpleQueue:
    def __init__(self):
        self._reader, self._writer = os.pipe()
        self._rlock = _mp.SemLock(1)
        self._wlock = _mp.SemLock(1)
        self._closed = False

    def empty(self):
        return not _mp.poll(self._reader, 0)

    def put(self, obj):
        data = _mp.dumps(obj)
        with self._wlock:
            _mp.send_bytes(self._writer, data)

    def get(self):
        with self._rlock:
            data = _mp.recv_bytes(self._reader)
        return _mp.loads(data)

    def close(self):
        if not self._closed:
            self._closed = True
            os.close(self._reader)
            os.close(self._writer)


# ---- the pool --------------------------------------------------------------------

_RUN, _CLOSE, _TERMINATE = 0, 1, 2
_APPLY, _MAP, _STARMAP = 0, 1, 2


def _lookup(module, qualname):
    obj = sys.modules.get(module)
    if obj is None:
        raise AttributeError("Can't get attribute %r on module %r" % (qualname, module))
    for part in qualname.split('.'):
        obj = getattr(obj, part)
    return obj


def _func_ref(func):
    """(module, qualified name) by which a worker finds func."""
    if not callable(func):
        raise TypeError("'%s' object is not callable" % type(func).__name__)
    module = getattr(func, '__module__', None)
    qualname = getattr(func, '__qualname__', None)
    found = None
    if isinstance(module, str) and isinstance(qualname, str) and '<' not in qualname:
        try:
            found = _lookup(module, qualname)
        except Exception:
            found = None
    if found is not func:
        raise TypeError("cannot pickle '%s' object" % type(func).__name__)
    return (module, qualname)


def _exception_info(e):
    """What a worker sends back for an exception: its class and args."""
    args = e.args
    try:
        _mp.dumps(args)
    except Exception:
        args = (str(e),)
    cls = type(e)
    return (cls.__module__, cls.__qualname__, args, str(e))


def _rebuild_exception(info):
    module, qualname, args, text = info
    try:
        cls = _lookup(module, qualname)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            return cls(*args)
    except Exception:
        pass
    return ProcessError('%s.%s: %s' % (module, qualname, text))


def _worker_loop(task_fd, result_fd, initializer, initargs):
    if initializer is not None:
        initializer(*initargs)
    funcs = {}
    while True:
        try:
            data = _mp.recv_bytes(task_fd)
        except EOFError:
            break
        task = _mp.loads(data)
        if task is None:
            break
        job, index, kind, ref, payload = task
        try:
            func = funcs.get(ref)
            if func is None:
                func = funcs[ref] = _lookup(ref[0], ref[1])
            if kind == _APPLY:
                value = func(*payload[0], **payload[1])
            elif kind == _MAP:
                value = [func(x) for x in payload]
            else:
                value = [func(*x) for x in payload]
            reply = _mp.dumps((job, index, True, value))
        except Exception as e:
            reply = _mp.dumps((job, index, False, _exception_info(e)))
        _mp.send_bytes(result_fd, reply)


class _Worker:
    def __init__(self, pid, task_fd, result_fd):
        self.pid = pid
        self.task_fd = task_fd
        self.result_fd = result_fd
        self.task = None    # (job id, chunk index) while busy
        self.alive = True


class ApplyResult:
    def __init__(self, pool, nchunks, callback, error_callback, single):
        self._pool = pool
        self._job = pool._next_job
        pool._next_job += 1
        self._chunks = [None] * nchunks
        self._arrived = []          # chunk indexes in arrival order (imap_unordered)
        self._remaining = nchunks
        self._error = None
        self._single = single
        self._callback = callback
        self._error_callback = error_callback
        self._value = None
        self._ready = False
        pool._jobs[self._job] = self
        if nchunks == 0:
            self._finish()

    def _deliver(self, index, ok, value):
        if not ok:
            if self._error is None:
                self._error = _rebuild_exception(value)
        else:
            self._chunks[index] = value
        self._arrived.append(index)
        self._remaining -= 1
        if self._remaining == 0:
            self._finish()

    def _finish(self):
        self._ready = True
        self._pool._jobs.pop(self._job, None)
        if self._error is None:
            if self._single:
                self._value = self._chunks[0]
            else:
                value = []
                for chunk in self._chunks:
                    value.extend(chunk)
                self._value = value
            if self._callback is not None:
                self._callback(self._value)
        elif self._error_callback is not None:
            self._error_callback(self._error)

    def ready(self):
        return self._ready

    def successful(self):
        if not self._ready:
            raise ValueError("%r not ready" % (self,))
        return self._error is None

    def wait(self, timeout=None):
        self._pool._pump_until(lambda: self._ready, timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self._ready:
            raise TimeoutError
        if self._error is not None:
            raise self._error
        return self._value


AsyncResult = ApplyResult
MapResult = ApplyResult


class Pool:
    """Worker processes that run functions on serialized arguments."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None,
                 context=None):
        if processes is None:
            processes = cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        self._processes = processes
        self._state = _RUN
        self._jobs = {}
        self._next_job = 0
        self._pending = []
        self._pending_start = 0
        self._workers = []
        for i in range(processes):
            self._workers.append(self._spawn(initializer, tuple(initargs)))

    def _spawn(self, initializer, initargs):
        global _current_process, _children
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        _flush_std_streams()
        _current_process._counter += 1
        number = _current_process._counter
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                for w in self._workers:
                    os.close(w.task_fd)
                    os.close(w.result_fd)
                os.close(task_w)
                os.close(result_r)
                me = Process(name='ForkPoolWorker-%d' % number)
                me._parent_pid = os.getppid()
                me._daemonic = True
                _children = []
                _current_process = me
                _worker_loop(task_r, result_w, initializer, initargs)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException as e:
                code = 1
                try:
                    sys.stderr.write('Process %s:\n' % _current_process._name)
                    _mp.print_exception(e)
                except BaseException:
                    pass
            _shutdown_threads()
            _flush_std_streams()
            os._exit(code)
        os.close(task_r)
        os.close(result_w)
        return _Worker(pid, task_w, result_r)

    def _check_running(self):
        if self._state != _RUN:
            raise ValueError("Pool not running")

    # -- scheduling: tasks wait in _pending until a worker is idle

    def _submit(self, job, index, kind, ref, payload):
        self._pending.append(_mp.dumps((job._job, index, kind, ref, payload)))
        self._dispatch()

    def _dispatch(self):
        for w in self._workers:
            if self._pending_start >= len(self._pending):
                break
            if w.task is None and w.alive:
                data = self._pending[self._pending_start]
                self._pending[self._pending_start] = None
                self._pending_start += 1
                task = _mp.loads(data)
                w.task = (task[0], task[1])
                _mp.send_bytes(w.task_fd, data)
        if self._pending_start >= len(self._pending):
            self._pending = []
            self._pending_start = 0

    def _collect(self, timeout):
        """Wait up to timeout for results; take every one that has come."""
        busy = {}
        for w in self._workers:
            if w.task is not None:
                busy[w.result_fd] = w
        if not busy:
            return False
        for fd in _mp.wait(list(busy), timeout):
            w = busy[fd]
            task = w.task
            w.task = None
            try:
                job, index, ok, value = _mp.loads(_mp.recv_bytes(fd))
            except EOFError:
                w.alive = False
                job, index = task
                ok, value = False, ('builtins', 'RuntimeError',
                                    ('a pool worker exited unexpectedly',), '')
            result = self._jobs.get(job)
            if result is not None:
                result._deliver(index, ok, value)
        self._dispatch()
        return True

    def _pump_until(self, done, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not done():
            if deadline is None:
                wait = None
            else:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    return
            if not self._collect(wait) and not done():
                if all(not w.alive for w in self._workers):
                    raise RuntimeError('every pool worker has exited')
                return

    # -- the API

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        ref = _func_ref(func)
        payload = (tuple(args), dict(kwds))
        _mp.dumps(payload)
        result = ApplyResult(self, 1, callback, error_callback, True)
        self._submit(result, 0, _APPLY, ref, payload)
        return result

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def _map_async(self, func, iterable, kind, chunksize, callback, error_callback):
        self._check_running()
        ref = _func_ref(func)
        items = list(iterable)
        if chunksize is None:
            chunksize, extra = divmod(len(items), len(self._workers) * 4)
            if extra:
                chunksize += 1
        if chunksize < 1:
            chunksize = 1
        chunks = [tuple(items[i:i + chunksize]) for i in range(0, len(items), chunksize)]
        for chunk in chunks:
            _mp.dumps(chunk)
        result = ApplyResult(self, len(chunks), callback, error_callback, False)
        for i, chunk in enumerate(chunks):
            self._submit(result, i, kind, ref, chunk)
        return result

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, _MAP, chunksize, callback, error_callback)

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        return self._map_async(func, iterable, _STARMAP, chunksize, callback, error_callback)

    def map(self, func, iterable, chunksize=None):
        return self.map_async(func, iterable, chunksize).get()

    def starmap(self, func, iterable, chunksize=None):
        return self.starmap_async(func, iterable, chunksize).get()

    def imap(self, func, iterable, chunksize=1):
        result = self._map_async(func, iterable, _MAP, chunksize, None, None)
        return self._imap_results(result, True)

    def imap_unordered(self, func, iterable, chunksize=1):
        result = self._map_async(func, iterable, _MAP, chunksize, None, None)
        return self._imap_results(result, False)

    def _imap_results(self, result, ordered):
        n = len(result._chunks)
        for k in range(n):
            if ordered:
                self._pump_until(lambda: k in result._arrived)
                index = k
            else:
                self._pump_until(lambda: len(result._arrived) > k)
                index = result._arrived[k]
            if result._error is not None and result._chunks[index] is None:
                raise result._error
            for value in result._chunks[index]:
                yield value

    def close(self):
        if self._state == _RUN:
            self._state = _CLOSE

    def terminate(self):
        if self._state == _TERMINATE:
            return
        self._state = _TERMINATE
        for w in self._workers:
            if w.alive:
                try:
                    os.kill(w.pid, _mp.SIGTERM)
                except ProcessLookupError:
                    pass
        self._reap()

    def _reap(self):
        for w in self._workers:
            if w.task_fd is not None:
                os.close(w.task_fd)
                os.close(w.result_fd)
                w.task_fd = w.result_fd = None
            if w.pid is not None:
                try:
                    os.waitpid(w.pid, 0)
                except ChildProcessError:
                    pass
                w.pid = None
            w.alive = False

    def join(self):
        if self._state == _RUN:
            raise ValueError("Pool is still running")
        if self._state == _CLOSE:
            self._pump_until(lambda: not self._jobs)
            for w in self._workers:
                if w.alive and w.task_fd is not None:
                    try:
                        _mp.send_bytes(w.task_fd, _mp.dumps(None))
                    except OSError:
                        pass
        self._reap()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    def __repr__(self):
        state = ('RUN', 'CLOSE', 'TERMINATE')[self._state]
        return '<multiprocessing.pool.Pool state=%s pool_size=%d>' % (state, len(self._workers))
