def f():
    try:
        raise ValueError("from try")
    finally:
        print("finally ran")


f()
