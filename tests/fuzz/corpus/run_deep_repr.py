x = []
for i in range(100000):
    x = [x]
print(repr(x)[:10])
print(x == x)
