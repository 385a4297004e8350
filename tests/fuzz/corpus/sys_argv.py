import sys

print(sys.argv)
print(len(sys.argv), sys.argv[0])
total = sum(int(a) for a in sys.argv[1:] if a.isdigit())
print("sum of numeric args:", total)
print([a.upper() for a in sys.argv[1:]])
