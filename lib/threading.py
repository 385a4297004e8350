"""Threads and the synchronisation objects built on them.

The API is CPython's threading module; the machinery is twinpy's C module
_thread (core/threadmodule.c): start_new_thread, the lock and RLock types,
thread-local data, and a per-thread "sentinel" lock that the runtime
releases once a thread has completely finished.  A Thread holds its
sentinel while it runs, so join() is an acquire of that lock, and the
runtime's exit path (threading._shutdown) waits on the sentinels of the
non-daemon threads.
"""

import sys as _sys
import _thread
from time import monotonic as _time

__all__ = ['get_ident', 'get_native_id', 'active_count', 'Condition', 'current_thread',
           'enumerate', 'main_thread', 'TIMEOUT_MAX', 'Event', 'Lock', 'RLock', 'Semaphore',
           'BoundedSemaphore', 'Thread', 'Barrier', 'BrokenBarrierError', 'Timer',
           'ThreadError', 'ExceptHookArgs', 'setprofile', 'settrace', 'local', 'stack_size',
           'excepthook', 'gettrace', 'getprofile']

_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
_set_sentinel = _thread._set_sentinel
get_ident = _thread.get_ident
get_native_id = _thread.get_native_id
ThreadError = _thread.error
TIMEOUT_MAX = _thread.TIMEOUT_MAX
stack_size = _thread.stack_size
local = _thread._local
Lock = _thread.allocate_lock
_CRLock = _thread.RLock

_trace_hook = None
_profile_hook = None


def settrace(func):
    """Remember a trace function for threads started from now on (twinpy
    has no tracing: it is stored and reported by gettrace only)."""
    global _trace_hook
    _trace_hook = func


def gettrace():
    return _trace_hook


def setprofile(func):
    """Remember a profile function (stored only, as settrace)."""
    global _profile_hook
    _profile_hook = func


def getprofile():
    return _profile_hook


def RLock(*args, **kwargs):
    """A reentrant lock: the thread that holds it may acquire it again and
    must release it as many times."""
    return _CRLock(*args, **kwargs)


# ---- Condition ------------------------------------------------------------

class Condition:
    """A condition variable bound to a lock (a new RLock by default).

    Each waiter sleeps on a lock of its own, held from the start; notify
    releases the oldest waiters' locks.  The list of waiters is only
    touched while the condition's lock is held."""

    def __init__(self, lock=None):
        if lock is None:
            lock = RLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        # An RLock gives up every level of ownership while waiting.
        if hasattr(lock, '_release_save'):
            self._release_save = lock._release_save
        if hasattr(lock, '_acquire_restore'):
            self._acquire_restore = lock._acquire_restore
        if hasattr(lock, '_is_owned'):
            self._is_owned = lock._is_owned
        self._waiters = []

    def _at_fork_reinit(self):
        self._lock._at_fork_reinit()
        self._waiters.clear()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)

    def __repr__(self):
        return "<Condition(%s, %d)>" % (self._lock, len(self._waiters))

    def _release_save(self):
        self._lock.release()

    def _acquire_restore(self, state):
        self._lock.acquire()

    def _is_owned(self):
        # For a plain lock: held by somebody is the best that can be known.
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def wait(self, timeout=None):
        if not self._is_owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        waiter = _allocate_lock()
        waiter.acquire()
        self._waiters.append(waiter)
        state = self._release_save()
        notified = False
        try:
            if timeout is None:
                waiter.acquire()
                notified = True
            elif timeout > 0:
                notified = waiter.acquire(True, timeout)
            else:
                notified = waiter.acquire(False)
            return notified
        finally:
            self._acquire_restore(state)
            if not notified:
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass

    def wait_for(self, predicate, timeout=None):
        deadline = None
        remaining = timeout
        result = predicate()
        while not result:
            if remaining is not None:
                if deadline is None:
                    deadline = _time() + remaining
                else:
                    remaining = deadline - _time()
                    if remaining <= 0:
                        break
            self.wait(remaining)
            result = predicate()
        return result

    def notify(self, n=1):
        if not self._is_owned():
            raise RuntimeError("cannot notify on un-acquired lock")
        waiters = self._waiters
        while waiters and n > 0:
            waiter = waiters.pop(0)
            try:
                waiter.release()
            except RuntimeError:
                pass  # it gave up waiting (timeout) and is taking itself out
            else:
                n -= 1

    def notify_all(self):
        self.notify(len(self._waiters))

    notifyAll = notify_all


