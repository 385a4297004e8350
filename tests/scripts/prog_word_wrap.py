# Greedy word wrap and justification of a paragraph.
PARAGRAPH = ("twinpy runs a subset of Python on two builds of one runtime, so that the cost "
             "and the benefit of a global interpreter lock can be measured on the same code. "
             "Every script prints what CPython prints.")


def wrap(text, width):
    lines = []
    current = []
    length = 0
    for word in text.split():
        if current and length + 1 + len(word) > width:
            lines.append(current)
            current = []
            length = 0
        length += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(current)
    return lines


def justify(words, width):
    if len(words) == 1:
        return words[0]
    gaps = len(words) - 1
    spaces = width - sum(len(w) for w in words)
    q, r = divmod(spaces, gaps)
    out = ""
    for i, w in enumerate(words[:-1]):
        out += w + " " * (q + (1 if i < r else 0))
    return out + words[-1]


for width in (30, 45):
    lines = wrap(PARAGRAPH, width)
    print("-" * width)
    for i, words in enumerate(lines):
        text = " ".join(words) if i == len(lines) - 1 else justify(words, width)
        print(text + "|")
print("-" * 10)
for words in wrap(PARAGRAPH, 20)[:4]:
    print(" ".join(words).center(24, "."))
