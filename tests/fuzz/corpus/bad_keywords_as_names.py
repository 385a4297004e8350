def = 1
class(): pass
lambda = 3
x = yield
return 5
break
