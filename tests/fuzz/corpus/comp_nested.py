print([(a, b) for a in range(3) for b in range(a)])
print([x for row in [[1, 2], [3], [4, 5, 6]] for x in row])
print([x for x in range(20) if x % 2 if x % 3])
print([(i, j) for i in range(4) if i % 2 == 0 for j in "ab" if j != "b" or i > 1])
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)])
print({(i, j): i * j for i in range(2) for j in range(2)})
print(sum(a * b for a in range(4) for b in range(4) if a != b))
