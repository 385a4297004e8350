with open("data_lines.txt") as f:
    text = f.read()
print(repr(text))
print(len(text.splitlines()))
f = open("data_lines.txt")
print(repr(f.readline()))
print(repr(f.readline()))
rest = f.read()
f.close()
print(repr(rest))
with open("data_lines.txt") as f:
    for i, line in enumerate(f):
        print(i, repr(line))
with open("data_lines.txt") as f:
    print(f.readlines()[-1])
with open("data_lines.txt", "rb") as f:
    data = f.read()
print(type(data).__name__, len(data), data[:10])
