print('single', "double")
print('it\'s', "say \"hi\"", "it's", 'say "hi"')
print('''triple
single''')
print("""triple "double" with 'quotes'""")
s = """line one
    line two (indented)
line three"""
print(s)
print(len(s))
print("")
print(repr(''), repr(""))
print("""a\
b""")
