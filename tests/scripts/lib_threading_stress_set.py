# Threads released together by a Barrier mutate one set (add, remove,
# update, pop, difference_update) while others iterate over it.  The
# final set is exactly what the threads' own records say.
#
# pop() takes any element, so it may take one that its owner is about to
# delete: the owner's later remove() then raises KeyError and its
# difference_update() does nothing.  Both are correct outcomes; what must
# hold is that each element left the set exactly once: a successful
# remove() never meets a popped element, a failed one always does.
import threading

N = 4
OPS = 800
s = set()
start = threading.Barrier(N)
added = [set() for _ in range(N)]
removed = [set() for _ in range(N)]   # remove() succeeded
missing = [set() for _ in range(N)]   # remove() raised KeyError
diffed = [set() for _ in range(N)]    # passed to difference_update()
popped = [[] for _ in range(N)]


def mutate(tid):
    start.wait()
    for i in range(OPS):
        item = tid * 1000000 + i
        s.add(item)
        added[tid].add(item)
        r = i % 6
        if r == 1:
            try:
                s.remove(item - 1)
                removed[tid].add(item - 1)
            except KeyError:
                missing[tid].add(item - 1)
        elif r == 2:
            batch = {item + 500000, item + 600000}
            s.update(batch)
            added[tid].update(batch)
        elif r == 3:
            s.difference_update({item + 499999})
            diffed[tid].add(item + 499999)
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


def union(sets):
    u = set()
    for x in sets:
        u |= set(x)
    return u


all_added = union(added)
all_removed = union(removed)
all_diffed = union(diffed)
all_popped = [x for p in popped for x in p]
popped_set = set(all_popped)
remaining = all_added - all_removed - all_diffed - popped_set
print("pops unique:", len(all_popped) == len(popped_set))
print("popped were added:", popped_set <= all_added)
print("removed were not popped:", not (all_removed & popped_set))
print("failed removes were popped:", union(missing) <= popped_set)
print("exact:", s == remaining)
print("len consistent:", len(s) == len(list(s)) == len(remaining))
