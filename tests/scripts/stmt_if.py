def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        return "small"
    else:
        return "large"


for v in (-5, 0, 3, 100):
    print(v, classify(v))
if []:
    print("empty list is true?")
elif {}:
    print("empty dict is true?")
else:
    print("empty containers are false")
if "x" and [0] and (0,) and 0.1:
    print("non-empty values are true")
if not None:
    print("None is false")
