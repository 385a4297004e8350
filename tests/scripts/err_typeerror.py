items = [1, 2, 3]
print(len(items))
print(items + 4)
