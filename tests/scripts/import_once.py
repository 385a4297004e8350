import mod_util
import mod_util
import mod_util as again
from mod_util import double

print(mod_util is again)
double(1)
print(mod_util.calls, again.calls)
import mod_state
mod_state.add(1)
import mod_state as s2
s2.add(2)
print(mod_state.items, s2.items is mod_state.items)
