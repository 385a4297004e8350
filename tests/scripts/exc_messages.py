cases = [
    lambda: [1, 2][5],
    lambda: (1,)[3],
    lambda: "abc"[10],
    lambda: {"a": 1}["b"],
    lambda: int("12x"),
    lambda: int("2", 2),
    lambda: float("abc"),
    lambda: 1 + "s",
    lambda: "s" * "t",
    lambda: len(5),
    lambda: [].pop(),
    lambda: {}.popitem(),
    lambda: [1].index(2),
    lambda: "abc".index("z"),
    lambda: (5).foo,
    lambda: iter(5),
    lambda: next(iter([])),
    lambda: [1, 2] < "a",
    lambda: {[]: 1},
    lambda: chr(-1),
    lambda: ord("ab"),
    lambda: "x".join([1]),
    lambda: 2 ** "a",
    lambda: -"a",
    lambda: sorted([1, "a"]),
]
for i, c in enumerate(cases):
    try:
        c()
        print(i, "no error")
    except Exception as e:
        print(i, type(e).__name__ + ":", e)
