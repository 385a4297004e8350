def f():
    return undefined_variable_xyz + 1


print("start")
f()
