# Sorting and list operations: sort ints, tuples and strings (with key= and
# reverse=), merge sorted runs by hand, binary-search insertions, slicing,
# comprehensions and in-place reversal.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def lcg_list(n, seed):
    out = []
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(seed >> 8)
    return out


def merge(a, b):
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


def insort(a, x):
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    a.insert(lo, x)


rounds = max(1, int(15 * scale + 0.5))
check = 0
for r in range(rounds):
    nums = lcg_list(20_000, r + 1)
    s1 = sorted(nums)
    pairs = [(x % 97, x) for x in nums]
    pairs.sort(reverse=True)
    words = [str(x) for x in nums[:5000]]
    words.sort(key=len)
    m = merge(sorted(nums[::2]), sorted(nums[1::2]))
    ins = []
    for x in nums[:3000]:
        insort(ins, x)
    rev = s1[:]
    rev.reverse()
    check = (check + s1[len(s1) // 2] + pairs[0][1] + int(words[-1]) + (m == s1)
             + ins[1500] + rev[0] + sum([x for x in s1[:100] if x % 2])) % 1000000007
print("sort_list", rounds, check)
