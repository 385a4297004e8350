# Dict manipulation: insert, lookup, update, delete, get, iteration over items.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
rounds = int(28_000 * scale)
keys = ["k%d" % i for i in range(64)]
acc = 0
for r in range(rounds):
    d = {}
    for i, k in enumerate(keys):
        d[k] = i + r
    for k in keys[::3]:
        d[k] += 1
    acc += d.get("k5", 0) + d.get("missing", -1)
    for k in keys[::4]:
        del d[k]
    for k, v in d.items():
        acc += v & 3
    counts = {}
    for i in range(64):
        counts[i % 10] = counts.get(i % 10, 0) + 1
    acc += counts[3] + len(d)
print("dict_ops", rounds, acc)
