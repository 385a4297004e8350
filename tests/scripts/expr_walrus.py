data = [1, 5, 12, 7, 20]
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in data if (y := x * 2) > 10])
print(n)
values = iter([3, 2, 1, 0, 5])
while (v := next(values)) != 0:
    print("got", v)
print((z := 10) + z)


def f():
    if (w := 5) > 1:
        return w * 2


print(f())
