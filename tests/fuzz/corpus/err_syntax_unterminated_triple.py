print("start")
s = """never closed
more text
