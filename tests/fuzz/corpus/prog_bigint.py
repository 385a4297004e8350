# Big integer workouts: factorials, Fibonacci, digits of e, Collatz records.


def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


f200 = fact(200)
print(len(str(f200)), str(f200)[:30], sum(int(d) for d in str(f200)))
print(f200 % (10 ** 9 + 7), f200 // fact(198))
trailing = 0
x = f200
while x % 10 == 0:
    x //= 10
    trailing += 1
print("trailing zeros", trailing)
print(fib(300))
print(fib(1000) % 1000000007, len(str(fib(1000))))
scale = 10 ** 60
e = 0
term = scale
k = 0
while term:
    e += term
    k += 1
    term //= k
print(str(e)[:50])
best = (0, 0)
for start in range(1, 3000):
    n = start
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    if steps > best[1]:
        best = (start, steps)
print("collatz record below 3000:", best)
print(pow(2, 2 ** 10, 10 ** 20), (2 ** 521 - 1) % 1000007)
print(hex(fact(30)), bin(fib(50)).count("1"))
