a = {1, 2}
b = {1, 2, 3}
print(a.issubset(b), b.issubset(a), a.issubset(a), set().issubset(a))
print(a <= b, a < b, b < b, b >= a, b > a, a > a)
print(a.issubset([1, 2, 7]), {1, 2} == {2, 1}, {1, 2} < {1, 3})
