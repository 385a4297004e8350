s = "abcdefgh"
l = list(range(10))
print(s[2:5], s[:3], s[5:], s[:], s[-3:], s[:-3])
print(s[::2], s[1::2], s[::-1], s[::-2], s[6:1:-2])
print(s[100:], s[-100:2], s[3:3], s[5:2])
print(l[1:8:3], l[::-3], l[-1:-5:-1], l[8:2:-2])
t = tuple(l)
print(t[2:4], t[::5])
print(s[1:-1:3])
print(l[None:3], l[3:None], l[::None])
i, j = 2, 6
print(l[i:j], l[i + 1:j - 1])
print(b"bytes"[1:3], range(10)[2:8:2])
