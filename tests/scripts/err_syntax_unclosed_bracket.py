print("never run")
items = [1, 2, 3

def f():
    return 1
