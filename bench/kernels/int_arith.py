# Integer arithmetic in a loop: +, -, *, //, %, &, ^, <<, >> on machine-sized ints.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
n = int(1_850_000 * scale)
x = 12345
acc = 0
for i in range(n):
    x = (x * 1103515245 + 12345) % 2147483648
    acc += (x >> 7) ^ (i & 1023)
    acc -= x // 65536
    acc = acc % 1000000007
print("int_arith", n, acc)
