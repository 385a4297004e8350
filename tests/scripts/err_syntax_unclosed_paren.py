print("this line is never run")
values = (1, 2,
print(values)
