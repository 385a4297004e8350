# Word count over generated text: build words from a pseudo-random stream,
# join them into lines, split the lines and count words in a dict, then
# rank them; str building, splitting, hashing and dict updates.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0

SYLLABLES = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "qu", "di", "an", "or", "ex"]


def make_text(lines, seed):
    out = []
    for _ in range(lines):
        words = []
        for _ in range(12):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            n = 1 + (seed >> 16) % 3
            w = ""
            s = seed
            for _ in range(n):
                w += SYLLABLES[s % 12]
                s //= 12
            words.append(w.capitalize() if seed % 7 == 0 else w)
        out.append(" ".join(words) + ".")
    return "\n".join(out)


def count_words(text):
    counts = {}
    for line in text.splitlines():
        for word in line.split():
            word = word.strip(".").lower()
            counts[word] = counts.get(word, 0) + 1
    return counts


lines = int(42_000 * scale)
text = make_text(lines, 7)
counts = count_words(text)
top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
print("wordcount", lines, len(text), len(counts), top)
