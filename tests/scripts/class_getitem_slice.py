class Seq:
    def __init__(self, data):
        self.data = list(data)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return "slice(%r, %r, %r)" % (index.start, index.stop, index.step)
        return self.data[index]

    def __len__(self):
        return len(self.data)


s = Seq("abcdef")
print(s[0], s[-1])
print(s[1:3], s[::2], s[:], s[::-1], s[2:])
print(list(s))
print("c" in s, "z" in s)
print(list(reversed(s)))
for ch in s:
    print(ch, end="")
print()


class Squares:
    def __getitem__(self, i):
        if i >= 5:
            raise IndexError
        return i * i


print(list(Squares()), 9 in Squares())
