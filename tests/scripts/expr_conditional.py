for n in (-1, 0, 1):
    print("neg" if n < 0 else "zero" if n == 0 else "pos")
x = 10
y = x * 2 if x > 5 else x / 2
print(y)
print((1 if True else 2) + (3 if False else 4))
f = (lambda v: "even" if v % 2 == 0 else "odd")
print([f(i) for i in range(4)])
print([i if i % 2 else -i for i in range(5)])
