s = 'ÿşı'
print(s)
# €
