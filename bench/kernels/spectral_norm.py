# Spectral norm of an infinite matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1)
# by the power method; float division in function calls and generator sums.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def a(i, j):
    ij = i + j
    return 1.0 / (ij * (ij + 1) // 2 + i + 1)


def mul_av(v, n):
    return [sum([a(i, j) * v[j] for j in range(n)]) for i in range(n)]


def mul_atv(v, n):
    return [sum([a(j, i) * v[j] for j in range(n)]) for i in range(n)]


def mul_atav(v, n):
    return mul_atv(mul_av(v, n), n)


n = max(10, int(300 * scale ** 0.5))
u = [1.0] * n
for _ in range(10):
    v = mul_atav(u, n)
    u = mul_atav(v, n)
vbv = 0.0
vv = 0.0
for i in range(n):
    vbv += u[i] * v[i]
    vv += v[i] * v[i]
print("spectral_norm", n, "%.9f" % ((vbv / vv) ** 0.5))
