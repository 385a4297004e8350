words = "the quick brown fox jumps over the lazy dog the end".split()
unique = set(words)
print(len(words), len(unique))
print(sorted(unique))
seen = set()
dups = []
for w in words:
    if w in seen:
        dups.append(w)
    seen.add(w)
print(dups)
vowels = set("aeiou")
print(sorted(set("programming") & vowels), sorted(set("xyz") - vowels))
print(sorted({len(w) for w in words}))
nums = {0, 2, 4, 6}
odds = {1, 3, 5, 7}
print(nums | odds, not (nums & odds))
