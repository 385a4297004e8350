# Results too big to build raise MemoryError (or OverflowError, as CPython
# does), and the program goes on.


def attempt(label, fn):
    try:
        r = fn()
    except (MemoryError, OverflowError) as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok", r)


attempt("1 << 2**40", lambda: 1 << 2**40)
attempt("-1 << 2**40", lambda: -1 << 2**40)
attempt("(1 << 64) << 2**62", lambda: (1 << 64) << 2**62)
attempt("1 << 10**20", lambda: 1 << 10**20)
attempt("0 << 10**20", lambda: 0 << 10**20)
attempt("5 >> 10**20", lambda: 5 >> 10**20)
attempt("(-1) ** 10**20", lambda: (-1) ** 10**20)
attempt("1 ** 10**20", lambda: 1 ** 10**20)
attempt("0 ** 10**20", lambda: 0 ** 10**20)
x = 5
attempt("x <<= 2**41", lambda: x << 2**41)
attempt("'ab' * 2**62", lambda: len("ab" * 2**62))
attempt("[0] * 2**62", lambda: len([0] * 2**62))
attempt("b'x' * 2**62", lambda: len(b"x" * 2**62))
attempt("(1,) * 2**62", lambda: len((1,) * 2**62))
# After all that, big ints of a reasonable size still work.
attempt("(1 << 100000).bit_length()", lambda: (1 << 100000).bit_length())
attempt("(3 ** 20000) % 1000", lambda: (3 ** 20000) % 1000)
