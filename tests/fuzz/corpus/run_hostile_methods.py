class E:
    def __eq__(self, o): raise ValueError('eq')
    def __hash__(self): return 10**40
    def __len__(self): return -1
    def __index__(self): return 'no'
    def __repr__(self): return self
    def __str__(self): raise RuntimeError
    def __iter__(self): return 5
    def __bool__(self): return 2
e = E()
for op in (lambda: {e: 1}, lambda: len(e), lambda: [1][e], lambda: repr(e), lambda: str(e),
           lambda: list(e), lambda: not e, lambda: e in [e, 1], lambda: sorted([e, e])):
    try:
        op()
    except Exception as exc:
        print(type(exc).__name__)
raise E
