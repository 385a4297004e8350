print("key=value".partition("="))
print("key=value=more".partition("="))
print("novalue".partition("="))
print("=start".partition("="), "end=".partition("="))
print("a::b::c".partition("::"))
host, sep, port = "localhost:8080".partition(":")
print(host, sep, port, int(port) + 1)
try:
    "abc".partition("")
except ValueError as e:
    print("ValueError:", e)
