assert True
assert 1 == 1, "not shown"
try:
    assert 1 == 2
except AssertionError as e:
    print("AssertionError args:", e.args)
try:
    assert False, "custom message"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert [], ("tuple", 1)
except AssertionError as e:
    print(repr(e))
x = 5
assert x > 0 and x < 10, f"x out of range: {x}"
print("done")
