# Memory: an allocation-heavy kernel that keeps many small objects alive
# at once (instances, tuples, floats, short strings, small dicts).  bench/run
# records the process's peak resident set size; the object header is 8
# bytes larger in twinpy's free-threaded build.
#   count=objects of each kind
import wl

p = wl.params({"count": 200000})


class Node:
    def __init__(self, value, nxt):
        self.value = value
        self.next = nxt


count = p["count"]
head = None
for i in range(count):
    head = Node(i, head)
pairs = [(i, i * 0.5) for i in range(count)]
names = ["n%d" % i for i in range(count)]
small = [{"a": i} for i in range(count // 4)]
total = 0
node = head
while node is not None:
    total += node.value
    node = node.next
total += int(sum([b for a, b in pairs])) + len("".join(names[:1000])) + len(small)
wl.report(count=count, checksum=total)
