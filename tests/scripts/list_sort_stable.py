records = [("ann", 3), ("bob", 1), ("cy", 3), ("dee", 2), ("eve", 1), ("fay", 3)]
by_score = sorted(records, key=lambda r: r[1])
print(by_score)
by_score_desc = sorted(records, key=lambda r: r[1], reverse=True)
print(by_score_desc)
multi = sorted(sorted(records, key=lambda r: r[0], reverse=True), key=lambda r: r[1])
print(multi)
items = [(i % 3, i) for i in range(12)]
items.sort(key=lambda p: p[0])
print(items)
data = list(range(20))
data.sort(key=lambda v: v % 4, reverse=True)
print(data)
