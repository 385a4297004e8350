# math's integer functions: floor/ceil/trunc to ints, factorial, gcd, lcm,
# comb, perm, isqrt, prod, fsum.
import math

for v in [2.5, -2.5, 0.0, -0.0, 1e20, -1e20, 7, -7, 2 ** 100, True, 1e300]:
    print(v, math.floor(v), math.ceil(v), math.trunc(v))
for v in [math.inf, -math.inf, math.nan]:
    for f in [math.floor, math.ceil, math.trunc]:
        try:
            f(v)
        except (ValueError, OverflowError) as e:
            print(f.__name__, v, type(e).__name__, e)

class R:
    def __floor__(self):
        return "floor"
    def __ceil__(self):
        return "ceil"
    def __trunc__(self):
        return "trunc"
print(math.floor(R()), math.ceil(R()), math.trunc(R()))

class G:
    def __float__(self):
        return -3.5
print(math.floor(G()), math.ceil(G()))
try:
    math.trunc(G())
except TypeError as e:
    print("TypeError:", e)
try:
    math.floor("x")
except TypeError as e:
    print("TypeError:", e)

print([math.factorial(n) for n in range(12)])
print(math.factorial(50), len(str(math.factorial(1000))))
for bad in [-1, 2.0, "3"]:
    try:
        math.factorial(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)

print(math.gcd(), math.gcd(0), math.gcd(-12), math.gcd(12, 18), math.gcd(12, -18, 30), math.gcd(0, 0))
print(math.gcd(2 ** 200, 6 ** 100), math.lcm(), math.lcm(4, 6), math.lcm(-4, 6, 10), math.lcm(0, 5))
try:
    math.gcd(1.5, 2)
except TypeError as e:
    print("TypeError:", e)

print([math.comb(10, k) for k in range(12)], math.comb(100, 50), math.comb(5, 7))
print([math.perm(6, k) for k in range(8)], math.perm(5), math.perm(30, 10))
print(math.comb(10 ** 20, 2), math.perm(10 ** 20, 3), math.perm(200, 100) == math.factorial(200) // math.factorial(100))
for args in [(-1, 2), (3, -1), (1.0, 1)]:
    for f in [math.comb, math.perm]:
        try:
            f(*args)
        except (ValueError, TypeError) as e:
            print(f.__name__, args, type(e).__name__, e)

print([math.isqrt(n) for n in [0, 1, 3, 4, 15, 16, 17, 99, 10 ** 20]], math.isqrt(10 ** 101))
print(math.isqrt(True), math.isqrt(2 ** 200 - 1) == 2 ** 100 - 1)
try:
    math.isqrt(-1)
except ValueError as e:
    print("ValueError:", e)

print(math.prod([]), math.prod(range(1, 11)), math.prod([1.5, 2, 4]), math.prod([2, 3], start=10))
print(math.prod([[1], 2]), math.prod(range(1, 30)))
print(math.fsum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
print(math.fsum([]), math.fsum([1, 2, 3]), math.fsum([math.inf, 1.0]), math.fsum([math.nan, 1]))
print(math.fsum([1.7976931348623157e308, -1.7976931348623157e308, 1.0]))
print(math.fsum([1e16, 1.0, 1e-16]), math.fsum(i * 0.01 for i in range(1000)))
for bad in [[math.inf, -math.inf], [1.7976931348623157e308] * 2]:
    try:
        math.fsum(bad)
    except (ValueError, OverflowError) as e:
        print(type(e).__name__, e)
