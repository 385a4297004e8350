x = []
for i in range(1000):
    x = [[[[x]]]]
print(repr(x)[:10])
d = {}
for i in range(1000):
    d = {1: {2: {3: {4: d}}}}
print(str(d)[:10])
t = ()
for i in range(1000):
    t = ((((t,),),),)
print(hash(t), t == t, repr(t)[:10])
