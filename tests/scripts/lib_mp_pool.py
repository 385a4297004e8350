# multiprocessing.Pool: results equal the sequential ones; errors come back.
import multiprocessing


def square(x):
    return x * x


def power(base, exp):
    return base ** exp


def describe(x, sep=":", times=1):
    return sep.join([str(x)] * times)


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def check(x):
    if x == 7:
        raise ValueError("seven is not allowed")
    return x


class AppError(Exception):
    pass


def app_fail(code):
    raise AppError("code", code)


def payload(i):
    return {"i": i, "sq": [i, i * i], "big": 2 ** (64 + i), "f": i / 4, "s": "x" * i,
            "t": (None, True), "set": {i}}


if __name__ == "__main__":
    nums = list(range(1, 200))
    with multiprocessing.Pool(3) as pool:
        print(pool.map(square, nums) == list(map(square, nums)))
        print(pool.map(collatz_steps, nums) == [collatz_steps(n) for n in nums])
        print(pool.map(square, nums, chunksize=7) == list(map(square, nums)))
        print(pool.map(square, []))
        print(pool.starmap(power, [(2, 10), (3, 3), (10, 20)]))
        print(pool.apply(describe, (5,), {"sep": "-", "times": 3}))
        results = [pool.apply_async(square, (i,)) for i in range(10)]
        print([r.get() for r in results])
        print(results[0].ready(), results[0].successful())
        print(list(pool.imap(square, range(8))))
        print(list(pool.imap(square, range(8), chunksize=3)))
        print(sorted(pool.imap_unordered(collatz_steps, range(1, 30))) ==
              sorted(collatz_steps(n) for n in range(1, 30)))
        print(pool.map(payload, range(4)) == [payload(i) for i in range(4)])
        got = []
        r = pool.map_async(square, range(5), callback=got.append)
        r.wait()
        print(r.get(), got)
        try:
            pool.map(check, range(20))
        except ValueError as e:
            print("ValueError:", e)
        r = pool.apply_async(check, (7,))
        try:
            r.get()
        except ValueError as e:
            print("apply_async ValueError:", e, r.successful())
        try:
            pool.apply(app_fail, (42,))
        except AppError as e:
            print("AppError:", e.args)
        try:
            pool.apply(square, ("x",))
        except TypeError as e:
            print("TypeError:", e)
        errs = []
        r = pool.apply_async(check, (7,), error_callback=lambda e: errs.append(str(e)))
        r.wait()
        print(errs)
        # the pool still works after task errors
        print(pool.map(square, [1, 2, 3]))

    pool = multiprocessing.Pool(processes=2)
    res = pool.map_async(square, range(10))
    pool.close()
    try:
        pool.map(square, [1])
    except ValueError as e:
        print("ValueError:", e)
    pool.join()
    print(res.get())

    pool = multiprocessing.Pool(2)
    try:
        pool.join()
    except ValueError as e:
        print("ValueError:", e)
    pool.terminate()
    pool.join()

    try:
        multiprocessing.Pool(0)
    except ValueError as e:
        print("ValueError:", e)
