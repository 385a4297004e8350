# Helper module: imports another helper.
import mod_chain_b

print("mod_chain_a: loading")
value = mod_chain_b.base * 2


def via_b():
    return mod_chain_b.shout("a")
