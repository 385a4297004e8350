else:
    pass
try:
    pass
except:
finally
