# A child that dies of an exception prints "Process NAME:" and the
# traceback on stderr and exits 1.  This script exits with the child's
# status, so the last line of stderr (compared) is the child's exception.
import multiprocessing
import sys


def fails(n):
    print("child starts", n)
    raise LookupError("no entry for %d" % n)


if __name__ == "__main__":
    print("parent starts")
    p = multiprocessing.Process(target=fails, args=(7,), name="failing-child")
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    sys.exit(p.exitcode)
