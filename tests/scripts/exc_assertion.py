def check(x):
    assert isinstance(x, int), "expected int, got " + type(x).__name__
    return x * 2


print(check(4))
try:
    check("s")
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert 0
except AssertionError as e:
    print(repr(e), e.args)
