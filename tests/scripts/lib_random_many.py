# random: bit-exact with CPython across many seeds.  String seeds of every
# length up to 300 bytes cross the SHA-512 block and padding boundaries.
import random

for s in range(0, 400, 3):
    random.seed(s * 7919 - 1000)
    print(s, random.random(), random.getrandbits(48), random.randrange(1, 10 ** 12), random.randint(0, 9))
for n in range(0, 301):
    random.seed("k" * n)
    a = random.getrandbits(32)
    random.seed(bytes(range(n % 256)) * (n // 256 + 1))
    print(n, a, random.getrandbits(32))
r = random.Random(0)
print(sum(r.getrandbits(32) for _ in range(5000)), r.random())
