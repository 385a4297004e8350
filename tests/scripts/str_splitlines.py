text = "first\nsecond\r\nthird\rfourth\n\nsixth"
print(text.splitlines())
print(text.splitlines(True))
print("".splitlines(), "\n".splitlines(), "a\n".splitlines(), "a\n\nb".splitlines())
print("no newline".splitlines())
print("x\x0by\x0cz\x1cw".splitlines())
print("trailing\n".splitlines(keepends=True))
