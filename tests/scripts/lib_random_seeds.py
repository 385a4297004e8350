# random: the same seed gives CPython's numbers, for int, str, bytes,
# bytearray and float seeds, through every drawing method.
import random

seeds = [0, 1, -1, 42, 2 ** 32 - 1, 2 ** 32, 2 ** 64 + 5, -(10 ** 40), 3 ** 200, True,
         "", "a", "hello world", "é✓ unicode", "x" * 200, b"", b"bytes seed", b"\x00" * 111,
         bytearray(b"mutable"), 1.5, -2.25, 1e300]
for s in seeds:
    random.seed(s)
    print(repr(s)[:40], random.random(), random.getrandbits(1), random.getrandbits(31),
          random.getrandbits(32), random.getrandbits(33), random.getrandbits(64),
          random.getrandbits(65), random.getrandbits(200))

random.seed(2024)
print(random.getrandbits(0), random.randbytes(0), random.randbytes(1), random.randbytes(5),
      random.randbytes(13).hex())
print([random.randrange(10) for _ in range(10)])
print([random.randrange(-5, 5) for _ in range(10)])
print([random.randrange(100, 0, -7) for _ in range(10)])
print([random.randrange(0, 10 ** 30, 3) for _ in range(3)])
print([random.randrange(2 ** 64) for _ in range(3)], random.randrange(2 ** 70 + 3))
print([random.randint(-3, 3) for _ in range(15)], random.randint(5, 5))
print(random.randrange(10.0), random.randrange(1, 7.0))
print(random.choice("abc"), random.choice(range(1000)), random.choice((None, 1, "x")))
x = list(range(20))
random.shuffle(x)
print(x)
x = ["a", "b", "c", "d"]
random.shuffle(x)
print(x)
print(random.sample(range(10), 10), random.sample("abcdefgh", 3), random.sample(range(10 ** 9), 4))
print(random.sample(range(1000), 30))
print(random.sample(["red", "blue"], counts=[4, 2], k=5))
print(random.choices("abc", k=5), random.choices(range(5), [1, 0, 0, 0, 10], k=4))
print(random.choices("xyz", cum_weights=[1, 2, 30], k=6), random.choices([1, 2], [0.5, 0.25]))
print(random.uniform(1, 2), random.uniform(-1.5, 1e6), random.uniform(3, 3))
print(random.triangular(), random.triangular(0, 10), random.triangular(1, 3, 2.5))
print(random.gauss(), random.gauss(), random.gauss(10, 2), random.gauss(sigma=3.0))
print(random.normalvariate(), random.normalvariate(5, 0.1), random.lognormvariate(0, 1))
print(random.expovariate(1.5), random.paretovariate(2.0), random.weibullvariate(1.0, 2.0))

st = random.getstate()
print(st[0], len(st[1]), st[1][-1], type(st[2]).__name__)
a = [random.random() for _ in range(5)] + [random.gauss()]
random.setstate(st)
b = [random.random() for _ in range(5)] + [random.gauss()]
print(a == b)
random.seed(7)
random.gauss()
st = random.getstate()
print(type(st[2]).__name__, random.gauss() == (random.setstate(st) or random.gauss()))

r1 = random.Random(99)
r2 = random.Random(99)
random.seed(99)
print(r1.random() == r2.random() == random.random(), r1.randint(1, 6), r2.choice([1, 2, 3]))
print(random.Random("seed").random(), random.Random(b"seed").random(), random.Random(5.5).random())
r = random.Random()
r.seed(123, version=1)
print(r.random())
r.seed("abc", version=1)
print(r.random())

class Mine(random.Random):
    pass
m = Mine(3)
print(type(m).__name__, m.random(), m.randrange(100), m.getrandbits(40))
