d = {"a": 1}
print(d.get("a"), d.get("b"), d.get("b", 0), d.get("a", 99))
print(d.setdefault("a", 5), d.setdefault("b", 7), d.setdefault("c"), d)
groups = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(word[0], []).append(word)
print(groups)
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
