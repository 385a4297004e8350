# Threads released together by a Barrier mutate one dict (set, del,
# update, pop, setdefault) while iterating over it.  Each thread owns its
# keys, so the final dict is known exactly; shared keys keep one writer's
# value.
import threading

N = 4
OPS = 500
d = {}
start = threading.Barrier(N)
expected = [dict() for _ in range(N)]
iter_errors = [0] * N


def mutate(tid):
    mine = expected[tid]
    start.wait()
    for i in range(OPS):
        key = (tid, i)
        d[key] = i
        mine[key] = i
        r = i % 6
        if r == 1:
            del d[(tid, i - 1)]
            del mine[(tid, i - 1)]
        elif r == 2:
            batch = {(tid, "u", i): i, (tid, "u", i + 1): -i}
            d.update(batch)
            mine.update(batch)
        elif r == 3:
            v = d.pop((tid, "u", i - 1), None)
            if v != mine.pop((tid, "u", i - 1), None):
                raise AssertionError("pop returned %r" % (v,))
        elif r == 4:
            d.setdefault(("shared", i % 50), tid)
            if d.get(key) != i:
                raise AssertionError("lost own key")
        elif r == 5:
            try:
                for k, v in d.items():
                    if type(k) is not tuple:
                        raise AssertionError("torn key")
            except RuntimeError:
                iter_errors[tid] += 1  # changed size during iteration
            keys = list(d)
            if len(keys) != len(set(keys)):
                raise AssertionError("duplicate keys in a snapshot")


threads = [threading.Thread(target=mutate, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()

owned = {}
for m in expected:
    owned.update(m)
shared_keys = {k: v for k, v in d.items() if k[0] == "shared"}
rest = {k: v for k, v in d.items() if k[0] != "shared"}
print("own keys exact:", rest == owned, len(owned))
print("shared keys:", len(shared_keys), all(0 <= v < N for v in shared_keys.values()))
print("len consistent:", len(d) == len(owned) + len(shared_keys) == len(list(d.keys())))
print("values match:", all(d[k] == v for k, v in owned.items()))
