s = "filename.txt"
print(s.startswith("file"), s.startswith("name"), s.startswith(""))
print(s.endswith(".txt"), s.endswith(".py"), s.endswith(("py", "txt")))
print(s.startswith(("x", "y", "fi")), s.startswith("name", 4), s.startswith("name", 4, 6))
print(s.endswith("name", 0, 8), "".startswith(""), "".endswith("a"))
try:
    s.startswith(["f"])
except TypeError as e:
    print("TypeError:", e)
