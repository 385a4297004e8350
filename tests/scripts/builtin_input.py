name = input()
print("hello,", name)
n = int(input("a number: "))
print("double:", n * 2)
rest = []
while True:
    try:
        line = input()
    except EOFError:
        print("EOF reached")
        break
    rest.append(line)
print(rest)
