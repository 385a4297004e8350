import mod_chain_a
import mod_chain_b

print(mod_chain_a.value)
print(mod_chain_a.via_b())
print(mod_chain_a.mod_chain_b is mod_chain_b)
