import mod_util

print(mod_util.VERSION)
print(mod_util.double(21))
print(mod_util.describe())
g = mod_util.Greeter("ann")
print(g.greet())
print(mod_util.calls)
print(mod_util.__name__)
print(type(mod_util).__name__)
