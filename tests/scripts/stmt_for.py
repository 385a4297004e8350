for c in "abc":
    print(c, end=" ")
print()
for i in range(3):
    pass
print("after loop i =", i)
for x in [1, 2, 3]:
    if x == 5:
        break
else:
    print("no break: else runs")
for x in [1, 5, 3]:
    if x == 5:
        print("found 5")
        break
else:
    print("not printed")
for k in {"b": 2, "a": 1}:
    print("key", k)
for a, b in [(1, 2), (3, 4)]:
    print(a + b)
for _ in []:
    print("never")
else:
    print("empty loop else")
total = 0
for i in range(10):
    if i % 2:
        continue
    total += i
print("total", total)
