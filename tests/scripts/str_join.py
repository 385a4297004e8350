print(",".join(["a", "b", "c"]))
print("".join(["x", "y"]), " - ".join(("one", "two")))
print("|".join("abc"), "+".join([]), "+".join(["solo"]))
print(", ".join(str(i) for i in range(5)))
print("\n".join(["line1", "line2"]))
print("-".join({"k1": 1, "k2": 2}))
try:
    ",".join(["a", 1])
except TypeError as e:
    print("TypeError:", e)
