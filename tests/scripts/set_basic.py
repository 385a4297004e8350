s = {3, 1, 2}
print(s, len(s), 2 in s, 5 in s, 5 not in s)
print(set(), set([1, 2, 2, 3]), set("aab") == {"a", "b"}, set(range(5)))
print({1, 2} == {2, 1}, {1} != {1, 2}, set() == set())
print(sorted({5, 3, 4}), sum({1, 2, 3}), max({4, 7, 1}))
e = set()
print(bool(e), bool({0}), type(e).__name__)
print({1, 1.0, True}, len({0, False, 0.0}))
try:
    {[1]}
except TypeError:
    print("TypeError: unhashable")
print({(1, 2), (1, 2), (2, 1)} == {(2, 1), (1, 2)})
