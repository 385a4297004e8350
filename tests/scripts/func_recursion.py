def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def hanoi(n, src, dst, via, moves):
    if n:
        hanoi(n - 1, src, via, dst, moves)
        moves.append((src, dst))
        hanoi(n - 1, via, dst, src, moves)
    return moves


print(fact(10), fact(30))
print([fib(i) for i in range(15)])
print(len(hanoi(6, "A", "C", "B", [])), hanoi(2, "A", "C", "B", []))


def is_even(n):
    return True if n == 0 else is_odd(n - 1)


def is_odd(n):
    return False if n == 0 else is_even(n - 1)


print(is_even(100), is_odd(7))


def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)


print(depth(900))
