e = "before"
try:
    raise ValueError("x")
except ValueError as e:
    print("inside:", e)
try:
    print(e)
except NameError:
    print("the except target is deleted after the handler")
saved = None
try:
    raise TypeError("keep me")
except TypeError as err:
    saved = err
print("saved:", saved, type(saved).__name__)
