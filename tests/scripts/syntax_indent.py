# Blocks nest by indentation; any consistent width works per block.
def outer(n):
    total = 0
    for i in range(n):
        if i % 2 == 0:
            total += i
        else:
          total -= 1
    return total


print(outer(5))
print(outer(10))

if True:
        print("eight spaces")
        if 1 < 2:
         print("nine spaces")
print("back at column 0")

while False:
    pass
else:
    print("while-else at top level")


class A:

    def m(self):

        return "blank lines inside blocks are fine"


print(A().m())
