raise ValueError("code", 17)
