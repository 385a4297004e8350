# A recursive-descent calculator: tokenizer, parser to a tree, evaluator.


class CalcError(Exception):
    pass


def tokenize(src):
    tokens = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or ch == ".":
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            text = src[i:j]
            tokens.append(("num", float(text) if "." in text else int(text)))
            i = j
        elif ch.isalpha():
            j = i
            while j < len(src) and src[j].isalnum():
                j += 1
            tokens.append(("name", src[i:j]))
            i = j
        elif src.startswith("**", i):
            tokens.append(("op", "**"))
            i += 2
        elif ch in "+-*/%(),=":
            tokens.append(("op", ch))
            i += 1
        else:
            raise CalcError("unexpected character %r at %d" % (ch, i))
    tokens.append(("end", None))
    return tokens


class Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, kind=None, value=None):
        tok = self.tokens[self.i]
        if kind is not None and tok[0] != kind or value is not None and tok[1] != value:
            raise CalcError("expected %s, got %r" % (value or kind, tok[1]))
        self.i += 1
        return tok

    def statement(self):
        if self.peek()[0] == "name" and self.tokens[self.i + 1] == ("op", "="):
            name = self.take("name")[1]
            self.take("op", "=")
            node = ("assign", name, self.expr())
        else:
            node = self.expr()
        self.take("end")
        return node

    def expr(self):
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = (op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek() in (("op", "*"), ("op", "/"), ("op", "%")):
            op = self.take()[1]
            node = (op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() == ("op", "**"):
            self.take()
            return ("**", base, self.unary())
        return base

    def atom(self):
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return ("num", value)
        if kind == "name":
            self.take()
            if self.peek() == ("op", "("):
                self.take()
                args = [self.expr()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.expr())
                self.take("op", ")")
                return ("call", value, args)
            return ("var", value)
        if (kind, value) == ("op", "("):
            self.take()
            node = self.expr()
            self.take("op", ")")
            return node
        raise CalcError("unexpected %r" % (value,))


FUNCS = {"max": max, "min": min, "abs": abs}


def evaluate(node, env):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "var":
        if node[1] not in env:
            raise CalcError("unknown variable " + node[1])
        return env[node[1]]
    if kind == "assign":
        env[node[1]] = evaluate(node[2], env)
        return env[node[1]]
    if kind == "neg":
        return -evaluate(node[1], env)
    if kind == "call":
        return FUNCS[node[1]](*[evaluate(a, env) for a in node[2]])
    a = evaluate(node[1], env)
    b = evaluate(node[2], env)
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b
    if kind == "/":
        if b == 0:
            raise CalcError("division by zero")
        return a / b
    if kind == "%":
        return a % b
    return a ** b


env = {}
for line in ["1 + 2 * 3", "(1 + 2) * 3", "2 ** 3 ** 2", "-2 ** 2", "x = 10", "y = x * 2.5",
             "x + y", "7 % 3 - -1", "max(1, x, 3) + min(4, 5)", "abs(-7) / 2", "1 / 0",
             "2 ** 100", "z + 1", "3 $ 4", "(1 + 2", "10 / 4 * 2", "1.5 * 4"]:
    try:
        print("%-26s => %r" % (line, evaluate(Parser(tokenize(line)).statement(), env)))
    except CalcError as e:
        print("%-26s => error: %s" % (line, e))
print(Parser(tokenize("a = 1 + 2 * b")).statement())
print(sorted(env.items()))
