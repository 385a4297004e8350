queue = []
for job in ["a", "b", "c"]:
    queue.append(job)
done = []
while queue:
    job = queue.pop(0)
    done.append(job)
    if job == "a":
        queue.append("a2")
print(done)
matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print(matrix)
print([list(row) for row in zip(*matrix)])
flat = [v for row in matrix for v in row]
print(flat, sum(flat))
grid = [["."] * 4 for _ in range(2)]
grid[1][2] = "#"
print("\n".join("".join(row) for row in grid))
