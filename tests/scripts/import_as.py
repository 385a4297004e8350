import mod_util as u
import mod_state as st

print(u.double(5), u.VERSION)
print(st.add("x"), st.add("y"), st.items)
try:
    mod_util
except NameError:
    print("only the alias is bound")
