l = [1, 2, 3, 4]
l.reverse()
print(l)
c = l.copy()
c.append(0)
print(l, c, c is l)
deep = [[1], [2]]
shallow = deep.copy()
shallow[0].append(99)
print(deep)
print(l[:] == l, l[:] is l)
alias = l
l.clear()
print(l, alias)
print(list(reversed([1, 2, 3])), [1, 2, 3][::-1])
e = []
e.reverse()
print(e)
