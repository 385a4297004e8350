l = []
l.append(1)
l.append([2, 3])
print(l)
l.extend([4, 5])
l.extend("ab")
l.extend(range(2))
l.extend((x * 10 for x in range(2)))
print(l)
l.extend([])
print(len(l))
a = [1]
a.append(a is a)
print(a)
x = [1, 2]
x.extend(x)
print(x)
print(l.append(0))