# ---- semaphores -----------------------------------------------------------

class Semaphore:
    """A counter of available units: acquire takes one (waiting while
    there are none), release gives units back."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._cond = Condition(Lock())
        self._value = value

    def acquire(self, blocking=True, timeout=None):
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        deadline = None
        with self._cond:
            while self._value == 0:
                if not blocking:
                    return False
                if timeout is not None:
                    if deadline is None:
                        deadline = _time() + timeout
                    else:
                        timeout = deadline - _time()
                        if timeout <= 0:
                            return False
                self._cond.wait(timeout)
            self._value -= 1
            return True

    __enter__ = acquire

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            self._value += n
            self._cond.notify(n)

    def __exit__(self, t, v, tb):
        self.release()


class BoundedSemaphore(Semaphore):
    """A semaphore whose value may never exceed its initial value."""

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def release(self, n=1):
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError("Semaphore released too many times")
            self._value += n
            self._cond.notify(n)


# ---- Event ----------------------------------------------------------------

class Event:
    """A flag that threads can wait to see set."""

    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def _at_fork_reinit(self):
        self._cond._at_fork_reinit()

    def is_set(self):
        return self._flag

    isSet = is_set

    def set(self):
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        with self._cond:
            if self._flag:
                return True
            return self._cond.wait_for(lambda: self._flag, timeout)


# ---- Barrier --------------------------------------------------------------

class BrokenBarrierError(RuntimeError):
    pass


class _Round:
    """One use of a barrier: the threads that wait together.  state is
    'filling' until the last party arrives ('passed') or the round is
    broken (abort, reset, a timeout or a failing action)."""

    def __init__(self):
        self.state = 'filling'
        self.count = 0


class Barrier:
    """Makes `parties` threads wait until all of them have called wait();
    then all go on, and the barrier can be used again."""

    def __init__(self, parties, action=None, timeout=None):
        self._cond = Condition(Lock())
        self._action = action
        self._timeout = timeout
        self._parties = parties
        self._round = _Round()
        self._broken = False

    def __repr__(self):
        if self.broken:
            return "<%s.%s at %#x: broken>" % (self.__class__.__module__,
                                                self.__class__.__qualname__, id(self))
        return "<%s.%s at %#x: waiters=%d/%d>" % (self.__class__.__module__,
                                                   self.__class__.__qualname__, id(self),
                                                   self.n_waiting, self.parties)

    def wait(self, timeout=None):
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            if self._broken:
                raise BrokenBarrierError
            rnd = self._round
            index = rnd.count
            rnd.count += 1
            if rnd.count == self._parties:
                try:
                    if self._action:
                        self._action()
                except BaseException:
                    self._break()
                    raise
                rnd.state = 'passed'
                self._round = _Round()
                self._cond.notify_all()
                return index
            if not self._cond.wait_for(lambda: rnd.state != 'filling', timeout):
                self._break()
            if rnd.state != 'passed':
                raise BrokenBarrierError
            return index

    def _break(self):
        # Called with the lock held: the waiting threads are let go with
        # BrokenBarrierError, and so is every later wait() until reset().
        self._broken = True
        self._round.state = 'broken'
        self._round = _Round()
        self._cond.notify_all()

    def reset(self):
        with self._cond:
            if self._round.count > 0:
                self._round.state = 'broken'
                self._round = _Round()
                self._cond.notify_all()
            self._broken = False

    def abort(self):
        with self._cond:
            self._break()

    @property
    def parties(self):
        return self._parties

    @property
    def n_waiting(self):
        if self._broken:
            return 0
        return self._round.count

    @property
    def broken(self):
        return self._broken


# ---- threads --------------------------------------------------------------

_name_lock = _allocate_lock()
_name_counter = 0


def _newname(template="Thread-%d"):
    global _name_counter
    with _name_lock:
        _name_counter += 1
        n = _name_counter
    return template % n


# Threads that have started and not yet finished: _active by identifier
# (running), _limbo while start() waits for them to begin.  Both are
# changed under _active_limbo_lock.
_active_limbo_lock = _allocate_lock()
_active = {}
_limbo = {}

# The sentinels of the non-daemon threads, which _shutdown waits for.
_shutdown_locks_lock = _allocate_lock()
_shutdown_locks = set()

_threading_atexits = []


class ExceptHookArgs:
    """What excepthook receives: exc_type, exc_value, exc_traceback and
    thread."""

    def __init__(self, exc_type, exc_value, exc_traceback, thread):
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.exc_traceback = exc_traceback
        self.thread = thread

    def __iter__(self):
        return iter((self.exc_type, self.exc_value, self.exc_traceback, self.thread))

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return (self.exc_type, self.exc_value, self.exc_traceback, self.thread)[i]

    def __repr__(self):
        return ("_thread._ExceptHookArgs(exc_type=%r, exc_value=%r, exc_traceback=%r, "
                "thread=%r)" % (self.exc_type, self.exc_value, self.exc_traceback, self.thread))


# The default: "Exception in thread NAME:" and the traceback on stderr.
excepthook = _thread._excepthook
__excepthook__ = excepthook


class Thread:
    """A thread of control: run() (by default target(*args, **kwargs)) runs
    in a new thread once start() is called."""

    _initialized = False

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *,
                 daemon=None):
        if group is not None:
            raise AssertionError("group argument must be None for now")
        if kwargs is None:
            kwargs = {}
        if name:
            name = str(name)
        else:
            name = _newname("Thread-%d")
            if target is not None:
                try:
                    name += " (%s)" % target.__name__
                except AttributeError:
                    pass
        self._target = target
        self._name = name
        self._args = args
        self._kwargs = kwargs
        if daemon is not None:
            self._daemonic = daemon
        else:
            self._daemonic = current_thread().daemon
        self._ident = None
        self._native_id = None
        self._tstate_lock = None
        self._started = Event()
        self._is_stopped = False
        self._initialized = True
        self._stderr = _sys.stderr

    def _reset_internal_locks(self, is_alive):
        # In the child of a fork: the parent's locks may be held by threads
        # that do not exist here.
        self._started._at_fork_reinit()
        if is_alive:
            if self._tstate_lock is not None:
                self._tstate_lock._at_fork_reinit()
                self._tstate_lock.acquire()
        else:
            self._is_stopped = True
            self._tstate_lock = None

    def __repr__(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() was not called")
        status = "initial"
        if self._started.is_set():
            status = "started"
        self.is_alive()
        if self._is_stopped:
            status = "stopped"
        if self._daemonic:
            status += " daemon"
        if self._ident is not None:
            status += " %s" % self._ident
        return "<%s(%s, %s)>" % (self.__class__.__name__, self._name, status)

    def start(self):
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        with _active_limbo_lock:
            _limbo[self] = self
        try:
            _start_new_thread(self._bootstrap, ())
        except Exception:
            with _active_limbo_lock:
                del _limbo[self]
            raise
        self._started.wait()

    def run(self):
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            # Do not keep the target and its arguments alive.
            del self._target, self._args, self._kwargs

    def _bootstrap(self):
        try:
            self._set_ident()
            self._set_tstate_lock()
            self._set_native_id()
            self._started.set()
            with _active_limbo_lock:
                _active[self._ident] = self
                del _limbo[self]
            try:
                self.run()
            except BaseException:
                self._invoke_excepthook()
        finally:
            with _active_limbo_lock:
                try:
                    del _active[get_ident()]
                except KeyError:
                    pass

    def _invoke_excepthook(self):
        exc_type, exc_value, exc_tb = _sys.exc_info()
        try:
            excepthook(ExceptHookArgs(exc_type, exc_value, exc_tb, self))
        finally:
            exc_type = exc_value = exc_tb = None

    def _set_ident(self):
        self._ident = get_ident()

    def _set_native_id(self):
        self._native_id = get_native_id()

    def _set_tstate_lock(self):
        self._tstate_lock = _set_sentinel()
        self._tstate_lock.acquire()
        if not self.daemon:
            with _shutdown_locks_lock:
                _shutdown_locks.add(self._tstate_lock)

    def _stop(self):
        lock = self._tstate_lock
        self._is_stopped = True
        self._tstate_lock = None
        if not self.daemon and lock is not None:
            with _shutdown_locks_lock:
                _shutdown_locks.discard(lock)

    def _wait_for_tstate_lock(self, block=True, timeout=-1):
        lock = self._tstate_lock
        if lock is None:
            return  # already known to have finished
        if lock.acquire(block, timeout):
            lock.release()
            self._stop()

    def join(self, timeout=None):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is current_thread():
            raise RuntimeError("cannot join current thread")
        if timeout is None:
            self._wait_for_tstate_lock()
        else:
            self._wait_for_tstate_lock(timeout=max(timeout, 0))

    def is_alive(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        if self._is_stopped or not self._started.is_set():
            return False
        self._wait_for_tstate_lock(False)
        return not self._is_stopped

    @property
    def name(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        return self._name

    @name.setter
    def name(self, name):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        self._name = str(name)

    @property
    def ident(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        return self._ident

    @property
    def native_id(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        return self._native_id

    @property
    def daemon(self):
        if not self._initialized:
            raise AssertionError("Thread.__init__() not called")
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("cannot set daemon status of active thread")
        self._daemonic = daemonic

    def isDaemon(self):
        return self.daemon

    def setDaemon(self, daemonic):
        self.daemon = daemonic

    def getName(self):
        return self.name

    def setName(self, name):
        self.name = name


class Timer(Thread):
    """Calls function(*args, **kwargs) after `interval` seconds unless
    cancel() comes first."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        self.finished.set()

    def run(self):
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


