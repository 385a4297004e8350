# Prime sieve, factorisation, and a few number-theory checks.


def sieve(limit):
    is_prime = [True] * (limit + 1)
    is_prime[0] = is_prime[1] = False
    i = 2
    while i * i <= limit:
        if is_prime[i]:
            for j in range(i * i, limit + 1, i):
                is_prime[j] = False
        i += 1
    return [n for n, p in enumerate(is_prime) if p]


def factorize(n):
    factors = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1
    if n > 1:
        factors.append(n)
    return factors


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


primes = sieve(1000)
print(len(primes), primes[:15], primes[-5:])
print(sum(primes), max(primes))
twins = [(p, p + 2) for p in primes if p + 2 in set(primes)]
print(len(twins), twins[:6])
gaps = {}
for a, b in zip(primes, primes[1:]):
    gaps[b - a] = gaps.get(b - a, 0) + 1
print(sorted(gaps.items()))
for n in (360, 97, 1001, 2 ** 16, 600851475143, 2 ** 31 - 1):
    print(n, factorize(n))
print(gcd(462, 1071), gcd(2 ** 40, 6 ** 20), gcd(17, 5))
goldbach = {}
pset = set(primes)
for even in range(4, 60, 2):
    for p in primes:
        if even - p in pset:
            goldbach[even] = (p, even - p)
            break
print(goldbach)
print([p for p in primes[:40] if str(p) == str(p)[::-1]])
