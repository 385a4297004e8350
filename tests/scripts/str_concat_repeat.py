s = ""
for i in range(5):
    s += str(i)
print(s)
print("ab" * 3, "ab" * 0, "ab" * -1, 2 * "xy")
parts = []
for w in ["alpha", "beta", "gamma"]:
    parts.append(w[0].upper() + w[1:])
print(" ".join(parts))
print("-" * 20)
t = "abc"
u = t
t += "d"
print(t, u)
try:
    "a" + 5
except TypeError as e:
    print("TypeError:", e)
try:
    "a" * 2.5
except TypeError as e:
    print("TypeError:", e)
