s = "hello World FROM python3"
print(s.upper(), s.lower(), s.title(), s.capitalize(), sep="\n")
print("they're bill's friends".title())
print("ALL CAPS".capitalize(), "a1b2c3".title(), "  lead".capitalize())
print("".upper(), "123".lower(), "MiXeD".lower().upper())
print("hello-world_foo bar".title())
