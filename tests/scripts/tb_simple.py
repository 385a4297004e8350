print("before")
raise ValueError("simple failure")
