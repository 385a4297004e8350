# min() and max() of an empty iterable without default= raise ValueError
# with CPython 3.11's message; with default= they return it.
for fn in (min, max):
    for empty in ([], (), "", iter([]), {}, range(0)):
        try:
            fn(empty)
        except ValueError as e:
            print(type(empty).__name__, e)
    try:
        fn([], key=len)
    except ValueError as e:
        print("with key:", e)
    print(fn([], default="none"), fn((), key=abs, default=0))
