# Nothing: the time to start and stop the interpreter, shown beside the
# kernels, whose times include it.
print("startup")
