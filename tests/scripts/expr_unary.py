x = 5
print(-x, +x, ~x)
print(-(-x), ~~x, ~-x, -~x)
print(not x, not 0, not "", not "a")
print(-0, -0.0, +0.0)
print(~0, ~-1, ~255)
print(-True, +True, ~1)
print(-(2 ** 70), ~(2 ** 70))
y = -3.5
print(-y, +y)
