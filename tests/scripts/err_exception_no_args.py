class Oops(Exception):
    pass


print("raising Oops without arguments")
raise Oops
