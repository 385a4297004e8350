# Threads released together by a Barrier mutate one set (add, discard,
# update, pop, difference_update) while others iterate over it.  The
# final set is exactly what the threads' own records say.
import threading

N = 4
OPS = 800
s = set()
start = threading.Barrier(N)
kept = [set() for _ in range(N)]
popped = [[] for _ in range(N)]


def mutate(tid):
    mine = kept[tid]
    start.wait()
    for i in range(OPS):
        item = tid * 1000000 + i
        s.add(item)
        mine.add(item)
        r = i % 6
        if r == 1:
            s.discard(item - 1)
            mine.discard(item - 1)
        elif r == 2:
            batch = {item + 500000, item + 600000}
            s.update(batch)
            mine.update(batch)
        elif r == 3:
            s.difference_update({item + 499999})
            mine.discard(item + 499999)
        elif r == 4 and i % 60 == 4:
            try:
                popped[tid].append(s.pop())
            except KeyError:
                pass
        elif r == 5:
            try:
                for x in s:
                    if type(x) is not int:
                        raise AssertionError("torn element")
            except RuntimeError:
                pass  # changed size during iteration


threads = [threading.Thread(target=mutate, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()

everything = set()
for m in kept:
    everything |= m
all_popped = [x for p in popped for x in p]
print("pops unique:", len(all_popped) == len(set(all_popped)))
print("popped were present:", set(all_popped) <= everything)
print("exact:", s == everything - set(all_popped))
print("len consistent:", len(s) == len(list(s)) == len(everything) - len(all_popped))
