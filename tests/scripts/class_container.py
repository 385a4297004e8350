class Grid:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.cells = {}

    def __getitem__(self, key):
        x, y = key
        if not (0 <= x < self.w and 0 <= y < self.h):
            raise IndexError("cell out of range")
        return self.cells.get(key, ".")

    def __setitem__(self, key, value):
        self.cells[key] = value

    def __delitem__(self, key):
        del self.cells[key]

    def __len__(self):
        return self.w * self.h

    def __contains__(self, value):
        return value in self.cells.values()


g = Grid(3, 2)
g[0, 0] = "X"
g[2, 1] = "O"
print(g[0, 0], g[1, 1], g[2, 1], len(g))
print("X" in g, "Z" in g, "Z" not in g)
del g[0, 0]
print(g[0, 0], "X" in g)
try:
    g[5, 5]
except IndexError as e:
    print("IndexError:", e)
try:
    del g[1, 1]
except KeyError as e:
    print("KeyError:", e)
