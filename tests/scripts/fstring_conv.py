s = "it's"
print(f"{s}")
print(f"{s!s}")
print(f"{s!r}")
print(f"{'x'!r:>6}|")


class P:
    def __str__(self):
        return "str-of-P"

    def __repr__(self):
        return "P()"


p = P()
print(f"{p} {p!s} {p!r}")
print(f"{[p]}")
print(f"{3.0!r} {None!r} {b'x'!r}")
