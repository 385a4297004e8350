print(format(42), format(42, "d"), format(42, "5d"), format(42, "<5") + "|", format(42, "^7") + "|")
print(format(3.14159, ".2f"), format(0.5, "%"), format(1e6, "e"), format(255, "x"), format(255, "#b"))
print(format("text", ">8"), format("text", "*<8"), format("text", ".2"), format(True), format(None))
print(format(-7, "+"), format(7, "+"), format(1234567, ","), format(12.0, "g"), format(10 ** 20, ","))
print(format([1, 2]), format((1,)), format("x", ""))


class Money:
    def __init__(self, v):
        self.v = v

    def __format__(self, spec):
        return "$" + format(self.v, spec or ".2f")

    def __str__(self):
        return "Money"


print(format(Money(3)), format(Money(3), ".1f"), f"{Money(2.5)}", "{:.0f}".format(Money(9.7)))
try:
    format(5, "s")
except ValueError as e:
    print("ValueError:", e)
try:
    format("s", "d")
except ValueError as e:
    print("ValueError:", e)
