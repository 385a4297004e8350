l = ["a", "b", "c"]
l.insert(0, "start")
l.insert(2, "mid")
l.insert(100, "end")
l.insert(-1, "before-last")
l.insert(-100, "very-start")
print(l)
print(l.pop(), l.pop(0), l.pop(2), l.pop(-2))
print(l)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    [1].pop(5)
except IndexError as e:
    print("IndexError:", e)
stack = []
for i in range(4):
    stack.append(i)
while stack:
    print("pop", stack.pop())
