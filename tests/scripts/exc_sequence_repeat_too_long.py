# Repeating a sequence a huge number of times: OverflowError when the count
# or the total length does not fit an index, MemoryError when it fits but
# cannot be allocated.  Negative counts give an empty sequence unless they
# do not fit an index either.


def attempt(label, fn):
    try:
        r = fn()
    except (MemoryError, OverflowError) as e:
        print(label, type(e).__name__, e)
    else:
        print(label, "ok", repr(r))


attempt("'a' * 2**64", lambda: "a" * 2**64)
attempt("'a' * 2**63", lambda: "a" * 2**63)
attempt("'ab' * 2**62", lambda: "ab" * 2**62)
attempt("'a' * 2**62", lambda: "a" * 2**62)
attempt("2**64 * 'ab'", lambda: 2**64 * "ab")
attempt("'ab' * -2**64", lambda: "ab" * -2**64)
attempt("'ab' * -2**62", lambda: "ab" * -2**62)
attempt("'' * 2**62", lambda: "" * 2**62)
attempt("b'a' * 2**64", lambda: b"a" * 2**64)
attempt("b'ab' * 2**62", lambda: b"ab" * 2**62)
attempt("b'a' * 2**62", lambda: b"a" * 2**62)
attempt("b'' * 2**62", lambda: b"" * 2**62)
attempt("[0] * 2**64", lambda: [0] * 2**64)
attempt("[0, 1] * 2**62", lambda: [0, 1] * 2**62)
attempt("(1,) * 2**64", lambda: (1,) * 2**64)
attempt("(1, 2) * 2**62", lambda: (1, 2) * 2**62)
attempt("bytearray(b'ab') * 2**62", lambda: bytearray(b"ab") * 2**62)
attempt("'xy' * 3", lambda: "xy" * 3)
