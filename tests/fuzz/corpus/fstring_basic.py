name = "world"
n = 42
print(f"hello {name}")
print(f"{n} + 1 = {n + 1}")
print(F"upper F {n}")
print(f"{{literal braces}} {n}")
print(f"{'nested quotes'}")
print(f"{[1, 2, 3]}")
print(f"{ {'a': 1}['a'] }")
print(f"{name}{n}{name}")
print(f"")
print(f"multi {n} and {n * 2} and {n ** 2}")
print(rf"raw \n {n}")
print(f"""triple {name}
second line {n}""")