class _MainThread(Thread):

    def __init__(self):
        Thread.__init__(self, name="MainThread", daemon=False)
        self._set_tstate_lock()
        self._started.set()
        self._set_ident()
        self._set_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self


class _DummyThread(Thread):
    """Stands for a thread that _thread started directly: always alive,
    daemonic, and never joined."""

    def __init__(self):
        Thread.__init__(self, name=_newname("Dummy-%d"), daemon=True)
        self._started.set()
        self._set_ident()
        self._set_native_id()
        with _active_limbo_lock:
            _active[self._ident] = self

    def _stop(self):
        pass

    def is_alive(self):
        return True

    def join(self, timeout=None):
        raise AssertionError("cannot join a dummy thread")


def current_thread():
    try:
        return _active[get_ident()]
    except KeyError:
        return _DummyThread()


currentThread = current_thread


def main_thread():
    return _main_thread


def active_count():
    with _active_limbo_lock:
        return len(_active) + len(_limbo)


activeCount = active_count


def enumerate():
    with _active_limbo_lock:
        return list(_active.values()) + list(_limbo.values())


def _register_atexit(func, *args, **kwargs):
    """Call func(*args, **kwargs) at shutdown, before the wait for the
    non-daemon threads (functions registered last run first)."""
    _threading_atexits.append(lambda: func(*args, **kwargs))


