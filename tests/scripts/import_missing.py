try:
    import module_that_does_not_exist
except ImportError as e:
    print(type(e).__name__, e)
print(issubclass(ModuleNotFoundError, ImportError))
try:
    from mod_state import nothing_here
except ImportError as e:
    print(type(e).__name__)
print("done")
