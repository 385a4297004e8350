# A JSON-like pretty printer and a tiny serializer/parser round trip.


def quote(s):
    out = '"'
    for ch in s:
        if ch == '"':
            out += '\\"'
        elif ch == "\\":
            out += "\\\\"
        elif ch == "\n":
            out += "\\n"
        else:
            out += ch
    return out + '"'


def dump(value, indent=0, step=2):
    pad = " " * indent
    inner = " " * (indent + step)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [inner + dump(v, indent + step, step) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [inner + quote(str(k)) + ": " + dump(v, indent + step, step) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    raise TypeError("cannot serialize " + type(value).__name__)


class Parser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def skip(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \n\t":
            self.pos += 1

    def parse(self):
        self.skip()
        ch = self.text[self.pos]
        if ch == "{":
            return self.parse_object()
        if ch == "[":
            return self.parse_array()
        if ch == '"':
            return self.parse_string()
        for word, val in (("null", None), ("true", True), ("false", False)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return val
        return self.parse_number()

    def parse_object(self):
        self.pos += 1
        result = {}
        self.skip()
        if self.text[self.pos] == "}":
            self.pos += 1
            return result
        while True:
            self.skip()
            key = self.parse_string()
            self.skip()
            self.pos += 1
            result[key] = self.parse()
            self.skip()
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "}":
                return result

    def parse_array(self):
        self.pos += 1
        result = []
        self.skip()
        if self.text[self.pos] == "]":
            self.pos += 1
            return result
        while True:
            result.append(self.parse())
            self.skip()
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "]":
                return result

    def parse_string(self):
        self.pos += 1
        out = ""
        while self.text[self.pos] != '"':
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 1
                ch = {"n": "\n"}.get(self.text[self.pos], self.text[self.pos])
            out += ch
            self.pos += 1
        self.pos += 1
        return out

    def parse_number(self):
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in "+-0123456789.eE":
            self.pos += 1
        token = self.text[start:self.pos]
        if "." in token or "e" in token or "E" in token:
            return float(token)
        return int(token)


doc = {
    "name": "twinpy",
    "version": [0, 1],
    "builds": {"gil": True, "nogil": True, "debug": False},
    "ratio": 1.25,
    "notes": None,
    "tags": ["fast", 'say "hi"', "back\\slash", "two\nlines"],
    "empty": {"list": [], "dict": {}},
    "matrix": [[1, 2], [3, 4.5]],
    "big": 2 ** 70,
}
text = dump(doc)
print(text)
back = Parser(text).parse()
print(back == doc)
print(dump([1, [2, [3, []]]], step=4))
try:
    dump({"bad": {1, 2}})
except TypeError as e:
    print("TypeError:", e)
print(dump("plain"), dump(-0.5), dump(1e100))
