# Comparing, printing and testing membership in containers nested far
# beyond the recursion limit raise RecursionError; moderate nesting works,
# and the runtime goes on normally afterwards.


def nest_lists(depth):
    x = []
    for _ in range(depth):
        x = [x]
    return x


def nest_dicts(depth):
    d = {}
    for _ in range(depth):
        d = {"k": d}
    return d


def nest_tuples(depth):
    t = ()
    for _ in range(depth):
        t = (t,)
    return t


def attempt(label, fn):
    try:
        result = fn()
    except RecursionError as e:
        print(label, "RecursionError:", e)
    else:
        print(label, "ok:", result)


deep = 100000
a, b = nest_lists(deep), nest_lists(deep)
attempt("list ==", lambda: a == b)
attempt("list <", lambda: a < b)
attempt("list !=", lambda: a != b)
attempt("list in", lambda: b in [1, 2, a])
attempt("list repr", lambda: len(repr(a)))
attempt("list str", lambda: len(str(a)))
attempt("list index", lambda: [a].index(b))
attempt("list count", lambda: [a, 1].count(b))

d1, d2 = nest_dicts(deep), nest_dicts(deep)
attempt("dict ==", lambda: d1 == d2)
attempt("dict repr", lambda: len(repr(d1)))
attempt("dict values in", lambda: d2 in d1.values())

t1, t2 = nest_tuples(deep), nest_tuples(deep)
attempt("tuple ==", lambda: t1 == t2)
attempt("tuple <=", lambda: t1 <= t2)
attempt("tuple repr", lambda: len(repr(t1)))

mixed = []
for i in range(deep):
    mixed = [{"t": (mixed,)}] if i % 2 else [mixed]
attempt("mixed repr", lambda: len(repr(mixed)))
attempt("mixed ==", lambda: mixed == [mixed])

# Nesting well below the limit is fine.
s1, s2 = nest_lists(300), nest_lists(300)
attempt("shallow ==", lambda: s1 == s2)
attempt("shallow repr", lambda: len(repr(s1)))
attempt("shallow dict ==", lambda: nest_dicts(300) == nest_dicts(300))
attempt("shallow tuple hash", lambda: hash(nest_tuples(300)) == hash(nest_tuples(300)))

# The failed attempts left no depth behind: recursion still reaches as far.
def down(n):
    return 0 if n == 0 else 1 + down(n - 1)


attempt("recursion after", lambda: down(800))
del a, b, d1, d2, t1, t2, mixed
print("done")
