nonlocal x
print("never")
