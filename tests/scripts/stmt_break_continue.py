for i in range(3):
    for j in range(3):
        if j == 2:
            break
        if j == 0:
            continue
        print(i, j)
out = []
i = 0
while i < 10:
    i += 1
    if i % 3 == 0:
        continue
    if i > 7:
        break
    out.append(i)
print(out)
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("finally", i)
for i in range(3):
    try:
        break
    finally:
        print("finally on break", i)
