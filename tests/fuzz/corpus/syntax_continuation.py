total = 1 + \
    2 + \
    3
print(total)

values = [
    10,
    20,
    30,
]
print(values)

result = (1
          + 2
          * 3)
print(result)

d = {
    "a": 1,
    "b": 2
}
print(d)


def f(a,
      b,
      c=3):
    return a + b + c


print(f(1,
        2))
if (total > 5 and
        result > 5):
    print("both")
s = ("implicit "
     "concatenation "
     'of literals')
print(s)
x = 5; y = 6; print(x * y)
if x: print("one-line if")
for i in range(2): print("one-line for", i)
