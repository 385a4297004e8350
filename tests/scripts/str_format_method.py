print("{} {}".format("a", "b"))
print("{1} {0} {1}".format("a", "b"))
print("{name} is {age}".format(name="Bo", age=5))
print("{0[0]} {0[1]} {1[key]}".format([10, 20], {"key": "v"}))


class P:
    x = 3
    y = 4


print("{0.x},{0.y}".format(P()))
print("{:>8}|{:<8}|{:^8}|".format("r", "l", "c"))
print("{:*>8}|{:08.3f}|{:+d}".format("r", 3.14159, 7))
print("{!r} {!s}".format("s", "s"))
print("{{}} {{{}}}".format("braces"))
print("{:{}}|".format("w", 5), "{:.{}f}".format(3.14159, 2))
print("{0:b} {0:o} {0:x} {0:#X} {0:,}".format(1000000))
print("{:e} {:g} {:%}".format(12345.678, 0.00001, 0.5))
d = {"a": 1, "b": 2}
print("{a}-{b}".format(**d))
print("{:10}|{:<10}|{:>10}|".format(12, 12.5, "s"))
try:
    "{} {}".format("only one")
except IndexError as e:
    print("IndexError:", e)
try:
    "{missing}".format()
except KeyError as e:
    print("KeyError:", e)
