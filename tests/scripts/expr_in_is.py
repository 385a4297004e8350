lst = [1, 2, 3]
print(2 in lst, 5 in lst, 5 not in lst)
print("b" in "abc", "bc" in "abc", "x" not in "abc", "" in "abc")
print(1 in {1: "a"}, "a" in {1: "a"})
print(3 in (1, 2, 3), 3 in {3, 4}, 4 in range(5), 5 in range(5))
a = [1]
b = a
c = [1]
print(a is b, a is c, a == c, a is not c)
print(None is None, None is not None)
x = None
print(x is None, x == None)
print(1.0 in [1], True in [1])
print([1, 2] in [[1, 2], [3]])
