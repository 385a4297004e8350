try:
    print("try body")
finally:
    raise KeyError("raised in finally")
