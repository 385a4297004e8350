def nothing():
    pass


class Empty:
    pass


for _ in range(2):
    pass
if True:
    pass
print(nothing())
print(type(Empty()).__name__)
try:
    pass
except Exception:
    pass
else:
    print("else after pass")
