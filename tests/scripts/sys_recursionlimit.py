import sys

print(sys.getrecursionlimit())
sys.setrecursionlimit(200)
print(sys.getrecursionlimit())
depth = 0


def dive():
    global depth
    depth += 1
    dive()


try:
    dive()
except RecursionError:
    print("RecursionError at depth between 150 and 200:", 150 < depth < 200)
sys.setrecursionlimit(5000)
depth = 0


def sum_to(n):
    return 0 if n == 0 else n + sum_to(n - 1)


print(sum_to(3000))
