# String building: concatenation, join, %-formatting, f-strings, split, replace.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
rounds = int(155_000 * scale)
acc = 0
for r in range(rounds):
    s = ""
    for i in range(8):
        s += str(i + r)
    parts = [f"{r}:{i}" for i in range(6)]
    line = ",".join(parts)
    fields = line.split(",")
    t = "%s-%d-%s" % (fields[1], len(s), s[:4])
    u = t.replace("-", "+").upper()
    acc += len(s) + len(line) + len(u) + (1 if "1" in s else 0)
print("str_build", rounds, acc, u)