def _shutdown():
    """Run by the runtime when the main program ends: wait until every
    non-daemon thread has finished."""
    if _main_thread._is_stopped:
        return
    lock = _main_thread._tstate_lock
    if lock is not None and lock.locked():
        lock.release()
    _main_thread._stop()
    for call in reversed(_threading_atexits):
        call()
    while True:
        with _shutdown_locks_lock:
            locks = list(_shutdown_locks)
            _shutdown_locks.clear()
        if not locks:
            break
        for lock in locks:
            lock.acquire()
            lock.release()


def _after_fork():
    """In the child after fork(): the forking thread is the only one left
    and becomes the main thread; every other Thread is marked finished."""
    global _active_limbo_lock, _main_thread, _shutdown_locks_lock, _shutdown_locks
    _active_limbo_lock = _allocate_lock()
    _shutdown_locks_lock = _allocate_lock()
    _shutdown_locks = set()
    current = _active.get(get_ident())
    if current is None:
        current = _MainThread()
    _main_thread = current
    survivors = {}
    for thread in list(_active.values()) + list(_limbo.values()):
        if thread is current:
            thread._reset_internal_locks(True)
            thread._ident = get_ident()
            survivors[thread._ident] = thread
        else:
            thread._reset_internal_locks(False)
            thread._stop()
    _limbo.clear()
    _active.clear()
    _active.update(survivors)


_main_thread = _MainThread()
