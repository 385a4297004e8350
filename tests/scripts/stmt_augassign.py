x = 10
x += 5; print(x)
x -= 3; print(x)
x *= 2; print(x)
x //= 5; print(x)
x %= 3; print(x)
x **= 10; print(x)
x <<= 2; print(x)
x >>= 1; print(x)
x &= 0xFF; print(x)
x |= 0x100; print(x)
x ^= 0x1FF; print(x)
x /= 4; print(x)
s = "ab"
s += "cd"; s *= 2
print(s)
l = [1]
alias = l
l += [2, 3]
print(l, alias, l is alias)
t = (1,)
talias = t
t += (2,)
print(t, talias)
d = {"n": 1}
d["n"] += 41
print(d)


class C:
    count = 0


c = C()
c.count += 1
print(c.count, C.count)
m = [[0, 0], [0, 0]]
m[1][0] -= 7
print(m)
