# A tiny stack machine: assemble a program from text and run it.


class VMError(Exception):
    pass


def assemble(text):
    program = []
    labels = {}
    for line in text.strip().splitlines():
        line = line.split(";")[0].strip()
        if not line:
            continue
        if line.endswith(":"):
            labels[line[:-1]] = len(program)
            continue
        op, *args = line.split()
        program.append((op, args[0] if args else None))
    return program, labels


def run(program, labels, limit=10000):
    stack = []
    env = {}
    out = []
    pc = 0
    steps = 0
    while pc < len(program):
        steps += 1
        if steps > limit:
            raise VMError("step limit exceeded")
        op, arg = program[pc]
        pc += 1
        if op == "push":
            stack.append(int(arg))
        elif op == "load":
            stack.append(env[arg])
        elif op == "store":
            env[arg] = stack.pop()
        elif op in ("add", "sub", "mul", "div", "mod"):
            b = stack.pop()
            a = stack.pop()
            stack.append({"add": a + b, "sub": a - b, "mul": a * b,
                          "div": a // b if b else 0, "mod": a % b if b else 0}[op])
        elif op == "jz":
            if stack.pop() == 0:
                pc = labels[arg]
        elif op == "jmp":
            pc = labels[arg]
        elif op == "print":
            out.append(stack.pop())
        else:
            raise VMError("bad opcode " + op)
    return out, steps


FACT = """
    push 1
    store acc
    push 20
    store n
loop:
    load n
    jz done
    load acc
    load n
    mul
    store acc
    load n
    push 1
    sub
    store n
    jmp loop
done:
    load acc
    print
"""
print(run(*assemble(FACT)))
COLLATZ = """
    push 27
    store n
    push 0
    store steps
top:
    load n
    push 1
    sub
    jz end
    load n
    push 2
    mod
    jz even
    load n
    push 3
    mul
    push 1
    add
    store n
    jmp count
even:
    load n
    push 2
    div
    store n
count:
    load steps
    push 1
    add
    store steps
    jmp top
end:
    load steps
    print
"""
out, steps = run(*assemble(COLLATZ), limit=100000)
print(out, steps)
try:
    run(*assemble("x:\n jmp x"), limit=50)
except VMError as e:
    print("VMError:", e)
try:
    run(*assemble("bogus"))
except VMError as e:
    print("VMError:", e)
