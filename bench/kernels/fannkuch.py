# Fannkuch-redux: every permutation of 1..8, counting prefix reversals until
# 1 comes first; list slicing, indexing and swaps in tight loops.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        if perm1[0] != 0:
            perm = perm1[:]
            flips = 0
            k = perm[0]
            while k:
                perm[:k + 1] = perm[k::-1]
                flips += 1
                k = perm[0]
            if flips > max_flips:
                max_flips = flips
            checksum += flips if sign == 1 else -flips
        sign = -sign
        while True:
            if r == n:
                return checksum, max_flips
            p0 = perm1[0]
            for i in range(r):
                perm1[i] = perm1[i + 1]
            perm1[r] = p0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


rounds = max(1, int(8 * scale + 0.5))
total = 0
for _ in range(rounds):
    checksum, flips = fannkuch(8)
    total += checksum
print("fannkuch", rounds, total, flips)
