# math's float functions: values, special values and CPython's errors.
import math

vals = [0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 10.0, 1e-300, 1e300, 123.456, -7.25]
for name in ["sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
             "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
             "fabs", "degrees", "radians", "erf", "erfc", "cbrt", "exp2"]:
    f = getattr(math, name)
    out = []
    for v in vals:
        try:
            out.append(repr(f(v)))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__ + ":" + str(e))
    print(name, " ".join(out))

for v in [math.inf, -math.inf, math.nan]:
    for name in ["sqrt", "exp", "log", "sin", "atan", "tanh", "fabs", "isfinite", "isinf", "isnan"]:
        try:
            print(name, v, getattr(math, name)(v))
        except (ValueError, OverflowError) as e:
            print(name, v, type(e).__name__, e)

print(math.log(8, 2), math.log(100, 10), math.log(2 ** 1000), math.log(10 ** 400, 10))
print(math.log2(2 ** 2000), math.log10(10 ** 500))
for args in [(0,), (-1,), (1, 1), (1, 0), (-2.0,)]:
    try:
        print(math.log(*args))
    except (ValueError, ZeroDivisionError) as e:
        print(type(e).__name__, e)

for x, y in [(2, 10), (2.0, -1), (-8, 1 / 3), (0, -1), (10, 400), (math.inf, 2),
             (-math.inf, 3), (1, math.nan), (math.nan, 0), (-1, math.inf), (0.5, -math.inf)]:
    try:
        print("pow", x, y, math.pow(x, y))
    except (ValueError, OverflowError) as e:
        print("pow", x, y, type(e).__name__, e)

for x, y in [(7, 3), (-7, 3), (7, -3), (5.5, 2), (1, math.inf), (math.inf, 1), (3, 0)]:
    try:
        print("fmod", x, y, math.fmod(x, y), math.remainder(x, y))
    except ValueError as e:
        print("fmod", x, y, e)

print(math.atan2(1, 1), math.atan2(-0.0, -1), math.copysign(3, -0.0), math.copysign(-2, 1))
print(math.hypot(), math.hypot(3), math.hypot(3, 4), math.hypot(1, 2, 3), math.hypot(1e200, 1e200))
print(math.hypot(math.inf, math.nan), math.hypot(0.1, 0.2, 0.3, 0.4, 0.5))
print(math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [4, 6, 8]), math.dist((1.5,), (0.25,)))
try:
    math.dist((1, 2), (1,))
except ValueError as e:
    print("ValueError:", e)
print(math.frexp(0.0), math.frexp(8.0), math.frexp(-0.3), math.frexp(math.inf))
print(math.ldexp(0.5, 4), math.ldexp(1.0, -1100), math.ldexp(3, 10 ** 30 * 0), math.ldexp(-1.0, -(10 ** 30)))
for args in [(1.0, 2000), (1.0, 10 ** 30)]:
    try:
        math.ldexp(*args)
    except OverflowError as e:
        print("OverflowError:", e)
try:
    math.ldexp(1.0, 2.0)
except TypeError as e:
    print("TypeError:", e)
print(math.modf(3.25), math.modf(-3.25), math.modf(math.inf), math.modf(-math.inf))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(1, 1.05, rel_tol=0.1))
print(math.isclose(0.0, 1e-12, abs_tol=1e-9), math.isclose(math.inf, math.inf), math.isclose(math.inf, 1e308))
try:
    math.isclose(1, 2, rel_tol=-1)
except ValueError as e:
    print("ValueError:", e)
print(math.gamma(5), math.gamma(1), math.lgamma(1), math.lgamma(2), math.gamma(math.inf))
for v in [0, -1, -2.0]:
    try:
        math.gamma(v)
    except ValueError as e:
        print("gamma", v, e)
try:
    math.gamma(200)
except OverflowError as e:
    print("OverflowError:", e)
print(math.nextafter(1.0, 2.0), math.nextafter(1.0, 0.0), math.ulp(1.0), math.ulp(0.0), math.ulp(1e308))
for bad in ["1", None, [1]]:
    try:
        math.sqrt(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError:", e)
print(math.exp(-1000), math.sqrt(10 ** 100))
try:
    math.sqrt(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)

class F:
    def __float__(self):
        return 2.25
class I:
    def __index__(self):
        return 9
print(math.sqrt(F()), math.sqrt(I()), math.sqrt(True))
