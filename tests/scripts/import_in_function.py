def use():
    import mod_state
    return mod_state.add("f")


print(use(), use())
import mod_state

print(mod_state.items)


def use_from():
    from mod_util import describe
    return describe()


print(use_from())
