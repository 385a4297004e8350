# N-queens by generating permutations with recursive generators (yield
# from) and filtering them with generator expressions and sets.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def permutations(items):
    if len(items) <= 1:
        yield list(items)
        return
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            p.append(items[i])
            yield p


def n_queens(n):
    cols = range(n)
    for vec in permutations(list(cols)):
        if n == len(set(vec[i] + i for i in cols)) == len(set(vec[i] - i for i in cols)):
            yield vec


rounds = max(1, int(6 * scale + 0.5))
count = 0
first = None
for _ in range(rounds):
    for sol in n_queens(8):
        if first is None:
            first = sol
        count += 1
print("nqueens", rounds, count, first)
