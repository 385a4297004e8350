print("stdout before the error is flushed")
raise ValueError("bad value 42")
