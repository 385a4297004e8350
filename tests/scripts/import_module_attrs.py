import mod_state

mod_state.items.append("direct")
mod_state.extra = "set from outside"
print(mod_state.extra, mod_state.items)
print(mod_state.add("via function"), mod_state.items)
print(hasattr(mod_state, "add"), hasattr(mod_state, "nope"))
print(getattr(mod_state, "extra"))
import mod_errors
try:
    mod_errors.fail("boom")
except mod_errors.AppError as e:
    print(type(e).__name__, e)
print(mod_errors.divide(7, 2))
