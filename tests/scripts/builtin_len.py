print(len(""), len("abc"), len("é中"), len(b"ab"), len([1, 2]), len((1,)), len({}))
print(len({"a": 1}), len({1, 2, 3}), len(frozenset()), len(range(10)), len(range(1, 10, 3)))
print(len({"a": 1}.keys()), len(dict(a=1, b=2).items()))
for bad in (5, 1.5, None):
    try:
        len(bad)
    except TypeError as e:
        print("TypeError:", e)
