# A comment on its own line
x = 1  # a trailing comment
# print("this is commented out")
    # an indented comment does not open a block
y = [1,  # comment inside brackets
     2,  # another
     3]
print(x, y)


def f():
    # comment as first line of a body
    return 42
    # comment after return


print(f())
s = "# not a comment"
print(s)
print('#' * 3)  # the hash in a string stays
