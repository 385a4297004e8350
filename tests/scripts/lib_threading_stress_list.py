# Threads released together by a Barrier mutate one list (append, insert,
# pop, del, slices) while others iterate over it.  No crash, no lost or
# duplicated item, and the list is consistent at the end.
import threading

N = 4
OPS = 500
shared = []
start = threading.Barrier(N)
added = [[] for _ in range(N)]
removed = [[] for _ in range(N)]
walked = [0] * N


def mutate(tid):
    mine_added = added[tid]
    mine_removed = removed[tid]
    start.wait()
    for i in range(OPS):
        item = (tid, i)
        r = i % 7
        if r == 3:
            shared.insert(0, item)
        else:
            shared.append(item)
        mine_added.append(item)
        if r == 1:
            try:
                mine_removed.append(shared.pop())
            except IndexError:
                pass
        elif r == 4:
            try:
                mine_removed.append(shared.pop(0))
            except IndexError:
                pass
        elif r == 5:
            # Iterate while the others mutate: every item seen is whole.
            for x in shared:
                if type(x) is not tuple or len(x) != 2:
                    raise AssertionError("torn item %r" % (x,))
                walked[tid] += 1
        elif r == 6:
            snapshot = shared[:]
            if not all(type(x) is tuple and len(x) == 2 for x in snapshot):
                raise AssertionError("torn item in a slice")


threads = [threading.Thread(target=mutate, args=(t,)) for t in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()

all_added = sorted(x for a in added for x in a)
all_removed = [x for r in removed for x in r]
print("appended:", len(all_added))
print("length consistent:", len(shared) == len(all_added) - len(all_removed))
print("nothing lost or duplicated:", sorted(shared + all_removed) == all_added)
print("each thread's order kept:", all(
    [x for x in shared if x[0] == t and x[1] % 7 != 3] ==
    sorted(x for x in shared if x[0] == t and x[1] % 7 != 3) for t in range(N)))
print("walked some:", sum(walked) > 0)
shared.sort()
print(len(shared) == len(set(shared)))
