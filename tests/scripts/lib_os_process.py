# os: processes, the environment, urandom, strerror.
import os

print(os.getpid() > 0, os.getppid() > 0, os.getpid() != os.getppid())
n = os.cpu_count()
print(type(n).__name__, n >= 1)
r = os.urandom(16)
print(type(r).__name__, len(r), len(os.urandom(0)))
try:
    os.urandom(-1)
except ValueError as e:
    print("ValueError", e)
print(os.strerror(2), "|", os.strerror(13))

# the environment
print(os.getenv("TWINPY_NO_SUCH_VAR"), os.getenv("TWINPY_NO_SUCH_VAR", "dflt"))
os.environ["TWINPY_TEST_VAR"] = "hello"
print(os.environ["TWINPY_TEST_VAR"], os.getenv("TWINPY_TEST_VAR"), "TWINPY_TEST_VAR" in os.environ)
print(os.system('test "$TWINPY_TEST_VAR" = hello'))
del os.environ["TWINPY_TEST_VAR"]
print("TWINPY_TEST_VAR" in os.environ, os.system('test -z "$TWINPY_TEST_VAR"'))
try:
    os.environ["TWINPY_TEST_VAR"]
except KeyError as e:
    print("KeyError", e)
try:
    os.environ["X"] = 1
except TypeError as e:
    print("TypeError", e)
print(os.environ.setdefault("TWINPY_TEST_2", "v2"), os.environ.pop("TWINPY_TEST_2"))
print(isinstance(os.environ.copy(), dict), len(os.environ) == len(list(os.environ)))

# exit statuses
st = os.system("exit 3")
print(st, os.WIFEXITED(st), os.WEXITSTATUS(st), os.waitstatus_to_exitcode(st))

# fork, pipe, waitpid, _exit
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, b"child says hi")
    os._exit(7)
os.close(w)
data = b""
while True:
    chunk = os.read(r, 100)
    if not chunk:
        break
    data += chunk
os.close(r)
got, status = os.waitpid(pid, 0)
print(data, got == pid, os.WIFEXITED(status), os.WEXITSTATUS(status))
print(os.waitstatus_to_exitcode(status), os.WNOHANG > 0)

# a child killed by a signal
pid = os.fork()
if pid == 0:
    while True:
        pass
os.kill(pid, 9)
got, status = os.waitpid(pid, 0)
print(os.WIFSIGNALED(status), os.WTERMSIG(status), os.waitstatus_to_exitcode(status))
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print(type(e).__name__, e.errno)
try:
    os.kill(pid, 0)
except ProcessLookupError as e:
    print(type(e).__name__, e)
