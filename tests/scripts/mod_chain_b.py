# Helper module imported by mod_chain_a.
print("mod_chain_b: loading")
base = 21


def shout(s):
    return s.upper() + "!"
