# Values that cannot cross between processes raise where they are sent,
# and the connection stays usable.
import multiprocessing
import sys


def gen():
    yield 1


def echo_once(conn):
    conn.send(conn.recv())


if __name__ == "__main__":
    a, b = multiprocessing.Pipe()
    for bad in [gen(), sys, [1, gen()], {"k": sys}, (1, (2, gen()))]:
        try:
            a.send(bad)
        except TypeError as e:
            print("TypeError:", e)
    try:
        a.send(lambda: 0)
    except Exception:
        print("a lambda cannot be sent")
    deep = []
    for _ in range(5000):
        deep = [deep]
    try:
        a.send(deep)
    except RecursionError as e:
        print("RecursionError")
    p = multiprocessing.Process(target=echo_once, args=(b,))
    p.start()
    a.send(["still", "works"])
    print(a.recv())
    p.join()
    print(p.exitcode)

    with multiprocessing.Pool(2) as pool:
        try:
            pool.map(len, [gen()])
        except TypeError as e:
            print("TypeError:", e)
        print(pool.map(len, ["ab", "cde"]))
