f() = 1
1 = x
(a, b) += 1
[x for x in y] = 2
del f()
