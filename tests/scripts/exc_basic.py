try:
    1 / 0
except ZeroDivisionError:
    print("caught ZeroDivisionError")
try:
    [][0]
except IndexError as e:
    print("IndexError:", e)
try:
    {}["k"]
except KeyError as e:
    print("KeyError:", e, repr(e))
try:
    int("abc")
except ValueError as e:
    print("ValueError:", e)
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    undefined_name_here
except NameError as e:
    print("NameError:", e)
try:
    None.attr
except AttributeError as e:
    print("AttributeError:", e)
print("after all")
