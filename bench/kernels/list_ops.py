# List manipulation: append, pop, indexing, slicing, comprehension, sort, in.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
rounds = int(80_000 * scale)
acc = 0
for r in range(rounds):
    lst = []
    for i in range(40):
        lst.append((i * 7 + r) % 53)
    lst.sort()
    sq = [v * v for v in lst[5:30]]
    acc += sq[r % 25] + lst[-1] + len(sq)
    while len(lst) > 20:
        acc += lst.pop()
    lst.reverse()
    acc += lst[3] + (1 if 17 in lst else 0)
print("list_ops", rounds, acc)
