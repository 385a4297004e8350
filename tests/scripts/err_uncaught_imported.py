import mod_errors

print("calling into the module")
mod_errors.fail("raised in a helper module")
