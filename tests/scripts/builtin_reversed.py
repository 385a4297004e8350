print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
print(list(reversed(range(5))), list(reversed(range(0, 10, 3))), list(reversed([])))
r = reversed([1, 2, 3])
print(next(r), list(r))
print("".join(reversed("stressed")))


class Rev:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return "abc"[i]


print(list(reversed(Rev())))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
print(list(reversed({"a": 1, "b": 2})))
