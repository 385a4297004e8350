pairs = [
    (ZeroDivisionError, ArithmeticError),
    (OverflowError, ArithmeticError),
    (ArithmeticError, Exception),
    (IndexError, LookupError),
    (KeyError, LookupError),
    (LookupError, Exception),
    (UnboundLocalError, NameError),
    (RecursionError, RuntimeError),
    (NotImplementedError, RuntimeError),
    (FileNotFoundError, OSError),
    (ConnectionError, OSError),
    (TimeoutError, OSError),
    (Exception, BaseException),
    (KeyboardInterrupt, BaseException),
    (KeyboardInterrupt, Exception),
    (SystemExit, Exception),
    (GeneratorExit, Exception),
    (StopIteration, Exception),
    (AssertionError, Exception),
    (AttributeError, Exception),
    (TypeError, ValueError),
    (MemoryError, Exception),
    (ValueError, Exception),
]
for sub, sup in pairs:
    print(sub.__name__, sup.__name__, issubclass(sub, sup))
print(BaseException.__bases__[0].__name__)
