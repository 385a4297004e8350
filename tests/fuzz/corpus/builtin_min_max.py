print(min(3, 1, 2), max(3, 1, 2), min([5, 4]), max((5, 4)), min("hello"), max("hello"))
print(min([3, -7, 2], key=abs), max(["aa", "b", "cccc"], key=len))
print(max([1, 3, 3, 2], key=lambda v: v % 3))
print(max(["a", "bb", "cc"], key=len), min(["bb", "a", "cc", "d"], key=len))
print(min([], default="empty"), max([], default=None), max([7], default=0))
print(max(1, 2.5), min(-1, -1.0), max([(1, "b"), (1, "a"), (0, "z")]))
print(max({"x": 3, "y": 9}), max({"x": 3, "y": 9}.values()))
print(min(range(5, 10)), max(c for c in "python"))
try:
    min([])
except ValueError:
    print("ValueError for min of an empty sequence")
try:
    max(1, "a")
except TypeError as e:
    print("TypeError:", e)
try:
    max(5)
except TypeError as e:
    print("TypeError:", e)
