s = slice(1, 5, 2)
print(s, s.start, s.stop, s.step)
print(slice(3), slice(None, 2), slice(1, None, -1))
data = list(range(10))
print(data[s], data[slice(3)], data[slice(None, None, -3)])
print("abcdefgh"[slice(2, 6)])


class Show:
    def __getitem__(self, k):
        return k


sh = Show()
print(sh[1:2], sh[::3], sh[:], sh[1:2:3], sh[1, 2:3])
print(slice(1, 2) == slice(1, 2), slice(1, 2) == slice(1, 3))
