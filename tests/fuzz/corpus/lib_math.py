import math

print(math.pi, math.e, math.inf, math.tau)
print(math.sqrt(16), math.sqrt(2), math.floor(-2.5), math.ceil(-2.5), math.floor(7))
print(math.gcd(12, 18), math.factorial(20), math.isqrt(99))
print(math.fabs(-3), math.trunc(-3.7), math.copysign(1, -0.0))
print(math.isnan(float("nan")), math.isinf(-math.inf), math.isclose(0.1 + 0.2, 0.3))
print(math.log(1), math.log2(8), math.log10(1000), math.exp(0))
print(math.hypot(3, 4), math.pow(2, 10), math.fmod(-7, 3))
print(math.sin(0), math.cos(0), math.radians(180) == math.pi, math.degrees(math.pi))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
