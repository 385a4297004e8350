print(1)
x = 2 ﻿+ 3
