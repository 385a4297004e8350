l = [1, 2, 3]
try:
    l[3]
except IndexError as e:
    print("IndexError:", e)
try:
    l[-4] = 0
except IndexError as e:
    print("IndexError:", e)
try:
    l["a"]
except TypeError as e:
    print("TypeError:", e)
try:
    l[1.0]
except TypeError as e:
    print("TypeError:", e)
try:
    l + (4,)
except TypeError as e:
    print("TypeError:", e)
try:
    l * [2]
except TypeError as e:
    print("TypeError:", e)
print(l[-3], l[2], l[1:100])
