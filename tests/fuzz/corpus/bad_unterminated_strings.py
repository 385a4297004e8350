a = 'abc
b = """never closed
c = f'{1 +
