# Text statistics: word counts, frequencies, line lengths, a histogram.
TEXT = """The quick brown fox jumps over the lazy dog.
The dog sleeps; the fox runs away!
A fox, a dog, and a cat walk into a bar.

Nobody knows why the cat was there -- not even the cat."""


def words_of(text):
    out = []
    word = ""
    for ch in text.lower():
        if ch.isalpha() or ch == "'":
            word += ch
        elif word:
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


lines = TEXT.splitlines()
words = words_of(TEXT)
print("lines:", len(lines), "non-empty:", len([l for l in lines if l.strip()]))
print("words:", len(words), "unique:", len(set(words)))
print("characters:", len(TEXT), "letters:", sum(1 for c in TEXT if c.isalpha()))
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
for w, n in top:
    print("%-6s %2d %s" % (w, n, "#" * n))
lengths = {}
for w in words:
    lengths.setdefault(len(w), []).append(w)
for n in sorted(lengths):
    print(n, sorted(set(lengths[n])))
longest = max(lines, key=len)
print("longest line (%d): %s" % (len(longest), longest))
avg = sum(len(w) for w in words) / len(words)
print("average word length: %.3f" % avg)
print("sentences:", sum(TEXT.count(p) for p in ".!?"))
caps = [w for w in TEXT.split() if w[0].isupper()]
print("capitalised:", caps)
print("first letters:", "".join(sorted(set(w[0] for w in words))))
