from mod_util import double, Greeter
from mod_util import VERSION as V, describe as d

print(double(4), Greeter("bo").greet(), V, d())
try:
    from mod_util import no_such_name
except ImportError as e:
    print(type(e).__name__)
import mod_util

print(mod_util.calls)
