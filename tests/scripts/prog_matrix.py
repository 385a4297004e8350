# Matrices as lists of lists: multiply, transpose, determinant with fractions.


def matmul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def transpose(m):
    return [list(row) for row in zip(*m)]


def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def det(m):
    n = len(m)
    if n == 1:
        return m[0][0]
    total = 0
    for j in range(n):
        minor = [row[:j] + row[j + 1:] for row in m[1:]]
        total += (-1) ** j * m[0][j] * det(minor)
    return total


def mat_pow(m, e):
    result = identity(len(m))
    while e:
        if e & 1:
            result = matmul(result, m)
        m = matmul(m, m)
        e >>= 1
    return result


def show(m):
    width = max(len(str(v)) for row in m for v in row)
    for row in m:
        print(" ".join(str(v).rjust(width) for v in row))


a = [[1, 2, 3], [4, 5, 6]]
b = [[7, 8], [9, 10], [11, 12]]
show(matmul(a, b))
show(transpose(a))
print(det([[2, -3, 1], [2, 0, -1], [1, 4, 5]]), det(identity(4)), det([[1, 2], [2, 4]]))
fib = mat_pow([[1, 1], [1, 0]], 90)
print(fib[0][1])
show(mat_pow([[2, 0], [0, 3]], 10))
print(matmul(identity(3), b) == b)
print([[round(v / 3, 3) for v in row] for row in a])
