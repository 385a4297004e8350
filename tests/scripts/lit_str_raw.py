print(r"raw \n stays")
print(R'C:\path\to\file')
print(len(r"\n"), len("\n"))
print(r"\\", repr(r"\\"))
print(r"""raw
triple \t""")
print(repr(r"\x41"))
