try:
    raise KeyboardInterrupt
except Exception:
    print("not caught by Exception")
except KeyboardInterrupt as e:
    print("KeyboardInterrupt caught", repr(e))
try:
    raise SystemExit(5)
except SystemExit as e:
    print("SystemExit caught with code", e.code)
try:
    raise GeneratorExit()
except BaseException as e:
    print("BaseException caught", type(e).__name__)
try:
    raise BaseException("base")
except Exception:
    print("no")
except BaseException as e:
    print(repr(e), str(e))
try:
    raise MemoryError("simulated")
except MemoryError as e:
    print("MemoryError:", e)
try:
    raise OverflowError("too big")
except ArithmeticError as e:
    print(type(e).__name__, e)
