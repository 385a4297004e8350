dict.fromkeys([1])
