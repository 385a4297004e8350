s = set()
s.add(3)
s.add(1)
s.add(3)
print(s)
s.discard(1)
s.discard(99)
print(s)
s.remove(3)
print(s)
try:
    s.remove(3)
except KeyError as e:
    print("KeyError:", e)
s = {0, 1, 2, 3}
print(s.pop(), s)
t = {5}
t.pop()
try:
    t.pop()
except KeyError as e:
    print("KeyError:", e)
